/**
 * Workflows as MCP tools: an MCP server whose tools are workflows (DSL workflows and JSON templates), so an agent
 * calls a whole tested workflow as one tool. Each tool's input schema is its workflow's inputs, a call's outputs come
 * back as `structuredContent`, progress is sent per finished step, and a cancelled request cancels the run.
 *
 *   const serving = await serveWorkflowsOverMcp([deploy, release], { concurrency: 4 });
 *   await serving.closed;   // the client has gone and every run has settled
 *
 * `weave serve --mcp <workflows...>` is this, over stdio, for workflow files and templates.
 *
 * @module adapters/mcp/serve
 */
export {
  createWorkflowMcpServer,
  serveWorkflowsOverMcp,
  type ServeOverStdioOptions,
  type WorkflowMcpServerOptions,
  type WorkflowMcpServing,
} from "./workflow-server.js";
export {
  describeServeIssue,
  serveIssues,
  TOOL_NAME,
  WorkflowServeError,
  type ServableWorkflow,
  type ServedWorkflowSource,
  type ServeIssue,
} from "./served-issues.js";
export type { WorkflowRunSettings } from "./workflow-tools.js";
export type { CallSettings } from "./call-workflow.js";
export { outputSchemaOf, type JsonSchema } from "./output-schema.js";

/**
 * @module `toolweave/mcp`: tools from Model Context Protocol servers. `startMcpServers(".mcp.json")` starts the
 * servers a project lists and gives their tools as `<server>.<tool>`, for any workflow's steps;
 * `serveWorkflowsOverMcp([...])` serves workflows as the tools of an MCP server.
 */
export { parseMcpConfig, type McpConfig, type McpServerConfig } from "./config.js";
export { McpServerConnection, McpServerError, type McpToolInfo } from "./connection.js";
export { McpToolError } from "./call-result.js";
export { startMcpServers, type McpServers, type McpServersOptions, type McpTool } from "./servers.js";
export {
  createWorkflowMcpServer,
  serveWorkflowsOverMcp,
  WorkflowServeError,
  serveIssues,
  describeServeIssue,
  type ServeOverStdioOptions,
  type WorkflowMcpServerOptions,
  type WorkflowMcpServing,
  type ServeIssue,
} from "./serve/index.js";

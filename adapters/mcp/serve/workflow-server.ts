/**
 * @module An MCP server whose tools are workflows: `tools/list` shows one tool per workflow, `tools/call` runs it.
 * Built on the SDK's low-level `Server`, which takes tool definitions as plain JSON Schema (a template's `inputs`
 * is JSON Schema, not zod; `McpServer.registerTool` takes zod schemas only). {@link createWorkflowMcpServer} returns
 * the server, to connect to any transport; {@link serveWorkflowsOverMcp} serves it over stdio until the client leaves.
 */
import type { Readable, Writable } from "node:stream";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema, McpError } from "@modelcontextprotocol/sdk/types.js";
import { packageVersion } from "../../../src/util/package-info.js";
import { type CallSettings, callWorkflowTool } from "./call-workflow.js";
import { type ServableWorkflow, serveIssues, WorkflowServeError } from "./served-issues.js";
import { type WorkflowRunSettings, type WorkflowTool, workflowTool } from "./workflow-tools.js";

export interface WorkflowMcpServerOptions extends WorkflowRunSettings, CallSettings {
  /** The server's name and version in the MCP handshake. @default toolweave and its version */
  readonly serverInfo?: { readonly name: string; readonly version: string };
}

export interface ServeOverStdioOptions extends WorkflowMcpServerOptions {
  /** @default process.stdin */
  readonly stdin?: Readable;
  /** Where protocol messages are written, and nothing else. @default process.stdout */
  readonly stdout?: Writable;
}

/** A server connected over stdio. */
export interface WorkflowMcpServing {
  readonly server: Server;
  /**
   * Resolves once the connection has closed (the client ended stdin, or {@link close}) and every run it started has
   * settled: runs still going when it closed are cancelled, and their tools see their signal aborted.
   */
  readonly closed: Promise<void>;
  /** Closes the connection, cancelling the runs in progress. Resolves as {@link closed} does. */
  close(): Promise<void>;
}

/**
 * The MCP server of these workflows, not connected yet: `await server.connect(transport)`.
 * @param workflows DSL workflows (made with `workflow()`) and templates; each becomes the tool of its name
 * @throws WorkflowServeError listing every problem: a name MCP does not allow, a name used twice, a tool without an
 * implementation, inputs that are not the JSON Schema of an object
 * @example
 * const server = createWorkflowMcpServer([deploy, release], { concurrency: 4 });
 * await server.connect(new StdioServerTransport());
 */
export function createWorkflowMcpServer(workflows: readonly ServableWorkflow[], options: WorkflowMcpServerOptions = {}): Server {
  return workflowServer(workflows, options).server;
}

/**
 * Serves the workflows over stdio: reads requests from stdin and writes protocol messages to stdout (and nothing else,
 * so tools must not write to it), until the client ends stdin or {@link WorkflowMcpServing.close} is called.
 * @throws WorkflowServeError as {@link createWorkflowMcpServer}
 */
export async function serveWorkflowsOverMcp(
  workflows: readonly ServableWorkflow[],
  options: ServeOverStdioOptions = {},
): Promise<WorkflowMcpServing> {
  const { server, settled } = workflowServer(workflows, options);
  const stdin = options.stdin ?? process.stdin;
  let onClosed!: () => void;
  const connectionClosed = new Promise<void>((resolve) => (onClosed = resolve));
  server.onclose = onClosed;
  // the SDK's stdio transport does not watch for the end of its input: the client has gone
  const onEnd = (): void => void server.close();
  stdin.once("end", onEnd);
  await server.connect(new StdioServerTransport(stdin, options.stdout ?? process.stdout));
  const closed = connectionClosed.then(settled).finally(() => void stdin.off("end", onEnd));
  return {
    server,
    closed,
    close: async () => {
      await server.close();
      await closed;
    },
  };
}

function workflowServer(
  workflows: readonly ServableWorkflow[],
  options: WorkflowMcpServerOptions,
): { server: Server; settled: () => Promise<void> } {
  const issues = serveIssues(
    workflows.map((workflow) => ({ workflow })),
    options.tools,
  );
  if (issues.length > 0) throw new WorkflowServeError(issues);
  const tools = new Map<string, WorkflowTool>();
  for (const workflow of workflows) tools.set(workflow.name, workflowTool(workflow, options));
  const onWarning = options.onWarning ?? ((message: string) => process.emitWarning(message));
  const settings: CallSettings = { ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }), onWarning };

  const server = new Server(options.serverInfo ?? { name: "toolweave", version: packageVersion() }, {
    capabilities: { tools: {} },
  });
  server.onerror = (error) => onWarning(`MCP: ${error.message}`);
  const running = new Set<Promise<unknown>>();
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: [...tools.values()].map((t) => t.definition) }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const tool = tools.get(request.params.name);
    if (tool === undefined) {
      const names = [...tools.keys()].map((n) => `"${n}"`).join(", ");
      throw new McpError(ErrorCode.InvalidParams, `unknown tool "${request.params.name}". the tools are ${names}`);
    }
    const call = callWorkflowTool(tool, request.params.arguments ?? {}, extra, settings);
    running.add(call);
    try {
      return await call;
    } finally {
      running.delete(call);
    }
  });
  const settled = async (): Promise<void> => {
    while (running.size > 0) await Promise.allSettled([...running]);
  };
  return { server, settled };
}

/**
 * @module One MCP server, started over stdio and kept for a run. A call is a step's attempt: it carries the attempt's
 * signal, so the step's timeout or the run's cancellation reaches the server as an MCP cancellation, and the server's
 * progress notifications become the step's progress. The SDK's own 60 s request timeout is not used: the step's
 * timeout is the bound. A server that died (it crashed, or was killed) fails the calls it was answering; the next
 * call, a retry of the step or another step, starts it again. What the server wrote to stderr last is kept for the
 * messages that say why it could not start or stopped.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { getDefaultEnvironment, StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import type { Readable } from "node:stream";
import type { ToolContext } from "../../src/executor/types.js";
import type { McpServerConfig } from "./config.js";
import { type CallResult, stepResultOf } from "./call-result.js";

/** A tool as its server lists it. */
export type McpToolInfo = Pick<Tool, "name" | "description" | "inputSchema" | "outputSchema" | "annotations" | "title">;

export interface ConnectionOptions {
  /** How long a server may take to start and answer `initialize` and `tools/list`. @default 30000 */
  readonly startTimeoutMs?: number;
  /** Told each time the server is started again after it died. */
  readonly onRestart?: (server: string) => void;
}

/** The SDK's per-request timer is set to this: the step's timeout (through the signal) is the real bound. */
const NO_SDK_TIMEOUT = 2_147_483_647;
const STDERR_KEPT = 4_096;

/** The server could not be started, or stopped answering. */
export class McpServerError extends Error {
  override readonly name = "McpServerError";
}

export class McpServerConnection {
  readonly config: McpServerConfig;
  readonly #options: ConnectionOptions;
  #client: Client | undefined;
  #tools = new Map<string, McpToolInfo>();
  /** Started, or being started: shared by the calls that wait for it. */
  #starting: Promise<Client> | undefined;
  #stderr = "";
  #closed = false;
  #starts = 0;

  constructor(config: McpServerConfig, options: ConnectionOptions = {}) {
    this.config = config;
    this.#options = options;
  }

  /** The server's tools, as it listed them when it (last) started. */
  get tools(): ReadonlyMap<string, McpToolInfo> {
    return this.#tools;
  }

  /** How many times the server was started. */
  get starts(): number {
    return this.#starts;
  }

  /** Starts the server (once; again after it died). @throws McpServerError naming the server, with its stderr */
  start(): Promise<Client> {
    if (this.#closed)
      return Promise.reject(new McpServerError(`MCP server "${this.config.name}" is closed: the run that used it has ended`));
    this.#starting ??= this.#spawn().catch((error: unknown) => {
      this.#starting = undefined;
      throw error;
    });
    return this.#starting;
  }

  /**
   * Calls one of the server's tools for a step's attempt.
   * @throws McpToolError when the tool reports an error; McpServerError when the server died or refused the call
   */
  async call(tool: string, params: Record<string, unknown>, context: Pick<ToolContext, "signal" | "progress">): Promise<unknown> {
    const qualified = `${this.config.name}.${tool}`;
    const client = await this.start();
    context.signal.throwIfAborted();
    const info = this.#tools.get(tool);
    let result: CallResult;
    // the SDK never removes the listener it adds to a request's signal, and a run's signal lives as long as the run:
    // each call gets a signal of its own that follows it, and stops following it when the call is over
    const call = new AbortController();
    const follow = (): void => call.abort(context.signal.reason);
    context.signal.addEventListener("abort", follow, { once: true });
    try {
      result = (await client.callTool({ name: tool, arguments: params }, undefined, {
        signal: call.signal,
        timeout: NO_SDK_TIMEOUT,
        ...(context.progress && { onprogress: context.progress }),
      })) as CallResult;
    } catch (error) {
      // an abort is the step's timeout or the run's cancellation: the executor says which
      if (context.signal.aborted) throw context.signal.reason;
      if (this.#client !== client)
        throw new McpServerError(`${qualified}: the server "${this.config.name}" stopped during the call${this.#stderrNote()}`, {
          cause: error,
        });
      throw new McpServerError(`${qualified}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    } finally {
      context.signal.removeEventListener("abort", follow);
    }
    return stepResultOf(qualified, result, info?.outputSchema !== undefined);
  }

  /** Stops the server; later calls fail. */
  async close(): Promise<void> {
    this.#closed = true;
    const client = this.#client;
    this.#client = undefined;
    await client?.close();
  }

  async #spawn(): Promise<Client> {
    const { name, command, args, env, cwd } = this.config;
    const transport = new StdioClientTransport({
      command,
      args: [...args],
      env: { ...getDefaultEnvironment(), ...env },
      cwd,
      stderr: "pipe",
    });
    (transport.stderr as Readable | null)?.on("data", (chunk: Buffer) => {
      this.#stderr = (this.#stderr + chunk.toString("utf8")).slice(-STDERR_KEPT);
    });
    const client = new Client({ name: "toolweave", version: "1" });
    client.onclose = () => {
      if (this.#client === client) {
        this.#client = undefined;
        this.#starting = undefined;
      }
    };
    const timeoutMs = this.#options.startTimeoutMs ?? 30_000;
    const started = performance.now();
    try {
      await client.connect(transport, { timeout: timeoutMs });
      this.#tools = await listTools(client, Math.max(1, timeoutMs - (performance.now() - started)));
    } catch (error) {
      await client.close().catch(() => {});
      const why = error instanceof Error ? error.message : String(error);
      throw new McpServerError(`MCP server "${name}" (${[command, ...args].join(" ")}) did not start: ${why}${this.#stderrNote()}`, {
        cause: error,
      });
    }
    if (this.#closed) {
      await client.close();
      throw new McpServerError(`MCP server "${name}" is closed: the run that used it has ended`);
    }
    if (this.#starts++ > 0) this.#options.onRestart?.(name);
    this.#client = client;
    return client;
  }

  #stderrNote(): string {
    const tail = this.#stderr.trim().split("\n").slice(-5).join("\n    ");
    return tail === "" ? "" : `\n  its last output on stderr:\n    ${tail}`;
  }
}

/** Every tool the server lists, through its pages. */
async function listTools(client: Client, timeoutMs: number): Promise<Map<string, McpToolInfo>> {
  const tools = new Map<string, McpToolInfo>();
  let cursor: string | undefined;
  do {
    const page = await client.listTools(cursor === undefined ? undefined : { cursor }, { timeout: timeoutMs });
    for (const tool of page.tools) tools.set(tool.name, tool);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return tools;
}

/**
 * @module The MCP servers of a run: all started before it, in parallel, and their tools callable as
 * `<server>.<tool>` like any tool. If one server cannot start, the others are stopped again and the error names
 * every server that failed, with what it wrote on stderr. `close()` stops them all; `weave run --mcp` calls it when
 * the run ends, also on Ctrl-C.
 */
import { readFile } from "node:fs/promises";
import { UserErrorList } from "../../src/util/user-error.js";
import type { ToolContext, ToolFunction, Tools } from "../../src/executor/types.js";
import { closest, quoteList } from "../../src/util/closest-name.js";
import { mcpConfigOf, type McpConfig, parseMcpConfig } from "./config.js";
import { type ConnectionOptions, McpServerConnection, McpServerError, type McpToolInfo } from "./connection.js";

export interface McpServersOptions extends ConnectionOptions {
  /** Where relative `cwd`s (and servers without one) run when the config is an object. @default process.cwd() */
  readonly baseDir?: string;
  /** Where `${VAR}` is read from. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

/** A listed tool, with the server it belongs to and its name in templates. */
export interface McpTool extends McpToolInfo {
  readonly server: string;
  /** `<server>.<tool>` */
  readonly qualifiedName: string;
}

export interface McpServers extends AsyncDisposable {
  /** The servers' names, in config order. */
  readonly servers: readonly string[];
  /** Every server's tools by `<server>.<tool>`: pass them to a `WorkflowExecutor` (with your own tools, if any). */
  readonly tools: Tools;
  /** What the servers listed, in config order. */
  list(): McpTool[];
  /** How many times each server was started (more than once: it died and was started again). */
  starts(): Readonly<Record<string, number>>;
  /**
   * Names of `toolNames` that look like MCP tools (`<server>.<tool>` of a configured server) but are not listed by
   * it, each with what to use instead.
   */
  unknownTools(toolNames: Iterable<string>): string[];
  close(): Promise<void>;
}

/**
 * Starts the servers of a config: a `.mcp.json` path, or its object (`{ mcpServers: { ... } }`).
 * @throws UserErrorList a config with mistakes; McpServerError a server that could not start (all are stopped)
 */
export async function startMcpServers(config: string | McpConfig | object, options: McpServersOptions = {}): Promise<McpServers> {
  const read = await readConfig(config, options);
  const connections = read.servers.map((server) => new McpServerConnection(server, options));
  const started = await Promise.allSettled(connections.map((c) => c.start()));
  const failed = started.flatMap((s) => (s.status === "rejected" ? [s.reason as unknown] : []));
  if (failed.length > 0) {
    await Promise.all(connections.map((c) => c.close()));
    const messages = failed.map((e) => (e instanceof Error ? e.message : String(e)));
    throw new McpServerError(messages.join("\n"));
  }
  return servers(connections);
}

async function readConfig(config: string | McpConfig | object, options: McpServersOptions): Promise<McpConfig> {
  if (typeof config !== "string") {
    if ("servers" in config && Array.isArray((config as McpConfig).servers)) return config as McpConfig;
    return mcpConfigOf(config, options.baseDir ?? process.cwd(), options.env);
  }
  let text: string;
  try {
    text = await readFile(config, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserErrorList([`${config}: cannot read the MCP config: ${code === "ENOENT" ? "no such file" : String(error)}`]);
  }
  return parseMcpConfig(text.replace(/^\uFEFF/, ""), config, options.env);
}

function servers(connections: readonly McpServerConnection[]): McpServers {
  const byName = new Map(connections.map((c) => [c.config.name, c]));
  const tools: Record<string, ToolFunction> = {};
  for (const connection of connections)
    for (const name of connection.tools.keys())
      tools[`${connection.config.name}.${name}`] = (params: Record<string, unknown>, context: ToolContext) =>
        connection.call(name, params, context);
  const close = async (): Promise<void> => {
    await Promise.all(connections.map((c) => c.close()));
  };
  return {
    servers: connections.map((c) => c.config.name),
    tools,
    list: () =>
      connections.flatMap((c) =>
        [...c.tools.values()].map((t) => ({ ...t, server: c.config.name, qualifiedName: `${c.config.name}.${t.name}` })),
      ),
    starts: () => Object.fromEntries(connections.map((c) => [c.config.name, c.starts])),
    unknownTools(toolNames) {
      const problems: string[] = [];
      for (const toolName of new Set(toolNames)) {
        const dot = toolName.indexOf(".");
        const connection = dot > 0 ? byName.get(toolName.slice(0, dot)) : undefined;
        if (connection === undefined) continue;
        const tool = toolName.slice(dot + 1);
        if (connection.tools.has(tool)) continue;
        const near = closest(tool, connection.tools.keys());
        const hint =
          near === undefined ? `it has ${quoteList(connection.tools.keys())}` : `did you mean "${connection.config.name}.${near}"?`;
        problems.push(`"${toolName}": the MCP server "${connection.config.name}" has no tool "${tool}"; ${hint}`);
      }
      return problems;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

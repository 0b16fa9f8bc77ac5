/**
 * @module `weave run --mcp .mcp.json`: the MCP servers a run calls. They are all started before the run, in
 * parallel (the SDK is loaded only then: a run without `--mcp` does not pay for it), their tools join the run's as
 * `<server>.<tool>`, every step's `<server>.<tool>` is checked against what the servers list before anything runs, and
 * the servers are stopped when the run ends, whatever ended it (Ctrl-C included: the run is cancelled, then this
 * stops them).
 */
import type { McpServers } from "../../adapters/mcp/servers.js";
import type { Tools } from "../../src/executor/types.js";
import { UserError, UserErrorList } from "../../src/util/user-error.js";
import { formatDuration } from "../shared/format.js";

/** What `--mcp` gives a run: its servers' tools, and how to stop them. */
export interface RunMcp {
  readonly tools: Tools;
  /** The config file as the user typed it. */
  readonly file: string;
  close(): Promise<void>;
}

/**
 * Starts the servers of `--mcp` (nothing without it) and checks the steps' MCP tool names against them.
 * @param file the workflow file, for messages
 * @param toolNames the tools the run's steps call
 * @param quiet `--json`: no line on stderr
 * @throws UserErrorList a config with mistakes, or a step naming a tool no server has (the servers are stopped)
 */
export async function startRunMcp(
  config: string | undefined,
  file: string,
  toolNames: Iterable<string>,
  quiet: boolean,
): Promise<RunMcp | undefined> {
  if (config === undefined) return undefined;
  const { startMcpServers, McpServerError } = await import("../../adapters/mcp/index.js");
  const started = performance.now();
  let servers: McpServers;
  try {
    servers = await startMcpServers(config);
  } catch (error) {
    if (error instanceof McpServerError) throw new UserError(error.message, [`the servers are those of --mcp ${config}`]);
    throw error;
  }
  const unknown = servers.unknownTools(toolNames);
  if (unknown.length > 0) {
    await servers.close();
    throw new UserErrorList([
      ...unknown.map((line) => `${file}: ${line}`),
      "nothing was run: the MCP tools are those the servers of --mcp list",
    ]);
  }
  if (!quiet) {
    const names = servers.servers;
    process.stderr.write(
      `weave: started MCP server${names.length === 1 ? "" : "s"} ${names.join(", ")} (${Object.keys(servers.tools).length} tools) in ${formatDuration(performance.now() - started)}\n`,
    );
  }
  return { tools: servers.tools, file: config, close: () => servers.close() };
}

/** Runs `body` with the servers, and stops them after, however it ends. */
export async function withRunMcp<T>(mcp: RunMcp | undefined, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } finally {
    await mcp?.close();
  }
}

/**
 * @module `weave tools pull`: a typed tools module from a project's MCP servers, so a workflow file's steps on
 * them are typed (`files.out.` completes, a misspelt field does not compile) and the compiler and lint know them.
 */
import type { Command } from "commander";
import { UserError } from "../../src/util/user-error.js";
import { EXIT } from "../exit-codes.js";
import { reportError } from "../shared/report-error.js";
import { lockPathOf, staleness, writePulled } from "./pull.js";

interface PullCommandOptions {
  mcp: string;
  out: string;
  check?: boolean;
}

const HELP_AFTER = `
Examples:
  $ weave tools pull                                   (.mcp.json -> tools/mcp.ts and tools/mcp.lock.json)
  $ weave tools pull --mcp config/.mcp.json --out src/mcp-tools.ts
  $ weave tools pull --check                           (in CI: exit 1 when a server's tools changed)

Every server of the .mcp.json is started (as weave run --mcp starts them) and asked for its tools. The module
exports one object per server, with one tool per server tool, named <server>.<tool> as in templates:
  import { memory } from "./tools/mcp.js";
  const graph = step("graph").tool(memory.read_graph).with({});   // graph.out.entities is typed
Input and output schemas are zod, converted from the servers' JSON Schemas; descriptions become JSDoc, and what
a server says of a tool (read-only, destructive, idempotent) is noted there. A tool without an output schema
answers with text (parsed as JSON when it is JSON): its output is unknown until you tighten it with
withOutput(tool, schema, parse) from toolweave. The tools have no implementation: run the workflow with
weave run <file> --mcp .mcp.json. The lock holds a hash of each tool's schemas: --check writes nothing, and exits
1 naming each tool that changed, appeared or went since the last pull (or a module edited by hand), 0 when the
module is current. Exit codes: 0 written or current, 1 --check found differences, 2 bad usage, a config with
mistakes or a server that would not start.
`;

export function addToolsCommand(program: Command, onExit: (code: number) => void): void {
  const tools = program.command("tools").description("typed tools from MCP servers: weave tools pull");
  tools
    .command("pull")
    .description("write a typed tools module (zod schemas, JSDoc) from the tools of the MCP servers of an .mcp.json")
    .option("--mcp <file>", "the MCP servers to ask", ".mcp.json")
    .option("--out <file>", "the module to write (its lock is written beside it)", "tools/mcp.ts")
    .option("--check", "write nothing; exit 1 when the module is not what a pull would write")
    .addHelpText("after", HELP_AFTER)
    .action(async (options: PullCommandOptions) => {
      try {
        onExit(await pull(options));
      } catch (error) {
        onExit(reportError(error));
      }
    });
}

async function pull(options: PullCommandOptions): Promise<number> {
  if (!/\.(m|c)?ts$/.test(options.out)) throw new UserError(`--out must name a TypeScript module (.ts), got "${options.out}"`);
  const { startMcpServers, McpServerError } = await import("../../adapters/mcp/index.js");
  let servers: Awaited<ReturnType<typeof startMcpServers>>;
  try {
    servers = await startMcpServers(options.mcp);
  } catch (error) {
    if (error instanceof McpServerError) throw new UserError(error.message, [`the servers are those of --mcp ${options.mcp}`]);
    throw error;
  }
  const list = await (async () => {
    try {
      return servers.list();
    } finally {
      await servers.close();
    }
  })();
  const settings = { mcp: options.mcp, out: options.out };
  if (options.check) {
    const problems = await staleness(list, settings);
    if (problems.length === 0) {
      process.stdout.write(`${options.out} is current: ${list.length} tools of ${servers.servers.length} servers\n`);
      return EXIT.completed;
    }
    process.stderr.write(`${problems.join("\n")}\n${options.out} is out of date: run weave tools pull${pullArgs(options)} and commit it\n`);
    return EXIT.failed;
  }
  await writePulled(list, settings);
  process.stdout.write(`wrote ${options.out} (and ${lockPathOf(options.out)}): ${list.length} tools of ${servers.servers.join(", ")}\n`);
  return EXIT.completed;
}

const pullArgs = (options: PullCommandOptions): string =>
  `${options.mcp === ".mcp.json" ? "" : ` --mcp ${options.mcp}`}${options.out === "tools/mcp.ts" ? "" : ` --out ${options.out}`}`;

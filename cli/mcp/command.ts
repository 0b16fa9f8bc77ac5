/**
 * @module `weave mcp`: the Model Context Protocol commands. `weave mcp proxy [--log <file>] -- <server command>` wraps
 * an MCP server started over stdio and logs the tool calls its client makes, for `weave mine`.
 */
import type { Command } from "commander";
import { UserError } from "../../src/util/user-error.js";
import { reportError } from "../shared/report-error.js";
import { runProxy } from "./proxy.js";

interface ProxyCommandOptions {
  log?: string;
  name?: string;
  idleGap: number;
}

const DEFAULT_IDLE_GAP_MS = 300_000;

const GROUP_HELP_AFTER = `
Examples:
  $ weave mcp proxy --log calls.jsonl --name memory -- npx -y @modelcontextprotocol/server-memory
  $ weave mine calls.jsonl

Run weave mcp proxy --help for what the proxy logs and how a client is set up to start it.
`;

const PROXY_HELP_AFTER = `
Examples:
  $ weave mcp proxy --log calls.jsonl --name memory -- npx -y @modelcontextprotocol/server-memory
  $ weave mcp proxy --log /home/me/.weave/mcp-calls.jsonl --name files -- node server.js --root /srv/data
  $ weave mine calls.jsonl                        (the sequences of tool calls the agent keeps repeating)
  $ weave mine calls.jsonl --emit ts --pattern 1 > workflow.ts

An MCP client (an agent, an editor) is set up to start the proxy instead of the server: in .mcp.json,
  "memory": { "command": "npx", "args": ["weave", "mcp", "proxy", "--log", "/abs/calls.jsonl",
              "--name", "memory", "--", "npx", "-y", "@modelcontextprotocol/server-memory"] }
The proxy starts the server (no shell: the command and its arguments as given after --), relays the
client's messages to it and its messages back unchanged, byte for byte, and passes its stderr through.
Every tools/call the client sends is matched with the server's response by its JSON-RPC id, and appended
to the log as one line in the format weave run --log writes: the tool (<name>.<tool> with --name, as
tools are named in templates, else the tool's own name), the arguments as parameters, the result, when
the call started and how long it took, and success: false when the response is a JSON-RPC error or has
isError: true (error holds the message). A call still waiting when the client cancels it, or when the
server exits, is logged as failed. Nothing is masked: the arguments and results are logged as they are.
One proxy process is one session (a random execution id), split into a new one when a call starts more
than --idle-gap ms after the previous calls ended, so weave mine counts a session's calls together.
Several proxies may append to one log. Without --log, the proxy only relays.
Use an absolute --log path: clients start servers in a directory of their choosing.
When the client closes its end, the server's stdin is closed; SIGINT, SIGTERM and SIGHUP are passed to the
server (a second one kills it). Exit codes: the server's (128 + the signal's number when a signal ended
it), 2 bad usage, a log that cannot be written or a server that cannot be started.
`;

/** Adds the `mcp` command and its `proxy` subcommand; `onExit` receives the exit code. */
export function addMcpCommand(program: Command, onExit: (code: number) => void): void {
  const mcp = program
    .command("mcp")
    .description("Model Context Protocol: log the tool calls an agent makes to an MCP server, for weave mine")
    .addHelpText("after", GROUP_HELP_AFTER);
  mcp
    .command("proxy")
    .description("start an MCP server (stdio) and relay its client's messages to it, logging every tool call")
    .usage("[options] -- <command> [args...]")
    .argument("[command...]", "the server's command and its arguments, after --")
    .option("--log <file>", "append each tool call to this JSONL log (created with its folders), as weave run --log does")
    .option("--name <server>", "log tools as <server>.<tool>: the server's key in .mcp.json (default: the tool's own name)", serverName)
    .option(
      "--idle-gap <ms>",
      "start a new session when a call starts more than this long after the previous ones ended",
      milliseconds,
      DEFAULT_IDLE_GAP_MS,
    )
    .addHelpText("after", PROXY_HELP_AFTER)
    .action(async (words: string[], options: ProxyCommandOptions) => {
      try {
        const [command, ...args] = words;
        if (command === undefined || command === "")
          throw new UserError("no MCP server to start: give its command after --", [
            "weave mcp proxy --log calls.jsonl -- npx -y @modelcontextprotocol/server-memory",
          ]);
        const streams = { input: process.stdin, output: process.stdout, errors: process.stderr };
        onExit(await runProxy({ command, args, log: options.log, name: options.name, idleGapMs: options.idleGap }, streams));
      } catch (error) {
        onExit(reportError(error));
      }
    });
}

function serverName(text: string): string {
  if (text === "" || text.includes("."))
    throw new UserError(`--name must be a server's name without a ".", got "${text}": tools are logged as <server>.<tool>`);
  return text;
}

function milliseconds(text: string): number {
  const n = Number(text);
  if (text.trim() === "" || !(n >= 0)) throw new UserError(`--idle-gap must be a number of milliseconds (0 or more), got "${text}"`);
  return n;
}

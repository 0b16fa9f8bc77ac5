/**
 * @module `weave serve --mcp <workflows...>`: an MCP server over stdio whose tools are the given workflows (workflow
 * files and JSON templates), so an agent calls a whole tested workflow as one tool. The server itself is
 * adapters/mcp/serve; this command finds and loads the workflows, and keeps stdout for the protocol.
 */
import type { Command } from "commander";
import { NO_TIMEOUT } from "../run/options.js";
import { parseConcurrency, parseTimeout } from "../run/command.js";

export interface ServeOptions {
  mcp?: boolean;
  /** Required for .json templates; for workflow files, replaces tool implementations by name. */
  tools?: string;
  /** `--mcp-config <.mcp.json>`: MCP servers started for the served workflows' `<server>.<tool>` steps. */
  mcpConfig?: string;
  concurrency?: number;
  failFast?: boolean;
  /** Bound on each run in ms ({@link NO_TIMEOUT}: none). */
  timeout?: number;
  log?: string;
}

const HELP_AFTER = `
Examples:
  $ weave serve --mcp workflows/
  $ weave serve --mcp deploy.ts release.ts --concurrency 4
  $ weave serve --mcp deploy.json --tools ./tools.ts --timeout 10m
  $ weave serve --mcp workflows/ --log .weave/calls.jsonl

An MCP client starts it as a server over stdio; in the client's .mcp.json (or its own settings file):
  { "mcpServers": { "workflows": { "command": "npx", "args": ["weave", "serve", "--mcp", "workflows/"] } } }

Each workflow is one tool, named as the workflow (names must be unique and 1 to 128 letters, digits, "_", "."
or "-"), described by its description. Its input schema is the workflow's inputs (a DSL workflow's zod input,
a template's "inputs"); the arguments of a call are the run's variables, checked against it first (a bad one is
an isError result naming the field). A completed run answers with its outputs as structuredContent (and an
outputSchema, typed from the tools' zod output schemas where an output reads them) plus a summary as text; a
failed or cancelled run answers isError with the failed steps and their errors. When the client asks for
progress, a notification is sent as each step finishes ("build completed", progress 1 of 3). A cancelled
request cancels its run: running tools see their signal aborted.

Workflow files (.ts .mts .cts .js .mjs) are loaded as weave run loads them (bundled in memory, not type-checked
and not linted), and every workflow each exports is served; a JSON template needs --tools, as with weave run.
Directories are searched for .ts/.mts files (not .d.ts, *.test.ts or *.spec.ts, not node_modules) and JSON
templates (*.workflow.json, or any JSON object with "steps"); a file found there that exports no workflow is
skipped. stdout carries only the protocol: what tools print goes to stderr, as do weave's own messages.
The server runs until the client closes its stdin (or on Ctrl-C / SIGTERM); runs still going are cancelled.
Exit codes: 0 the connection closed (the client closed stdin, or Ctrl-C / SIGTERM), 2 bad usage or input (no
workflows, a file that exports none, two workflows with one name, a name MCP does not allow, a tool without an
implementation).
`;

/** Adds the `serve` command; `onExit` receives its exit code. */
export function addServeCommand(program: Command, onExit: (code: number) => void): void {
  program
    .command("serve")
    .description("serve workflows as the tools of an MCP server over stdio (--mcp)")
    .argument("[paths...]", "workflow files (.ts .mts .cts .js .mjs), templates (.json) or directories that hold them")
    .option("--mcp", "speak the Model Context Protocol over stdin and stdout (required: the only protocol served)")
    .option(
      "--tools <module>",
      "module whose default export maps tool names to functions (.js or .ts): required for .json templates; for workflow files, replaces their tools' run functions by name",
    )
    .option(
      "--mcp-config <file>",
      "start the MCP servers of this .mcp.json for the served workflows, whose steps call their tools as <server>.<tool>",
    )
    .option("--concurrency <n>", "most steps running at once in each run (default: unlimited)", parseConcurrency)
    .option("--fail-fast", "stop a run on its first failed step")
    .option(
      "--timeout <duration>",
      "cancel a run that takes longer than this: milliseconds (5000) or a duration (500ms, 30s, 2m, 1h30m); overrides the workflow's timeoutMs; none: no bound",
      (text: string) => parseTimeout(text) ?? NO_TIMEOUT,
    )
    .option("--log <file>", "append one JSON line per tool call of every run to this file")
    .addHelpText("after", HELP_AFTER)
    .action(async (paths: string[], options: ServeOptions) => {
      // loaded here: the MCP SDK is not loaded by the other commands
      const { serveWorkflowFiles } = await import("./serve-files.js");
      onExit(await serveWorkflowFiles(paths, options));
    });
}

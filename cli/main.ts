/** @module The `weave` command line: `bin/weave.js` and `npm run weave` both run this file. */
import { packageVersion } from "../src/util/package-info.js";
import { errorMessage } from "../src/executor/errors.js";
import { currentAttempt, trackToolCalls } from "../src/executor/stray-errors.js";
import { Command } from "commander";
import { addCompileCommand } from "./compile/command.js";
import { addGraphCommand } from "./graph/command.js";
import { addInitCommand } from "./init/command.js";
import { addLintCommand } from "./lint/command.js";
import { addLibraryCommand } from "./library/command.js";
import { addMcpCommand } from "./mcp/command.js";
import { addToolsCommand } from "./tools/command.js";
import { addMineCommand } from "./mine/command.js";
import { addMigrateCommand } from "./migrate/command.js";
import { addResumeCommand } from "./resume/command.js";
import { addRunCommand } from "./run/command.js";
import { addServeCommand } from "./serve/command.js";
import { addWorkerCommand } from "./worker/command.js";
import { reportError } from "./shared/report-error.js";
import { RUN_WHILE_LOADING } from "../dsl/run-guard.js";

const HELP_AFTER = `
Examples:
  $ weave run deploy.ts --var env=prod --report run.html
  $ weave run deploy.json --tools ./tools.ts --var env=prod --json
  $ weave lint workflows/ --format github
  $ weave compile workflows/ --out build/
  $ weave graph deploy.ts --format svg --out deploy.svg
  $ weave library search deploy kubernetes
  $ weave mine .weave/calls.jsonl --emit ts
  $ weave migrate old_workflows.json --emit ts --out workflows/
  $ weave mcp proxy --log calls.jsonl --name memory -- npx -y @modelcontextprotocol/server-memory
  $ weave run deploy.ts --run-id nightly-42     (then, after a crash: weave resume nightly-42)
  $ weave init my-workflows
  $ weave serve --mcp workflows/                (an MCP server whose tools are the workflows)

Every command has --help. Set WEAVE_DEBUG=1 to see stack traces of internal errors.
`;

/** Exits once stdout and stderr have taken everything written, even if a tool left a timer or socket open. */
function exit(code: number): void {
  process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
}

function fail(error: unknown): void {
  exit(reportError(error));
}

/**
 * A tool's stray error (a rejection nobody awaits, a throwing timer callback) fails that tool's step and the run goes
 * on; one that comes after its step finished is a warning; anything else is ours, an internal error.
 */
function onStrayError(error: unknown): void {
  // a workflow file's top-level run() that weave refused while loading it, not awaited: load-workflow-module.ts reports it
  if ((error as { code?: unknown } | null)?.code === RUN_WHILE_LOADING) return;
  const attempt = currentAttempt();
  if (attempt === undefined) return fail(error);
  if (attempt.fail(error)) return;
  process.stderr.write(
    `weave: warning: step "${attempt.stepId}" raised an error after it had finished (a promise it did not await, or a timer): ${errorMessage(error)}\n`,
  );
}

trackToolCalls();
process.on("uncaughtException", onStrayError);
process.on("unhandledRejection", onStrayError);
// `weave run ... | head`: the reader went away; nothing left to say
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  fail(error);
});

let exitCode = 0;
const program = new Command("weave")
  .description("run toolweave workflows")
  .version(packageVersion(), "-V, --version", "print the version")
  .helpOption("-h, --help", "show help")
  .exitOverride()
  .configureOutput({ outputError: (text, write) => write(text.replace(/^error: /, "weave: ")) })
  .showHelpAfterError("(run weave --help for usage)")
  .addHelpText("after", HELP_AFTER);
// settings above are inherited by the commands added below
addRunCommand(program, (code) => (exitCode = code));
addResumeCommand(program, (code) => (exitCode = code));
addWorkerCommand(program, (code) => (exitCode = code));
addCompileCommand(program, (code) => (exitCode = code));
addLintCommand(program, (code) => (exitCode = code));
addGraphCommand(program, (code) => (exitCode = code));
addInitCommand(program, (code) => (exitCode = code));
addLibraryCommand(program, (code) => (exitCode = code));
addMineCommand(program, (code) => (exitCode = code));
addMigrateCommand(program, (code) => (exitCode = code));
addMcpCommand(program, (code) => (exitCode = code));
addToolsCommand(program, (code) => (exitCode = code));
addServeCommand(program, (code) => (exitCode = code));

try {
  await program.parseAsync(process.argv);
  exit(exitCode);
} catch (error) {
  fail(error);
}

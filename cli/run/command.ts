/**
 * @module `weave run <file>`: runs a workflow file (.ts/.js, defined with toolweave's DSL) or a JSON template with
 * a tools module, and reports its progress and outcome.
 */
import { extname } from "node:path";
import type { Command } from "commander";
import { parseQueueName, parseRedisTimeout, parseRedisUrl, REDIS_TIMEOUT_HELP, withDistributedRunId } from "./distributed-run.js";
import { parseRunId } from "./durable-run.js";
import { collectEnvVar, collectName, collectVar } from "./parse-vars.js";
import { NO_TIMEOUT, type RunOptions } from "./options.js";
import { runTemplateFile } from "./run-template.js";
import { runWorkflowModuleFile } from "./run-workflow-file.js";
import { UserError } from "../../src/util/user-error.js";

export type { RunOptions } from "./options.js";

const MODULE_EXTENSIONS = [".ts", ".mts", ".cts", ".js", ".mjs"];

const HELP_AFTER = `
Examples:
  $ weave run deploy.ts --var env=prod --var replicas=3
  $ weave run workflows.ts --workflow release --vars vars.json --json > result.json
  $ weave run deploy.json --tools ./tools.ts
  $ weave run deploy.json --tools ./tools.js --var env=prod --var replicas=3
  $ weave run deploy.json --tools ./tools.ts --concurrency 4 --fail-fast --log calls.jsonl
  $ weave run examples/flaky-api.ts --report run.html
  $ weave run notes.json --mcp .mcp.json                  (steps call MCP tools as <server>.<tool>)
  $ weave run nightly.ts --run-id nightly-2024-06-01      (durable: after a crash, the same command or
                                                          weave resume nightly-2024-06-01 finishes it)

A workflow file (.ts .mts .cts .js .mjs) exports workflows made with workflow(); weave runs the one it
exports, or the one --workflow names:
  import { z } from "zod";
  import { tool, workflow } from "toolweave";

  const build = tool("build", {
    input: z.object({ tag: z.string() }),
    output: z.object({ image: z.string() }),
    run: async ({ tag }) => ({ image: \`app:\${tag}\` }),
  });

  export const deploy = workflow("deploy", { description: "Build the image", input: z.object({ tag: z.string() }) },
    ({ input, step }) => {
      const built = step("build").tool(build).with({ tag: input.tag });
      return { image: built.out.image };
    });
The file is bundled in memory with esbuild (nothing is written) and not type-checked: run tsc for that. A .ts file is
then checked statically as weave lint checks it, before it is imported: an error (a misspelt step.out.field) stops
the run before anything runs, exit 2 (a workflow the compiler cannot read statically runs unchecked). A file must
not also run its workflow at its top level (it would run twice): weave run refuses it. The
packages it imports (toolweave, zod, ...) load from node_modules as Node would load them. WEAVE_DEBUG=1 also
prints how long loading took.

A tools module (required for a .json template) default-exports an object of functions:
  export default {
    build: async (params, context) => ({ image: \`app:\${params.tag}\` }),
  };

--mcp .mcp.json starts the MCP servers it lists ({ "mcpServers": { "<name>": { "command", "args", "env" } } },
\${VAR} read from the environment) before the run, in parallel, over stdio; a step calls their tools as
<server>.<tool> (a .json template needs no --tools then). Every such name is checked against what the servers list
before anything runs. A call honours the step's timeout (sent to the server as a cancellation) and retries; a server
that died is started again on the next attempt; its progress shows on the step's line. The servers are stopped when
the run ends, also on Ctrl-C.

--var values are parsed as JSON when they are valid JSON (replicas=3 is the number 3), else kept as text.
A distributed run (--redis) of a workflow with secret inputs needs the environment variable WEAVE_PAYLOAD_KEY, set
to the same passphrase here and for every weave worker: each job's parameters, the secrets and the results then
travel encrypted, so Redis never keeps them in clear (without it, such a run is refused with exit code 2). The key
is never a flag: a command line is visible to the other users of the machine.
--timeout bounds the whole run (the template's timeoutMs, or the DSL's workflow option, is the default): when it passes,
running steps are cancelled through their signal and fail, the others are skipped, and the run ends "cancelled".
Exit codes: 0 the run completed, 1 it failed, 2 bad usage or input (workflow file, template, variables, tools module),
3 it was cancelled by its timeout (--timeout or timeoutMs), 130 it was cancelled by Ctrl-C.
`;

/** Adds the `run` command; `onExit` receives its exit code. */
export function addRunCommand(program: Command, onExit: (code: number) => void): void {
  program
    .command("run")
    .description("run a workflow file (.ts/.js), or a workflow template (.json) with the tools of a module")
    .argument("<file>", "workflow file (.ts .mts .cts .js .mjs) or template (.json, current or original snake_case format)")
    .option("--workflow <name>", "the workflow to run, when the file exports several (its name or its export's name)")
    .option(
      "--tools <module>",
      "module whose default export maps tool names to functions (.js or .ts): required for a .json template; for a workflow file, replaces its tools' run functions by name",
    )
    .option("--mcp <file>", "start the MCP servers of this .mcp.json for the run and call their tools as <server>.<tool>")
    .option("--var <name=value>", "set a variable (repeatable); the value is JSON when it parses, else text", collectVar)
    .option("--vars <file>", "JSON object of variables; --var overrides it")
    .option(
      "--env-var <name=ENV_VAR>",
      "set a variable to the value of an environment variable, as text (repeatable): keeps a secret out of the command line and shell history",
      collectEnvVar,
    )
    .option(
      "--secret <name>",
      "treat this variable as secret (repeatable), as the inputs a workflow marks secret() / writeOnly are: its value is masked in the output, the log, the report and errors, and a durable run's journal does not keep it",
      collectName,
    )
    .option("--json", "print only the execution result as JSON")
    .option("--concurrency <n>", "most steps running at once (default: unlimited)", parseConcurrency)
    .option("--fail-fast", "cancel everything on the first failed step")
    .option(
      "--timeout <duration>",
      "cancel the run when it takes longer than this: milliseconds (5000) or a duration (500ms, 30s, 2m, 1h30m); overrides the workflow's timeoutMs; none: no bound",
      (text: string) => parseTimeout(text) ?? NO_TIMEOUT,
    )
    .option("--log <file>", "append one JSON line per tool call to this file")
    .option(
      "--run-id <id>",
      "make the run durable: journal it to <runs-dir>/<id>.jsonl as it goes; when that run exists, resume it (weave resume <id>)",
      parseRunId,
    )
    .option("--runs-dir <dir>", "where durable runs keep their journals (default: .weave/runs)")
    .option(
      "--fsync",
      "with --run-id: flush the journal to disk after each batch of records (survives a power loss, not only a crash; slower)",
    )
    .option(
      "--report <file.html>",
      "write an HTML report after the run: the graph coloured by outcome, a timeline of every attempt with the critical path, a table of steps",
    )
    .option(
      "--redis <url>",
      "coordinate a distributed run: each step's tool call is a job for weave worker processes, and the run is journaled in Redis (resume with weave resume <id> --redis <url>)",
      parseRedisUrl,
    )
    .option("--queue <name>", "with --redis: the queue of step jobs, as the workers' --queue (default: steps)", parseQueueName)
    .option("--prefix <prefix>", "with --redis: the Redis key prefix of the queue and the journal (default: toolweave)")
    .option("--redis-timeout <ms>", `with --redis: ${REDIS_TIMEOUT_HELP}`, parseRedisTimeout)
    .addHelpText("after", HELP_AFTER)
    .action(async (file: string, options: RunOptions) => onExit(await runFile(file, withDistributedRunId(options))));
}

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `5000`, `500ms`, `30s`, `2m`, `1h30m`, `1.5s` → milliseconds; `none` → null (no bound, whatever the template says). */
export function parseTimeout(text: string): number | null {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === "none") return null;
  let ms: number | undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) ms = Number(trimmed);
  else if (/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(trimmed)) {
    ms = 0;
    for (const [, n, unit] of trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) ms += Number(n) * UNIT_MS[unit!]!;
  }
  if (ms === undefined || !Number.isFinite(ms) || ms < 1 || ms > 2_147_483_647) {
    throw new UserError(
      `--timeout must be a duration: milliseconds (5000) or with a unit (500ms, 30s, 2m, 1h30m), at least 1 ms, or none; got "${text}"`,
    );
  }
  return Math.round(ms);
}

/** `--concurrency`: a whole number of steps, at least 1. */
export function parseConcurrency(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UserError(`--concurrency must be a positive integer, got "${text}"`);
  return n;
}

/** By extension: a .json template, or a .ts/.js workflow file. @returns the exit code */
export async function runFile(file: string, options: RunOptions): Promise<number> {
  const extension = extname(file).toLowerCase();
  if (extension === ".json") return runTemplateFile(file, options);
  if (MODULE_EXTENSIONS.includes(extension)) return runWorkflowModuleFile(file, options);
  throw new UserError(`cannot run "${file}": expecting a workflow file (${MODULE_EXTENSIONS.join(" ")}) or a template (.json)`);
}

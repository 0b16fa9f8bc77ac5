/**
 * @module `weave resume <id>`: finishes a durable run (started with `weave run <file> --run-id <id>`) after a crash,
 * a kill, Ctrl-C or a failure. The journal's header says where the workflow came from (the file, the workflow, the
 * tools module, the directory); the file must still define the same workflow.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import { WorkflowTemplate } from "../../src/model/template.js";
import { parseQueueName, parseRedisTimeout, parseRedisUrl, REDIS_TIMEOUT_HELP } from "../run/distributed-run.js";
import { asUserError, displayPath, journalStore, parseRunId } from "../run/durable-run.js";
import { collectEnvVar, collectVar } from "../run/parse-vars.js";
import { NO_TIMEOUT, type RunOptions } from "../run/options.js";
import { parseTimeout } from "../run/command.js";
import { runTemplateFile } from "../run/run-template.js";
import { runWorkflowModuleFile } from "../run/run-workflow-file.js";
import { UserError } from "../../src/util/user-error.js";

type ResumeCommandOptions = Pick<
  RunOptions,
  | "tools"
  | "mcp"
  | "json"
  | "concurrency"
  | "failFast"
  | "timeout"
  | "log"
  | "report"
  | "runsDir"
  | "fsync"
  | "redis"
  | "queue"
  | "prefix"
  | "redisTimeout"
  | "var"
  | "vars"
  | "envVar"
>;

const HELP_AFTER = `
Examples:
  $ weave run nightly.ts --var env=prod --run-id nightly-42     (killed, or a step failed)
  $ weave resume nightly-42
  $ weave resume nightly-42 --redo-from build      (run "build" and every step after it again)

Steps that completed are not run again: their results come back from the journal (.weave/runs/<id>.jsonl).
Steps that were running when the process stopped run again, so a tool may see the same call twice: its context
carries idempotencyKey "<id>:<step>" for that. Failed steps are retried (with their retries) and skipped steps
are decided again. A run that had completed is not run: its result is printed.
A run whose failure handlers ran (a step that runs when another fails, e.g. a cleanup) is refused: the handler
may have undone what earlier steps did. --redo-from <step> resets the run to before that step: it and every step
downstream of it run again (the handlers among them), the steps before it keep their results.
The workflow must be the one the run started with (a changed file is refused, naming what changed); the
variables are the run's, except secret inputs (secret() / writeOnly, or weave run --secret), which the journal
does not keep: give them again with --env-var name=ENV_VAR (or --var). weave resume runs in the directory the run
was started in.
A distributed run (--redis) with secret inputs resumes with WEAVE_PAYLOAD_KEY set in the environment, the same
passphrase as its workers': job payloads and results travel encrypted (without it, exit code 2 before anything runs).
Exit codes: 0 the run completed, 1 it failed, 2 bad usage, no such run, a changed workflow, or a run already running,
3 it was cancelled by its timeout, 130 it was cancelled by Ctrl-C.
`;

export function addResumeCommand(program: Command, onExit: (code: number) => void): void {
  program
    .command("resume")
    .description("finish a durable run (weave run --run-id) after a crash, a kill or a failure: completed steps are not run again")
    .argument("<id>", "the run's id (--run-id of weave run)")
    .option("--runs-dir <dir>", "where the journals are (default: .weave/runs)")
    .option("--tools <module>", "a tools module to use instead of the one the run was started with")
    .option("--mcp <file>", "an .mcp.json whose servers to start instead of those the run was started with")
    .option("--json", "print only the execution result as JSON")
    .option("--concurrency <n>", "most steps running at once (default: as the run was started)", parsePositive)
    .option("--fail-fast", "cancel everything on the first failed step")
    .option(
      "--timeout <duration>",
      "cancel this session of the run when it takes longer than this (5000, 30s, 2m; none: no bound), counted from the resume; default: the workflow's timeoutMs",
      (text: string) => parseTimeout(text) ?? NO_TIMEOUT,
    )
    .option("--log <file>", "append one JSON line per tool call to this file")
    .option("--report <file.html>", "write an HTML report after the run")
    .option("--fsync", "flush the journal to disk after each batch of records")
    .option(
      "--env-var <name=ENV_VAR>",
      "the value of a secret input of the run, from an environment variable (repeatable): the journal does not keep secrets",
      collectEnvVar,
    )
    .option("--var <name=value>", "the value of a secret input of the run (repeatable); the other variables are the run's own", collectVar)
    .option("--vars <file>", "JSON object of the values of the run's secret inputs")
    .option(
      "--redo-from <step>",
      "reset the run to before this step: it and every step after it run again (needed when failure handlers ran)",
    )
    .option(
      "--redis <url>",
      "a distributed run (weave run --redis): its journal is in Redis, and its steps go to weave worker processes; jobs that finished while no coordinator ran are collected, not run again",
      parseRedisUrl,
    )
    .option("--queue <name>", "with --redis: the queue of step jobs, as the run was started with (default: steps)", parseQueueName)
    .option("--prefix <prefix>", "with --redis: the Redis key prefix (default: toolweave)")
    .option("--redis-timeout <ms>", `with --redis: ${REDIS_TIMEOUT_HELP}`, parseRedisTimeout)
    .addHelpText("after", HELP_AFTER)
    .action(async (id: string, options: ResumeCommandOptions) => onExit(await resumeRun(parseRunId(id), options)));
}

function parsePositive(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UserError(`--concurrency must be a positive integer, got "${text}"`);
  return n;
}

/** @returns the exit code */
export async function resumeRun(runId: string, options: ResumeCommandOptions): Promise<number> {
  const store = journalStore({ runId, ...options })!;
  let journal: Awaited<ReturnType<typeof store.read>>;
  try {
    journal = await store.read(runId);
  } catch (error) {
    if ((error as { code?: unknown }).code === "JOURNAL_NOT_FOUND") {
      throw new UserError(`no run "${runId}" in ${displayPath(store.dir)} (looked for ${displayPath(store.locate(runId))})`, [
        `a durable run is started with: weave run <file> --run-id ${runId}`,
        ...(options.runsDir === undefined ? ["if its journals are elsewhere, pass --runs-dir <dir>"] : []),
      ]);
    }
    throw asUserError(error) ?? error;
  }
  const origin = journal.header.origin ?? {};
  // paths the user typed are relative to here, before moving to the run's directory
  const paths = {
    ...(options.log === undefined ? {} : { log: resolve(options.log) }),
    ...(options.report === undefined ? {} : { report: resolve(options.report) }),
    ...(options.tools === undefined ? {} : { tools: resolve(options.tools) }),
    ...(options.mcp === undefined ? {} : { mcp: resolve(options.mcp) }),
    ...(options.vars === undefined ? {} : { vars: resolve(options.vars) }),
    runsDir: store.dir,
  };
  if (typeof origin.cwd === "string" && existsSync(origin.cwd)) process.chdir(origin.cwd);
  const run: RunOptions = {
    ...options,
    ...paths,
    runId,
    resume: true,
    ...(options.concurrency === undefined && typeof origin.concurrency === "number" ? { concurrency: origin.concurrency } : {}),
    ...(options.failFast === undefined && origin.failFast === true ? { failFast: true } : {}),
    // the MCP servers the run was started with (or those of --mcp)
    ...(paths.mcp === undefined && typeof origin.mcp === "string" ? { mcp: origin.mcp } : {}),
  };
  const tools = paths.tools ?? (typeof origin.tools === "string" ? origin.tools : undefined);
  if (origin.kind === "workflow-file" || origin.kind === "template") {
    const file = String(origin.file);
    if (!existsSync(file))
      throw new UserError(`run "${runId}" was started from ${file}, which no longer exists`, [
        "a durable run resumes with the workflow it started with",
      ]);
    const shown = displayPath(file);
    if (origin.kind === "template") return runTemplateFile(shown, { ...run, ...(tools === undefined ? {} : { tools }) });
    return runWorkflowModuleFile(shown, {
      ...run,
      ...(typeof origin.workflow === "string" ? { workflow: origin.workflow } : {}),
      ...(tools === undefined ? {} : { tools }),
    });
  }
  // started from code: no file to load, but the journal keeps the template
  if (tools === undefined) {
    throw new UserError(
      `run "${runId}" (workflow "${journal.header.workflow}") was started from code, so there is no workflow file to load`,
      ["pass --tools <module> to resume it with the template kept in its journal, or resume it from code: executor.resume(runId)"],
    );
  }
  return runTemplateFile(
    `${displayPath(journal.location)} (template of run "${runId}")`,
    { ...run, tools },
    WorkflowTemplate.fromJSON(journal.header.template),
  );
}

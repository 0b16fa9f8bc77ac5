/**
 * @module `weave run --run-id <id>` and `weave resume <id>`: the journal store of the CLI (`.weave/runs`, or
 * `--runs-dir`), the checks made before a run resumes (same workflow, same variables), what is said about it, and
 * journal errors as the user's errors.
 */
import { relative, resolve } from "node:path";
import { checkSameVariables, checkSameWorkflow } from "../../src/executor/durable.js";
import { RunLockedError, SecretsRequiredError } from "../../src/journal/errors.js";
import { FileJournalStore, checkRunId } from "../../src/journal/file-store.js";
import type { RedisJournalStore } from "../../adapters/redis/journal-store.js";
import { distributedJournalStore, type DistributedOptions } from "./distributed-run.js";
import { foldJournal } from "../../src/journal/restore.js";
import { analyzeTemplate } from "../../src/model/analyze.js";
import { downstreamOf, handlersThatRan, HandlersRanError, RedoStepError } from "../../src/executor/redo.js";
import type { JournalContents } from "../../src/journal/types.js";
import type { JsonValue } from "../../src/model/schema.js";
import type { WorkflowTemplate } from "../../src/model/template.js";
import { plural } from "../shared/format.js";
import { UserError } from "../../src/util/user-error.js";

export interface DurableOptions {
  /** Journal the run under this id; resume it if its journal exists. */
  runId?: string;
  /** @default .weave/runs */
  runsDir?: string;
  fsync?: boolean;
  /** Set by `weave resume`: the variables come from the journal. */
  resume?: boolean;
  /** `weave resume --redo-from <step>`: that step and every step downstream of it run again. */
  redoFrom?: string;
}

/** commander parser of `--run-id`. */
export function parseRunId(text: string): string {
  try {
    return checkRunId(text);
  } catch (error) {
    throw new UserError(`--run-id: ${(error as Error).message}`);
  }
}

/** Where the CLI keeps journals: files, or Redis for a distributed run (`--redis`). */
export type CliJournalStore = FileJournalStore | RedisJournalStore;

export function journalStore(options: DurableOptions & DistributedOptions): CliJournalStore | undefined {
  if (options.runId === undefined) return undefined;
  if (options.redis !== undefined) return distributedJournalStore(options);
  return new FileJournalStore({ ...(options.runsDir === undefined ? {} : { dir: options.runsDir }), fsync: options.fsync ?? false });
}

/** The run's journal, if it has one. @throws UserError for a journal that cannot be read */
export async function readJournalIfAny(store: CliJournalStore, runId: string): Promise<JournalContents | undefined> {
  try {
    return await store.read(runId);
  } catch (error) {
    if (codeOf(error) === "JOURNAL_NOT_FOUND") return undefined;
    throw asUserError(error) ?? error;
  }
}

const printed = new Set<string>();

/** Journal warnings (a torn last record that was dropped), each said once. */
export function warn(message: string): void {
  if (printed.has(message)) return;
  printed.add(message);
  process.stderr.write(`weave: warning: ${message}\n`);
}

/**
 * Before resuming: the same workflow (and variables, unless they come from the journal), and what is about to happen.
 * @throws UserError when the workflow or the variables changed
 */
export async function checkBeforeResume(
  store: CliJournalStore,
  journal: JournalContents,
  template: WorkflowTemplate,
  variables: Readonly<Record<string, unknown>> | undefined,
  redoFrom?: string,
): Promise<void> {
  // said before anything else (the executor takes the lock for real)
  const holder = await store.holder(journal.runId);
  if (holder !== undefined)
    throw asUserError(new RunLockedError(journal.runId, holder, store.locate(journal.runId).replace(/\.jsonl$/, ".lock")));
  for (const w of journal.warnings) warn(w);
  try {
    // sub-workflows are checked by the executor, which knows where they come from
    checkSameWorkflow({ ...journal.header, subWorkflows: {} }, template, {});
    if (variables !== undefined) checkSameVariables(journal.header, variables);
  } catch (error) {
    throw asUserError(error) ?? error;
  }
  const state = foldJournal(journal.records);
  const where = displayPath(journal.location);
  // said before the run's display starts; the executor makes the same checks when it resumes
  const analysis = analyzeTemplate(template);
  const handlers = handlersThatRan(template, analysis, state.root);
  if (redoFrom !== undefined) {
    if (!analysis.graph.indexOf.has(redoFrom))
      throw asUserError(
        new RedoStepError(
          journal.runId,
          redoFrom,
          template.steps.map((s) => s.id),
        ),
      )!;
    const steps = downstreamOf(template, analysis, redoFrom);
    const kept = handlers.filter((h) => !steps.has(h.handler));
    if (kept.length > 0) throw asUserError(new HandlersRanError(journal.runId, kept, redoFrom))!;
    const redone = template.steps.map((s) => s.id).filter((id) => steps.has(id));
    process.stderr.write(
      `weave: redoing run "${journal.runId}" from "${redoFrom}" (session ${state.sessions + 1}, journal ${where}): ${plural(redone.length, "step")} run again: ${redone.map((s) => `"${s}"`).join(", ")}\n`,
    );
    return;
  }
  if (handlers.length > 0) throw asUserError(new HandlersRanError(journal.runId, handlers))!;
  if (state.end?.status === "completed") {
    process.stderr.write(
      `weave: run "${journal.runId}" already completed (${new Date(state.end.at).toISOString()}); nothing is run again. journal: ${where}\n`,
    );
    return;
  }
  const restored = state.root.completed.size;
  const again = [...state.root.inFlight];
  // a step the run's cancellation aborted is recorded as failed with the run's reason: it did not fail on its own
  const cancelledBy = state.end?.status === "cancelled" ? state.end.error : undefined;
  const failed = [...state.root.unfinished].filter(([, u]) => u.type === "failed");
  const stopped = failed.filter(([, u]) => cancelledBy !== undefined && u.detail === cancelledBy).map(([id]) => id);
  const retried = failed.map(([id]) => id).filter((id) => !stopped.includes(id));
  const quoted = (ids: readonly string[]): string => ids.map((s) => `"${s}"`).join(", ");
  const parts = [`${restored} of ${plural(template.steps.length, "step")} done`];
  if (again.length > 0) parts.push(`running when it stopped, so run again: ${quoted(again)}`);
  if (stopped.length > 0) parts.push(`stopped when the run was cancelled (${cancelledBy}), so run again: ${quoted(stopped)}`);
  if (retried.length > 0) parts.push(`failed, so retried: ${quoted(retried)}`);
  process.stderr.write(`weave: resuming run "${journal.runId}" (session ${state.sessions + 1}, journal ${where}): ${parts.join("; ")}\n`);
}

/**
 * `weave resume`'s `--var` / `--env-var`: the values of the run's secret inputs, which its journal does not keep.
 * @throws UserError for a variable that is not a secret input of the run, or a secret input not given
 */
export function resumeSecrets(journal: JournalContents, given: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const names = journal.header.secretInputs ?? [];
  const others = Object.keys(given).filter((name) => !names.includes(name));
  if (others.length > 0) {
    throw new UserError(
      `weave resume takes the values of the run's secret inputs only${names.length > 0 ? ` (${names.map((n) => `"${n}"`).join(", ")})` : " (it has none)"}: ${others.map((n) => `"${n}"`).join(", ")} ${others.length === 1 ? "is" : "are"} not one. the other variables are the run's own, kept in its journal`,
    );
  }
  const missing = names.filter((name) => given[name] === undefined);
  if (missing.length > 0) throw asUserError(new SecretsRequiredError(journal.runId, missing))!;
  return { ...given };
}

/** Kept in the journal's header: what `weave resume` needs to load the workflow again. */
export function workflowFileOrigin(
  file: string,
  workflowName: string,
  tools: string | undefined,
  options: { concurrency?: number; failFast?: boolean; mcp?: string },
): Record<string, JsonValue> {
  return {
    kind: "workflow-file",
    file: resolve(file),
    workflow: workflowName,
    ...(tools === undefined ? {} : { tools: resolve(tools) }),
    cwd: process.cwd(),
    ...settings(options),
  };
}

export function templateOrigin(
  file: string,
  tools: string | undefined,
  options: { concurrency?: number; failFast?: boolean; mcp?: string },
): Record<string, JsonValue> {
  return {
    kind: "template",
    file: resolve(file),
    ...(tools === undefined ? {} : { tools: resolve(tools) }),
    cwd: process.cwd(),
    ...settings(options),
  };
}

/** How the run was run, for `weave resume` to run it the same way (its MCP servers included). */
function settings(options: { concurrency?: number; failFast?: boolean; mcp?: string }): Record<string, JsonValue> {
  return {
    ...(options.mcp === undefined ? {} : { mcp: resolve(options.mcp) }),
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    ...(options.failFast ? { failFast: true } : {}),
  };
}

export function displayPath(path: string): string {
  if (/^rediss?:\/\//.test(path)) return path;
  const rel = relative(process.cwd(), path);
  return rel.startsWith("..") ? path : rel;
}

function codeOf(error: unknown): string | undefined {
  const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === "string" ? code : undefined;
}

/**
 * Journal errors (from this toolweave or the copy a workflow file brought, hence by `code`) as the user's errors;
 * undefined for anything else.
 */
export function asUserError(error: unknown): UserError | undefined {
  const message = error instanceof Error ? error.message : String(error);
  switch (codeOf(error)) {
    case "JOURNAL_NOT_FOUND":
    case "JOURNAL_EXISTS":
    case "JOURNAL_CORRUPT":
    case "JOURNAL_VERSION":
    case "JOURNAL_MISMATCH":
    case "SECRET_MISMATCH":
      return new UserError(message);
    case "JOURNAL_REDO_STEP":
      return new UserError(message);
    case "SECRETS_REQUIRED": {
      const runId = (error as { runId?: unknown }).runId;
      const secrets = (error as { secrets?: unknown }).secrets;
      const names = Array.isArray(secrets) ? secrets.map(String) : ["<name>"];
      const id = typeof runId === "string" ? runId : "<run-id>";
      return new UserError(message.replace(/ give (its value|their values) again: .*$/, ""), [
        `give ${names.length === 1 ? "its value" : "their values"} again, from the environment (kept out of the command line and shell history): weave resume ${id} ${names.map((n) => `--env-var ${n}=<ENV_VAR>`).join(" ")}`,
        `or: weave resume ${id} ${names.map((n) => `--var ${n}=<value>`).join(" ")}`,
      ]);
    }
    case "JOURNAL_HANDLERS_RAN": {
      const runId = (error as { runId?: unknown }).runId;
      return new UserError(message, [`for example: weave resume ${typeof runId === "string" ? runId : "<run-id>"} --redo-from <step>`]);
    }
    case "RUN_LOCKED":
      return new UserError(message, [
        "a process that was killed does not hold its run: its lock is taken over at once (from another host, after 30 s)",
      ]);
    default:
      return undefined;
  }
}

/**
 * @module The executor's side of durable runs: the journal header of a new run, the checks before a resume (same
 * workflow, same sub-workflows, same variables), and the result of a run that had already completed.
 */
import { hostname } from "node:os";
import { JournalMismatchError, SecretMismatchError, SecretsRequiredError } from "../journal/errors.js";
import { matchesSecretCheck } from "../secrets/secret-check.js";
import { canonicalJson } from "../util/canonical-json.js";
import { describeTemplateChange, hashedTemplateJson, templateHash } from "../journal/hash.js";
import type { ResumeState } from "../journal/restore.js";
import { JOURNAL_FORMAT, type JournalHeader, type JournalRecord, type RunPath, type RunJournal } from "../journal/types.js";
import { EXECUTE_WORKFLOW } from "../model/compile-step.js";
import type { JsonValue } from "../model/schema.js";
import type { WorkflowTemplate } from "../model/template.js";
import { SecretMask, SecretValueMissingError, secretMarker } from "../secrets/mask.js";
import { unsealRecords, unsealVariables } from "../journal/sealed.js";
import type { ExecutionResult } from "./types.js";

/** What a run (or a sub-workflow run) of a durable run journals to, and what earlier sessions left. */
export interface Durable {
  readonly journal: RunJournal;
  readonly scope: RunPath | undefined;
  readonly state: ResumeState | undefined;
  readonly session: number;
}

export function makeHeader(
  runId: string,
  workflow: WorkflowTemplate,
  variables: Readonly<Record<string, unknown>>,
  origin: Record<string, JsonValue> | undefined,
  subWorkflows: Record<string, string>,
): JournalHeader {
  return {
    type: "run",
    format: JOURNAL_FORMAT,
    runId,
    workflow: workflow.name,
    templateHash: templateHash(workflow),
    template: hashedTemplateJson(workflow),
    ...(Object.keys(subWorkflows).length > 0 ? { subWorkflows } : {}),
    variables: variables as Record<string, JsonValue>,
    ...(origin ? { origin } : {}),
    createdAt: new Date().toISOString(),
  };
}

export function sessionRecord(session: number): JournalRecord {
  return { type: "session", session, pid: process.pid, host: hostname(), at: Date.now() };
}

/**
 * Hashes of the workflows that `execute_workflow` steps name with a literal string, found through `resolve`, and of
 * the ones those name, by name. (A name computed from a placeholder is checked when its sub-run starts.)
 */
export function subWorkflowHashes(
  template: WorkflowTemplate,
  resolve: (name: string) => WorkflowTemplate | undefined,
): Record<string, string> {
  const hashes: Record<string, string> = {};
  const visit = (t: WorkflowTemplate): void => {
    for (const step of t.steps) {
      const name = step.toolName === EXECUTE_WORKFLOW ? step.parameters.workflow : undefined;
      if (typeof name !== "string" || name.includes("{{") || Object.hasOwn(hashes, name)) continue;
      const sub = resolve(name);
      if (!sub) continue;
      hashes[name] = templateHash(sub);
      visit(sub);
    }
  };
  visit(template);
  return hashes;
}

/** @throws JournalMismatchError naming what changed, when `template` (or a sub-workflow) is not the one the run started with */
export function checkSameWorkflow(header: JournalHeader, template: WorkflowTemplate, subWorkflows: Record<string, string>): void {
  const changes =
    templateHash(template) === header.templateHash ? [] : describeTemplateChange(header.template, hashedTemplateJson(template));
  for (const [name, hash] of Object.entries(header.subWorkflows ?? {})) {
    if (subWorkflows[name] === undefined) changes.push(`sub-workflow "${name}" is no longer found`);
    else if (subWorkflows[name] !== hash) changes.push(`sub-workflow "${name}" changed`);
  }
  if (changes.length > 0) throw new JournalMismatchError(header.runId, changes);
}

/**
 * The secret variables' names are left out (their values may change between sessions: a rotated token), and the
 * other variables compared as the header keeps them: masked with the secrets given now.
 * @throws JournalMismatchError naming the variables that differ
 */
export function checkSameVariables(header: JournalHeader, variables: Readonly<Record<string, unknown>>): void {
  const before = header.variables as Record<string, unknown>;
  const secretNames = header.secretInputs ?? [];
  const given = JSON.parse(JSON.stringify(variables)) as Record<string, JsonValue>;
  const secrets: Record<string, unknown> = {};
  const rest: Record<string, JsonValue> = {};
  for (const [name, value] of Object.entries(given)) {
    if (secretNames.includes(name)) secrets[name] = value;
    else rest[name] = value;
  }
  const now = SecretMask.of(secrets).seal(rest).value as Record<string, unknown>;
  const changes: string[] = [];
  for (const key of new Set([...Object.keys(before), ...Object.keys(now)])) {
    const was = Object.hasOwn(before, key) ? canonicalJson(before[key]) : undefined;
    const is = Object.hasOwn(now, key) ? canonicalJson(now[key]) : undefined;
    if (was === is) continue;
    if (was === undefined) changes.push(`${key} was not set, now ${short(is!)}`);
    else if (is === undefined) changes.push(`${key} was ${short(was)}, now not set`);
    else changes.push(`${key} was ${short(was)}, now ${short(is)}`);
  }
  if (changes.length > 0) throw new JournalMismatchError(header.runId, changes, "variables");
}

const short = (text: string): string => (text.length > 80 ? `${text.slice(0, 77)}...` : text);

/** The result of a run that completed in an earlier session, rebuilt from its journal (nothing runs). */
export function completedResult(journal: RunJournal, state: ResumeState): ExecutionResult {
  const end = state.end!;
  return {
    status: end.status,
    runId: journal.runId,
    durationMs: end.durationMs,
    ...(end.error === undefined ? {} : { error: end.error }),
    completedSteps: [...state.root.completed].map(([id, s]) => ({
      id,
      durationMs: s.durationMs,
      attempts: s.attempts,
      restored: true as const,
    })),
    failedSteps: [],
    skippedSteps: [...state.root.unfinished].filter(([, u]) => u.type === "skipped").map(([id, u]) => ({ id, reason: u.detail })),
    parallelSpeedup: end.parallelSpeedup,
    outputs: { ...end.outputs },
    journal: { location: journal.location, session: state.sessions, restored: state.root.completed.size, rerun: [] },
  };
}

/** Hash check for a sub-workflow's journaled steps: restore them only if it is the workflow that ran them. */
export function subTemplateMatches(
  state: ResumeState | undefined,
  scope: RunPath,
  template: WorkflowTemplate,
): "none" | "same" | "changed" {
  const prior = state?.scope(scope)?.sub;
  if (!prior) return "none";
  return prior.templateHash === templateHash(template) ? "same" : "changed";
}

/** What a resume starts from: the run's variables and records, their secrets put back from the values given again. */
export interface UnsealedJournal {
  readonly variables: Record<string, unknown>;
  readonly records: readonly JournalRecord[];
  /** The secret variables, by name. */
  readonly secrets: Record<string, unknown>;
}

/**
 * @param given the secret inputs' values as the resume gives them (`secrets`, else from `variables`)
 * @throws SecretsRequiredError when a secret input of the run has no value, or one that lacks a field the journal needs
 */
export function unsealJournal(journal: RunJournal, given: Readonly<Record<string, unknown>>): UnsealedJournal {
  const { header } = journal;
  const names = header.secretInputs ?? [];
  const missing = names.filter((name) => !Object.hasOwn(given, name) || given[name] === undefined);
  if (missing.length > 0) throw new SecretsRequiredError(journal.runId, missing);
  if (names.length === 0) return { variables: { ...header.variables }, records: journal.records, secrets: {} };
  const secrets = Object.fromEntries(names.map((name) => [name, given[name]]));
  const checks = header.secretChecks ?? {};
  const changed = names.filter(
    (name) => checks[name] !== undefined && !matchesSecretCheck(checks[name], JSON.parse(JSON.stringify(secrets[name])) as unknown),
  );
  if (changed.length > 0) throw new SecretMismatchError(journal.runId, changed);
  try {
    return { variables: unsealVariables(header, secrets), records: unsealRecords(journal.records, secrets), secrets };
  } catch (error) {
    if (!(error instanceof SecretValueMissingError)) throw error;
    throw new SecretsRequiredError(
      journal.runId,
      [error.ref.secret],
      `the value given has no ${secretMarker(error.ref)}, which the run used`,
    );
  }
}

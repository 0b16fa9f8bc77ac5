/**
 * @module Durable runs, from the executor's side: a new one (`execute` with a journal) creates its journal, its header
 * sealed so that no secret value is written, before anything runs; a resume (`resume`) reopens one, checks that the
 * workflow, its sub-workflows and its variables are those it started with, puts its secrets back, refuses to go on
 * past failure handlers that ran unless told where to redo from (redo.ts), and runs what is left. Each starts a
 * session of the run (a `session` record), hands the run its journal through `run` (the executor's way to start any
 * run, so the run itself is started as every other) and closes the journal once the run has ended.
 *
 * The pieces (the header, the checks, the unsealing, the result of a run that had already completed) are durable.ts's.
 */
import { randomUUID } from "node:crypto";
import { FileJournalStore } from "../journal/file-store.js";
import { foldJournal } from "../journal/restore.js";
import { sealHeader, sealingJournal } from "../journal/sealed.js";
import type { JournalRecord, JournalStore, RunJournal } from "../journal/types.js";
import { WorkflowTemplate } from "../model/template.js";
import { SecretMask } from "../secrets/mask.js";
import { secretVariables } from "../secrets/secret-inputs.js";
import { WorkflowContext } from "./context.js";
import {
  checkSameVariables,
  checkSameWorkflow,
  completedResult,
  makeHeader,
  sessionRecord,
  subWorkflowHashes,
  unsealJournal,
} from "./durable.js";
import { downstreamOf, handlersThatRan, HandlersRanError, RedoStepError } from "./redo.js";
import { checkTemplate, checkTimeout } from "./run-checks.js";
import type { RunWorkflow } from "./run-settings.js";
import type { ExecuteOptions, ExecutionResult, ResumeOptions, Tools, WorkflowExecutorOptions, WorkflowResolver } from "./types.js";

/**
 * Runs `workflow` journaled to a new journal in `store`.
 * @param secrets the secret variables, by name: sealed in the header, masked in every record
 */
export async function executeDurable(
  run: RunWorkflow,
  store: JournalStore,
  workflow: WorkflowTemplate,
  context: WorkflowContext,
  tools: Tools | undefined,
  options: ExecuteOptions,
  secrets: Record<string, unknown>,
  library: WorkflowResolver | undefined,
): Promise<ExecutionResult> {
  // nothing is journaled for a run that would not start
  checkTemplate(workflow, context);
  const runId = options.runId ?? randomUUID();
  const mask = SecretMask.of(secrets);
  const header = sealHeader(
    makeHeader(
      runId,
      workflow,
      context.variables,
      options.origin,
      subWorkflowHashes(workflow, (name) => library?.get(name)),
    ),
    Object.keys(secrets),
    mask,
  );
  const journal: RunJournal = sealingJournal(await store.create(header), mask);
  try {
    await journal.append(sessionRecord(1));
    const result = await run(
      workflow,
      context,
      tools,
      { ...options, runId },
      [],
      { journal, scope: undefined, state: undefined, session: 1 },
      undefined,
      mask,
      library,
    );
    result.journal = { location: journal.location, session: 1, restored: 0, rerun: [] };
    return result;
  } finally {
    await journal.close();
  }
}

/**
 * Continues the durable run `runId` (see `WorkflowExecutor.resume`).
 * @param executor the executor's options: its `journal` is the store when `options` names none
 * @param library the executor's library: finds the sub-workflows whose hashes the journal's header holds
 */
export async function resumeDurable(
  run: RunWorkflow,
  runId: string,
  options: ResumeOptions,
  executor: WorkflowExecutorOptions,
  library: WorkflowResolver | undefined,
): Promise<ExecutionResult> {
  checkTimeout(options.timeoutMs, "ResumeOptions.timeoutMs");
  const store = options.journal ?? executor.journal ?? new FileJournalStore();
  const journal = await store.open(runId);
  try {
    const warn = options.onWarning ?? ((message: string) => process.emitWarning(message, "JournalWarning"));
    for (const warning of journal.warnings) warn(warning);
    const { header } = journal;
    const workflow = options.workflow ?? WorkflowTemplate.fromJSON(header.template);
    checkSameWorkflow(
      header,
      workflow,
      subWorkflowHashes(workflow, (name) => library?.get(name)),
    );
    if (options.variables !== undefined) checkSameVariables(header, options.variables);
    const unsealed = unsealJournal(journal, options.secrets ?? options.variables ?? {});
    let state = foldJournal(unsealed.records);
    const context = new WorkflowContext(unsealed.variables);
    const mask = SecretMask.of(secretVariables(workflow.inputs, unsealed.variables, header.secretInputs));
    const sealed = sealingJournal(journal, mask);
    if (options.redoFrom === undefined && state.end?.status === "completed") return completedResult(journal, state);
    const analysis = checkTemplate(workflow, context);
    const session = state.sessions + 1;
    const handlers = handlersThatRan(workflow, analysis, state.root);
    let redo: JournalRecord | undefined;
    if (options.redoFrom !== undefined) {
      if (!analysis.graph.indexOf.has(options.redoFrom))
        throw new RedoStepError(
          runId,
          options.redoFrom,
          workflow.steps.map((s) => s.id),
        );
      const steps = downstreamOf(workflow, analysis, options.redoFrom);
      const kept = handlers.filter((h) => !steps.has(h.handler));
      if (kept.length > 0) throw new HandlersRanError(runId, kept, options.redoFrom);
      redo = {
        type: "redo",
        from: options.redoFrom,
        steps: workflow.steps.map((s) => s.id).filter((id) => steps.has(id)),
        at: Date.now(),
      };
    } else if (handlers.length > 0) {
      throw new HandlersRanError(runId, handlers);
    }
    await sealed.append(sessionRecord(session));
    if (redo !== undefined) {
      // journaled before anything runs: a crash during the redo resumes the redo
      await sealed.append(redo);
      state = foldJournal([...unsealed.records, sessionRecord(session), redo]);
    }
    const runOptions: ExecuteOptions = { runId };
    if (options.signal) runOptions.signal = options.signal;
    if (options.timeoutMs !== undefined) runOptions.timeoutMs = options.timeoutMs;
    if (options.onEvent) runOptions.onEvent = options.onEvent;
    const result = await run(
      workflow,
      context,
      options.tools,
      runOptions,
      [],
      { journal: sealed, scope: undefined, state, session },
      undefined,
      mask,
      library,
    );
    result.journal = { location: journal.location, session, restored: state.root.completed.size, rerun: [...state.root.inFlight] };
    return result;
  } finally {
    await journal.close();
  }
}

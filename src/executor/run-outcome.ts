/**
 * @module What a run comes to. As each step finishes, its outcome is recorded wherever it is read: in the context
 * (the steps after it read its result, or its error in their conditions), in the step lists of the run's result and
 * in the events; the first failure is kept as the run's error. Once every step has finished, `end` resolves the
 * outputs and assembles the result (run-result.ts). The top-level run of a durable run writes its `end` record before
 * it hands the result back, so a result its caller has seen is one a resume finds too; and a run whose journal broke
 * has failed, whatever its steps did, since what is not journaled is not durable.
 *
 * The run (run.ts) keeps where each step is and what runs next; this keeps what is reported of them, the same way
 * whether a step completed, came back from the journal, failed, was skipped or was cancelled.
 */
import type { RestoredStep } from "../journal/restore.js";
import type { JsonValue } from "../model/schema.js";
import type { StepJournal } from "./chain/journal.js";
import { errorMessage } from "./errors.js";
import { resolveOutputs } from "./outputs.js";
import type { RunEvents } from "./run-events.js";
import { runResult, type StepLists } from "./run-result.js";
import type { RunSettings } from "./run-settings.js";
import type { ExecutionResult, ItemCounts } from "./types.js";

export class RunOutcome {
  readonly #s: RunSettings;
  readonly #events: RunEvents | undefined;
  readonly #steps: StepLists = { completedSteps: [], failedSteps: [], skippedSteps: [] };
  #firstError: string | undefined;

  constructor(settings: RunSettings, events: RunEvents | undefined) {
    this.#s = settings;
    this.#events = events;
  }

  /** A step completed in an earlier session: completed again, with its journaled result. */
  restored(id: string, step: RestoredStep): void {
    this.#s.context.setResult(id, step.result);
    this.#steps.completedSteps.push({ id, durationMs: step.durationMs, attempts: step.attempts, restored: true });
    this.#events?.stepRestored(id, step.attempts, step.durationMs);
  }

  /** @param items a map step's */
  completed(id: string, value: unknown, attempts: number, durationMs: number, time: number, items?: ItemCounts): void {
    this.#s.context.setResult(id, value);
    this.#steps.completedSteps.push(items === undefined ? { id, durationMs, attempts } : { id, durationMs, attempts, items });
    this.#events?.stepCompleted(id, attempts, durationMs, time);
  }

  /**
   * @param failure why: the error of its last attempt, a `ConditionError`, ... (shown here, its secrets masked)
   * @param partial the partial result the step's tool failed with (a `ToolError`'s), as JSON
   * @param items a map step's, once its list was resolved
   * @returns the failure's message, masked
   */
  failed(
    id: string,
    failure: unknown,
    partial: { readonly value: JsonValue } | undefined,
    attempts: number,
    durationMs: number,
    items?: ItemCounts,
  ): string {
    // a tool's, a condition's or a placeholder's error may quote a value
    const message = this.#s.mask.text(errorMessage(failure));
    this.#s.context.setError(id, message, partial === undefined ? {} : { result: partial.value });
    this.#steps.failedSteps.push({
      id,
      error: message,
      attempts,
      durationMs,
      ...(partial === undefined ? {} : { result: partial.value }),
      ...(items === undefined ? {} : { items }),
    });
    this.#firstError ??= `step "${id}" failed: ${message}`;
    this.#events?.stepFailed(id, attempts, durationMs, message);
    return message;
  }

  /** @returns the reason, masked */
  skipped(id: string, why: string): string {
    const reason = this.#s.mask.text(why);
    this.#s.context.setSkipped(id, reason);
    this.#steps.skippedSteps.push({ id, reason });
    this.#events?.stepSkipped(id, reason);
    return reason;
  }

  /** The run was cancelled: that is its error, unless a step had failed before. */
  cancelled(reason: string): void {
    this.#firstError ??= reason;
  }

  /**
   * Every step has finished: hands the run's result to `resolve`, at once or, for a durable run's top-level run, once
   * its `end` record is written.
   * @param startTime when the run started (`performance.now()`)
   * @param cancelledBy why the run was cancelled (its signal, its timeout), if it was
   */
  end(
    startTime: number,
    cancelledBy: string | undefined,
    journal: StepJournal | undefined,
    resolve: (result: ExecutionResult) => void,
  ): void {
    const { context, analysis, runId, mask } = this.#s;
    const outputs = resolveOutputs(analysis.outputs, context);
    if (outputs.error) this.#firstError ??= mask.text(outputs.error);
    const durationMs = performance.now() - startTime;
    const result = runResult(this.#steps, { runId, durationMs, outputs: outputs.values, cancelledBy, firstError: this.#firstError });
    if (!this.#s.durable?.root || journal === undefined || journal.error !== undefined) return this.#handBack(result, journal, resolve);
    const { status, parallelSpeedup, error } = result;
    const end = { status, durationMs, parallelSpeedup, outputs: outputs.values as never, ...(error === undefined ? {} : { error }) };
    void journal.end(end).then(() => this.#handBack(result, journal, resolve));
  }

  #handBack(result: ExecutionResult, journal: StepJournal | undefined, resolve: (result: ExecutionResult) => void): void {
    const journalError = journal?.error;
    if (journalError !== undefined && result.status === "completed") {
      result.status = "failed";
      result.error = this.#s.mask.text(errorMessage(journalError));
    }
    this.#events?.runFinished(result.status, result.durationMs);
    resolve(result);
  }
}

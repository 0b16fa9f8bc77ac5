/**
 * @module What a run tells its `onEvent` listener as it goes: that it started (and, resumed, what it restored), each
 * attempt and retry, each step that finished or was skipped, and how it ended. A run holds one only when somebody
 * listens and calls it as `events?.…`, so a run without a listener builds no event, nor the arguments of one.
 *
 * A listener that throws must not leave the run half-updated (a step counted but never released): its error is
 * rethrown in a microtask of its own, which surfaces it the way an EventEmitter would.
 */
import type { RunDurability } from "./run-settings.js";
import type { SecretMask } from "../secrets/mask.js";
import type { AttemptRun } from "./chain/attempt-call.js";
import type { ExecutionEvent, ExecutionStatus, ItemOf, ItemStatus } from "./types.js";

export class RunEvents {
  readonly #listener: (event: ExecutionEvent) => void;
  readonly #runId: string;
  readonly #workflow: string;

  constructor(listener: (event: ExecutionEvent) => void, runId: string, workflow: string) {
    this.#listener = listener;
    this.#runId = runId;
    this.#workflow = workflow;
  }

  /** @param durable a resumed run's top-level run reports what came back from its journal */
  runStarted(steps: number, time: number, durable: RunDurability | undefined): void {
    const event: ExecutionEvent = { type: "run_started", runId: this.#runId, workflow: this.#workflow, steps, time };
    if (durable?.restored && durable.root)
      event.resumed = { session: durable.session, restored: durable.restored.completed.size, inFlight: [...durable.restored.inFlight] };
    this.#emit(event);
  }

  /** @param item for an attempt of a map step's item: which */
  stepStarted(stepId: string, toolName: string, attempt: number, time: number, item?: ItemOf): void {
    const event: ExecutionEvent = { type: "step_started", runId: this.#runId, stepId, toolName, attempt, time };
    if (item !== undefined) event.item = item;
    this.#emit(event);
  }

  /** What the run's tools report their progress through: `step_progress` events, their messages masked (a tool may
   * quote what it was given). */
  progressOf(mask: SecretMask): NonNullable<AttemptRun["progress"]> {
    return (stepId, attempt, update, item) => {
      const event: ExecutionEvent = {
        type: "step_progress",
        runId: this.#runId,
        stepId,
        attempt,
        progress: update.progress,
        time: performance.now(),
      };
      if (update.total !== undefined) event.total = update.total;
      if (update.message !== undefined) event.message = mask.text(update.message);
      if (item !== undefined) event.item = item;
      this.#emit(event);
    };
  }

  /** @param error masked already */
  itemFinished(
    stepId: string,
    index: number,
    count: number,
    status: ItemStatus,
    attempts: number,
    durationMs: number,
    error?: string,
  ): void {
    const event: ExecutionEvent = {
      type: "item_finished",
      runId: this.#runId,
      stepId,
      item: { index, count },
      status,
      attempts,
      durationMs,
      time: performance.now(),
    };
    if (error !== undefined) event.error = error;
    this.#emit(event);
  }

  /** A step completed in an earlier session: its result came back from the journal. */
  stepRestored(stepId: string, attempts: number, durationMs: number): void {
    this.#emit({
      type: "step_finished",
      runId: this.#runId,
      stepId,
      status: "completed",
      attempts,
      durationMs,
      time: performance.now(),
      restored: true,
    });
  }

  stepCompleted(stepId: string, attempts: number, durationMs: number, time: number): void {
    this.#emit({ type: "step_finished", runId: this.#runId, stepId, status: "completed", attempts, durationMs, time });
  }

  /**
   * @param error masked already: a tool's error may quote what it was given
   * @param item for an attempt of a map step's item: which
   */
  stepRetried(stepId: string, attempt: number, error: string, delayMs: number, item?: ItemOf): void {
    const event: ExecutionEvent = { type: "step_retried", runId: this.#runId, stepId, attempt, error, delayMs, time: performance.now() };
    if (item !== undefined) event.item = item;
    this.#emit(event);
  }

  /** @param error masked already */
  stepFailed(stepId: string, attempts: number, durationMs: number, error: string): void {
    this.#emit({
      type: "step_finished",
      runId: this.#runId,
      stepId,
      status: "failed",
      attempts,
      durationMs,
      error,
      time: performance.now(),
    });
  }

  stepSkipped(stepId: string, reason: string): void {
    this.#emit({ type: "step_skipped", runId: this.#runId, stepId, reason, time: performance.now() });
  }

  runFinished(status: ExecutionStatus, durationMs: number): void {
    this.#emit({ type: "run_finished", runId: this.#runId, workflow: this.#workflow, status, durationMs, time: performance.now() });
  }

  #emit(event: ExecutionEvent): void {
    const listener = this.#listener;
    try {
      listener(event);
    } catch (error) {
      queueMicrotask(() => {
        throw error;
      });
    }
  }
}

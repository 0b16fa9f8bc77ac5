/**
 * @module The state of every step of one run, kept up to date from the executor's events. The live display and
 * the plain lines both render from it.
 */
import type { ExecutionEvent } from "../../../src/executor/types.js";
import type { WorkflowTemplate } from "../../../src/model/template.js";

export type StepStatus = "pending" | "running" | "retrying" | "completed" | "failed" | "skipped";

export interface StepView {
  readonly id: string;
  readonly toolName: string;
  status: StepStatus;
  /** Attempts started so far. */
  attempts: number;
  /** `performance.now()` when the first attempt started. */
  startedAt?: number;
  /** Set when finished. */
  durationMs?: number;
  /** The error of a failed step or attempt, or why a step was skipped. */
  detail?: string;
  /** Delay before the next attempt of a retrying step. */
  retryDelayMs?: number;
  /** Completed in an earlier session of a resumed run (its result came from the journal). */
  restored?: boolean;
  /** The attempts that failed and were retried, in order: what the live display showed while it waited. */
  retries?: { attempt: number; error: string }[];
}

export class RunProgress {
  readonly steps: readonly StepView[];
  readonly #byId: ReadonlyMap<string, StepView>;

  /** @param runId events of other runs (sub-workflows started by `execute_workflow`) are ignored */
  constructor(
    template: WorkflowTemplate,
    readonly runId: string,
  ) {
    this.steps = template.steps.map((s) => ({ id: s.id, toolName: s.toolName, status: "pending", attempts: 0 }));
    this.#byId = new Map(this.steps.map((s) => [s.id, s]));
  }

  /** @returns the step the event changed, if any */
  apply(event: ExecutionEvent): StepView | undefined {
    if (event.runId !== this.runId || !("stepId" in event)) return undefined;
    const step = this.#byId.get(event.stepId);
    if (!step) return undefined;
    switch (event.type) {
      case "step_started":
        step.status = "running";
        step.attempts = event.attempt;
        step.startedAt ??= event.time;
        break;
      case "step_retried":
        step.status = "retrying";
        step.detail = event.error;
        step.retryDelayMs = event.delayMs;
        (step.retries ??= []).push({ attempt: event.attempt, error: event.error });
        break;
      case "step_finished":
        step.status = event.status;
        step.attempts = event.attempts;
        step.durationMs = event.durationMs;
        step.detail = event.error;
        if (event.restored) step.restored = true;
        break;
      case "step_skipped":
        step.status = "skipped";
        step.detail = event.reason;
        break;
    }
    return step;
  }
}

export function countByStatus(steps: readonly StepView[]): Record<StepStatus, number> {
  const counts: Record<StepStatus, number> = { pending: 0, running: 0, retrying: 0, completed: 0, failed: 0, skipped: 0 };
  for (const s of steps) counts[s.status]++;
  return counts;
}

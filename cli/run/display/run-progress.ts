/**
 * @module The state of every step of one run, kept up to date from the executor's events. The live display and
 * the plain lines both render from it. A map step is one step here too: its items' events count in `items`.
 */
import type { ExecutionEvent } from "../../../src/executor/types.js";
import type { WorkflowTemplate } from "../../../src/model/template.js";
import { applyItemEvent, emptyItems, type ItemProgress } from "./item-progress.js";

/**
 * Retried attempts kept per map step, for the lines under the summary: its list may be long, and the first few say
 * what went wrong; the rest are counted.
 */
export const MAX_ITEM_RETRIES_KEPT = 10;

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
  /**
   * The attempts that failed and were retried, in order: what the live display showed while it waited. For a map
   * step, its items' (`item` set), the first {@link MAX_ITEM_RETRIES_KEPT} of them.
   */
  retries?: { attempt: number; error: string; item?: number }[];
  /** Retried attempts of a map step's items beyond those kept in `retries`. */
  retriesNotKept?: number;
  /** Set for a map step (`forEach`): how its items are doing. */
  items?: ItemProgress;
  /** What the running attempt's tool last reported of its progress (cleared when another attempt starts). */
  progress?: { progress: number; total?: number; message?: string };
}

export class RunProgress {
  readonly steps: readonly StepView[];
  readonly #byId: ReadonlyMap<string, StepView>;

  /** @param runId events of other runs (sub-workflows started by `execute_workflow`) are ignored */
  constructor(
    template: WorkflowTemplate,
    readonly runId: string,
  ) {
    this.steps = template.steps.map(
      (s): StepView => ({
        id: s.id,
        toolName: s.toolName,
        status: "pending",
        attempts: 0,
        ...(s.forEach === undefined ? {} : { items: emptyItems() }),
      }),
    );
    this.#byId = new Map(this.steps.map((s) => [s.id, s]));
  }

  /** @returns the step the event changed, if any */
  apply(event: ExecutionEvent): StepView | undefined {
    if (event.runId !== this.runId || !("stepId" in event)) return undefined;
    const step = this.#byId.get(event.stepId);
    if (!step) return undefined;
    if ((event.type === "step_started" || event.type === "step_retried") && event.item !== undefined) return itemEvent(step, event);
    switch (event.type) {
      case "step_progress":
        // a map step's items report at once: its line counts items instead
        if (event.item !== undefined || event.attempt !== step.attempts) return undefined;
        step.progress = {
          progress: event.progress,
          ...(event.total === undefined ? {} : { total: event.total }),
          ...(event.message === undefined ? {} : { message: event.message }),
        };
        break;
      case "item_finished":
        applyItemEvent((step.items ??= emptyItems()), event);
        break;
      case "step_started":
        step.status = "running";
        delete step.progress;
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
        if (step.items) {
          step.items.active.clear();
          // an empty list sends no item event
          if (event.status === "completed") step.items.count ??= 0;
        }
        break;
      case "step_skipped":
        step.status = "skipped";
        step.detail = event.reason;
        break;
    }
    return step;
  }
}

/** An attempt of a map step's item started or was retried: the step runs while any of its items does. */
function itemEvent(step: StepView, event: Extract<ExecutionEvent, { type: "step_started" | "step_retried" }>): StepView {
  applyItemEvent((step.items ??= emptyItems()), event);
  if (event.type === "step_started") {
    step.status = "running";
    step.attempts++;
    step.startedAt ??= event.time;
  } else if ((step.retries ??= []).length < MAX_ITEM_RETRIES_KEPT) {
    step.retries.push({ attempt: event.attempt, error: event.error, item: event.item!.index });
  } else {
    step.retriesNotKept = (step.retriesNotKept ?? 0) + 1;
  }
  return step;
}

export function countByStatus(steps: readonly StepView[]): Record<StepStatus, number> {
  const counts: Record<StepStatus, number> = { pending: 0, running: 0, retrying: 0, completed: 0, failed: 0, skipped: 0 };
  for (const s of steps) counts[s.status]++;
  return counts;
}

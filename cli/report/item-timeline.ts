/**
 * @module The items of a map step on the run's timeline, rebuilt from their events: the attempts of each item
 * (`step_started` and `step_retried` carry the item), and how it settled (`item_finished`). Several items run at
 * once, so each item keeps its own open attempt. An item still running when its step finished (the run was
 * cancelled, or `failFast` stopped it at another item's failure) is reported `stopped` by the executor; one that
 * never settled at all (an event log cut short) is closed at the step's end, as stopped too.
 */
import type { ExecutionEvent } from "../../src/executor/types.js";

/** One attempt of a step or of an item: milliseconds from the run's start. */
export interface AttemptSpan {
  /** 1-based. */
  readonly attempt: number;
  readonly start: number;
  readonly end: number;
  readonly outcome: "completed" | "failed";
  readonly error?: string;
  /** The wait the executor planned before the next attempt (a failed attempt that was retried). */
  readonly retryDelayMs?: number;
}

/** `stopped`: it was running when its step ended. */
export type ItemOutcome = "completed" | "failed" | "skipped" | "stopped";

export interface ItemTimeline {
  /** Its index in the step's list. */
  readonly index: number;
  readonly status: ItemOutcome;
  readonly attempts: readonly AttemptSpan[];
  /** When its first attempt started, or when it settled without one (skipped, or failed resolving its parameters). */
  readonly start: number;
  readonly end: number;
  /** First attempt's start to the end, retries included (the executor's figure). */
  readonly durationMs?: number;
  readonly error?: string;
}

interface OpenAttempt {
  attempt: number;
  start: number;
  end?: number;
  outcome?: "completed" | "failed";
  error?: string;
  retryDelayMs?: number;
}

interface BuildingItem {
  status?: ItemOutcome;
  attempts: OpenAttempt[];
  start?: number;
  end?: number;
  durationMs?: number;
  error?: string;
}

type ItemEvent = Extract<ExecutionEvent, { type: "step_started" | "step_retried" | "item_finished" }>;

/** The items of one map step, as their events arrive. */
export class ItemTimelines {
  readonly #items = new Map<number, BuildingItem>();
  /** The list's length, from the items' events. */
  count: number | undefined;

  /** @param at the event's time from the run's start */
  apply(event: ItemEvent, at: number): void {
    const index = event.item!.index;
    const item = this.#items.get(index) ?? this.#items.set(index, { attempts: [] }).get(index)!;
    const open = item.attempts.at(-1)?.end === undefined ? item.attempts.at(-1) : undefined;
    switch (event.type) {
      case "step_started":
        this.count = event.item!.count;
        item.attempts.push({ attempt: event.attempt, start: at });
        item.start ??= at;
        break;
      case "step_retried":
        if (open) Object.assign(open, { end: at, outcome: "failed", error: event.error, retryDelayMs: event.delayMs });
        break;
      case "item_finished":
        this.count = event.item.count;
        if (open && event.status !== "skipped")
          Object.assign(open, {
            end: at,
            outcome: event.status === "completed" ? "completed" : "failed",
            ...(event.error === undefined ? {} : { error: event.error }),
          });
        Object.assign(item, { status: event.status, end: at, durationMs: event.durationMs, start: item.start ?? at - event.durationMs });
        if (event.error !== undefined) item.error = event.error;
        break;
    }
  }

  /**
   * The items in index order.
   * @param end when the step ended (or the run, when it did not): where an item that never settled stops
   */
  build(end: number): ItemTimeline[] {
    return [...this.#items]
      .sort(([a], [b]) => a - b)
      .map(([index, b]): ItemTimeline => {
        const stop = b.end ?? Math.max(end, b.start ?? end);
        return {
          index,
          status: b.status ?? "stopped",
          attempts: closeAttempts(b.attempts, stop),
          start: b.start ?? stop,
          end: stop,
          ...(b.durationMs === undefined ? {} : { durationMs: b.durationMs }),
          ...(b.error === undefined ? {} : { error: b.error }),
        };
      });
  }
}

/** Attempts as spans; one still open (its item, step or run stopped) is drawn up to `end`, as failed. */
export function closeAttempts(attempts: readonly OpenAttempt[], end: number): AttemptSpan[] {
  return attempts.map((a) => ({
    attempt: a.attempt,
    start: a.start,
    end: a.end ?? end,
    outcome: a.outcome ?? "failed",
    ...(a.error === undefined ? {} : { error: a.error }),
    ...(a.retryDelayMs === undefined ? {} : { retryDelayMs: a.retryDelayMs }),
  }));
}

/** How many of each outcome, for a step's note and the steps table. */
export function countItems(items: readonly ItemTimeline[]): Record<ItemOutcome, number> {
  const counts: Record<ItemOutcome, number> = { completed: 0, failed: 0, skipped: 0, stopped: 0 };
  for (const item of items) counts[item.status]++;
  return counts;
}

/** `4 items: 3 completed, 1 failed`; items that never started (a stopped run) are `not started`. */
export function itemsSummary(items: readonly ItemTimeline[], count: number): string {
  const counts = countItems(items);
  const parts = (["completed", "failed", "skipped", "stopped"] as const).filter((k) => counts[k] > 0).map((k) => `${counts[k]} ${k}`);
  const notStarted = count - items.length;
  if (notStarted > 0) parts.push(`${notStarted} not started`);
  return `${count} item${count === 1 ? "" : "s"}${parts.length > 0 ? `: ${parts.join(", ")}` : ""}`;
}

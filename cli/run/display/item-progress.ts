/**
 * @module The items of a map step as the display counts them: how many of how many have settled, and how. A map
 * step is one line however long its list; its items' events (several `step_started` at once, `step_retried` with an
 * item, `item_finished`) only move these counts. What is kept is bounded by the items running, not by the list.
 */
import type { ExecutionEvent } from "../../../src/executor/types.js";
import { plural } from "../../shared/format.js";

export interface ItemProgress {
  /** The list's length, known from the first item's event (an empty list sends none: 0 once the step completed). */
  count?: number;
  completed: number;
  failed: number;
  skipped: number;
  /** Items that were running when their step stopped (under `failFast`, or a cancellation). */
  stopped: number;
  /** Attempts of items that failed and were retried. */
  retried: number;
  /** Items started and not settled, by index. */
  readonly active: Map<number, "running" | "retrying">;
}

export const emptyItems = (): ItemProgress => ({ completed: 0, failed: 0, skipped: 0, stopped: 0, retried: 0, active: new Map() });

/** Items that have completed, failed, been skipped or stopped. */
export const settledItems = (items: ItemProgress): number => items.completed + items.failed + items.skipped + items.stopped;

type ItemEvent = Extract<ExecutionEvent, { type: "step_started" | "item_finished" }> | Extract<ExecutionEvent, { type: "step_retried" }>;

/** Counts one event of an item; `step_retried` must carry its item. */
export function applyItemEvent(items: ItemProgress, event: ItemEvent): void {
  switch (event.type) {
    case "step_started":
      items.count = event.item!.count;
      items.active.set(event.item!.index, "running");
      break;
    case "step_retried":
      items.retried++;
      items.active.set(event.item!.index, "retrying");
      break;
    case "item_finished":
      items.count = event.item.count;
      items.active.delete(event.item.index);
      items[event.status]++;
      break;
  }
}

/** `[3/10]`: items settled of the list's length; empty while the length is unknown. */
export function itemTag(items: ItemProgress): string {
  return items.count === undefined ? "" : `[${settledItems(items)}/${items.count}]`;
}

/** What a running map step's line says after its tag: `2 running, 1 retrying, 1 failed`. */
export function runningItemsNote(items: ItemProgress): string {
  let running = 0;
  for (const state of items.active.values()) if (state === "running") running++;
  const retrying = items.active.size - running;
  const parts: string[] = [];
  if (running > 0) parts.push(`${running} running`);
  if (retrying > 0) parts.push(`${retrying} retrying`);
  if (items.failed > 0) parts.push(`${items.failed} failed`);
  if (items.skipped > 0) parts.push(`${items.skipped} skipped`);
  return parts.join(", ");
}

/** What a finished map step's line adds: `1 skipped, 2 stopped, 3 retries` (the failures are in its error). */
export function finishedItemsNote(items: ItemProgress): string {
  const parts: string[] = [];
  if (items.skipped > 0) parts.push(`${items.skipped} skipped`);
  if (items.stopped > 0) parts.push(`${items.stopped} stopped`);
  if (items.retried > 0) parts.push(items.retried === 1 ? "1 retry" : `${items.retried} retries`);
  return parts.join(", ");
}

/** `4 items`, `4 items (1 skipped)`: a completed map step in the summary table. */
export function itemsSummary(items: ItemProgress): string {
  const count = items.count ?? 0;
  return `${plural(count, "item")}${items.skipped > 0 ? ` (${items.skipped} skipped)` : ""}`;
}

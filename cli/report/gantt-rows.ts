/**
 * @module The rows of the timeline, top to bottom: steps by when they started, each map step followed by rows of
 * its items. A list may hold thousands of items, so at most {@link MAX_ITEM_ROWS} are drawn: those that went wrong
 * (failed, stopped or retried) first, then the first by index, all in index order; a last row counts the others.
 */
import type { ItemTimeline, StepTimeline } from "./timeline.js";

/** Most item rows drawn under one map step. */
export const MAX_ITEM_ROWS = 30;

export const STEP_ROW = 30;
/** Items are slimmer than steps: they read as parts of the step above them. */
export const ITEM_ROW = 20;

interface Placed {
  /** Top of the row, from the top of the rows. */
  readonly y: number;
  readonly height: number;
  /** Rows of one step (its items too) share a background, alternating from step to step. */
  readonly odd: boolean;
}

export type GanttRow = Placed &
  (
    | { readonly kind: "step"; readonly step: StepTimeline }
    | { readonly kind: "item"; readonly step: StepTimeline; readonly item: ItemTimeline }
    /** Items not drawn: those left out, and those that never started (the run stopped first). */
    | { readonly kind: "more"; readonly step: StepTimeline; readonly hidden: readonly ItemTimeline[]; readonly notStarted: number }
  );

export function layOutRows(steps: readonly StepTimeline[], maxItems = MAX_ITEM_ROWS): GanttRow[] {
  const rows: GanttRow[] = [];
  let y = 0;
  orderRows(steps).forEach((step, i) => {
    const odd = i % 2 === 1;
    rows.push({ kind: "step", step, y, height: STEP_ROW, odd });
    y += STEP_ROW;
    if (step.items === undefined) return;
    const { shown, hidden } = chooseItems(step.items, maxItems);
    for (const item of shown) {
      rows.push({ kind: "item", step, item, y, height: ITEM_ROW, odd });
      y += ITEM_ROW;
    }
    const notStarted = Math.max(0, (step.itemCount ?? 0) - step.items.length);
    if (hidden.length > 0 || notStarted > 0) {
      rows.push({ kind: "more", step, hidden, notStarted, y, height: ITEM_ROW, odd });
      y += ITEM_ROW;
    }
  });
  return rows;
}

/** The items worth a row: those that went wrong first, then by index; both lists in index order. */
export function chooseItems(items: readonly ItemTimeline[], max: number): { shown: ItemTimeline[]; hidden: ItemTimeline[] } {
  if (items.length <= max) return { shown: [...items], hidden: [] };
  const wrong = (item: ItemTimeline): boolean => item.status === "failed" || item.status === "stopped" || item.attempts.length > 1;
  const chosen = new Set(items.filter(wrong).slice(0, max));
  for (const item of items) {
    if (chosen.size >= max) break;
    chosen.add(item);
  }
  return { shown: items.filter((i) => chosen.has(i)), hidden: items.filter((i) => !chosen.has(i)) };
}

/** Steps by when they started (or were skipped); those never reached last, in template order. */
function orderRows(steps: readonly StepTimeline[]): StepTimeline[] {
  return [...steps].sort((a, b) => {
    if (a.start === undefined || b.start === undefined) return a.start === b.start ? a.index - b.index : a.start === undefined ? 1 : -1;
    return a.start - b.start || a.index - b.index;
  });
}

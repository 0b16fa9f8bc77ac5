/**
 * @module Progress for logs and pipes: one appended line per finished, skipped or retried step. A map step stays
 * one step: its line comes when it finishes, with a progress line each tenth of its items, and a line for each
 * failed or retried item (`✖ deploy  deploy  12 ms  item 2 failed: ...`), the first {@link MAX_ITEM_LINES} of them;
 * so a list of 10,000 items writes a few dozen lines, not 10,000.
 */
import type { ExecutionEvent } from "../../../src/executor/types.js";
import type { Palette } from "../../shared/color.js";
import { settledItems } from "./item-progress.js";
import type { RunProgress, StepView } from "./run-progress.js";
import { columnWidths, formatItemLine, formatStepLine, type ItemLine } from "./step-line.js";

/** Lines for failed or retried items per map step; the rest are counted on the step's own lines. */
export const MAX_ITEM_LINES = 20;

/** A progress line each time this fraction of a map step's items more has settled. */
const PROGRESS_STEPS = 10;

/** @returns an event handler that applies events to `progress` and writes the lines */
export function plainProgress(progress: RunProgress, write: (text: string) => void, palette: Palette): (event: ExecutionEvent) => void {
  const widths = columnWidths(progress.steps);
  /** Per map step: item lines written, and the last tenth of its items reported. */
  const written = new Map<string, { lines: number; tenth: number }>();
  const line = (step: StepView, time: number): void => write(`${formatStepLine(step, { widths, palette, now: time })}\n`);
  return (event) => {
    const step = progress.apply(event);
    if (!step) return;
    if (event.type === "item_finished" || ((event.type === "step_started" || event.type === "step_retried") && event.item !== undefined)) {
      const seen = written.get(step.id) ?? written.set(step.id, { lines: 0, tenth: 0 }).get(step.id)!;
      const item = itemLine(event);
      if (item !== undefined && seen.lines <= MAX_ITEM_LINES) {
        seen.lines++;
        if (seen.lines <= MAX_ITEM_LINES) write(`${formatItemLine(step, item, { widths, palette, now: event.time })}\n`);
        else write(`${palette.dim(`  … more failed or retried items of ${step.id}: counted on its line, not listed`)}\n`);
      }
      const tenth = progressTenth(step);
      if (tenth > seen.tenth) {
        seen.tenth = tenth;
        line(step, event.time);
      }
      return;
    }
    // a line per start or progress report would bury the outcomes in a log: the live display shows those
    if (event.type === "step_started" || event.type === "step_progress") return;
    line(step, event.time);
  };
}

/** An item that failed, or an attempt of one that is retried: worth a line of its own. */
function itemLine(event: ExecutionEvent): ItemLine | undefined {
  if (event.type === "step_retried")
    return { index: event.item!.index, status: "retrying", attempts: event.attempt, error: event.error, retryDelayMs: event.delayMs };
  if (event.type === "item_finished" && event.status === "failed")
    return { index: event.item.index, status: "failed", attempts: event.attempts, error: event.error ?? "", durationMs: event.durationMs };
  return undefined;
}

/** How many tenths of a running map step's items have settled (the last one: its finished line says it). */
function progressTenth(step: StepView): number {
  const items = step.items!;
  const settled = settledItems(items);
  if (step.status !== "running" || items.count === undefined || settled >= items.count) return 0;
  return Math.floor((settled * PROGRESS_STEPS) / items.count);
}

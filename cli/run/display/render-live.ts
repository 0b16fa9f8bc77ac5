/**
 * @module The block of lines the live display shows, as a pure function of the step states: one line per step,
 * or, when that would not fit the terminal, the running steps and a line of counts.
 */
import type { Palette } from "../../shared/color.js";
import { truncate } from "../../shared/format.js";
import { countByStatus, type StepView } from "./run-progress.js";
import { columnWidths, formatStepLine, SYMBOLS } from "./step-line.js";

export interface LiveRenderOptions {
  palette: Palette;
  /** `performance.now()`. */
  now: number;
  frame: number;
  /** Terminal size. */
  rows: number;
  columns: number;
  /** Shown below the steps (e.g. "cancelling…"). */
  notice?: string;
}

export function renderLive(steps: readonly StepView[], options: LiveRenderOptions): string[] {
  const { palette: c, rows, columns, notice } = options;
  const widths = columnWidths(steps);
  const lineOptions = { widths, palette: c, now: options.now, frame: options.frame, maxWidth: columns };
  const footer = notice === undefined ? [] : [c.yellow(truncate(notice, columns - 1))];
  // one row stays free: the cursor sits below the block, and a block as tall as the screen scrolls it away
  const room = Math.max(1, rows - 1 - footer.length);
  if (steps.length <= room) return [...steps.map((s) => formatStepLine(s, lineOptions)), ...footer];

  const active = steps.filter((s) => s.status === "running" || s.status === "retrying");
  const shown = active.slice(0, Math.max(0, room - 2));
  const lines = shown.map((s) => formatStepLine(s, lineOptions));
  if (active.length > shown.length) lines.push(c.dim(`  … and ${active.length - shown.length} more running`));
  lines.push(countsLine(steps, c, columns));
  return [...lines, ...footer];
}

function countsLine(steps: readonly StepView[], c: Palette, columns: number): string {
  const n = countByStatus(steps);
  const parts = [`${n.running + n.retrying} running`, `${n.completed} completed`];
  if (n.failed > 0) parts.push(`${n.failed} failed`);
  if (n.skipped > 0) parts.push(`${n.skipped} skipped`);
  parts.push(`${n.pending} pending`);
  const done = n.completed + n.failed + n.skipped;
  const text = truncate(`${done}/${steps.length} steps: ${parts.join(", ")}`, columns - 3);
  return `${n.failed > 0 ? c.red(SYMBOLS.failed) : c.cyan("▶")} ${text}`;
}

/** @module Progress for logs and pipes: one appended line per finished, skipped or retried step. */
import type { ExecutionEvent } from "../../../src/executor/types.js";
import type { Palette } from "../../shared/color.js";
import type { RunProgress } from "./run-progress.js";
import { columnWidths, formatStepLine } from "./step-line.js";

/** @returns an event handler that applies events to `progress` and writes the lines */
export function plainProgress(progress: RunProgress, write: (text: string) => void, palette: Palette): (event: ExecutionEvent) => void {
  const widths = columnWidths(progress.steps);
  return (event) => {
    const step = progress.apply(event);
    if (!step || event.type === "step_started") return;
    write(`${formatStepLine(step, { widths, palette, now: event.time })}\n`);
  };
}

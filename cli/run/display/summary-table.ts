/** @module What `weave run` prints at the end: a table of every step, the outcome line, and the outputs. */
import type { ExecutionResult } from "../../../src/executor/types.js";
import type { WorkflowTemplate } from "../../../src/model/template.js";
import type { Palette } from "../../shared/color.js";
import { safeStringify } from "../../../src/util/safe-json.js";
import { formatDuration, oneLine } from "../../shared/format.js";
import { itemsSummary } from "./item-progress.js";
import type { StepView } from "./run-progress.js";

interface Row {
  cells: string[];
  status: string;
}

const HEADER = ["step", "tool", "status", "attempts", "duration", "detail"];
const RIGHT_ALIGNED = new Set([3, 4]);

/**
 * One row per step, in template order, with aligned columns.
 * @param steps the progress of the run: a completed map step's row says how many items it ran
 */
export function renderSummaryTable(
  template: WorkflowTemplate,
  result: ExecutionResult,
  c: Palette,
  steps: readonly Pick<StepView, "id" | "items">[] = [],
): string[] {
  const items = new Map(steps.flatMap((s) => (s.items === undefined ? [] : [[s.id, s.items] as const])));
  const completed = new Map(result.completedSteps.map((s) => [s.id, s]));
  const failed = new Map(result.failedSteps.map((s) => [s.id, s]));
  const skipped = new Map(result.skippedSteps.map((s) => [s.id, s]));
  const rows: Row[] = template.steps.map((step) => {
    const done = completed.get(step.id);
    if (done)
      return {
        status: "completed",
        cells: [
          step.id,
          step.toolName,
          "completed",
          String(done.attempts),
          formatDuration(done.durationMs),
          done.restored ? "restored from the journal" : items.has(step.id) ? itemsSummary(items.get(step.id)!) : "",
        ],
      };
    const fail = failed.get(step.id);
    if (fail)
      return {
        status: "failed",
        cells: [step.id, step.toolName, "failed", String(fail.attempts), formatDuration(fail.durationMs), oneLine(fail.error)],
      };
    const skip = skipped.get(step.id);
    return {
      status: skip ? "skipped" : "pending",
      cells: [step.id, step.toolName, skip ? "skipped" : "pending", "0", "-", oneLine(skip?.reason ?? "")],
    };
  });
  const widths = HEADER.map((h, i) => Math.max(h.length, ...rows.map((r) => r.cells[i]!.length)));
  const line = (cells: string[], paint: (text: string, column: number) => string): string =>
    cells
      .map((cell, i) =>
        paint(RIGHT_ALIGNED.has(i) ? cell.padStart(widths[i]!) : i === cells.length - 1 ? cell : cell.padEnd(widths[i]!), i),
      )
      .join("  ")
      .trimEnd();
  const statusColor = (status: string): ((text: string) => string) =>
    status === "completed" ? c.green : status === "failed" ? c.red : status === "skipped" ? c.yellow : c.dim;
  return [
    line(HEADER, (text) => c.bold(text)),
    ...rows.map((row) => line(row.cells, (text, i) => (i === 2 ? statusColor(row.status)(text) : text))),
  ];
}

/** `completed in 123 ms (parallel speedup 1.8x)`, `failed in 123 ms: <error>` or `cancelled after 123 ms: <why>`. */
export function renderOutcome(result: ExecutionResult, c: Palette): string {
  const time = formatDuration(result.durationMs);
  if (result.status === "completed") return `${c.green("completed")} in ${time}${speedupNote(result.parallelSpeedup)}`;
  if (result.status === "cancelled")
    return `${c.yellow("cancelled")} after ${time}: ${oneLine((result.error ?? "").replace(/^cancelled: /, "") || "cancelled")}`;
  return `${c.red("failed")} in ${time}: ${oneLine(result.error ?? "a step failed")}`;
}

/**
 * The least speedup worth reporting. The speedup is the steps' summed time over the wall time: above 1 only when steps
 * overlapped, while a chain's is a little under 1 (the scheduling between its steps), which would read as a slowdown.
 */
export const MEANINGFUL_SPEEDUP = 1.05;

/** ` (parallel speedup 1.8x)` when steps ran in parallel and it saved time, else nothing. */
function speedupNote(speedup: number): string {
  return speedup >= MEANINGFUL_SPEEDUP ? ` (parallel speedup ${speedup.toFixed(1)}x)` : "";
}

/**
 * The attempts that failed before each step's last one, under the table: on a terminal the live lines that showed
 * them (`attempt 1 failed: HTTP 503; retrying in 50 ms`) are erased, and the table has only each step's last error.
 * A map step's are its items' (`item 2, attempt 1 failed: ...`), the first few and a count of the others.
 * @example ["retried:", "  fetch_rates  attempt 1 failed: HTTP 503", "               attempt 2 failed: timed out after 500 ms"]
 */
export function renderRetries(steps: readonly Pick<StepView, "id" | "retries" | "retriesNotKept">[], c: Palette): string[] {
  const retried = steps.filter((s) => s.retries !== undefined && s.retries.length > 0);
  if (retried.length === 0) return [];
  const width = Math.max(...retried.map((s) => s.id.length));
  const lines = [c.bold("retried:")];
  for (const step of retried) {
    step.retries!.forEach((r, i) =>
      lines.push(
        `  ${(i === 0 ? step.id : "").padEnd(width)}  ${r.item === undefined ? "" : `item ${r.item}, `}attempt ${r.attempt} failed: ${oneLine(r.error)}`,
      ),
    );
    const more = step.retriesNotKept ?? 0;
    if (more > 0) lines.push(`  ${"".padEnd(width)}  … and ${more} more retried attempt${more === 1 ? "" : "s"} of its items`);
  }
  return lines;
}

/** The outputs as indented JSON; never throws (a BigInt, a cycle, a deep value: see util/safe-json.ts). */
export function renderOutputs(result: ExecutionResult): string[] {
  const { value, text } = safeStringify(result.outputs, { indent: 2 });
  if (text === undefined || (value !== null && typeof value === "object" && Object.keys(value).length === 0)) return [];
  return ["outputs:", text];
}

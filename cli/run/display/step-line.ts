/**
 * @module One step as one line of text: `✔ build  docker_build  12 ms`, or for a map step its items' progress,
 * `⠋ deploy  deploy  1.2 s    [3/4] 1 running, 1 failed`. Shared by the live and the plain display.
 */
import type { Palette } from "../../shared/color.js";
import { formatDuration, oneLine, plural, truncate } from "../../shared/format.js";
import { finishedItemsNote, itemTag, runningItemsNote } from "./item-progress.js";
import type { StepStatus, StepView } from "./run-progress.js";

export const SPINNER = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

export const SYMBOLS: Record<Exclude<StepStatus, "running">, string> = {
  pending: "·",
  retrying: "↻",
  completed: "✔",
  failed: "✖",
  skipped: "↷",
};

export interface ColumnWidths {
  id: number;
  tool: number;
}

const TIME_WIDTH = 7;

/** Widths that align the id and tool columns, capped so one long id does not push everything right. */
export function columnWidths(steps: readonly { id: string; toolName: string }[]): ColumnWidths {
  let id = 0;
  let tool = 0;
  for (const s of steps) {
    id = Math.max(id, s.id.length);
    tool = Math.max(tool, s.toolName.length);
  }
  return { id: Math.min(id, 32), tool: Math.min(tool, 24) };
}

export interface StepLineOptions {
  widths: ColumnWidths;
  palette: Palette;
  /** `performance.now()`, for the elapsed time of a running step. */
  now: number;
  /** Spinner frame; without it a running step shows ▶. */
  frame?: number;
  /** Visible characters at most (the terminal's width). */
  maxWidth?: number;
}

export function formatStepLine(step: StepView, options: StepLineOptions): string {
  return layOut(step, detailOf(step), options);
}

/** An item of a map step that failed or is retried, for the plain lines. */
export interface ItemLine {
  readonly index: number;
  readonly status: "failed" | "retrying";
  /** The attempts it made (failed), or the attempt that failed (retrying). */
  readonly attempts: number;
  readonly error: string;
  readonly durationMs?: number;
  readonly retryDelayMs?: number;
}

/**
 * A map step's item on its step's line, so it stays aligned with the other steps:
 * `✖ deploy  deploy  12 ms   item 2 failed: quota exceeded (2 attempts)`.
 */
export function formatItemLine(step: StepView, item: ItemLine, options: StepLineOptions): string {
  const view: StepView = {
    id: step.id,
    toolName: step.toolName,
    status: item.status,
    attempts: item.attempts,
    detail: item.error,
    ...(item.durationMs === undefined ? {} : { durationMs: item.durationMs }),
    ...(item.retryDelayMs === undefined ? {} : { retryDelayMs: item.retryDelayMs }),
  };
  return layOut(view, `item ${item.index}${item.status === "retrying" ? "," : ""} ${detailOf(view)}`, options);
}

function layOut(step: StepView, detail: string, options: StepLineOptions): string {
  const { widths, palette: c, now } = options;
  const [symbol, paint] = symbolOf(step, options);
  const time = timeOf(step, now);
  let text = `${step.id.padEnd(widths.id)}  ${step.toolName.padEnd(widths.tool)}`;
  if (time || detail) text += `  ${detail ? time.padEnd(TIME_WIDTH) : time}`;
  if (detail) text += `  ${detail}`;
  text = text.trimEnd();
  if (options.maxWidth !== undefined) text = truncate(text, options.maxWidth - 3);
  // the symbol is painted after truncation so escape codes never count towards the width; the last column stays
  // empty because some terminals wrap as soon as it is written
  return `${paint(symbol)} ${step.status === "pending" ? c.dim(text) : text}`;
}

function symbolOf(step: StepView, { palette: c, frame }: StepLineOptions): [string, (s: string) => string] {
  switch (step.status) {
    case "running":
      return [frame === undefined ? "▶" : SPINNER[frame % SPINNER.length]!, c.cyan];
    case "completed":
      return [SYMBOLS.completed, c.green];
    case "failed":
      return [SYMBOLS.failed, c.red];
    case "retrying":
      return [SYMBOLS.retrying, c.yellow];
    case "skipped":
      return [SYMBOLS.skipped, c.yellow];
    case "pending":
      return [SYMBOLS.pending, c.dim];
  }
}

function timeOf(step: StepView, now: number): string {
  if (step.status === "running" && step.startedAt !== undefined) return formatDuration(Math.max(0, now - step.startedAt));
  if ((step.status === "completed" || step.status === "failed") && step.durationMs !== undefined) return formatDuration(step.durationMs);
  return "";
}

function detailOf(step: StepView): string {
  const error = oneLine(step.detail ?? "");
  if (step.items !== undefined && step.status !== "pending" && step.status !== "skipped") return mapDetailOf(step, error);
  switch (step.status) {
    case "running": {
      const attempt = step.attempts > 1 ? `attempt ${step.attempts}` : "";
      return [attempt, progressOf(step)].filter(Boolean).join(": ");
    }
    case "retrying": {
      const delay = step.retryDelayMs === undefined ? "" : ` in ${formatDuration(step.retryDelayMs)}`;
      return `attempt ${step.attempts} failed: ${error}; retrying${delay}`;
    }
    case "completed":
      if (step.restored) return "(restored from the journal)";
      return step.attempts > 1 ? `(${plural(step.attempts, "attempt")})` : "";
    case "failed":
      return `failed: ${error}${step.attempts > 1 ? ` (${plural(step.attempts, "attempt")})` : ""}`;
    case "skipped":
      return `skipped: ${error}`;
    case "pending":
      return "";
  }
}

/** What a running step's tool reported: `3/10 copying a.txt`, `40% …`, or the count alone. */
function progressOf({ progress }: StepView): string {
  if (progress === undefined) return "";
  const { total, message } = progress;
  const amount =
    total === undefined ? String(progress.progress) : total === 100 ? `${Math.round(progress.progress)}%` : `${progress.progress}/${total}`;
  return message === undefined ? amount : `${amount} ${oneLine(message)}`;
}

/** A map step: `[settled/count]`, then what its items are doing, or how the step ended. */
function mapDetailOf(step: StepView, error: string): string {
  const items = step.items!;
  const tag = itemTag(items);
  const join = (...parts: string[]): string => parts.filter((p) => p !== "").join(" ");
  const note = finishedItemsNote(items);
  switch (step.status) {
    case "completed":
      return join(tag, note && `(${note})`);
    case "failed":
      return join(tag, `failed: ${error}`, note && `(${note})`);
    default:
      return join(tag, runningItemsNote(items));
  }
}

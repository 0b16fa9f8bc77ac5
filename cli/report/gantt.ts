/**
 * @module The timeline of a run as an inline SVG (a Gantt chart): a row per step, a bar per attempt (failed
 * attempts that were retried hatched, the wait before the next attempt dashed), skipped steps marked where they
 * were skipped, and the critical path highlighted and joined up. A map step's row spans its items, from the first
 * item's start to the last one's end, and its items follow it on slimmer rows (`deploy[2]`), a bar per attempt
 * (gantt-rows.ts chooses which when there are many). Every text is escaped; no scripts, no fonts.
 */
import { formatMs } from "../graph/labels.js";
import { escapeHtml as esc } from "./escape.js";
import { type GanttRow, layOutRows } from "./gantt-rows.js";
import { countItems, type ItemTimeline, itemsSummary } from "./item-timeline.js";
import type { AttemptSpan, RunTimeline, StepTimeline } from "./timeline.js";

const WIDTH = 1100;
const LABEL_WIDTH = 210;
const RIGHT_PAD = 150;
const TOP = 30;
const BAR = 16;
const ITEM_BAR = 10;
const BOTTOM = 12;
/** Rough width of a character of the 12 px label font, for deciding what fits. */
const CHAR = 7;
/** Where an item's label starts: indented under its step's. */
const ITEM_INDENT = 26;

type X = (ms: number) => number;

export function renderGantt(timeline: RunTimeline, criticalPath: readonly string[]): string {
  const critical = new Set(criticalPath);
  const rows = layOutRows(timeline.steps);
  const span = Math.max(timeline.durationMs, ...timeline.steps.map((s) => s.end ?? 0), 1);
  const x: X = (ms) => round(LABEL_WIDTH + (Math.max(0, ms) / span) * (WIDTH - LABEL_WIDTH - RIGHT_PAD));
  const last = rows.at(-1);
  const height = TOP + (last === undefined ? 0 : last.y + last.height) + BOTTOM;
  const mid = (row: GanttRow): number => TOP + row.y + row.height / 2;
  const stepRows = new Map(rows.flatMap((r) => (r.kind === "step" ? [[r.step.id, r] as const] : [])));

  const out: string[] = [];
  out.push(
    `<svg class="timeline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-label="Timeline of the run: one bar per attempt">`,
  );
  out.push(
    "<defs>",
    '<pattern id="retried-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffe3e3"/><rect width="2.5" height="6" fill="#f03e3e"/></pattern>',
    "</defs>",
  );

  // rows' backgrounds (a step's items share its own), then the axis grid over them, then labels and bars
  for (const row of rows) {
    const classes = ["row-bg", row.odd ? "odd" : "even", ...(row.kind === "step" ? [] : ["item-bg"])];
    out.push(`<rect class="${classes.join(" ")}" x="0" y="${TOP + row.y}" width="${WIDTH}" height="${row.height}"/>`);
  }
  for (const tick of ticks(span)) {
    out.push(`<line class="grid" x1="${x(tick)}" y1="${TOP - 6}" x2="${x(tick)}" y2="${height - BOTTOM}"/>`);
    out.push(`<text class="tick" x="${x(tick)}" y="${TOP - 12}" text-anchor="middle">${esc(formatMs(tick))}</text>`);
  }
  out.push(
    `<line class="run-end" x1="${x(timeline.durationMs)}" y1="${TOP - 6}" x2="${x(timeline.durationMs)}" y2="${height - BOTTOM}"><title>${esc(`the run ended at ${formatMs(timeline.durationMs)}`)}</title></line>`,
  );

  for (const row of rows) {
    if (row.kind === "step") out.push(renderStepRow(row.step, x, mid(row), row.height, critical.has(row.step.id)));
    else if (row.kind === "item") out.push(renderItemRow(row.step, row.item, x, mid(row)));
    else out.push(renderMoreRow(row.step, row.hidden, row.notStarted, mid(row)));
  }

  // join the critical path: from each step's end to the start of the next
  for (let k = 1; k < criticalPath.length; k++) {
    const a = stepRows.get(criticalPath[k - 1]!);
    const b = stepRows.get(criticalPath[k]!);
    if (a?.step.end === undefined || b?.step.start === undefined) continue;
    out.push(`<path class="critical-link" d="M${x(a.step.end)},${mid(a)} L${x(b.step.start)},${mid(b)}"/>`);
  }
  out.push("</svg>");
  return out.join("\n");
}

function renderStepRow(step: StepTimeline, x: X, cy: number, height: number, critical: boolean): string {
  const classes = [
    "step-row",
    `status-${step.status}`,
    ...(step.items === undefined ? [] : ["map-step"]),
    ...(critical ? ["critical"] : []),
  ];
  const out: string[] = [`<g class="${classes.join(" ")}" data-step="${esc(step.id)}">`];
  const label = fit(step.id, Math.floor((LABEL_WIDTH - 28) / CHAR));
  if (critical) out.push(`<rect class="critical-mark" x="0" y="${cy - height / 2}" width="4" height="${height}"/>`);
  out.push(`<text class="label" x="14" y="${cy + 4}">${esc(label)}<title>${esc(`${step.id} (${step.toolName})`)}</title></text>`);

  const top = cy - BAR / 2;
  // on the critical path: a line under the step's whole span, attempts and waits alike
  if (critical && step.start !== undefined && step.end !== undefined) {
    out.push(
      `<line class="critical-span" x1="${x(step.start)}" y1="${top + BAR + 3}" x2="${Math.max(x(step.end), x(step.start) + 2)}" y2="${top + BAR + 3}"/>`,
    );
  }
  if (step.itemCount !== undefined && step.start !== undefined && step.end !== undefined) {
    // a map step that ran: one bar from its first item's start to its last one's end; its items are the rows below
    const x1 = x(step.start);
    const w = Math.max(2, x(step.end) - x1);
    const summary = itemsSummary(step.items ?? [], step.itemCount);
    const tip = `${step.id}, ${summary}; from the first item's start to the last one's end: ${formatMs(step.end - step.start)}`;
    out.push(
      `<rect class="map-span map-span-${step.status}" x="${x1}" y="${top}" width="${round(w)}" height="${BAR}" rx="2"><title>${esc(tip)}</title></rect>`,
    );
    const note = `${summary} · ${formatMs(step.durationMs ?? step.end - step.start)}`;
    // the bar is pale: a note that does not fit after it goes inside it
    const inside = (WIDTH - (x1 + w) - 12) / CHAR < [...note].length && (w - 12) / CHAR >= [...note].length;
    if (inside)
      out.push(
        `<text class="row-note note-${step.status}" x="${round(x1 + 6)}" y="${cy + 4}">${esc(note)}<title>${esc(note)}</title></text>`,
      );
    else out.push(...rowNote(note, step.status, x1 + w, undefined, cy));
    out.push("</g>");
    return out.join("\n");
  }
  let right = drawAttempts(step.id, step, x, cy, BAR, out);
  let note: string;
  /** Where a lone marker starts: its note may go to its left when the right is too short. */
  let left: number | undefined;
  if (step.status === "skipped") {
    const at = x(step.start ?? 0);
    out.push(`<path class="skip-mark" d="M${at},${cy - 5} L${at + 5},${cy} L${at},${cy + 5} L${at - 5},${cy} Z"/>`);
    right = at + 5;
    left = at - 5;
    note = `skipped: ${step.reason ?? ""}`;
  } else if (step.status === "not-reached") {
    note = "not reached";
  } else if (step.attempts.length === 0) {
    // failed before its first attempt (a condition or a parameter that could not be resolved)
    left = failMark(x(step.end ?? 0), cy, step.error ?? "", out);
    right = left + 12;
    note = `failed before starting: ${step.error ?? ""}`;
  } else {
    const n = step.attempts.length;
    note = `${n > 1 ? `${n} attempts · ` : ""}${formatMs(step.durationMs ?? 0)}`;
  }
  out.push(...rowNote(note, step.status, right, left, cy), "</g>");
  return out.join("\n");
}

/** An item of a map step: `deploy[2]`, indented under its step, a slimmer bar per attempt. */
function renderItemRow(step: StepTimeline, item: ItemTimeline, x: X, cy: number): string {
  const name = `${step.id}[${item.index}]`;
  const out: string[] = [
    `<g class="item-row status-${item.status}" data-step="${esc(step.id)}" data-item="${item.index}">`,
    `<text class="item-label" x="${ITEM_INDENT}" y="${cy + 4}">${esc(itemLabel(step.id, item.index))}<title>${esc(`${name} (${step.toolName})`)}</title></text>`,
  ];
  let right = drawAttempts(name, item, x, cy, ITEM_BAR, out);
  let left: number | undefined;
  const n = item.attempts.length;
  const attempts = n > 1 ? `${n} attempts · ` : "";
  let note: string;
  if (item.status === "skipped") {
    const at = x(item.start);
    out.push(`<path class="skip-mark" d="M${at},${cy - 4} L${at + 4},${cy} L${at},${cy + 4} L${at - 4},${cy} Z"/>`);
    right = at + 4;
    left = at - 4;
    note = "skipped: the step's condition is false for it";
  } else if (item.status === "stopped") {
    note = `${attempts}stopped: still running when the step ended`;
  } else if (n === 0) {
    // its condition or parameters could not be resolved
    left = failMark(x(item.end), cy, item.error ?? "", out);
    right = left + 12;
    note = `failed before starting: ${item.error ?? ""}`;
  } else if (item.status === "failed") {
    note = `${attempts}failed: ${item.error ?? ""}`;
  } else {
    note = `${attempts}${formatMs(item.durationMs ?? item.end - item.start)}`;
  }
  out.push(...rowNote(note, item.status, right, left, cy), "</g>");
  return out.join("\n");
}

/** The items not drawn, counted: `… 970 more items of deploy, not drawn: 960 completed, 10 skipped`. */
function renderMoreRow(step: StepTimeline, hidden: readonly ItemTimeline[], notStarted: number, cy: number): string {
  const counts = countItems(hidden);
  const parts = (["completed", "failed", "skipped", "stopped"] as const).filter((k) => counts[k] > 0).map((k) => `${counts[k]} ${k}`);
  if (notStarted > 0) parts.push(`${notStarted} not started`);
  const n = hidden.length + notStarted;
  const text = `… ${n} more item${n === 1 ? "" : "s"} of ${step.id}, not drawn: ${parts.join(", ")}`;
  const room = Math.floor((WIDTH - ITEM_INDENT - 12) / CHAR);
  return `<g class="items-more" data-step="${esc(step.id)}"><text class="row-note" x="${ITEM_INDENT}" y="${cy + 4}">${esc(fit(text, room))}<title>${esc(text)}</title></text></g>`;
}

/** `deploy[2]`: the id is cut to fit, never the index. */
function itemLabel(id: string, index: number): string {
  const suffix = `[${index}]`;
  return `${fit(id, Math.max(1, Math.floor((LABEL_WIDTH - ITEM_INDENT - 8) / CHAR) - suffix.length))}${suffix}`;
}

/**
 * The bars of a step's or an item's attempts, and the waits between them.
 * @param name what the tooltips call it: `deploy`, `deploy[2]`
 * @returns the right end of what was drawn
 */
function drawAttempts(
  name: string,
  of: { readonly attempts: readonly AttemptSpan[]; readonly end?: number },
  x: X,
  cy: number,
  bar: number,
  out: string[],
): number {
  const top = cy - bar / 2;
  let right = LABEL_WIDTH;
  of.attempts.forEach((a, k) => {
    const retried = a.retryDelayMs !== undefined;
    const kind = a.outcome === "completed" ? "completed" : retried ? "retried" : "failed";
    const x1 = x(a.start);
    const w = Math.max(2, x(a.end) - x1);
    const tip = `${name}, attempt ${a.attempt}: ${a.outcome === "completed" ? "completed" : "failed"} after ${formatMs(a.end - a.start)}${a.error === undefined ? "" : `: ${a.error}`}`;
    out.push(
      `<rect class="attempt attempt-${kind}" data-attempt="${a.attempt}" x="${x1}" y="${top}" width="${round(w)}" height="${bar}" rx="2"><title>${esc(tip)}</title></rect>`,
    );
    // the number fits in a step's bar, not in an item's slimmer one
    if (of.attempts.length > 1 && w >= 24 && bar === BAR)
      out.push(`<text class="attempt-number" x="${round(x1 + w / 2)}" y="${cy + 4}" text-anchor="middle">#${a.attempt}</text>`);
    right = Math.max(right, x1 + w);
    if (retried) {
      // the wait: to the next attempt, or to the end when the run was stopped during it
      const next = of.attempts[k + 1];
      const until = next?.start ?? of.end ?? a.end;
      const x2 = x(until);
      if (x2 > x1 + w) {
        out.push(
          `<line class="retry-delay" x1="${round(x1 + w)}" y1="${cy}" x2="${x2}" y2="${cy}"><title>${esc(`waited ${formatMs(until - a.end)} before ${next ? `attempt ${next.attempt}` : "the run stopped"} (planned ${formatMs(a.retryDelayMs!)})`)}</title></line>`,
        );
        const text = `wait ${formatMs(until - a.end)}`;
        if (x2 - (x1 + w) >= text.length * 6 + 6)
          out.push(`<text class="delay-label" x="${round((x1 + w + x2) / 2)}" y="${cy - 4}" text-anchor="middle">${esc(text)}</text>`);
        right = Math.max(right, x2);
      }
    }
  });
  return right;
}

/** A diamond where something failed before its first attempt. @returns its left end */
function failMark(at: number, cy: number, error: string, out: string[]): number {
  out.push(
    `<path class="fail-mark" d="M${at},${cy - 6} L${at + 6},${cy} L${at},${cy + 6} L${at - 6},${cy} Z"><title>${esc(error)}</title></path>`,
  );
  return at - 6;
}

/** The note after a row's bars; before a lone marker (`left`) when there is more room there; none without room. */
function rowNote(note: string, status: string, right: number, left: number | undefined, cy: number): string[] {
  const room = Math.floor((WIDTH - right - 12) / CHAR);
  const roomLeft = left === undefined ? 0 : Math.floor((left - LABEL_WIDTH - 12) / CHAR);
  if (room < [...note].length && roomLeft > room)
    return [
      `<text class="row-note note-${status}" x="${round(left! - 6)}" y="${cy + 4}" text-anchor="end">${esc(fit(note, roomLeft))}<title>${esc(note)}</title></text>`,
    ];
  if (room > 6)
    return [
      `<text class="row-note note-${status}" x="${round(right + 6)}" y="${cy + 4}">${esc(fit(note, room))}<title>${esc(note)}</title></text>`,
    ];
  return [];
}

/** Round numbers of milliseconds: 1, 2 or 5 times a power of ten, about six of them across. */
export function ticks(span: number): number[] {
  const raw = span / 6;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw)!;
  const out: number[] = [];
  for (let t = 0; t <= span + 1e-9; t += step) out.push(round(t));
  return out;
}

function fit(text: string, max: number): string {
  const chars = [...text.replace(/\s+/g, " ")];
  return chars.length <= max ? chars.join("") : `${chars.slice(0, Math.max(1, max - 1)).join("")}…`;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

/**
 * @module The timeline of a run as an inline SVG (a Gantt chart): a row per step, a bar per attempt (failed
 * attempts that were retried hatched, the wait before the next attempt dashed), skipped steps marked where they
 * were skipped, and the critical path highlighted and joined up. Every text is escaped; no scripts, no fonts.
 */
import { formatMs } from "../graph/labels.js";
import { escapeHtml as esc } from "./escape.js";
import type { RunTimeline, StepTimeline } from "./timeline.js";

const WIDTH = 1100;
const LABEL_WIDTH = 210;
const RIGHT_PAD = 150;
const TOP = 30;
const ROW = 30;
const BAR = 16;
const BOTTOM = 12;
/** Rough width of a character of the 12 px label font, for deciding what fits. */
const CHAR = 7;

export function renderGantt(timeline: RunTimeline, criticalPath: readonly string[]): string {
  const critical = new Set(criticalPath);
  const rows = orderRows(timeline.steps);
  const span = Math.max(timeline.durationMs, ...timeline.steps.map((s) => s.end ?? 0), 1);
  const x = (ms: number): number => round(LABEL_WIDTH + (Math.max(0, ms) / span) * (WIDTH - LABEL_WIDTH - RIGHT_PAD));
  const height = TOP + rows.length * ROW + BOTTOM;
  const rowOf = new Map(rows.map((s, i) => [s.id, i]));
  const mid = (i: number): number => TOP + i * ROW + ROW / 2;

  const out: string[] = [];
  out.push(
    `<svg class="timeline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-label="Timeline of the run: one bar per attempt">`,
  );
  out.push(
    "<defs>",
    '<pattern id="retried-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffe3e3"/><rect width="2.5" height="6" fill="#f03e3e"/></pattern>',
    "</defs>",
  );

  // rows' backgrounds, then the axis grid over them, then labels and bars
  rows.forEach((_step, i) => {
    const y = TOP + i * ROW;
    const classes = ["row-bg", i % 2 === 1 ? "odd" : "even"];
    out.push(`<rect class="${classes.join(" ")}" x="0" y="${y}" width="${WIDTH}" height="${ROW}"/>`);
  });
  for (const tick of ticks(span)) {
    out.push(`<line class="grid" x1="${x(tick)}" y1="${TOP - 6}" x2="${x(tick)}" y2="${height - BOTTOM}"/>`);
    out.push(`<text class="tick" x="${x(tick)}" y="${TOP - 12}" text-anchor="middle">${esc(formatMs(tick))}</text>`);
  }
  out.push(
    `<line class="run-end" x1="${x(timeline.durationMs)}" y1="${TOP - 6}" x2="${x(timeline.durationMs)}" y2="${height - BOTTOM}"><title>${esc(`the run ended at ${formatMs(timeline.durationMs)}`)}</title></line>`,
  );

  rows.forEach((step, i) => out.push(renderRow(step, x, mid(i), critical.has(step.id))));

  // join the critical path: from each step's end to the start of the next
  for (let k = 1; k < criticalPath.length; k++) {
    const a = timeline.steps.find((s) => s.id === criticalPath[k - 1]);
    const b = timeline.steps.find((s) => s.id === criticalPath[k]);
    if (a?.end === undefined || b?.start === undefined) continue;
    const ya = mid(rowOf.get(a.id)!);
    const yb = mid(rowOf.get(b.id)!);
    out.push(`<path class="critical-link" d="M${x(a.end)},${ya} L${x(b.start)},${yb}"/>`);
  }
  out.push("</svg>");
  return out.join("\n");
}

function renderRow(step: StepTimeline, x: (ms: number) => number, cy: number, critical: boolean): string {
  const classes = ["step-row", `status-${step.status}`, ...(critical ? ["critical"] : [])];
  const out: string[] = [`<g class="${classes.join(" ")}" data-step="${esc(step.id)}">`];
  const label = fit(step.id, Math.floor((LABEL_WIDTH - 28) / CHAR));
  if (critical) out.push(`<rect class="critical-mark" x="0" y="${cy - ROW / 2}" width="4" height="${ROW}"/>`);
  out.push(`<text class="label" x="14" y="${cy + 4}">${esc(label)}<title>${esc(`${step.id} (${step.toolName})`)}</title></text>`);

  const top = cy - BAR / 2;
  let right = LABEL_WIDTH;
  // on the critical path: a line under the step's whole span, attempts and waits alike
  if (critical && step.start !== undefined && step.end !== undefined) {
    out.push(
      `<line class="critical-span" x1="${x(step.start)}" y1="${top + BAR + 3}" x2="${Math.max(x(step.end), x(step.start) + 2)}" y2="${top + BAR + 3}"/>`,
    );
  }
  step.attempts.forEach((a, k) => {
    const retried = a.retryDelayMs !== undefined;
    const kind = a.outcome === "completed" ? "completed" : retried ? "retried" : "failed";
    const x1 = x(a.start);
    const w = Math.max(2, x(a.end) - x1);
    const tip = `${step.id}, attempt ${a.attempt}: ${a.outcome === "completed" ? "completed" : "failed"} after ${formatMs(a.end - a.start)}${a.error === undefined ? "" : `: ${a.error}`}`;
    out.push(
      `<rect class="attempt attempt-${kind}" data-attempt="${a.attempt}" x="${x1}" y="${top}" width="${round(w)}" height="${BAR}" rx="2"><title>${esc(tip)}</title></rect>`,
    );
    if (step.attempts.length > 1 && w >= 24)
      out.push(`<text class="attempt-number" x="${round(x1 + w / 2)}" y="${cy + 4}" text-anchor="middle">#${a.attempt}</text>`);
    right = Math.max(right, x1 + w);
    if (retried) {
      // the wait: to the next attempt, or to the step's end when the run was stopped during it
      const next = step.attempts[k + 1];
      const until = next?.start ?? step.end ?? a.end;
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
    const at = x(step.end ?? 0);
    out.push(
      `<path class="fail-mark" d="M${at},${cy - 6} L${at + 6},${cy} L${at},${cy + 6} L${at - 6},${cy} Z"><title>${esc(step.error ?? "")}</title></path>`,
    );
    right = at + 6;
    left = at - 6;
    note = `failed before starting: ${step.error ?? ""}`;
  } else {
    const n = step.attempts.length;
    note = `${n > 1 ? `${n} attempts · ` : ""}${formatMs(step.durationMs ?? 0)}`;
  }
  const room = Math.floor((WIDTH - right - 12) / CHAR);
  const roomLeft = left === undefined ? 0 : Math.floor((left - LABEL_WIDTH - 12) / CHAR);
  if (room < [...note].length && roomLeft > room) {
    out.push(
      `<text class="row-note note-${step.status}" x="${round(left! - 6)}" y="${cy + 4}" text-anchor="end">${esc(fit(note, roomLeft))}<title>${esc(note)}</title></text>`,
    );
  } else if (room > 6) {
    out.push(
      `<text class="row-note note-${step.status}" x="${round(right + 6)}" y="${cy + 4}">${esc(fit(note, room))}<title>${esc(note)}</title></text>`,
    );
  }
  out.push("</g>");
  return out.join("\n");
}

/** Steps by when they started (or were skipped); those never reached last, in template order. */
function orderRows(steps: readonly StepTimeline[]): StepTimeline[] {
  return [...steps].sort((a, b) => {
    if (a.start === undefined || b.start === undefined) return a.start === b.start ? a.index - b.index : a.start === undefined ? 1 : -1;
    return a.start - b.start || a.index - b.index;
  });
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

/**
 * @module The words and colours of a workflow picture, shared by every renderer: what a step's box says (tool,
 * sub-workflow, a map step's list, condition, retries, timeout), what an edge is called and its colour. Plain
 * text: each renderer escapes it for its syntax.
 */
import type { OutcomeKind } from "../../src/condition/outcome.js";
import type { GraphEdge, GraphMap, GraphNode } from "./model.js";

/** Stroke colours of the edge kinds (also used for their labels). */
export const EDGE_COLORS = {
  order: "#8a94a3",
  failure: "#c62828",
  success: "#2e7d32",
  always: "#6a4fb3",
  outcome: "#c2410c",
  unordered: "#d97706",
  output: "#8a94a3",
} as const;

/** Most variable or output names listed in the inputs or outputs box. */
const MAX_IO_NAMES = 8;

/** Longest condition shown in a box; the full text goes in the tooltip where the format has one. */
const MAX_CONDITION = 48;

/**
 * Lines below the step id: the tool (unless it is the id), the sub-workflow, a map step's list, the condition,
 * retries and timeout.
 */
export function nodeDetailLines(node: GraphNode): string[] {
  const lines: string[] = [];
  if (node.subWorkflow !== undefined) lines.push(`runs workflow ${node.subWorkflow}`);
  else if (node.toolName !== node.id) lines.push(node.toolName);
  if (node.map !== undefined) lines.push(mapLine(node.map));
  if (node.handles !== undefined) lines.push(HANDLES[node.handles]);
  else if (node.condition !== null) lines.push(`if ${truncate(readableCondition(node.condition), MAX_CONDITION)}`);
  const notes = annotations(node);
  if (notes.length > 0) lines.push(notes.join(" · "));
  return lines;
}

/** What a step whose condition only asks how its dependencies ended is for; its edges say which ones. */
const HANDLES: Record<NonNullable<GraphNode["handles"]>, string> = {
  failure: "failure handler",
  always: "runs whatever happens",
  success: "runs on success",
};

/**
 * A condition as people read it: `{{x.success}} == false` → `x.success == false`. Placeholders inside string
 * literals stay as they are (there they are text to fill in).
 */
export function readableCondition(condition: string): string {
  let out = "";
  let quote: string | undefined;
  for (let i = 0; i < condition.length; i++) {
    const ch = condition[i]!;
    if (quote !== undefined) {
      if (ch === "\\") {
        out += ch + (condition[i + 1] ?? "");
        i++;
        continue;
      }
      if (ch === quote) quote = undefined;
      out += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      out += ch;
    } else if (condition.startsWith("{{", i)) {
      const close = condition.indexOf("}}", i + 2);
      if (close < 0) return out + condition.slice(i);
      out += condition.slice(i + 2, close).trim();
      i = close + 1;
    } else out += ch;
  }
  return out;
}

/**
 * How many times a map step runs: `× 3, each of regions` when the inputs pin the list's length, else
 * `× each of list.regions`, with the length of a variable's default list when it has one: `(3 by default)`.
 */
export function mapLine(map: GraphMap): string {
  const list = truncate(readableCondition(map.forEach), MAX_CONDITION);
  if (map.count !== undefined) return `× ${map.count}, each of ${list}`;
  return `× each of ${list}${map.defaultCount === undefined ? "" : ` (${map.defaultCount} by default)`}`;
}

/** `4 retries (50 ms, exp.)` and `timeout 500 ms`: words, not symbols, so any font shows them. */
export function annotations(node: GraphNode): string[] {
  const notes: string[] = [];
  if (node.maxRetries > 0) {
    const delay = `${formatMs(node.retryDelayMs)}${node.backoff === "exponential" ? " exp." : ""}`;
    notes.push(`${node.maxRetries} ${node.maxRetries === 1 ? "retry" : "retries"} (${delay})`);
  }
  if (node.timeoutMs !== null) notes.push(`timeout ${formatMs(node.timeoutMs)}`);
  if (node.map?.concurrency != null) notes.push(`${node.map.concurrency} at a time`);
  return notes;
}

/** Everything about a step, for a tooltip. */
export function nodeTooltip(node: GraphNode): string {
  const lines = [`${node.id} (${node.subWorkflow !== undefined ? `workflow ${node.subWorkflow}` : `tool ${node.toolName}`})`];
  if (node.description !== "") lines.push(node.description);
  if (node.map !== undefined) lines.push(`for each ${node.map.itemName} of ${node.map.forEach}`);
  if (node.condition !== null) lines.push(`if ${node.condition}`);
  lines.push(...annotations(node));
  return lines.join("\n");
}

const OUTCOME_LABELS: Record<OutcomeKind, string> = {
  failure: "on failure",
  success: "on success",
  always: "always",
  outcome: "checks outcome",
};

/** The label of an edge, or "" for a plain data or ordering edge. */
export function edgeLabel(edge: GraphEdge): string {
  if (edge.kind === "outcome") return OUTCOME_LABELS[edge.outcome ?? "outcome"];
  if (edge.kind === "unordered") return "⚠ reads without waiting";
  return "";
}

/** `500 ms`, `1.5 s`, `2 min`. */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${trimZero((ms / 1000).toFixed(ms < 10_000 ? 2 : 1))} s`;
  return `${trimZero((ms / 60_000).toFixed(1))} min`;
}

function trimZero(text: string): string {
  return text.includes(".") ? text.replace(/\.?0+$/, "") : text;
}

export function truncate(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  const chars = [...flat];
  return chars.length <= max ? flat : `${chars.slice(0, max - 1).join("")}…`;
}

/** `inputs: a, b, c` over lines of three names, at most {@link MAX_IO_NAMES} of them. */
export function ioLabel(title: string, names: readonly string[]): string {
  const shown = names.slice(0, MAX_IO_NAMES);
  const rows: string[] = [];
  for (let i = 0; i < shown.length; i += 3) rows.push(shown.slice(i, i + 3).join(", "));
  if (names.length > shown.length) rows.push(`… ${names.length - shown.length} more`);
  return [title, ...rows].join("\n");
}

/** C0 and C1 control characters and the line and paragraph separators. */
export function isControl(ch: string): boolean {
  const c = ch.codePointAt(0)!;
  return c < 0x20 || (c >= 0x7f && c < 0xa0) || c === 0x2028 || c === 0x2029;
}

/**
 * @module A workflow graph as Graphviz DOT text. Nodes get generated names (`s0`, `s1`, ...); every piece of user
 * text is in an HTML-like label (entities escaped) or an escaped tooltip, so no step id or condition can break out
 * of its string or be read as a Graphviz escape (`\N`, `\l`). A map step is a stack of boxes (`box3d`). Optionally
 * coloured by the outcome of a run, with its critical path marked (the run report).
 */
import { EDGE_COLORS, edgeLabel, ioLabel, isControl, nodeDetailLines, nodeTooltip } from "./labels.js";
import type { GraphEdge, GraphNode, WorkflowGraph } from "./model.js";

export type StepOutcome = "completed" | "failed" | "skipped" | "not-reached";

export interface DotOptions {
  /** The workflow's name above the graph. @default true */
  title?: boolean;
  /** Colours each step by how it ended in a run; a step missing from the map is drawn as not reached. */
  outcomes?: ReadonlyMap<string, StepOutcome>;
  /** The boxes of the workflow's inputs and outputs. @default true */
  io?: boolean;
  /** Top to bottom (the default) or left to right. */
  direction?: "TB" | "LR";
  /** Steps of the run's critical path, in order: outlined, and the edges between consecutive ones drawn bold. */
  criticalPath?: readonly string[];
}

/**
 * Graphviz sizes boxes with this font's metrics (it has tables for a few); it is wider than Helvetica, so a label
 * still fits when the viewer substitutes another sans-serif font. The SVG renderer adds fallbacks.
 */
export const FONT = "DejaVu Sans";
const INK = "#1f2933";
const MUTED = "#52606d";
const STROKE = "#5f6b7a";
const CRITICAL = "#e8590c";

/** Fill and outline of a step by its outcome in a run. */
export const OUTCOME_STYLE: Record<StepOutcome, { fill: string; stroke: string; style: string }> = {
  completed: { fill: "#d3f9d8", stroke: "#2b8a3e", style: "rounded,filled" },
  failed: { fill: "#ffe3e3", stroke: "#c92a2a", style: "rounded,filled" },
  skipped: { fill: "#f1f3f5", stroke: "#868e96", style: "rounded,filled,dashed" },
  "not-reached": { fill: "#ffffff", stroke: "#adb5bd", style: "rounded,filled,dotted" },
};

export function toDot(graph: WorkflowGraph, options: DotOptions = {}): string {
  const indexOf = new Map(graph.nodes.map((n) => [n.id, n.index]));
  const name = (node: GraphNode | string): string => `s${typeof node === "string" ? indexOf.get(node)! : node.index}`;
  const critical = new Set(options.criticalPath ?? []);
  const criticalEdges = new Set<string>();
  const path = options.criticalPath ?? [];
  for (let i = 1; i < path.length; i++) criticalEdges.add(`${path[i - 1]}\u0000${path[i]}`);

  const out: string[] = [];
  out.push("digraph workflow {");
  const title = options.title ?? true;
  out.push(
    `  graph [rankdir=${options.direction ?? "TB"}, fontname="${FONT}", fontsize=13, fontcolor="${INK}", nodesep=0.3, ranksep=0.45, pad=0.25, bgcolor="white"${title ? `, labelloc=t, label=<<B>${html(graph.name)}</B>>` : ""}];`,
  );
  out.push(
    `  node [shape=box, style="rounded,filled", fillcolor="#ffffff", color="${STROKE}", fontname="${FONT}", fontsize=12, fontcolor="${INK}", margin="0.18,0.08", penwidth=1.2];`,
  );
  out.push(`  edge [color="${STROKE}", fontname="${FONT}", fontsize=10, arrowsize=0.7, penwidth=1.2];`);

  const io = options.io ?? true;
  const outputs = io ? graph.outputs.filter((o) => o.steps.length > 0) : [];
  const inputs = io ? graph.inputs : [];
  if (inputs.length > 0) {
    out.push(
      `  inputs [id="inputs", class="io", shape=box, style="filled", fillcolor="#f4f6f8", color="#c5ccd6", fontcolor="${MUTED}", fontsize=11, label=<${ioHtml("inputs", inputs)}>];`,
    );
  }

  for (const node of graph.nodes) {
    const attrs: string[] = [`id="step-${node.index}"`];
    const classes = ["step"];
    if (node.subWorkflow !== undefined) classes.push("sub-workflow");
    if (node.map !== undefined) classes.push("map");
    if (node.condition !== null) classes.push("conditional");
    let style = node.condition !== null ? "rounded,filled,dashed" : "rounded,filled";
    if (options.outcomes) {
      const outcome = options.outcomes.get(node.id) ?? "not-reached";
      const look = OUTCOME_STYLE[outcome];
      classes.push(`status-${outcome}`);
      style = look.style;
      attrs.push(`fillcolor="${look.fill}"`, `color="${look.stroke}"`);
    }
    if (critical.has(node.id)) {
      classes.push("critical");
      attrs.push(`color="${CRITICAL}"`, "penwidth=2.4");
    }
    if (node.subWorkflow !== undefined) attrs.push("peripheries=2");
    if (node.map !== undefined) {
      // a stack of boxes: the step runs once per item (box3d has no rounded corners)
      attrs.push("shape=box3d");
      style = style.replace("rounded,", "");
    }
    attrs.push(
      `style="${style}"`,
      `class="${classes.join(" ")}"`,
      `label=<${nodeHtml(node)}>`,
      `tooltip="${escString(nodeTooltip(node))}"`,
    );
    out.push(`  ${name(node)} [${dedupe(attrs).join(", ")}];`);
  }

  if (outputs.length > 0) {
    out.push(
      `  outputs [id="outputs", class="io", shape=box, style="filled", fillcolor="#f4f6f8", color="#c5ccd6", fontcolor="${MUTED}", fontsize=11, label=<${ioHtml(
        "outputs",
        outputs.map((o) => o.name),
      )}>];`,
    );
  }

  for (const edge of graph.edges) {
    const attrs = edgeAttributes(edge);
    if (criticalEdges.has(`${edge.from}\u0000${edge.to}`))
      attrs.push(`color="${CRITICAL}"`, "penwidth=2.2", `class="edge-${edge.kind} critical"`);
    else attrs.push(`class="edge-${edge.kind}"`);
    out.push(`  ${name(edge.from)} -> ${name(edge.to)} [${dedupe(attrs).join(", ")}];`);
  }
  for (const step of new Set(outputs.flatMap((o) => o.steps))) {
    out.push(`  ${name(step)} -> outputs [class="edge-output", style=dotted, color="${EDGE_COLORS.output}", arrowhead=none];`);
  }
  if (inputs.length > 0) {
    for (const node of graph.nodes) {
      if (node.inputs.length > 0 && !graph.edges.some((e) => e.to === node.id)) out.push(`  inputs -> ${name(node)} [style=invis];`);
    }
  }
  out.push("}");
  return `${out.join("\n")}\n`;
}

function edgeAttributes(edge: GraphEdge): string[] {
  const label = edgeLabel(edge);
  const attrs: string[] = [];
  let color: string | undefined;
  if (edge.kind === "order") {
    attrs.push("style=dotted");
    color = EDGE_COLORS.order;
  } else if (edge.kind === "outcome") {
    attrs.push("style=dashed", "penwidth=1.6");
    color = EDGE_COLORS[edge.outcome ?? "outcome"];
  } else if (edge.kind === "unordered") {
    attrs.push("style=dashed", "penwidth=1.6", "constraint=false");
    color = EDGE_COLORS.unordered;
  }
  if (color) attrs.push(`color="${color}"`, `fontcolor="${color}"`);
  if (label !== "") attrs.push(`label=<${html(label)}>`);
  if (edge.reads.length > 0)
    attrs.push(
      `tooltip="${escString(`${edge.to} reads ${edge.reads.map((r) => (r === "" ? edge.from : `${edge.from}.${r}`)).join(", ")}`)}"`,
    );
  return attrs;
}

/** A later attribute of the same name replaces an earlier one (Graphviz would warn about neither, but keep one). */
function dedupe(attrs: string[]): string[] {
  const byName = new Map<string, string>();
  for (const a of attrs) byName.set(a.slice(0, a.indexOf("=")), a);
  return [...byName.values()];
}

function nodeHtml(node: GraphNode): string {
  const details = nodeDetailLines(node).map((line) => `<BR/><FONT POINT-SIZE="10" COLOR="${MUTED}">${html(line)}</FONT>`);
  return `<B>${html(node.id)}</B>${details.join("")}`;
}

function ioHtml(title: string, names: readonly string[]): string {
  const [head, ...rows] = ioLabel(title, names).split("\n");
  return `<B>${html(head!)}</B>${rows.map((r) => `<BR/>${html(r)}`).join("")}`;
}

/**
 * Text inside an HTML-like label: entities for `& < > "`, control characters as spaces, and `\` doubled: Graphviz
 * expands `\N`, `\G`, `\E`... even in HTML labels, and reads `\\` as one backslash.
 */
export function html(text: string): string {
  let out = "";
  for (const ch of text) {
    switch (ch) {
      case "\\":
        out += "\\\\";
        break;
      case "&":
        out += "&amp;";
        break;
      case "<":
        out += "&lt;";
        break;
      case ">":
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += isControl(ch) ? " " : ch;
    }
  }
  return out;
}

/**
 * Text inside a quoted DOT string that Graphviz reads as an escString (tooltips), lines as `\n`. A backslash is
 * unescaped twice (by the DOT lexer, then by the escString expansion of `\N`, `\G`...), so it is written as four.
 */
export function escString(text: string): string {
  let out = "";
  for (const ch of text) {
    if (ch === "\\") out += "\\\\\\\\";
    else if (ch === '"') out += '\\"';
    else if (ch === "\n") out += "\\n";
    else out += isControl(ch) ? " " : ch;
  }
  return out;
}

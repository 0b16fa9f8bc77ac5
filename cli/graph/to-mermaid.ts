/**
 * @module A workflow graph as Mermaid `flowchart` text (GitHub and most Markdown viewers draw it). Nodes get
 * generated ids (`s0`, `s1`, ...) so a step id may hold any character; labels are quoted with Mermaid's entity
 * codes for the characters that would end or reinterpret them. A map step is a hexagon.
 */
import { EDGE_COLORS, edgeLabel, ioLabel, isControl, nodeDetailLines } from "./labels.js";
import type { GraphEdge, WorkflowGraph } from "./model.js";

export function toMermaid(graph: WorkflowGraph): string {
  const ids = new Map(graph.nodes.map((n) => [n.id, `s${n.index}`]));
  // the comment after the diagram type: older renderers expect the type on the first line
  const lines = ["flowchart TD", `%% workflow ${oneLine(graph.name)}: drawn by weave graph`];
  const hasInputs = graph.inputs.length > 0;
  const outputs = graph.outputs.filter((o) => o.steps.length > 0);

  if (hasInputs) lines.push(`  inputs[/"${escapeMermaid(ioLabel("inputs", graph.inputs))}"/]:::io`);
  for (const node of graph.nodes) {
    const label = [node.id, ...nodeDetailLines(node)].map(escapeMermaid).join("<br>");
    // a map step is a hexagon (a flowchart's loop), a sub-workflow a subroutine box
    const [open, close] = node.map !== undefined ? ["{{", "}}"] : node.subWorkflow !== undefined ? ["[[", "]]"] : ["(", ")"];
    const classes = node.condition !== null ? ":::conditional" : "";
    lines.push(`  ${ids.get(node.id)}${open}"${label}"${close}${classes}`);
  }
  if (outputs.length > 0)
    lines.push(
      `  outputs[\\"${escapeMermaid(
        ioLabel(
          "outputs",
          outputs.map((o) => o.name),
        ),
      )}"\\]:::io`,
    );

  // linkStyle refers to links by their position, so count every visible one
  const styles: string[] = [];
  let link = 0;
  for (const edge of graph.edges) {
    lines.push(`  ${ids.get(edge.from)} ${arrow(edge)} ${ids.get(edge.to)}`);
    const color = edgeColor(edge);
    if (color)
      styles.push(
        `  linkStyle ${link} stroke:${color},color:${color}${edge.kind === "outcome" || edge.kind === "unordered" ? ",stroke-width:2px" : ""}`,
      );
    link++;
  }
  const outputSteps = [...new Set(outputs.flatMap((o) => o.steps))];
  for (const step of outputSteps) {
    lines.push(`  ${ids.get(step)} -.-> outputs`);
    styles.push(`  linkStyle ${link++} stroke:${EDGE_COLORS.output}`);
  }
  // invisible links keep the inputs above the steps that read them
  if (hasInputs)
    for (const node of graph.nodes)
      if (node.inputs.length > 0 && !graph.edges.some((e) => e.to === node.id)) lines.push(`  inputs ~~~ ${ids.get(node.id)}`);

  lines.push(...styles);
  lines.push("  classDef default fill:#ffffff,stroke:#5f6b7a,color:#1f2933");
  lines.push("  classDef conditional stroke-dasharray:5 3");
  lines.push("  classDef io fill:#f4f6f8,stroke:#b8c0cc,color:#52606d");
  return `${lines.join("\n")}\n`;
}

function arrow(edge: GraphEdge): string {
  const label = edgeLabel(edge);
  const line = edge.kind === "data" ? "-->" : "-.->";
  return label === "" ? line : `${line}|"${escapeMermaid(label)}"|`;
}

function edgeColor(edge: GraphEdge): string | undefined {
  if (edge.kind === "order") return EDGE_COLORS.order;
  if (edge.kind === "unordered") return EDGE_COLORS.unordered;
  if (edge.kind === "outcome") return EDGE_COLORS[edge.outcome ?? "outcome"];
  return undefined;
}

const ENTITIES: Record<string, string> = {
  '"': "#quot;",
  "#": "#35;",
  "&": "#amp;",
  "<": "#lt;",
  ">": "#gt;",
  "`": "#96;",
  "{": "#123;",
  "}": "#125;",
  "|": "#124;",
  "\n": "<br>",
};

/**
 * Text for inside a quoted Mermaid label: quotes, `#`, HTML and Markdown characters become entity codes, a line
 * break becomes `<br>`, other control characters a space. Everything else (unicode too) stays as it is.
 */
export function escapeMermaid(text: string): string {
  let out = "";
  for (const ch of text) {
    const entity = ENTITIES[ch];
    if (entity !== undefined) out += entity;
    else out += isControl(ch) ? " " : ch;
  }
  return out;
}

function oneLine(text: string): string {
  return [...text].map((ch) => (isControl(ch) ? " " : ch)).join("");
}

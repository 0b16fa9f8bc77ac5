/** @module What `weave library` prints: the table of `list` and `search`, the details of `show`, and their JSON. */
import type { WorkflowLibrary } from "../../src/library/workflow-library.js";
import { toolsOf } from "../../src/library/search-index.js";
import type { JsonValue } from "../../src/model/schema.js";
import type { WorkflowTemplate } from "../../src/model/template.js";
import type { Palette } from "../shared/color.js";
import { formatDuration, truncate } from "../shared/format.js";

const origin = (library: WorkflowLibrary, name: string): "builtin" | "custom" => (library.isBuiltin(name) ? "builtin" : "custom");

/** One object per workflow, for `--json`. */
export function summaryJson(library: WorkflowLibrary, workflows: readonly WorkflowTemplate[]): object[] {
  return workflows.map((w) => ({
    name: w.name,
    description: w.description,
    category: w.category,
    tags: [...w.tags],
    steps: w.steps.length,
    tools: toolsOf(w),
    origin: origin(library, w.name),
  }));
}

const HEADER = ["name", "category", "steps", "origin", "tools"];

/** Aligned columns; the tools are cut to stay readable (`show` has everything). */
export function renderTable(library: WorkflowLibrary, workflows: readonly WorkflowTemplate[], c: Palette): string[] {
  const rows = workflows.map((w) => [
    w.name,
    w.category,
    String(w.steps.length),
    origin(library, w.name),
    truncate(toolsOf(w).join(", "), 72),
  ]);
  const widths = HEADER.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => (i === 2 ? cell.padStart(widths[i]!) : i === cells.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [c.bold(line(HEADER)), ...rows.map(line)];
}

/** `string`, `"a" | "b"`, `string[]`, ... from a JSON Schema property. */
function typeOf(schema: Record<string, JsonValue>): string {
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
  if (schema.type === "array" && schema.items && typeof schema.items === "object" && !Array.isArray(schema.items))
    return `${typeOf(schema.items)}[]`;
  if (typeof schema.type === "string") return schema.type === "integer" ? "integer" : schema.type;
  if (Array.isArray(schema.type)) return schema.type.join(" | ");
  return "any";
}

function inputLines(template: WorkflowTemplate): string[] {
  const properties = template.inputs?.properties;
  if (!properties || typeof properties !== "object" || Array.isArray(properties) || Object.keys(properties).length === 0) return [];
  const required = new Set(Array.isArray(template.inputs?.required) ? template.inputs.required : []);
  const rows = Object.entries(properties).map(([name, raw]) => {
    const schema = (raw && typeof raw === "object" && !Array.isArray(raw) ? raw : {}) as Record<string, JsonValue>;
    const when = "default" in schema ? `default ${JSON.stringify(schema.default)}` : required.has(name) ? "required" : "optional";
    return [name, typeOf(schema), when, typeof schema.description === "string" ? schema.description : ""];
  });
  return ["inputs:", ...columns(rows)];
}

function stepLines(template: WorkflowTemplate, c: Palette): string[] {
  const rows = template.steps.map((s) => {
    const tool =
      s.toolName === "execute_workflow" && typeof s.parameters.workflow === "string" ? `workflow ${s.parameters.workflow}` : s.toolName;
    const notes: string[] = [];
    if (s.dependsOn.length > 0) notes.push(`after ${s.dependsOn.join(", ")}`);
    if (s.condition !== null) notes.push(`when ${s.condition}`);
    if (s.maxRetries > 0) notes.push(`retries ${s.maxRetries} (${s.backoff}, ${formatDuration(s.retryDelayMs)})`);
    if (s.timeoutMs !== null) notes.push(`timeout ${formatDuration(s.timeoutMs)}`);
    return [s.id, tool, notes.join("; ")];
  });
  const lines = columns(rows);
  return ["steps:", ...template.steps.flatMap((s, i) => (s.description ? [lines[i]!, c.dim(`      ${s.description}`)] : [lines[i]!]))];
}

/** Rows as indented, aligned columns (trailing empty cells dropped). */
function columns(rows: readonly string[][]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => r[i]!.length))) ?? [];
  return rows.map((r) => `  ${r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join("  ")}`.trimEnd());
}

/** `weave library show`: description, tags, inputs, steps with their dependencies, outputs. */
export function renderShow(library: WorkflowLibrary, template: WorkflowTemplate, c: Palette): string[] {
  const lines = [`${c.bold(template.name)}  (${origin(library, template.name)}, category ${template.category})`];
  if (template.description) lines.push(template.description);
  if (template.tags.length > 0) lines.push(`tags: ${template.tags.join(", ")}`);
  const sources = [...new Set(template.steps.flatMap((s) => (s.source ? [s.source.file] : [])))];
  if (sources.length > 0) lines.push(`source: ${sources.join(", ")}`);
  const inputs = inputLines(template);
  if (inputs.length > 0) lines.push("", ...inputs);
  lines.push("", ...stepLines(template, c));
  if (template.outputs && Object.keys(template.outputs).length > 0) {
    lines.push(
      "",
      "outputs:",
      ...columns(Object.entries(template.outputs).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)])),
    );
  }
  return lines;
}

/**
 * @module Workflow plans as DSL source: TypeScript modules that import `zod` and `toolweave`, declare tools with the
 * schemas of the plan (no implementation), and the workflows, whose references are their dependencies. The source
 * type-checks, and `weave compile` extracts from it the template the plan describes.
 *
 * `emitModuleSource` writes any number of tools and workflows, importing what other modules declare (what
 * `weave migrate` writes, and, for one workflow, the pattern detector: src/patterns/source.ts).
 */
import type { JsonValue } from "../model/schema.js";
import type { PathSegment } from "../placeholder/path.js";
import {
  stepsReadBy,
  type ConditionOperand,
  type ConditionPlan,
  type ParamNode,
  type PlannedStep,
  type PlannedTool,
  type SourcePlan,
} from "./plan.js";
import { propertyKey, zodSource } from "./value-shape.js";

const RESERVED = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally for function if import in " +
    "instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package " +
    "private protected public await async of arguments eval undefined NaN Infinity z tool workflow input step " +
    "eq ne gt gte lt lte and or not isTrue failed succeeded finished"
  ).split(" "),
);

const MAX_LINE = 120;

/** The module-level constant of each tool and workflow (by name), unique across every module written together. */
export interface SourceNames {
  readonly tools: ReadonlyMap<string, string>;
  readonly workflows: ReadonlyMap<string, string>;
  /** Every constant name, so step variables avoid them. */
  readonly taken: ReadonlySet<string>;
}

/** Allocates the constant names: tools first, then workflows, each from its camel-cased name. */
export function allocateNames(toolNames: Iterable<string>, workflowNames: Iterable<string>): SourceNames {
  const taken = new Set<string>();
  const tools = new Map<string, string>();
  const workflows = new Map<string, string>();
  for (const t of toolNames) if (!tools.has(t)) tools.set(t, claim(taken, camel(t, "tool")));
  for (const w of workflowNames) if (!workflows.has(w)) workflows.set(w, claim(taken, camel(w, "workflow")));
  return { tools, workflows, taken };
}

/** One TypeScript module: a header comment, imports of other modules, tool declarations, then workflows in order. */
export interface SourceModule {
  /** Lines of the header comment. */
  readonly header: readonly string[];
  /** Constants imported from other modules written together (`from` is a relative specifier ending in `.js`). */
  readonly imports?: readonly { readonly from: string; readonly names: readonly string[] }[];
  /** Tools declared (exported) by this module. */
  readonly tools: readonly PlannedTool[];
  /** Workflows declared (exported) by this module; a sub-workflow comes before the workflows that run it. */
  readonly workflows: readonly SourcePlan[];
  readonly names: SourceNames;
}

/** The source of a module. */
export function emitModuleSource(module: SourceModule): string {
  const { names } = module;
  const out: string[] = [];
  // a tool name holding "*/" must not end the comment
  out.push("/**", ...module.header.map((l) => (l === "" ? " *" : ` * ${l.replaceAll("*/", "*\\/")}`)), " */");
  const helpers = new Set<string>();
  for (const w of module.workflows) for (const s of w.steps) if (s.condition) collectHelpers(s.condition, helpers);
  const dsl = [...(module.tools.length > 0 ? ["tool"] : []), "workflow", ...HELPERS.filter((h) => helpers.has(h))];
  out.push('import { z } from "zod";', `import { ${dsl.join(", ")} } from "toolweave";`);
  for (const i of module.imports ?? []) out.push(`import { ${i.names.join(", ")} } from ${JSON.stringify(i.from)};`);
  out.push("");
  for (const t of module.tools) {
    out.push(`export const ${names.tools.get(t.name)} = tool(${JSON.stringify(t.name)}, {`);
    out.push(`  input: ${zodSource(t.input, "  ")},`);
    out.push(`  output: ${zodSource(t.output, "  ")},`);
    out.push("});", "");
  }
  for (const w of module.workflows) out.push(...workflowLines(w, names), "");
  return out.join("\n");
}

const HELPERS = ["eq", "ne", "gt", "gte", "lt", "lte", "and", "or", "not", "isTrue", "failed", "succeeded", "finished"];
const COMPARE: Record<string, string> = { "==": "eq", "!=": "ne", ">": "gt", ">=": "gte", "<": "lt", "<=": "lte" };

function collectHelpers(c: ConditionPlan, out: Set<string>): void {
  switch (c.kind) {
    case "compare":
      out.add(COMPARE[c.op]!);
      break;
    case "isTrue":
    case "finished":
      out.add(c.kind);
      break;
    case "outcome":
      out.add(c.outcome);
      break;
    case "logical":
      out.add(c.op);
      for (const o of c.operands) collectHelpers(o, out);
      break;
    case "not":
      out.add("not");
      collectHelpers(c.operand, out);
      break;
  }
}

function workflowLines(plan: SourcePlan, names: SourceNames): string[] {
  const { template, steps, inputs } = plan;
  const local = new Set(names.taken);
  const referenced = new Set<number>();
  for (const s of steps) for (const d of [...s.dependsOn, ...(s.after ?? [])]) referenced.add(d);
  if (plan.outputs) stepsReadBy(plan.outputs, referenced);
  const stepVar = steps.map((s, i) => (referenced.has(i) ? claim(local, `${camel(s.id, "unnamed")}Step`) : ""));

  const out: string[] = [];
  for (const note of plan.notes ?? []) out.push(`// TODO(migrate): ${note}`);
  const inputSchema =
    plan.inputSource ??
    (inputs.length === 0
      ? "z.object({})"
      : `z.object({\n${inputs.map(([n, s]) => `    ${propertyKey(n)}: ${zodSource(s, "    ")},`).join("\n")}\n  })`);
  const hasInput = inputs.length > 0 || (plan.inputSource !== undefined && plan.inputSource !== "z.object({})");
  out.push(`export const ${names.workflows.get(template.name)} = workflow(${JSON.stringify(template.name)}, {`);
  out.push(`  description: ${JSON.stringify(template.description)},`);
  out.push(`  category: ${JSON.stringify(template.category)},`);
  out.push(`  tags: [${template.tags.map((t) => JSON.stringify(t)).join(", ")}],`);
  out.push(`  input: ${inputSchema},`);
  if (template.timeoutMs !== undefined) out.push(`  timeoutMs: ${template.timeoutMs},`);
  out.push(`}, (${hasInput ? "{ input, step }" : "{ step }"}) => {`);
  steps.forEach((s, i) => out.push(...stepLines(s, stepVar[i]!, stepVar, names)));
  if (!plan.outputs || plan.outputs.entries.length === 0) out.push("  return {};");
  else {
    const flat = `  return ${expr(plan.outputs, stepVar, "  ")};`;
    if (flat.length <= MAX_LINE && !flat.includes("\n")) out.push(flat);
    else {
      out.push("  return {");
      for (const [k, v] of plan.outputs.entries) out.push(`    ${propertyKey(k)}: ${expr(v, stepVar, "    ")},`);
      out.push("  };");
    }
  }
  out.push("});");
  return out;
}

function stepLines(s: PlannedStep, variable: string, stepVar: readonly string[], names: SourceNames): string[] {
  const out: string[] = [];
  for (const note of s.notes ?? []) out.push(`  // TODO(migrate): ${note}`);
  const target = s.workflow !== undefined ? `workflow(${names.workflows.get(s.workflow)})` : `tool(${names.tools.get(s.toolName)})`;
  const map = s.forEach ? `forEach(${expr(s.forEach, stepVar, "")}).` : "";
  const head = `${variable ? `const ${variable} = ` : ""}step(${JSON.stringify(s.id)}).${map}${target}`;
  // a map step's parameters are a function of its item
  const open = s.forEach ? "(item) => (" : "";
  const close = s.forEach ? ")" : "";
  const methods: string[] = [];
  if (s.after && s.after.length > 0) methods.push(`.after(${s.after.map((d) => stepVar[d]).join(", ")})`);
  if (s.condition) methods.push(`.when(${condition(s.condition, stepVar)})`);
  if (s.retry) {
    const { max, delayMs, backoff } = s.retry;
    methods.push(
      `.retry({ max: ${max}${delayMs !== undefined ? `, delayMs: ${delayMs}` : ""}${backoff !== undefined ? `, backoff: ${JSON.stringify(backoff)}` : ""} })`,
    );
  }
  if (s.timeoutMs !== undefined) methods.push(`.timeout(${s.timeoutMs})`);
  if (s.description !== undefined) methods.push(`.describe(${JSON.stringify(s.description)})`);
  // the methods after `.with(...)`, on that line when it has room, else one per line
  const withTail = (prefix: string): string[] => {
    const line = `${prefix}${methods.join("")};`;
    if (line.length <= MAX_LINE || methods.every((m) => m.startsWith(".after("))) return [line];
    return [prefix, ...methods.map((m, i) => `    ${m}${i === methods.length - 1 ? ";" : ""}`)];
  };
  const params = expr(s.params, stepVar, "  ");
  const flat = `  ${head}.with(${open}${params}${close})${methods.join("")};`;
  const call = `  ${head}.with(${open}${params}${close})`;
  if (flat.length <= MAX_LINE && !flat.includes("\n")) out.push(flat);
  // a long condition (or retry, timeout, description) goes below a call that fits on its line
  else if (methods.some((m) => !m.startsWith(".after(")) && call.length <= MAX_LINE && !call.includes("\n")) out.push(...withTail(call));
  else if (s.params.entries.length === 0) out.push(...withTail(`  ${head}.with(${open}{}${close})`));
  else {
    out.push(`  ${head}.with(${open}{`);
    for (const [k, v] of s.params.entries) out.push(`    ${propertyKey(k)}: ${expr(v, stepVar, "    ")},`);
    out.push(...withTail(`  }${close})`));
  }
  return out;
}

function condition(c: ConditionPlan, stepVar: readonly string[]): string {
  switch (c.kind) {
    case "compare":
      return `${COMPARE[c.op]}(${operand(c.left, stepVar)}, ${operand(c.right, stepVar)})`;
    case "isTrue":
      return `isTrue(${expr(c.value, stepVar, "")})`;
    case "outcome":
      return `${c.outcome}(${stepVar[c.step]})`;
    case "finished":
      return `finished(${c.steps.map((s) => stepVar[s]).join(", ")})`;
    case "logical":
      return `${c.op}(${c.operands.map((o) => condition(o, stepVar)).join(", ")})`;
    case "not":
      return `not(${condition(c.operand, stepVar)})`;
  }
}

const operand = (o: ConditionOperand, stepVar: readonly string[]): string =>
  o.kind === "literal" ? literal(o.value) : expr(o, stepVar, "");

function expr(node: ParamNode, stepVar: readonly string[], indent: string): string {
  switch (node.kind) {
    case "literal":
      return literal(node.value);
    case "input":
      return `input${accessPath([node.name, ...(node.path ?? [])])}`;
    case "ref":
      return `${stepVar[node.step]}.out${accessPath(node.path)}`;
    case "item":
      return `item${accessPath(node.path)}`;
    case "text":
      return `\`${node.parts.map((p) => (typeof p === "string" ? templateText(p) : `\${${expr(p, stepVar, indent)}}`)).join("")}\``;
    case "array":
      return `[${node.items.map((v) => expr(v, stepVar, indent)).join(", ")}]`;
    case "object": {
      if (node.entries.length === 0) return "{}";
      const flat = `{ ${node.entries.map(([k, v]) => `${propertyKey(k)}: ${expr(v, stepVar, `${indent}  `)}`).join(", ")} }`;
      if (flat.length + indent.length <= MAX_LINE && !flat.includes("\n")) return flat;
      return `{\n${node.entries.map(([k, v]) => `${indent}  ${propertyKey(k)}: ${expr(v, stepVar, `${indent}  `)},`).join("\n")}\n${indent}}`;
    }
  }
}

/** Text inside a template literal: its cooked value is `text` (a raw line break would read as "\n" only for LF). */
function templateText(text: string): string {
  return text.replace(/[\\`]|\$\{|[\u0000-\u001f\u2028\u2029]/g, (c) => {
    if (c === "\\" || c === "`") return `\\${c}`;
    if (c === "${") return "\\${";
    if (c === "\n") return "\\n";
    if (c === "\t") return "\\t";
    if (c === "\r") return "\\r";
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
  });
}

function literal(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(literal).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value);
    return entries.length === 0 ? "{}" : `{ ${entries.map(([k, v]) => `${propertyKey(k)}: ${literal(v)}`).join(", ")} }`;
  }
  // line and paragraph separators are valid in a string literal, but invisible
  return JSON.stringify(value)
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

function accessPath(path: readonly PathSegment[]): string {
  return path
    .map((seg) => (typeof seg === "number" ? `[${seg}]` : /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(seg) ? `.${seg}` : `[${JSON.stringify(seg)}]`))
    .join("");
}

/** `docker_build` → `dockerBuild`; a JavaScript identifier (letters of any script are kept). */
function camel(name: string, fallback: string): string {
  const words = name.split(/[^\p{L}\p{Nd}]+/u).filter(Boolean);
  let id = words.map((w, i) => (i === 0 ? w.charAt(0).toLowerCase() + w.slice(1) : w.charAt(0).toUpperCase() + w.slice(1))).join("");
  if (id === "") id = fallback;
  return /^\p{Nd}/u.test(id) ? `_${id}` : id;
}

function claim(names: Set<string>, base: string): string {
  let name = RESERVED.has(base) ? `${base}_` : base;
  for (let i = 2; names.has(name); i++) name = `${base}${i}`;
  names.add(name);
  return name;
}

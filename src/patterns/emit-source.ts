/**
 * @module A suggested workflow as DSL source: a self-contained TypeScript module that imports `zod` and `toolweave`,
 * declares each tool with the schemas inferred from the observed values (no implementation), and the workflow, whose
 * references are its dependencies. It type-checks, and `weave compile` extracts the same template as `plan.template`.
 */
import type { JsonValue } from "../model/schema.js";
import type { PathSegment } from "../template/path.js";
import type { ParamNode, WorkflowPlan } from "./suggest.js";
import { propertyKey, zodSource } from "./value-shape.js";

const RESERVED = new Set(
  ("break case catch class const continue debugger default delete do else enum export extends false finally for function if import in " +
    "instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package " +
    "private protected public await async of arguments eval undefined NaN Infinity z tool workflow input step").split(" "),
);

const MAX_LINE = 120;

/**
 * The source of `plan` (from `planWorkflow`, or `PatternDetector.suggestWorkflowSource`).
 * @example writeFileSync("deploy.ts", emitWorkflowSource(planWorkflow(patterns[0], { name: "deploy" })))
 */
export function emitWorkflowSource(plan: WorkflowPlan): string {
  const { template, steps, tools, inputs, mode } = plan;
  const names = new Set<string>();
  const toolConst = new Map(tools.map((t) => [t.name, claim(names, camel(t.name))]));
  const workflowConst = claim(names, camel(template.name));
  const referenced = new Set<number>();
  for (const s of steps) for (const d of s.dependsOn) referenced.add(d);
  const stepVar = steps.map((s, i) => (referenced.has(i) ? claim(names, `${camel(s.id)}Step`) : ""));

  const out: string[] = [];
  // a tool name holding "*/" must not end the comment
  out.push("/**", ...headerLines(plan).map((l) => (l === "" ? " *" : ` * ${l.replaceAll("*/", "*\\/")}`)), " */");
  out.push('import { z } from "zod";', 'import { tool, workflow } from "toolweave";', "");
  for (const t of tools) {
    out.push(`export const ${toolConst.get(t.name)} = tool(${JSON.stringify(t.name)}, {`);
    out.push(`  input: ${zodSource(t.input, "  ")},`);
    out.push(`  output: ${zodSource(t.output, "  ")},`);
    out.push("});", "");
  }
  const inputSchema = inputs.length === 0 ? "z.object({})" : `z.object({\n${inputs.map(([n, s]) => `    ${propertyKey(n)}: ${zodSource(s, "    ")},`).join("\n")}\n  })`;
  out.push(`export const ${workflowConst} = workflow(${JSON.stringify(template.name)}, {`);
  out.push(`  description: ${JSON.stringify(template.description)},`);
  out.push(`  category: ${JSON.stringify(template.category)},`);
  out.push(`  tags: [${template.tags.map((t) => JSON.stringify(t)).join(", ")}],`);
  out.push(`  input: ${inputSchema},`);
  out.push(`}, (${inputs.length > 0 ? "{ input, step }" : "{ step }"}) => {`);
  steps.forEach((s, i) => {
    const head = `${stepVar[i] ? `const ${stepVar[i]} = ` : ""}step(${JSON.stringify(s.id)}).tool(${toolConst.get(s.toolName)})`;
    const after = mode === "chain" && s.dependsOn.length > 0 ? `.after(${s.dependsOn.map((d) => stepVar[d]).join(", ")})` : "";
    const flat = `  ${head}.with(${expr(s.params, stepVar, "  ")})${after};`;
    if (flat.length <= MAX_LINE && !flat.includes("\n")) out.push(flat);
    else if (s.params.entries.length === 0) out.push(flat);
    else {
      out.push(`  ${head}.with({`);
      for (const [k, v] of s.params.entries) out.push(`    ${propertyKey(k)}: ${expr(v, stepVar, "    ")},`);
      out.push(`  })${after};`);
    }
  });
  out.push("  return {};", "});", "");
  return out.join("\n");
}

function headerLines(plan: WorkflowPlan): string[] {
  const { template, pattern, mode, samplesUsed } = plan;
  const seen =
    pattern.frequency === undefined
      ? ""
      : ` (seen ${pattern.frequency} times${pattern.successRate === undefined ? "" : `, ${Math.round(pattern.successRate * 100)}% fully successful`}${pattern.avgDurationMs === undefined ? "" : `, ${Math.round(pattern.avgDurationMs)} ms on average`})`;
  const lines = [`${template.name}: suggested by the toolweave pattern detector from the tool sequence`, `${pattern.tools.join(" → ")}${seen}.`, ""];
  if (mode === "data-flow") {
    lines.push(
      `Inferred from ${samplesUsed} sampled occurrence${samplesUsed === 1 ? "" : "s"}: a parameter equal to an earlier call's result field in`,
      "every sample is a reference (and a dependency), one equal in every sample a literal, any other a workflow input.",
      "Steps depend on their data sources only: calls that exchange no data run in parallel. Add .after(...) where an",
      "order matters without data (a side effect).",
    );
  } else {
    lines.push("No results were recorded to infer data flow from, so the steps run in the observed order.");
  }
  lines.push("", "The tools have no implementation: add a `run` to each, or pass them at run time (`run(vars, { tools })`,", "`weave run <file> --tools <module>`). Their schemas are inferred from the values seen: tighten them.");
  return lines;
}

function expr(node: ParamNode, stepVar: readonly string[], indent: string): string {
  switch (node.kind) {
    case "literal":
      return literal(node.value);
    case "input":
      return `input.${node.name}`;
    case "ref":
      return `${stepVar[node.step]}.out${accessPath(node.path)}`;
    case "array":
      return `[${node.items.map((v) => expr(v, stepVar, indent)).join(", ")}]`;
    case "object": {
      if (node.entries.length === 0) return "{}";
      const flat = `{ ${node.entries.map(([k, v]) => `${propertyKey(k)}: ${expr(v, stepVar, indent + "  ")}`).join(", ")} }`;
      if (flat.length + indent.length <= MAX_LINE && !flat.includes("\n")) return flat;
      return `{\n${node.entries.map(([k, v]) => `${indent}  ${propertyKey(k)}: ${expr(v, stepVar, indent + "  ")},`).join("\n")}\n${indent}}`;
    }
  }
}

function literal(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(literal).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value);
    return entries.length === 0 ? "{}" : `{ ${entries.map(([k, v]) => `${propertyKey(k)}: ${literal(v)}`).join(", ")} }`;
  }
  return JSON.stringify(value);
}

function accessPath(path: readonly PathSegment[]): string {
  return path.map((seg) => (typeof seg === "number" ? `[${seg}]` : /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(seg) ? `.${seg}` : `[${JSON.stringify(seg)}]`)).join("");
}

/** `docker_build` → `dockerBuild`; a JavaScript identifier. */
function camel(name: string): string {
  const words = name.split(/[^A-Za-z0-9]+/).filter(Boolean);
  let id = words.map((w, i) => (i === 0 ? w.charAt(0).toLowerCase() + w.slice(1) : w.charAt(0).toUpperCase() + w.slice(1))).join("");
  if (id === "") id = "tool";
  return /^[0-9]/.test(id) ? `_${id}` : id;
}

function claim(names: Set<string>, base: string): string {
  let name = RESERVED.has(base) ? `${base}_` : base;
  for (let i = 2; names.has(name); i++) name = `${base}${i}`;
  names.add(name);
  return name;
}

/**
 * @module Source generator for the type-check benchmark: ten tools with zod schemas, and one workflow of N steps
 * written twice: with the typed DSL (`workflow()`, `.with()`, references, conditions) and as a plain
 * `new WorkflowTemplate({...})` object literal with `{{placeholders}}` (the untyped baseline). Both are generated
 * from the same plan, so they describe the same steps, parameters, dependencies, conditions and retries.
 */
import { seeded } from "../dags.js";

// ---------------------------------------------------------------------------------------------------------------
// Schemas: a tiny description from which the zod code is printed and compatible references are found.

type Scalar = "string" | "number" | "boolean";
type Field =
  | { readonly t: Scalar; readonly opt?: "optional" | "default" }
  | { readonly t: "enum"; readonly values: readonly string[]; readonly opt?: "optional" | "default" }
  | { readonly t: "object"; readonly fields: Fields }
  | { readonly t: "array"; readonly of: Field };
type Fields = Readonly<Record<string, Field>>;

interface ToolSpec {
  /** Tool name (snake_case) and the identifier of its `const`. */
  readonly name: string;
  readonly ident: string;
  readonly input: Fields;
  readonly output: Fields;
}

const S = { t: "string" } as const;
const N = { t: "number" } as const;
const B = { t: "boolean" } as const;
const obj = (fields: Fields): Field => ({ t: "object", fields });
const arr = (of: Field): Field => ({ t: "array", of });
const opt = <F extends Field>(f: F, how: "optional" | "default" = "optional"): F => ({ ...f, opt: how });
const en = (...values: string[]): Field => ({ t: "enum", values });

/** Ten tools of a build-and-deploy pipeline: 3–6 fields each, strings, numbers, a nested object, arrays of objects. */
export const TOOLS: readonly ToolSpec[] = [
  {
    name: "fetch_repo",
    ident: "fetchRepo",
    input: { url: S, ref: S, depth: opt(N, "default"), auth: obj({ user: S, token: S }) },
    output: { path: S, commit: S, files: N, meta: obj({ branch: S, author: S }) },
  },
  {
    name: "install_deps",
    ident: "installDeps",
    input: { path: S, frozen: B, registry: opt(S), env: arr(obj({ name: S, value: S })) },
    output: { packages: N, durationMs: N, lockfile: S, warnings: arr(obj({ code: S, message: S })) },
  },
  {
    name: "run_tests",
    ident: "runTests",
    input: { path: S, pattern: S, shards: N, retries: opt(N, "default"), coverage: obj({ enabled: B, threshold: N }) },
    output: { passed: N, failed: N, report: S, ok: B, suites: arr(obj({ name: S, durationMs: N })) },
  },
  {
    name: "build_image",
    ident: "buildImage",
    input: {
      context: S,
      tag: S,
      platform: opt(en("linux/amd64", "linux/arm64"), "default"),
      args: arr(obj({ key: S, value: S })),
      cache: obj({ from: S, to: S }),
    },
    output: { imageId: S, sizeMb: N, digest: S, layers: arr(obj({ id: S, sizeMb: N })) },
  },
  {
    name: "scan_image",
    ident: "scanImage",
    input: { imageId: S, severity: en("low", "medium", "high", "critical"), ignore: arr(S) },
    output: { critical: N, high: N, passed: B, findings: arr(obj({ id: S, pkg: S, severity: S })), summary: opt(S) },
  },
  {
    name: "push_image",
    ident: "pushImage",
    input: { imageId: S, registry: S, tags: arr(S), retries: N },
    output: { ref: S, digest: S, pushedAt: S },
  },
  {
    name: "render_manifest",
    ident: "renderManifest",
    input: { template: S, image: S, replicas: N, values: obj({ name: S, env: S, resources: obj({ cpu: S, memory: S }) }) },
    output: { manifest: S, objects: N, checksum: S },
  },
  {
    name: "deploy",
    ident: "deploy",
    input: { manifest: S, namespace: S, timeoutSec: N, strategy: obj({ kind: en("rolling", "recreate"), maxSurge: N }) },
    output: { url: S, revision: N, healthy: B, pods: arr(obj({ name: S, ready: B })) },
  },
  {
    name: "smoke_test",
    ident: "smokeTest",
    input: { url: S, paths: arr(S), expectStatus: N },
    output: { ok: B, latencyMs: N, failures: arr(obj({ path: S, status: N })) },
  },
  {
    name: "notify",
    ident: "notify",
    input: { channel: S, text: S, level: opt(en("info", "warn", "error"), "default"), fields: arr(obj({ title: S, value: S })) },
    output: { messageId: S, sent: B, at: S },
  },
];

/** The workflow's variables; `env` is an enum, `replicas` and `dryRun` have defaults. */
const WORKFLOW_INPUT: Fields = {
  repo: S,
  ref: S,
  env: en("staging", "prod"),
  channel: S,
  replicas: opt(N, "default"),
  dryRun: opt(B, "default"),
};
const INPUT_REFS: Readonly<Record<Scalar, readonly string[]>> = {
  string: ["repo", "ref", "env", "channel"],
  number: ["replicas"],
  boolean: ["dryRun"],
};

function zodOf(f: Field): string {
  let code: string;
  switch (f.t) {
    case "string":
    case "number":
    case "boolean":
      code = `z.${f.t}()`;
      break;
    case "enum":
      code = `z.enum([${f.values.map((v) => JSON.stringify(v)).join(", ")}])`;
      break;
    case "object":
      return zodObject(f.fields);
    case "array":
      return `z.array(${zodOf(f.of)})`;
  }
  if (f.opt === "optional") return `${code}.optional()`;
  if (f.opt === "default")
    return `${code}.default(${f.t === "enum" ? JSON.stringify(f.values[0]) : f.t === "string" ? '""' : f.t === "number" ? "1" : "false"})`;
  return code;
}
/** The zod source of an object schema of these fields. */
export const zodObject = (fields: Fields): string =>
  `z.object({ ${Object.entries(fields)
    .map(([k, f]) => `${k}: ${zodOf(f)}`)
    .join(", ")} })`;

/** `tools.ts`: the ten tools and the workflow input schema, shared by the DSL and the baseline file. */
export function toolsSource(): string {
  const lines = [
    "// Generated by bench/typecheck.bench.ts: the tools both variants declare.",
    'import { z } from "zod";',
    'import { tool } from "toolweave";',
    "",
  ];
  for (const t of TOOLS)
    lines.push(
      `export const ${t.ident} = tool(${JSON.stringify(t.name)}, {\n  input: ${zodObject(t.input)},\n  output: ${zodObject(t.output)},\n});`,
    );
  lines.push("", `export const pipelineInput = ${zodObject(WORKFLOW_INPUT)};`, "");
  return lines.join("\n");
}

// ---------------------------------------------------------------------------------------------------------------
// The plan: one intermediate form, printed by both emitters.

type Path = readonly (string | number)[];
/** A reference: to a step's output (`step` = index) or to a workflow input (`step` undefined). */
interface RefV {
  readonly k: "ref";
  readonly step: number | undefined;
  readonly path: Path;
}
type Value =
  | { readonly k: "lit"; readonly v: string | number | boolean }
  | RefV
  | { readonly k: "tpl"; readonly parts: readonly (string | RefV)[] }
  | { readonly k: "obj"; readonly fields: readonly (readonly [string, Value])[] }
  | { readonly k: "arr"; readonly items: readonly Value[] };
type Cond =
  | { readonly k: "failed"; readonly step: number }
  | { readonly k: "cmp"; readonly op: "eq" | "gt"; readonly ref: RefV; readonly lit: number }
  | { readonly k: "bool"; readonly ref: RefV }
  | { readonly k: "and"; readonly a: Cond; readonly b: Cond }
  | { readonly k: "not"; readonly c: Cond };

interface StepPlan {
  readonly index: number;
  readonly tool: ToolSpec;
  readonly params: Extract<Value, { k: "obj" }>;
  readonly condition: Cond | undefined;
  readonly retry: boolean;
  readonly timeout: boolean;
  /** Steps it references (parameters and condition), ascending: the baseline's `dependsOn`. */
  readonly deps: readonly number[];
}

export interface WorkflowPlan {
  readonly n: number;
  readonly steps: readonly StepPlan[];
  readonly outputs: readonly (readonly [string, Value])[];
}

/** Required scalar leaves of an output schema, by type: `commit`, `meta.branch`, `layers[0].id`, `layers[1].sizeMb`. */
function leaves(fields: Fields, prefix: Path = []): { path: Path; t: Scalar }[] {
  const out: { path: Path; t: Scalar }[] = [];
  for (const [key, f] of Object.entries(fields)) {
    const path = [...prefix, key];
    if ("opt" in f && f.opt) continue; // optional outputs may be absent: not referenced
    if (f.t === "object") out.push(...leaves(f.fields, path));
    else if (f.t === "array") {
      if (f.of.t === "object") out.push(...leaves(f.of.fields, [...path, 0]), ...leaves(f.of.fields, [...path, 1]));
      else if (f.of.t !== "enum" && f.of.t !== "array") out.push({ path: [...path, 0], t: f.of.t });
    } else out.push({ path, t: f.t === "enum" ? "string" : f.t });
  }
  return out;
}
const OUTPUT_LEAVES = new Map(TOOLS.map((t) => [t, leaves(t.output)]));

/** Adds the steps a value references to `into`. */
function refsOf(v: Value, into: Set<number>): void {
  if (v.k === "ref") {
    if (v.step !== undefined) into.add(v.step);
  } else if (v.k === "tpl") {
    for (const p of v.parts) if (typeof p !== "string" && p.step !== undefined) into.add(p.step);
  } else if (v.k === "obj") {
    for (const [, x] of v.fields) refsOf(x, into);
  } else if (v.k === "arr") {
    for (const x of v.items) refsOf(x, into);
  }
}

/** A string value with `ref` appended as text: `"<value> from ${ref}"`. */
function withRef(v: Value, ref: RefV): Value {
  if (v.k === "tpl") return { k: "tpl", parts: [...v.parts, " from ", ref] };
  if (v.k === "lit") return { k: "tpl", parts: [`${String(v.v)} from `, ref] };
  return { k: "tpl", parts: [v as RefV, " from ", ref] };
}

/** Adds the steps a condition reads to `into`. */
function condDeps(c: Cond | undefined, into: Set<number>): void {
  if (!c) return;
  if (c.k === "failed") into.add(c.step);
  else if (c.k === "cmp" || c.k === "bool") {
    if (c.ref.step !== undefined) into.add(c.ref.step);
  } else if (c.k === "and") {
    condDeps(c.a, into);
    condDeps(c.b, into);
  } else condDeps(c.c, into);
}

/**
 * Plans a workflow of `n` steps: tools in turn; each step after the first references 1–3 of the 12 steps before it
 * (fields, nested fields, array items, text), plus inputs and literals; some conditions and retries.
 */
export function planWorkflow(n: number, seed = 42): WorkflowPlan {
  const rand = seeded(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const steps: StepPlan[] = [];
  for (let i = 0; i < n; i++) {
    const tool = TOOLS[i % TOOLS.length]!;
    const window = Array.from({ length: Math.min(i, 12) }, (_, j) => i - 1 - j);
    const sources: number[] = [];
    const want = i === 0 ? 0 : 1 + Math.floor(rand() * Math.min(3, window.length));
    while (sources.length < want) {
      const s = pick(window);
      if (!sources.includes(s)) sources.push(s);
    }
    let next = 0; // sources are used in turn, so each chosen one tends to be referenced
    const sourceRef = (t: Scalar): RefV | undefined => {
      for (let tries = 0; tries < sources.length; tries++) {
        const s = sources[(next + tries) % sources.length]!;
        const candidates = OUTPUT_LEAVES.get(steps[s]!.tool)!.filter((l) => l.t === t);
        if (candidates.length > 0) {
          next = (next + tries + 1) % sources.length;
          return { k: "ref", step: s, path: pick(candidates).path };
        }
      }
      return undefined;
    };
    const inputRef = (t: Scalar): RefV => ({ k: "ref", step: undefined, path: [pick(INPUT_REFS[t])] });
    let counter = 0;
    const value = (f: Field, name: string): Value => {
      switch (f.t) {
        case "enum":
          return { k: "lit", v: pick(f.values) };
        case "object":
          return { k: "obj", fields: fieldsOf(f.fields) };
        case "array":
          return { k: "arr", items: Array.from({ length: 1 + Math.floor(rand() * 2) }, () => value(f.of, name)) };
        default: {
          const r = rand();
          const ref = r < 0.5 ? sourceRef(f.t) : undefined;
          if (ref) return ref;
          if (f.t === "string" && r < 0.65) {
            return {
              k: "tpl",
              parts: [`${name}-`, sourceRef("string") ?? inputRef("string"), "/", inputRef(pick(["string", "number"] as const))],
            };
          }
          if (r < 0.85) return inputRef(f.t);
          counter++;
          return {
            k: "lit",
            v: f.t === "string" ? `${name}-${i}-${counter}` : f.t === "number" ? (i * 7 + counter) % 100 : counter % 2 === 0,
          };
        }
      }
    };
    const fieldsOf = (fields: Fields): [string, Value][] =>
      Object.entries(fields).flatMap(([key, f]): [string, Value][] => ("opt" in f && f.opt && rand() < 0.4 ? [] : [[key, value(f, key)]]));
    const fields = fieldsOf(tool.input);
    // A chosen source not referenced yet is added to the text of the first string parameter.
    const used = new Set<number>();
    refsOf({ k: "obj", fields }, used);
    for (const s of sources) {
      if (used.has(s)) continue;
      const leaf = OUTPUT_LEAVES.get(steps[s]!.tool)!.find((l) => l.t === "string")!;
      const at = fields.findIndex(([k]) => tool.input[k]!.t === "string");
      fields[at] = [fields[at]![0], withRef(fields[at]![1], { k: "ref", step: s, path: leaf.path })];
      used.add(s);
    }
    const params: Extract<Value, { k: "obj" }> = { k: "obj", fields };

    let condition: Cond | undefined;
    const numberLeaf = (s: number): RefV | undefined => {
      const l = OUTPUT_LEAVES.get(steps[s]!.tool)!.find((x) => x.t === "number");
      return l ? { k: "ref", step: s, path: l.path } : undefined;
    };
    const boolLeaf = (s: number): RefV | undefined => {
      const l = OUTPUT_LEAVES.get(steps[s]!.tool)!.find((x) => x.t === "boolean");
      return l ? { k: "ref", step: s, path: l.path } : undefined;
    };
    if (sources.length > 0) {
      const s = sources[0]!;
      if (i % 7 === 3) condition = { k: "failed", step: s };
      else if (i % 5 === 1 && numberLeaf(s)) condition = { k: "cmp", op: i % 2 === 0 ? "eq" : "gt", ref: numberLeaf(s)!, lit: i % 10 };
      else if (i % 11 === 5 && numberLeaf(s))
        condition = { k: "and", a: { k: "cmp", op: "gt", ref: numberLeaf(s)!, lit: 1 }, b: { k: "not", c: { k: "failed", step: s } } };
      else if (i % 13 === 0 && boolLeaf(s)) condition = { k: "bool", ref: boolLeaf(s)! };
    }
    const deps = new Set<number>();
    refsOf(params, deps);
    condDeps(condition, deps);
    steps.push({ index: i, tool, params, condition, retry: i % 3 === 0, timeout: i % 4 === 2, deps: [...deps].sort((a, b) => a - b) });
  }
  const last = (ident: string): number | undefined => steps.findLast((s) => s.tool.ident === ident)?.index;
  const outputs: [string, Value][] = [];
  const dep = last("deploy");
  if (dep !== undefined)
    outputs.push(["url", { k: "ref", step: dep, path: ["url"] }], ["revision", { k: "ref", step: dep, path: ["revision"] }]);
  const build = last("buildImage");
  if (build !== undefined)
    outputs.push([
      "image",
      { k: "tpl", parts: [{ k: "ref", step: build, path: ["imageId"] }, "@", { k: "ref", step: build, path: ["digest"] }] },
    ]);
  outputs.push(["steps", { k: "lit", v: n }]);
  return { n, steps, outputs };
}

// ---------------------------------------------------------------------------------------------------------------
// Emitters

const id = (i: number): string => `s${i}`;
const jsPath = (path: Path): string => path.map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`)).join("");
const placeholderPath = (path: Path): string => path.map((p, j) => (typeof p === "number" ? `[${p}]` : j === 0 ? p : `.${p}`)).join("");

function dslRef(r: RefV): string {
  return r.step === undefined ? `input${jsPath(r.path)}` : `${id(r.step)}.out${jsPath(r.path)}`;
}
function dslValue(v: Value): string {
  switch (v.k) {
    case "lit":
      return JSON.stringify(v.v);
    case "ref":
      return dslRef(v);
    case "tpl":
      return `\`${v.parts.map((p) => (typeof p === "string" ? p : `\${${dslRef(p)}}`)).join("")}\``;
    case "obj":
      return `{ ${v.fields.map(([k, x]) => `${k}: ${dslValue(x)}`).join(", ")} }`;
    case "arr":
      return `[${v.items.map(dslValue).join(", ")}]`;
  }
}
function dslCond(c: Cond): string {
  switch (c.k) {
    case "failed":
      return `failed(${id(c.step)})`;
    case "cmp":
      return `${c.op}(${dslRef(c.ref)}, ${c.lit})`;
    case "bool":
      return dslRef(c.ref);
    case "and":
      return `and(${dslCond(c.a)}, ${dslCond(c.b)})`;
    case "not":
      return `not(${dslCond(c.c)})`;
  }
}

/** Lines a caller may insert just before the body's `return` (the sanity check's deliberate errors). */
export interface DslExtras {
  readonly bodyLines?: readonly string[];
  readonly trailer?: readonly string[];
  readonly header?: readonly string[];
}

/** The workflow written with the typed DSL. */
export function dslSource(plan: WorkflowPlan, extras: DslExtras = {}): string {
  const lines = [
    `// Generated by bench/typecheck.bench.ts: ${plan.n} steps with the typed DSL.`,
    'import { and, eq, failed, gt, not, workflow } from "toolweave";',
    'import * as t from "./tools.js";',
    ...(extras.header ?? []),
    "",
    `export const pipeline = workflow("pipeline_${plan.n}", { description: "Build, test and deploy (${plan.n} steps)", input: t.pipelineInput }, ({ input, step }) => {`,
  ];
  for (const s of plan.steps) {
    let line = `  const ${id(s.index)} = step(${JSON.stringify(id(s.index))}).tool(t.${s.tool.ident}).with(${dslValue(s.params)})`;
    if (s.condition) line += `.when(${dslCond(s.condition)})`;
    if (s.retry) line += `.retry({ max: 2, delayMs: 500, backoff: "exponential" })`;
    if (s.timeout) line += ".timeout(30_000)";
    lines.push(`${line};`);
  }
  lines.push(...(extras.bodyLines ?? []));
  lines.push(`  return { ${plan.outputs.map(([k, v]) => `${k}: ${dslValue(v)}`).join(", ")} };`, "});", ...(extras.trailer ?? []), "");
  return lines.join("\n");
}

function placeholder(r: RefV): string {
  return `{{${r.step === undefined ? placeholderPath(r.path) : `${id(r.step)}.${placeholderPath(r.path)}`}}}`;
}
function jsonValue(v: Value): string {
  switch (v.k) {
    case "lit":
      return JSON.stringify(v.v);
    case "ref":
      return JSON.stringify(placeholder(v));
    case "tpl":
      return JSON.stringify(v.parts.map((p) => (typeof p === "string" ? p : placeholder(p))).join(""));
    case "obj":
      return `{ ${v.fields.map(([k, x]) => `${k}: ${jsonValue(x)}`).join(", ")} }`;
    case "arr":
      return `[${v.items.map(jsonValue).join(", ")}]`;
  }
}
function conditionSource(c: Cond): string {
  switch (c.k) {
    case "failed":
      return `{{${id(c.step)}.success}} == false`;
    case "cmp":
      return `${placeholder(c.ref)} ${c.op === "eq" ? "==" : ">"} ${c.lit}`;
    case "bool":
      return placeholder(c.ref);
    case "and":
      return `(${conditionSource(c.a)}) and (${conditionSource(c.b)})`;
    case "not":
      return `not (${conditionSource(c.c)})`;
  }
}

/** The same workflow as a plain `new WorkflowTemplate({...})` literal: ids, tool names, placeholders, dependsOn. */
export function baselineSource(plan: WorkflowPlan): string {
  const lines = [
    `// Generated by bench/typecheck.bench.ts: the same ${plan.n} steps as a plain WorkflowTemplate literal.`,
    'import { WorkflowTemplate } from "toolweave";',
    'import * as t from "./tools.js";',
    "",
    "export const pipeline = new WorkflowTemplate({",
    `  name: "pipeline_${plan.n}",`,
    `  description: "Build, test and deploy (${plan.n} steps)",`,
    '  inputs: { type: "object", properties: { repo: { type: "string" }, ref: { type: "string" }, env: { type: "string", enum: ["staging", "prod"] }, channel: { type: "string" }, replicas: { type: "number", default: 2 }, dryRun: { type: "boolean", default: false } }, required: ["repo", "ref", "env", "channel"] },',
    "  steps: [",
  ];
  for (const s of plan.steps) {
    const parts = [
      `id: ${JSON.stringify(id(s.index))}`,
      `toolName: t.${s.tool.ident}.name`,
      `parameters: ${jsonValue(s.params)}`,
      `dependsOn: [${s.deps.map((d) => JSON.stringify(id(d))).join(", ")}]`,
    ];
    if (s.condition) parts.push(`condition: ${JSON.stringify(conditionSource(s.condition))}`);
    if (s.retry) parts.push('maxRetries: 2, retryDelayMs: 500, backoff: "exponential"');
    if (s.timeout) parts.push("timeoutMs: 30_000");
    lines.push(`    { ${parts.join(", ")} },`);
  }
  lines.push("  ],", `  outputs: { ${plan.outputs.map(([k, v]) => `${k}: ${jsonValue(v)}`).join(", ")} },`, "});", "");
  return lines.join("\n");
}

/** Tools with no steps: the fixed cost (repository sources, zod, @types/node, the tool schemas). */
export function emptySource(): string {
  return [
    "// Generated by bench/typecheck.bench.ts: no workflow, only the shared tools (the fixed cost).",
    'import * as t from "./tools.js";',
    "export const tools = t;",
    "",
  ].join("\n");
}

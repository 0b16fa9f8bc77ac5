/**
 * @module From a detected sequence to a workflow: step ids, parameters (references, literals, inputs), dependencies,
 * and the inferred tool schemas the DSL source needs. `WorkflowPlan` is the one description both the template and
 * the emitted source are made from.
 *
 * Inference reads the pattern's sampled occurrences, preferring those in which every call succeeded:
 * - a parameter leaf (a string or number other than 0, 1 and "") equal, in every sample, to the same result field
 *   of an earlier call is data flow: a `{{step.field}}` reference, and that step a dependency. Among several such
 *   fields the nearest earlier call wins, then the shortest path. A call that was given the value (anywhere in its
 *   parameters, in any sample) only echoed it: it is not the value's source, an earlier call (or an input) is;
 * - otherwise a parameter equal in every sample is a literal;
 * - otherwise it is a workflow input; leaves with the same values in every sample share one input.
 * Parameters missing from some samples are left out.
 *
 * Order: by default a step also waits for the calls observed before it: those that, in every sample, ended before
 * it started (within a millisecond, the precision of most logs), so a sequence observed one call after another
 * stays a chain (build → security scan → deploy) and calls observed overlapping stay parallel. With
 * `parallel: true` steps depend on their data sources only (maximal parallelism). Without samples the steps form a
 * chain; without results to compare (none recorded) they keep the observed order even with `parallel`.
 */
import { z } from "zod";
import type { JsonValue } from "../model/schema.js";
import { WorkflowStep } from "../model/step.js";
import { WorkflowTemplate } from "../model/template.js";
import { FORBIDDEN_SEGMENTS, formatPath, lookupPath, type PathSegment } from "../placeholder/path.js";
import { checkKeys } from "./options.js";
import { inputNameOf, stepIdOf, suggestedName, uniqueNames } from "./names.js";
import { collapseRuns } from "./map-runs.js";
import { paramJson, stepsReadBy, type ParamNode, type PlannedStep, type PlannedTool, type SourcePlan } from "../codegen/plan.js";
import type { PatternOccurrence, ToolSequence } from "./types.js";
import { assignable, isPlainObject, isUsableKey, merge, requiredShapeAt, shapeOf, zodOf, type Shape } from "../codegen/value-shape.js";
import { jsonEqual } from "../condition/values.js";

export interface SuggestOptions {
  /**
   * Workflow name. @default from the tools, different for every sequence: `build__push__deploy` (the tools joined
   * by "__", a run of one tool as `deploy_region_x3`); `<first>__<last>___<hash>` when that would be longer than 100
   * characters or a tool name has characters other than letters, digits and single inner `_` or `-`. See
   * {@link suggestedName}.
   */
  name?: string;
  /** @default "Detected tool sequence a → b → c (seen n times, p% fully successful)" */
  description?: string;
  /**
   * Maximal parallelism: a step waits only for the steps whose results it reads, so calls observed one after
   * another without exchanging data run in parallel. @default false: a step also waits for the calls that ended
   * before it started in every sampled occurrence (the observed order)
   */
  parallel?: boolean;
  /**
   * Repeated calls of one tool in a row (`deploy_region → deploy_region`) become one map step over a list input, whose
   * items are what the calls were given differently. @default true
   */
  maps?: boolean;
}

export type { ParamNode, PlannedStep, PlannedTool } from "../codegen/plan.js";

/** A workflow suggested from a tool sequence: the plan its template and its source are made from, and where it came from. */
export interface WorkflowPlan extends SourcePlan {
  /** "data-flow": results were compared, so parameters can be references; "chain": no results to compare. */
  readonly mode: "data-flow" | "chain";
  /**
   * How the steps are ordered. "observed": each waits for its data sources and for the calls that ended before it
   * started in every sample (without samples, for the previous step); "data-flow": for its data sources only
   * (`parallel: true`).
   */
  readonly order: "observed" | "data-flow";
  /** Samples the inference read. */
  readonly samplesUsed: number;
  readonly pattern: Pick<ToolSequence, "tools"> & Partial<Omit<ToolSequence, "samples">>;
}

type Pattern = Pick<ToolSequence, "tools"> & Partial<ToolSequence>;

const MAX_LEAVES = 5000;
/** How far (ms) a call may seem to start before the previous one ended and still count as after it: logs round times. */
const ORDER_TOLERANCE_MS = 1;
const EMPTY_OBJECT: Shape = { kind: "object", fields: new Map() };

/** Plans the workflow `suggestWorkflow` returns. @throws TypeError for a pattern without tools, or bad options */
export function planWorkflow(pattern: Pattern, options: SuggestOptions = {}): WorkflowPlan {
  checkKeys(options, ["name", "description", "parallel", "maps"], "the suggest options");
  const tools = pattern?.tools;
  if (!Array.isArray(tools) || tools.length === 0 || !tools.every((t) => typeof t === "string" && t !== "")) {
    throw new TypeError("suggestWorkflow(pattern) needs a pattern whose tools are a non-empty array of tool names");
  }
  if (options.name !== undefined && (typeof options.name !== "string" || options.name === ""))
    throw new TypeError("the workflow name must be a non-empty string");
  if (options.description !== undefined && typeof options.description !== "string")
    throw new TypeError("the workflow description must be a string");
  if (options.parallel !== undefined && typeof options.parallel !== "boolean")
    throw new TypeError(`parallel must be a boolean, got ${typeof options.parallel}`);
  if (options.maps !== undefined && typeof options.maps !== "boolean")
    throw new TypeError(`maps must be a boolean, got ${typeof options.maps}`);

  const samples = usableSamples(pattern.samples ?? [], tools);
  const ids = uniqueNames(tools.map(stepIdOf), new Set());
  const params = tools.map((_, k) => samples.map((s) => (isPlainObject(s.calls[k]!.parameters) ? s.calls[k]!.parameters : {})));
  const results = tools.map((_, k) => samples.map((s) => (s.calls[k]!.success ? s.calls[k]!.result : undefined)));
  const mode = results.some((r) => r.some((v) => v !== undefined)) ? "data-flow" : "chain";
  const order = options.parallel === true && mode === "data-flow" ? "data-flow" : "observed";

  const toolShapes = new Map<string, { input: Shape | undefined; output: Shape | undefined }>();
  tools.forEach((name, k) => {
    const t = toolShapes.get(name) ?? { input: undefined, output: undefined };
    for (const p of params[k]!) t.input = merge(t.input, shapeOf(p));
    for (const r of results[k]!) if (r !== undefined) t.output = merge(t.output, shapeOf(r));
    toolShapes.set(name, t);
  });
  const plannedTools: PlannedTool[] = [...toolShapes].map(([name, t]) => ({
    name,
    input: t.input ?? EMPTY_OBJECT,
    output: t.output ?? EMPTY_OBJECT,
  }));
  const shapeOfTool = new Map(plannedTools.map((t) => [t.name, t]));

  const inputs = new Map<string, { name: string; shape: Shape }>();
  const usedNames = new Set(ids);
  const leafIndexes = results.map((r) => (r[0] === undefined ? new Map<string, PathSegment[][]>() : leafIndex(r[0])));
  // per step and sample, the values it was given (a value in its result it was given is an echo, not its output)
  const givenValues: (Set<string>[] | undefined)[] = [];
  const given = (k: number, s: number, value: unknown): boolean => (givenValues[k] ??= params[k]!.map(leafValues))[s]!.has(valueKey(value));

  const planNode = (j: number, values: readonly unknown[], path: PathSegment[]): ParamNode => {
    if (values.every(isPlainObject)) {
      const first = values[0] as Record<string, unknown>;
      const keys = Object.keys(first).filter((k) => isUsableKey(k) && values.every((v) => (v as Record<string, unknown>)[k] !== undefined));
      return {
        kind: "object",
        entries: keys.map(
          (k) =>
            [
              k,
              planNode(
                j,
                values.map((v) => (v as Record<string, unknown>)[k]),
                [...path, k],
              ),
            ] as const,
        ),
      };
    }
    if (
      values.every(Array.isArray) &&
      values.length > 0 &&
      (values[0] as unknown[]).length > 0 &&
      values.every((v) => (v as unknown[]).length === (values[0] as unknown[]).length)
    ) {
      return {
        kind: "array",
        items: (values[0] as unknown[]).map((_, i) =>
          planNode(
            j,
            values.map((v) => (v as unknown[])[i]),
            [...path, i],
          ),
        ),
      };
    }
    if (mode === "data-flow") {
      const source = findSource(j, values, path);
      if (source) return source;
    }
    if (values.every((v) => jsonEqual(v, values[0])) && isSafeLiteral(values[0])) return { kind: "literal", value: values[0] as JsonValue };
    const key = JSON.stringify(values);
    let input = inputs.get(key);
    if (!input) {
      const name = uniqueNames([inputNameOf(path)], usedNames)[0]!;
      usedNames.add(name);
      inputs.set(key, (input = { name, shape: values.reduce<Shape | undefined>((s, v) => merge(s, shapeOf(v)), undefined)! }));
    }
    return { kind: "input", name: input.name };
  };

  const findSource = (j: number, values: readonly unknown[], path: readonly PathSegment[]): ParamNode | undefined => {
    if (!values.every(isFlowValue)) return undefined;
    const target = shapeAtLoose(shapeOfTool.get(tools[j]!)!.input, path);
    for (let k = j - 1; k >= 0; k--) {
      if (values.some((v, s) => given(k, s, v))) continue;
      const candidates = leafIndex0(leafIndexes[k]!, values[0]).filter((q) =>
        values.every((v, s) => {
          const found = lookupPath(results[k]![s], q);
          return found.found && found.value === v;
        }),
      );
      candidates.sort((a, b) => a.length - b.length || compareText(formatPath(a), formatPath(b)));
      for (const q of candidates) {
        const source = requiredShapeAt(shapeOfTool.get(tools[k]!)!.output, q);
        if (source && target && assignable(source, target)) return { kind: "ref", step: k, path: q };
      }
    }
    return undefined;
  };

  /** Whether call k ended before call j started in every sample. */
  const endedBefore = (k: number, j: number): boolean =>
    samples.every((s) => s.calls[k]!.timestamp + s.calls[k]!.durationMs <= s.calls[j]!.timestamp + ORDER_TOLERANCE_MS);
  /** Every step each step waits for, directly or not. */
  const ancestors: Set<number>[] = [];
  const steps: PlannedStep[] = tools.map((toolName, j) => {
    const node =
      samples.length === 0
        ? { kind: "object" as const, entries: [] }
        : (planNode(j, params[j]!, []) as Extract<ParamNode, { kind: "object" }>);
    const sources = stepsReadBy(node);
    const waits: number[] = [];
    if (order === "observed" && j > 0) {
      if (samples.length === 0) waits.push(j - 1);
      else for (let k = 0; k < j; k++) if (endedBefore(k, j)) waits.push(k);
    }
    // only the waits no other dependency implies: the observed chain a → b → c has c wait for b, not for a and b
    const all = [...new Set([...sources, ...waits])];
    const implied = (k: number): boolean => all.some((d) => d !== k && ancestors[d]!.has(k));
    const after = waits.filter((k) => !sources.has(k) && !implied(k));
    const dependsOn = [...new Set([...sources, ...after])].sort((a, b) => a - b);
    const reach = new Set<number>();
    for (const d of dependsOn) {
      reach.add(d);
      for (const a of ancestors[d]!) reach.add(a);
    }
    ancestors.push(reach);
    return { id: ids[j]!, toolName, params: node, dependsOn, ...(after.length > 0 ? { after } : {}) };
  });

  // repeated calls of one tool in a row become one map step over a list input (map-runs.ts)
  const collapsed =
    options.maps === false
      ? { steps, ids, inputs: [...inputs.values()] }
      : collapseRuns({ tools, steps, ids, params, inputs: [...inputs.values()], taken: usedNames });
  const inputList = collapsed.inputs.map((i) => [i.name, i.shape] as const);
  const inputSchema = z.toJSONSchema(z.object(Object.fromEntries(inputList.map(([name, shape]) => [name, zodOf(shape)]))), {
    io: "input",
    unrepresentable: "any",
  });
  const template = new WorkflowTemplate({
    name: options.name ?? suggestedName(tools),
    description: options.description ?? defaultDescription(pattern),
    tags: ["detected"],
    inputs: inputSchema as Record<string, JsonValue>,
    steps: collapsed.steps.map(
      (s) =>
        new WorkflowStep({
          id: s.id,
          toolName: s.toolName,
          parameters: paramJson(s.params, collapsed.ids) as Record<string, JsonValue>,
          dependsOn: s.dependsOn.map((d) => collapsed.ids[d]!),
          ...(s.forEach ? { forEach: paramJson(s.forEach, collapsed.ids) as string } : {}),
        }),
    ),
  });
  template.validate();
  const { samples: _samples, ...info } = pattern;
  return {
    template,
    steps: collapsed.steps,
    tools: plannedTools,
    inputs: inputList,
    mode,
    order,
    samplesUsed: samples.length,
    pattern: info,
  };
}

/** Samples that match the pattern's tools; those in which every call succeeded when there are any. */
function usableSamples(samples: readonly PatternOccurrence[], tools: readonly string[]): PatternOccurrence[] {
  const matching = samples.filter((s) => s.calls.length === tools.length && s.calls.every((c, k) => c.toolName === tools[k]));
  const succeeded = matching.filter((s) => s.calls.every((c) => c.success));
  return succeeded.length > 0 ? succeeded : matching;
}

/** Not a value that could be equal by coincidence: a string other than "", a number other than 0 and 1. */
const isFlowValue = (v: unknown): boolean =>
  (typeof v === "string" && v !== "") || (typeof v === "number" && Number.isFinite(v) && v !== 0 && v !== 1);

const valueKey = (v: unknown): string => `${typeof v}:${String(v)}`;

/** Every string or number leaf of a result, by value, with the paths a reference can name. */
function leafIndex(result: unknown): Map<string, PathSegment[][]> {
  const index = new Map<string, PathSegment[][]>();
  let leaves = 0;
  const walk = (v: unknown, path: PathSegment[]): void => {
    if (leaves >= MAX_LEAVES) return;
    if (Array.isArray(v)) v.forEach((item, i) => walk(item, [...path, i]));
    else if (isPlainObject(v)) {
      for (const [k, item] of Object.entries(v)) if (isReferenceSegment(k)) walk(item, [...path, k]);
    } else if (isFlowValue(v)) {
      leaves++;
      const key = valueKey(v);
      const list = index.get(key);
      if (list) list.push(path);
      else index.set(key, [path]);
    }
  };
  walk(result, []);
  return index;
}

/** The value keys of every string or number leaf of `value`. */
function leafValues(value: unknown): Set<string> {
  const out = new Set<string>();
  let leaves = 0;
  const walk = (v: unknown): void => {
    if (leaves >= MAX_LEAVES) return;
    if (Array.isArray(v)) v.forEach(walk);
    else if (isPlainObject(v)) Object.values(v).forEach(walk);
    else if (isFlowValue(v)) {
      leaves++;
      out.add(valueKey(v));
    }
  };
  walk(value);
  return out;
}

const leafIndex0 = (index: Map<string, PathSegment[][]>, value: unknown): PathSegment[][] => [...(index.get(valueKey(value)) ?? [])];

/** A field name a `{{step.field}}` reference can spell. */
const isReferenceSegment = (k: string): boolean => /^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(k) && !FORBIDDEN_SEGMENTS.has(k);

/** The shape at `path`, optional fields included (a parameter the tool does not always get). */
function shapeAtLoose(shape: Shape, path: readonly PathSegment[]): Shape | undefined {
  let s: Shape | undefined = shape;
  for (const seg of path) {
    if (s?.kind === "nullable") s = s.inner;
    if (s === undefined) return undefined;
    s = typeof seg === "number" ? (s.kind === "array" ? s.items : undefined) : s.kind === "object" ? s.fields.get(seg)?.shape : undefined;
  }
  return s;
}

/** JSON that means itself in a template: no `{{` (it would be read as a placeholder) and no DSL token characters. */
function isSafeLiteral(v: unknown): boolean {
  if (typeof v === "string") return !v.includes("{{") && !/[\uE000\uE001]/.test(v);
  if (typeof v === "number") return Number.isFinite(v);
  if (v === null || typeof v === "boolean") return true;
  if (Array.isArray(v)) return v.every(isSafeLiteral);
  if (isPlainObject(v)) return Object.entries(v).every(([k, x]) => isUsableKey(k) && x !== undefined && isSafeLiteral(x));
  return false;
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function defaultDescription(p: Pattern): string {
  const seen =
    p.frequency === undefined
      ? ""
      : ` (seen ${p.frequency} time${p.frequency === 1 ? "" : "s"}${p.successRate === undefined ? "" : `, ${Math.round(p.successRate * 100)}% fully successful`})`;
  return `Detected tool sequence ${p.tools.join(" → ")}${seen}`;
}

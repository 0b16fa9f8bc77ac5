/**
 * @module Facts several rules share, computed once per lint run and cached on the step list: the placeholders each
 * step reads (with where they are), the paths of its declared dependencies, and its ancestors in the graph.
 */
import { parseCondition } from "../src/condition/index.js";
import { EXECUTE_WORKFLOW } from "../src/model/compile-step.js";
import { analyzeGraph, type StepGraph } from "../src/model/graph.js";
import type { TemplateIssueData } from "../src/model/issues.js";
import type { Reference } from "../src/template/path.js";
import type { JsonPath } from "./lint-target.js";
import { scanPlaceholders } from "./placeholder-scan.js";
import type { StepView } from "./rules/rule.js";

/** One `{{...}}` found in a template. */
export interface ReferenceSite {
  readonly ref: Reference;
  /** The placeholder as written, braces included: `{{build.imageId}}`. */
  readonly placeholder: string;
  /** Path of the string that holds it, and the placeholder's range in that string. */
  readonly path: JsonPath;
  readonly range: { start: number; end: number };
  readonly where: "parameters" | "condition" | "outputs";
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * Every string inside a JSON value, with its path. A plain recursive walk: nested `yield*` generators re-yield each
 * string through every level, which showed up as the linter's largest cost on big projects.
 */
export function stringsIn(value: unknown, path: JsonPath, out: { text: string; path: JsonPath }[] = []): { text: string; path: JsonPath }[] {
  if (typeof value === "string") out.push({ text: value, path });
  else if (Array.isArray(value)) for (let i = 0; i < value.length; i++) stringsIn(value[i], [...path, i], out);
  else if (isObject(value)) for (const k in value) if (Object.hasOwn(value, k)) stringsIn(value[k], [...path, k], out);
  return out;
}

function sitesIn(value: unknown, path: JsonPath, where: ReferenceSite["where"]): ReferenceSite[] {
  const sites: ReferenceSite[] = [];
  for (const s of stringsIn(value, path)) {
    if (!s.text.includes("{{")) continue;
    for (const p of scanPlaceholders(s.text)) {
      sites.push({ ref: p.ref, placeholder: s.text.slice(p.start, p.end), path: s.path, range: { start: p.start, end: p.end }, where });
    }
  }
  return sites;
}

const referenceCache = new WeakMap<StepView, ReferenceSite[]>();

/** The placeholders a step reads, in its parameters and (when the condition parses) its condition. */
export function referencesOf(step: StepView): readonly ReferenceSite[] {
  let sites = referenceCache.get(step);
  if (sites) return sites;
  // an embedded sub-workflow template has placeholders of its own, resolved inside the sub-run (as the executor does)
  const params = step.parameters;
  const embedded = step.toolName === EXECUTE_WORKFLOW && isObject(params) && params.workflow !== undefined && typeof params.workflow !== "string";
  sites = sitesIn(embedded ? { ...params, workflow: null } : params, ["steps", step.index, "parameters"], "parameters");
  if (step.condition !== null && conditionParses(step.condition)) {
    sites.push(...sitesIn(step.condition, ["steps", step.index, "condition"], "condition"));
  }
  referenceCache.set(step, sites);
  return sites;
}

/** The placeholders of the workflow's `outputs`. */
export function outputReferences(template: unknown): ReferenceSite[] {
  return isObject(template) ? sitesIn(template.outputs, ["outputs"], "outputs") : [];
}

function conditionParses(condition: string): boolean {
  try {
    parseCondition(condition);
    return true;
  } catch {
    return false;
  }
}

/** Each string dependency a step declares, with its path (`["steps", i, "dependsOn", k]`). */
export function dependencySites(step: StepView): { dep: string; path: JsonPath }[] {
  const listed = step.raw.dependsOn;
  if (!Array.isArray(listed)) return [];
  const out: { dep: string; path: JsonPath }[] = [];
  listed.forEach((dep, k) => {
    if (typeof dep === "string") out.push({ dep, path: ["steps", step.index, "dependsOn", k] });
  });
  return out;
}

interface GraphFacts {
  readonly graph: StepGraph;
  /** Issues found by the model's graph analysis, with paths rewritten to template step indexes. */
  readonly issues: readonly TemplateIssueData[];
  readonly ancestors: (step: StepView) => ReadonlySet<string>;
  /** Ids of steps on or behind a cycle: they can never start. */
  readonly stuck: ReadonlySet<string>;
}

const graphCache = new WeakMap<readonly StepView[], GraphFacts>();

/** The dependency graph of the viewed steps (the model's own analysis) and a memoised ancestor query. */
export function graphOf(steps: readonly StepView[]): GraphFacts {
  const cached = graphCache.get(steps);
  if (cached) return cached;
  const { graph, issues } = analyzeGraph(steps);
  const remapped = issues.map((issue) => {
    const [head, i, ...rest] = issue.path;
    return head === "steps" && typeof i === "number" ? { ...issue, path: ["steps", steps[i]!.index, ...rest] } : issue;
  });
  // ancestors(i) = union over dependencies d of {d} + ancestors(d). Memoised, so a step reached by several paths
  // (a diamond) is computed once; a step on a cycle sees what was finished when the walk came back to it.
  const memo: (Set<string> | undefined)[] = new Array(graph.size);
  const visiting = new Uint8Array(graph.size);
  const ancestorsAt = (i: number): Set<string> => {
    const known = memo[i];
    if (known) return known;
    const out = new Set<string>();
    if (visiting[i]) return out;
    visiting[i] = 1;
    for (const d of graph.dependencies[i]!) {
      out.add(steps[d]!.id);
      for (const a of ancestorsAt(d)) out.add(a);
    }
    visiting[i] = 0;
    memo[i] = out;
    return out;
  };
  const position = new Map(steps.map((s, i) => [s, i]));
  // Kahn's algorithm: what it cannot remove lies on or behind a cycle.
  const remaining = graph.dependencyCount.slice();
  const queue: number[] = [];
  for (let i = 0; i < graph.size; i++) if (remaining[i] === 0) queue.push(i);
  for (let q = 0; q < queue.length; q++) {
    const i = queue[q]!;
    for (let e = graph.dependentsStart[i]!; e < graph.dependentsStart[i + 1]!; e++) if (--remaining[graph.dependents[e]!]! === 0) queue.push(graph.dependents[e]!);
  }
  const stuck = new Set<string>();
  for (let i = 0; i < graph.size; i++) if (remaining[i]! > 0) stuck.add(steps[i]!.id);
  const facts: GraphFacts = {
    graph,
    issues: remapped,
    stuck,
    ancestors: (step) => {
      const i = position.get(step);
      return i === undefined ? new Set() : ancestorsAt(i);
    },
  };
  graphCache.set(steps, facts);
  return facts;
}

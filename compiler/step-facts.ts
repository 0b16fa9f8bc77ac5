/**
 * @module Facts several rules share, computed once per lint run and cached on the step list: the placeholders each
 * step reads (with where they are), the paths of its declared dependencies, and the dependency graph (`step-graph.ts`)
 * with its duplicates, cycles and order questions.
 */
import { parseCondition } from "../src/condition/index.js";
import { EXECUTE_WORKFLOW, ITEM_INDEX } from "../src/model/compile-step.js";
import type { Reference } from "../src/placeholder/path.js";
import type { JsonPath } from "./lint-target.js";
import { scanPlaceholders } from "./placeholder-scan.js";
import { buildStepGraph, orderPairs, type OrderQuestion, type StepGraph } from "./step-graph.js";
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

const holdsPlaceholders = (text: string): boolean => text.includes("{{");

/**
 * Every string inside a JSON value that contains `{{` (those that can hold placeholders), or that `keep` accepts,
 * with its path, in document order. Depth first from an explicit stack of the containers being read (a value nested
 * thousands of levels deep cannot overflow the call stack); a path is built only for a string found, from the keys
 * on the stack.
 */
export function stringsIn(
  value: unknown,
  path: JsonPath,
  keep: (text: string) => boolean = holdsPlaceholders,
): { text: string; path: JsonPath }[] {
  const out: { text: string; path: JsonPath }[] = [];
  if (typeof value === "string") {
    if (keep(value)) out.push({ text: value, path });
    return out;
  }
  /** A container being read: its keys (none for an array) and the position of the child being read. */
  interface Level {
    readonly value: Record<string, unknown> | unknown[];
    readonly keys: readonly string[] | undefined;
    next: number;
  }
  const open = (v: unknown): Level | undefined =>
    Array.isArray(v) ? { value: v, keys: undefined, next: 0 } : isObject(v) ? { value: v, keys: Object.keys(v), next: 0 } : undefined;
  const keyOf = (level: Level): string | number => (level.keys ? level.keys[level.next - 1]! : level.next - 1);
  const root = open(value);
  const levels: Level[] = root ? [root] : [];
  while (levels.length > 0) {
    const level = levels[levels.length - 1]!;
    if (level.next >= (level.keys ?? (level.value as unknown[])).length) {
      levels.pop();
      continue;
    }
    const key = level.keys ? level.keys[level.next]! : level.next;
    level.next++;
    const child = (level.value as Record<string | number, unknown>)[key];
    if (typeof child === "string") {
      if (keep(child)) out.push({ text: child, path: [...path, ...levels.map(keyOf)] });
    } else {
      const inner = open(child);
      if (inner) levels.push(inner);
    }
  }
  return out;
}

function sitesIn(value: unknown, path: JsonPath, where: ReferenceSite["where"]): ReferenceSite[] {
  const sites: ReferenceSite[] = [];
  for (const s of stringsIn(value, path)) {
    for (const p of scanPlaceholders(s.text)) {
      sites.push({ ref: p.ref, placeholder: s.text.slice(p.start, p.end), path: s.path, range: { start: p.start, end: p.end }, where });
    }
  }
  return sites;
}

const referenceCache = new WeakMap<StepView, ReferenceSite[]>();

/** `item` or `index`: what a map step's placeholders read of their item (read elsewhere, a mistake to explain). */
export const isItemName = (root: string): boolean => root === "item" || root === ITEM_INDEX;

/** The placeholders a step reads, in its parameters and (when the condition parses) its condition. */
export function referencesOf(step: StepView): readonly ReferenceSite[] {
  let sites = referenceCache.get(step);
  if (sites) return sites;
  // an embedded sub-workflow template has placeholders of its own, resolved inside the sub-run (as the executor does)
  const params = step.parameters;
  const embedded =
    step.toolName === EXECUTE_WORKFLOW && isObject(params) && params.workflow !== undefined && typeof params.workflow !== "string";
  sites = sitesIn(embedded ? { ...params, workflow: null } : params, ["steps", step.index, "parameters"], "parameters");
  if (step.condition !== null && conditionParses(step.condition)) {
    sites.push(...sitesIn(step.condition, ["steps", step.index, "condition"], "condition"));
  }
  const { forEach } = step.raw;
  if (typeof forEach === "string") {
    // a map step's item and its index are not steps or variables: they are bound per item (src/executor/map-step.ts)
    const item = typeof step.raw.as === "string" ? step.raw.as : "item";
    sites = sites.filter((s) => s.ref.root !== item && s.ref.root !== ITEM_INDEX);
    // the list is read like a parameter: its step must be a dependency
    sites.unshift(...sitesIn(forEach, ["steps", step.index, "forEach"], "parameters"));
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

export interface GraphFacts {
  readonly graph: StepGraph;
  /** Steps whose id an earlier step already has, with that earlier step. */
  readonly duplicates: readonly { readonly step: StepView; readonly first: StepView }[];
  /** One cycle per tangle, in execution order from its earliest step; reported at `at`, that step. */
  readonly cycles: readonly { readonly at: StepView; readonly ids: readonly string[] }[];
  /** On or behind a cycle: the step can never start. */
  isStuck(step: StepView): boolean;
  /** Whether `source` is ordered before `reader`: a dependency of it, directly or through other steps. */
  orderedBefore(source: StepView, reader: StepView): boolean;
  /**
   * How `source` is ordered before `reader` when it is not a direct dependency: the first dependency of `reader` (in
   * `dependsOn` order) that comes after `source`. `source` itself when it is a direct dependency; undefined when it is
   * not ordered before `reader`.
   */
  via(source: StepView, reader: StepView): StepView | undefined;
}

const graphCache = new WeakMap<readonly StepView[], GraphFacts>();

/**
 * The dependency graph of the viewed steps, built once per lint run and shared by the rules. Order questions are
 * answered in one batch: the first question gathers every pair the rules can ask about (each placeholder of each
 * step that reads another step), so a rule asking step by step never walks the graph per step.
 */
export function graphOf(steps: readonly StepView[]): GraphFacts {
  const cached = graphCache.get(steps);
  if (cached) return cached;
  const graph = buildStepGraph(steps);
  const position = new Map<StepView, number>();
  steps.forEach((s, i) => position.set(s, i));
  const at = (step: StepView): number => {
    const i = position.get(step);
    if (i === undefined) throw new Error(`step "${step.id}" is not one of the steps of this graph`);
    return i;
  };

  const key = (source: number, reader: number): number => source * graph.size + reader;
  let answers: Map<number, { ordered: boolean; via: number }> | undefined;
  const ask = (questions: OrderQuestion[]): void => {
    const found = orderPairs(graph, questions);
    questions.forEach((q, k) => answers!.set(key(q.source, q.reader), { ordered: found.ordered[k] === 1, via: found.via[k]! }));
  };
  const answer = (source: number, reader: number): { ordered: boolean; via: number } => {
    if (!answers) {
      answers = new Map();
      const questions: OrderQuestion[] = [];
      // direct dependencies are answered here: isDependency[d] === reader + 1 while the reader's references are read
      const isDependency = new Int32Array(graph.size);
      steps.forEach((step, reader) => {
        for (const d of graph.dependencies[reader]!) isDependency[d] = reader + 1;
        for (const site of referencesOf(step)) {
          const source = graph.indexOf.get(site.ref.root);
          if (source === undefined || source === reader || answers!.has(key(source, reader))) continue;
          if (isDependency[source] === reader + 1) answers!.set(key(source, reader), { ordered: true, via: source });
          else {
            answers!.set(key(source, reader), { ordered: false, via: -1 }); // until asked below
            questions.push({ source, reader });
          }
        }
      });
      ask(questions);
    }
    let found = answers.get(key(source, reader));
    if (!found) {
      // a pair no placeholder asks about: answered on its own
      if (graph.dependencies[reader]!.includes(source)) answers.set(key(source, reader), { ordered: true, via: source });
      else ask([{ source, reader }]);
      found = answers.get(key(source, reader))!;
    }
    return found;
  };

  const facts: GraphFacts = {
    graph,
    duplicates: graph.duplicates.map((d) => ({ step: steps[d.index]!, first: steps[d.firstIndex]! })),
    cycles: graph.cycles.map((cycle) => ({ at: steps[cycle[0]!]!, ids: [...cycle.map((i) => steps[i]!.id), steps[cycle[0]!]!.id] })),
    isStuck: (step) => graph.stuck[at(step)] === 1,
    orderedBefore: (source, reader) => source !== reader && answer(at(source), at(reader)).ordered,
    via: (source, reader) => {
      if (source === reader) return undefined;
      const found = answer(at(source), at(reader));
      return found.ordered && found.via >= 0 ? steps[found.via] : undefined;
    },
  };
  graphCache.set(steps, facts);
  return facts;
}

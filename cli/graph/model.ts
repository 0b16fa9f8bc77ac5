/**
 * @module The picture of a workflow, as data: its steps and the kinds of edge between them, read from the compiled
 * template (the executor's own analysis), so a drawing always matches what runs. Renderers (Mermaid, DOT) only
 * lay this out; they decide nothing about meaning.
 */
import { classifyOutcome, type OutcomeKind } from "../../src/condition/outcome.js";
import { analyzeTemplate } from "../../src/model/analyze.js";
import { type CompiledMap, EXECUTE_WORKFLOW, ITEM_INDEX } from "../../src/model/compile-step.js";
import type { WorkflowTemplate } from "../../src/model/template.js";
import { compileValue, referencesOf } from "../../src/placeholder/placeholders.js";
import { formatPath, lookupPath, type Reference } from "../../src/placeholder/path.js";

/**
 * - `data`: the step reads the dependency's result (parameters or condition).
 * - `order`: listed in `dependsOn` only: it waits, but reads nothing.
 * - `outcome`: the condition asks how the dependency ended (`{{d.success}}`, `{{d.error}}`): the step runs even when
 *   the dependency failed or was skipped, and its condition decides (a failure handler, or cleanup that always runs).
 * - `unordered`: the step reads the other step's result without waiting for it (not in `dependsOn`): a race.
 */
export type EdgeKind = "data" | "order" | "outcome" | "unordered";

/** What an outcome edge asks for: `failure` (failed(d)), `success` (succeeded(d)), `always` (finished(d)), or a mix. */

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
  /** Set for `outcome` edges. */
  readonly outcome?: OutcomeKind;
  /** Fields of `from`'s result that `to` reads, as written after the step id (`imageId`, `items[0].id`; `""` the whole result). */
  readonly reads: readonly string[];
}

export interface GraphNode {
  readonly id: string;
  /** Position in the template. */
  readonly index: number;
  readonly toolName: string;
  /** For an `execute_workflow` step: the workflow it runs (a name, an embedded template's name, or a placeholder). */
  readonly subWorkflow?: string;
  readonly description: string;
  readonly condition: string | null;
  readonly maxRetries: number;
  readonly retryDelayMs: number;
  readonly backoff: "fixed" | "exponential";
  readonly timeoutMs: number | null;
  /**
   * Set when the condition asks only how dependencies ended, all in the same way: `failure` for a failure handler
   * (`failed(a)`, `failed(a) or failed(b)`), `always` for a step that runs whatever happened (`finished(a)`).
   */
  readonly handles?: Exclude<OutcomeKind, "outcome">;
  /** Workflow variables the step reads (parameters, condition, or a map step's list). */
  readonly inputs: readonly string[];
  /** Set for a map step (`forEach`): it runs its tool once per item of a list. */
  readonly map?: GraphMap;
}

/** What a map step runs over. */
export interface GraphMap {
  /** The list, as the step names it: `{{list.regions}}`. */
  readonly forEach: string;
  /** The item's name in its placeholders (`item`, or the step's `as`). */
  readonly itemName: string;
  /** Most items at once, when the step bounds them. */
  readonly concurrency: number | null;
  /** The list's length when the inputs pin it: a `const` list, or `minItems` equal to `maxItems`. */
  readonly count?: number;
  /** The length of the list a variable has by default (a run may pass another). */
  readonly defaultCount?: number;
}

export interface GraphOutput {
  readonly name: string;
  /** Steps whose results the output reads. */
  readonly steps: readonly string[];
}

export interface WorkflowGraph {
  readonly name: string;
  readonly description: string;
  readonly nodes: readonly GraphNode[];
  /** Sorted by the consuming step, then by its `dependsOn` order; `unordered` edges last for each step. */
  readonly edges: readonly GraphEdge[];
  /** Variables: those of the input schema, then any other the steps or outputs read. */
  readonly inputs: readonly string[];
  readonly outputs: readonly GraphOutput[];
}

/** Builds the graph of a template. The template should be valid (`fromJSON` and the DSL make sure of it). */
export function buildGraph(template: WorkflowTemplate): WorkflowGraph {
  const analysis = analyzeTemplate(template);
  const stepIds = new Set(template.steps.map((s) => s.id));
  const inputs = new Set(schemaInputNames(template.inputs));
  const edges: GraphEdge[] = [];

  const nodes = template.steps.map((step, index): GraphNode => {
    const compiled = analysis.steps[index]!;
    // a map step's item and index are bound per item, not variables; its list is read like a parameter
    const bound = step.forEach === undefined ? [] : [step.as, ITEM_INDEX];
    const refs = [
      ...(compiled.map ? [compiled.map.list] : []),
      ...[...referencesOf(compiled.parameters), ...(compiled.condition?.references ?? [])].filter((r) => !bound.includes(r.root)),
    ];
    const reads = new Map<string, string[]>();
    const variables: string[] = [];
    for (const ref of refs) {
      if (stepIds.has(ref.root)) pushUnique(getOrAdd(reads, ref.root), formatPath(ref.path));
      else {
        pushUnique(variables, ref.root);
        inputs.add(ref.root);
      }
    }
    const dependsOn = unique(step.dependsOn);
    for (const dep of dependsOn) {
      if (!stepIds.has(dep) || dep === step.id) continue;
      const fields = (reads.get(dep) ?? []).filter((f) => !(compiled.outcomeChecks.has(dep) && (f === "success" || f === "error")));
      if (compiled.outcomeChecks.has(dep)) {
        edges.push({ from: dep, to: step.id, kind: "outcome", outcome: classifyOutcome(compiled.condition!.ast, dep), reads: fields });
      } else {
        edges.push({ from: dep, to: step.id, kind: reads.has(dep) ? "data" : "order", reads: fields });
      }
    }
    for (const [root, fields] of reads) {
      if (!dependsOn.includes(root) && root !== step.id) edges.push({ from: root, to: step.id, kind: "unordered", reads: fields });
    }
    const handles = outcomeOnly(
      compiled.condition?.references ?? [],
      compiled.outcomeChecks,
      edges.filter((e) => e.to === step.id),
    );
    const sub = step.toolName === EXECUTE_WORKFLOW ? subWorkflowName(step.parameters.workflow) : undefined;
    const map =
      step.forEach === undefined ? undefined : mapOf(step.forEach, step.as, step.concurrency, compiled.map, stepIds, template.inputs);
    return {
      id: step.id,
      index,
      toolName: step.toolName,
      ...(sub === undefined ? {} : { subWorkflow: sub }),
      description: step.description,
      condition: step.condition,
      ...(handles === undefined ? {} : { handles }),
      maxRetries: step.maxRetries,
      retryDelayMs: step.retryDelayMs,
      backoff: step.backoff,
      timeoutMs: step.timeoutMs,
      inputs: variables,
      ...(map === undefined ? {} : { map }),
    };
  });

  const outputs: GraphOutput[] = [];
  for (const [name, value] of Object.entries(template.outputs ?? {})) {
    const steps: string[] = [];
    for (const ref of safeReferences(value)) {
      if (stepIds.has(ref.root)) pushUnique(steps, ref.root);
      else inputs.add(ref.root);
    }
    outputs.push({ name, steps });
  }
  return { name: template.name, description: template.description, nodes, edges, inputs: [...inputs], outputs };
}

/** Steps on the longest chain of edges (unordered ones aside): the number of ranks a layered drawing needs. */
export function longestChain(graph: WorkflowGraph): number {
  const depth = new Map<string, number>();
  const incoming = new Map<string, string[]>();
  for (const e of graph.edges) if (e.kind !== "unordered") (incoming.get(e.to) ?? incoming.set(e.to, []).get(e.to)!).push(e.from);
  const visit = (id: string, seen: Set<string>): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    if (seen.has(id)) return 0; // a cycle: templates that run have none
    seen.add(id);
    let d = 1;
    for (const from of incoming.get(id) ?? []) d = Math.max(d, visit(from, seen) + 1);
    depth.set(id, d);
    return d;
  };
  let longest = 0;
  for (const n of graph.nodes) longest = Math.max(longest, visit(n.id, new Set()));
  return longest;
}

/** A map step's list, and its length when the inputs' schema says it (only for a list that is a variable). */
function mapOf(
  forEach: string,
  itemName: string,
  concurrency: number | null,
  compiled: CompiledMap | null,
  stepIds: ReadonlySet<string>,
  inputs: Record<string, unknown> | undefined,
): GraphMap {
  const map: { -readonly [K in keyof GraphMap]: GraphMap[K] } = { forEach, itemName, concurrency };
  const ref = compiled?.list;
  const schema = ref === undefined || stepIds.has(ref.root) ? undefined : schemaProperty(inputs, ref.root);
  if (ref === undefined || schema === undefined) return map;
  const pinned = listAt(schema.const, ref.path);
  if (pinned !== undefined) map.count = pinned.length;
  else if (ref.path.length === 0 && typeof schema.minItems === "number" && schema.minItems === schema.maxItems) map.count = schema.minItems;
  const byDefault = listAt(schema.default, ref.path);
  if (map.count === undefined && byDefault !== undefined) map.defaultCount = byDefault.length;
  return map;
}

function schemaProperty(inputs: Record<string, unknown> | undefined, name: string): Record<string, unknown> | undefined {
  const props = inputs?.properties;
  if (props === null || typeof props !== "object" || !Object.hasOwn(props, name)) return undefined;
  const schema = (props as Record<string, unknown>)[name];
  return schema !== null && typeof schema === "object" && !Array.isArray(schema) ? (schema as Record<string, unknown>) : undefined;
}

function listAt(value: unknown, path: Reference["path"]): unknown[] | undefined {
  if (value === undefined) return undefined;
  const found = lookupPath(value, path);
  return found.found && Array.isArray(found.value) ? found.value : undefined;
}

/** The one outcome a condition asks about, when it reads nothing but outcome facts of dependencies. */
function outcomeOnly(
  refs: readonly Reference[],
  checks: ReadonlySet<string>,
  edges: readonly GraphEdge[],
): Exclude<OutcomeKind, "outcome"> | undefined {
  if (refs.length === 0) return undefined;
  if (!refs.every((r) => checks.has(r.root) && r.path.length === 1 && (r.path[0] === "success" || r.path[0] === "error"))) return undefined;
  const kinds = new Set(edges.filter((e) => e.kind === "outcome").map((e) => e.outcome));
  const [kind] = kinds;
  return kinds.size === 1 && kind !== "outcome" ? kind : undefined;
}

/** The name of the workflow an `execute_workflow` step runs, as the step states it. */
function subWorkflowName(workflow: unknown): string | undefined {
  if (typeof workflow === "string") return workflow;
  if (workflow !== null && typeof workflow === "object" && typeof (workflow as { name?: unknown }).name === "string")
    return (workflow as { name: string }).name;
  return undefined;
}

function schemaInputNames(inputs: Record<string, unknown> | undefined): string[] {
  const props = inputs?.properties;
  return props !== null && typeof props === "object" && !Array.isArray(props) ? Object.keys(props) : [];
}

function safeReferences(value: unknown): Reference[] {
  try {
    return referencesOf(compileValue(value));
  } catch {
    return [];
  }
}

function getOrAdd(map: Map<string, string[]>, key: string): string[] {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  return list;
}

function pushUnique<T>(list: T[], item: T): void {
  if (!list.includes(item)) list.push(item);
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

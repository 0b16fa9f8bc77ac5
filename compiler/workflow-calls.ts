/**
 * @module Which workflows run which as sub-workflows: the `execute_workflow` steps of each template (a DSL
 * `step(id).workflow(w)` compiles to one), and the graph of workflow names they form over the workflows of a lint
 * run. The executor refuses a sub-workflow whose name is already on the chain of callers ("sub-workflow recursion"),
 * so the graph is over names, as the executor sees them. Built without recursion, linear in workflows + calls.
 */
import { EXECUTE_WORKFLOW } from "../src/model/compile-step.js";
import { buildStepGraph, type StepGraph } from "./step-graph.js";

/** An `execute_workflow` step and the workflow it runs. */
export interface WorkflowCall {
  /** The step's index in `steps`, and its id. */
  readonly stepIndex: number;
  readonly stepId: string;
  /** The name of the workflow it runs: `parameters.workflow`, or the `name` of an embedded template there. */
  readonly callee: string;
  /** The embedded template, when `parameters.workflow` is one. */
  readonly embedded?: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

const callCache = new WeakMap<object, readonly WorkflowCall[]>();

/**
 * The sub-workflow calls of a template, in step order. A workflow named by a placeholder (`"{{which}}"`) is only
 * known at run time and is left out.
 */
export function callsOf(template: unknown): readonly WorkflowCall[] {
  if (!isObject(template) || !Array.isArray(template.steps)) return [];
  const cached = callCache.get(template);
  if (cached) return cached;
  const calls: WorkflowCall[] = [];
  template.steps.forEach((step: unknown, stepIndex) => {
    if (!isObject(step) || typeof step.id !== "string" || step.toolName !== EXECUTE_WORKFLOW || !isObject(step.parameters)) return;
    const workflow = step.parameters.workflow;
    if (typeof workflow === "string" && workflow !== "" && !workflow.includes("{{"))
      calls.push({ stepIndex, stepId: step.id, callee: workflow });
    else if (isObject(workflow) && typeof workflow.name === "string" && workflow.name !== "") {
      calls.push({ stepIndex, stepId: step.id, callee: workflow.name, embedded: workflow });
    }
  });
  callCache.set(template, calls);
  return calls;
}

/** The name a template is known by, if it has one. */
export const workflowName = (template: unknown): string | undefined =>
  isObject(template) && typeof template.name === "string" && template.name !== "" ? template.name : undefined;

/** The calls between workflow names, over a set of templates and the templates embedded in them. */
export class WorkflowGraph {
  readonly #graph: StepGraph;
  readonly #names: readonly string[];

  private constructor(calls: ReadonlyMap<string, ReadonlySet<string>>) {
    this.#names = [...calls.keys()];
    // the components of the step graph's analysis, with names for step ids and callees for dependencies
    this.#graph = buildStepGraph(this.#names.map((id) => ({ id, dependsOn: [...calls.get(id)!] })));
  }

  /** The graph of these templates (each a workflow of the run, or a sub-workflow one of them runs). */
  static of(templates: Iterable<unknown>): WorkflowGraph {
    const calls = new Map<string, Set<string>>();
    const pending = [...templates];
    const seen = new Set<unknown>();
    while (pending.length > 0) {
      const template = pending.pop();
      if (seen.has(template)) continue;
      seen.add(template);
      const name = workflowName(template);
      if (name === undefined) continue;
      let callees = calls.get(name);
      if (!callees) calls.set(name, (callees = new Set()));
      for (const call of callsOf(template)) {
        callees.add(call.callee);
        if (call.embedded !== undefined) pending.push(call.embedded);
      }
    }
    return new WorkflowGraph(calls);
  }

  /**
   * When workflow `name` runs `callee` and `callee` runs `name` again, directly or through others: the shortest such
   * chain of names, `[name, callee, ..., name]` (`[name, name]` when `callee` is `name`).
   */
  chainBack(name: string, callee: string): string[] | undefined {
    if (callee === name) return [name, name];
    const { indexOf, component, dependencies } = this.#graph;
    const from = indexOf.get(callee);
    const to = indexOf.get(name);
    if (from === undefined || to === undefined || component[from] !== component[to]) return undefined;
    // breadth first from the callee, inside its component, back to `name`
    const parent = new Map<number, number>([[from, -1]]);
    const queue = [from];
    for (let q = 0; q < queue.length; q++) {
      const at = queue[q]!;
      if (at === to) break;
      for (const next of dependencies[at]!) {
        if (component[next] !== component[to] || parent.has(next)) continue;
        parent.set(next, at);
        queue.push(next);
      }
    }
    if (!parent.has(to)) return undefined;
    const chain: string[] = [];
    for (let at = to; at !== -1; at = parent.get(at)!) chain.push(this.#names[at]!);
    return [name, ...chain.reverse()];
  }
}

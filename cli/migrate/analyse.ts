/**
 * @module Migration's second phase: which `execute_workflow` steps become `.workflow()` steps (and why not), the
 * order of the workflows (each sub-workflow before its callers) and of each workflow's steps.
 */
import { EXECUTE_WORKFLOW } from "../../src/model/compile-step.js";
import { isPlainObject } from "../../src/codegen/value-shape.js";
import type { Step, Wf } from "./model.js";

/** An `execute_workflow` step stays a `.workflow()` step only when it runs a migrated workflow by name; otherwise why not. */
export function decideRole(s: Step, byName: ReadonlyMap<string, Wf>): void {
  if (s.step.toolName !== EXECUTE_WORKFLOW) return;
  const { workflow: name, context, ...extra } = s.step.parameters;
  if (s.role === "sub" && byName.has(s.sub!)) return;
  s.role = "exec";
  if (typeof name === "string" && !byName.has(name)) {
    s.execWhy = `it runs workflow "${name}", which is not among the migrated files: migrate it with this one to make this a .workflow() step, or run with a library that has it`;
  } else if (typeof name !== "string") {
    s.execWhy =
      "it runs a sub-workflow written inline: save it as a workflow of its own and migrate the two together to make this a .workflow() step";
  } else if (Object.keys(extra).length > 0) {
    s.execWhy = `it passes parameters other than workflow and context (${Object.keys(extra)
      .map((k) => `"${k}"`)
      .join(", ")}), which a .workflow() step cannot`;
  } else if (!isPlainObject(context)) {
    s.execWhy = "its context is not an object of variables, as a .workflow() step needs";
  } else {
    s.execWhy = "it names the workflow with a placeholder";
  }
}

/** Sub-workflow calls that close a cycle (a workflow that runs itself, directly or not) stay tool steps. */
export function breakCallCycles(wfs: readonly Wf[], byName: ReadonlyMap<string, Wf>): void {
  const state = new Map<Wf, "active" | "done">();
  const visit = (wf: Wf): void => {
    state.set(wf, "active");
    for (const s of wf.steps) {
      if (s.role !== "sub") continue;
      const sub = byName.get(s.sub!)!;
      if (state.get(sub) === "active") {
        s.role = "exec";
        s.execWhy = `it runs workflow "${sub.template.name}", which ${sub === wf ? "is this workflow" : "runs this one"}: the DSL cannot declare a workflow that runs itself`;
      } else if (!state.has(sub)) visit(sub);
    }
    state.set(wf, "done");
  };
  for (const wf of wfs) if (!state.has(wf)) visit(wf);
}

/** The workflows with each sub-workflow before the workflows that run it, otherwise in input order. */
export function callOrder(wfs: readonly Wf[], byName: ReadonlyMap<string, Wf>): Wf[] {
  const out: Wf[] = [];
  const seen = new Set<Wf>();
  const visit = (wf: Wf): void => {
    if (seen.has(wf)) return;
    seen.add(wf);
    for (const s of wf.steps) if (s.role === "sub") visit(byName.get(s.sub!)!);
    out.push(wf);
  };
  for (const wf of wfs) visit(wf);
  return out;
}

/**
 * Finds the reads that cannot become dependencies (of a step that waits for the reader: a cycle), and an order
 * in which every step comes after what it waits for and reads, otherwise the original order.
 */
export function orderSteps(wf: Wf): void {
  const n = wf.steps.length;
  const succ: Set<number>[] = wf.steps.map(() => new Set());
  for (const s of wf.steps) for (const d of s.step.dependsOn) succ[wf.byId.get(d)!]!.add(s.index);
  const reaches = (from: number, to: number): boolean => {
    const seen = new Set([from]);
    const stack = [from];
    while (stack.length > 0) {
      const x = stack.pop()!;
      if (x === to) return true;
      for (const y of succ[x]!) {
        if (seen.has(y)) continue;
        seen.add(y);
        stack.push(y);
      }
    }
    return false;
  };
  for (const s of wf.steps) {
    for (const r of s.reads) {
      if (r === s.index || reaches(s.index, r)) s.back.add(r);
      else succ[r]!.add(s.index);
    }
  }
  const indegree = new Array<number>(n).fill(0);
  for (const set of succ) for (const y of set) indegree[y]!++;
  const ready = wf.steps.filter((s) => indegree[s.index] === 0).map((s) => s.index);
  const order: number[] = [];
  while (ready.length > 0) {
    ready.sort((a, b) => a - b);
    const x = ready.shift()!;
    order.push(x);
    for (const y of succ[x]!) if (--indegree[y]! === 0) ready.push(y);
  }
  wf.order = order;
  wf.position = new Array<number>(n);
  order.forEach((x, i) => (wf.position[x] = i));
}

/**
 * @module Repeated calls of one tool in a row (`deploy_region → deploy_region → deploy_region`), planned as one map
 * step over a list input: what the calls were given alike stays a parameter, what differed becomes a field of the
 * item (`item.region`), and the list input holds one item per call. Steps after the run that read one of its calls'
 * results read the map step's result at that call's index (`deploy_region[1].url`).
 *
 * A run is collapsed only when its calls do not read each other's results (each would need the one before: a chain,
 * not a map) and there are sampled parameters to compare.
 */
import { jsonEqual } from "../condition/values.js";
import { stepsReadBy, type ParamNode, type PlannedStep } from "../codegen/plan.js";
import { merge, shapeOf, type Shape } from "../codegen/value-shape.js";
import type { PathSegment } from "../placeholder/path.js";

export interface RunsInput {
  readonly tools: readonly string[];
  readonly steps: readonly PlannedStep[];
  readonly ids: readonly string[];
  /** Per call, per sample: the parameters the call was given. */
  readonly params: readonly (readonly unknown[])[];
  /** The inputs the steps read, in order. */
  readonly inputs: readonly { readonly name: string; readonly shape: Shape }[];
  /** Names already taken (step ids and inputs). */
  readonly taken: ReadonlySet<string>;
}

export interface RunsOutput {
  readonly steps: PlannedStep[];
  readonly ids: string[];
  readonly inputs: { name: string; shape: Shape }[];
}

type ObjectNode = Extract<ParamNode, { kind: "object" }>;

/** Collapses every run of two or more calls of one tool into a map step; returns the input unchanged without one. */
export function collapseRuns(input: RunsInput): RunsOutput {
  const { tools, steps, ids, params } = input;
  const runs: [number, number][] = [];
  for (let i = 0; i < tools.length; ) {
    let j = i;
    while (j + 1 < tools.length && tools[j + 1] === tools[i]) j++;
    if (
      j > i &&
      params[i]!.length > 0 &&
      independent(steps, i, j) &&
      steps.slice(i + 1, j + 1).every((s) => sameKeys(s.params, steps[i]!.params))
    )
      runs.push([i, j]);
    i = j + 1;
  }
  if (runs.length === 0) return { steps: [...steps], ids: [...ids], inputs: input.inputs.map((x) => ({ ...x })) };

  // old call index -> new step index, and for a call inside a run, its item index
  const newIndex: number[] = [];
  const itemOf: (number | undefined)[] = [];
  let next = 0;
  for (let k = 0; k < tools.length; k++) {
    const run = runs.find(([i, j]) => k >= i && k <= j);
    if (run && k > run[0]) {
      newIndex.push(next - 1);
      itemOf.push(k - run[0]);
    } else {
      newIndex.push(next++);
      itemOf.push(run ? 0 : undefined);
    }
  }
  const remap = (node: ParamNode): ParamNode => {
    switch (node.kind) {
      case "ref": {
        const item = itemOf[node.step];
        return { kind: "ref", step: newIndex[node.step]!, path: item === undefined ? node.path : [item, ...node.path] };
      }
      case "text":
        return { kind: "text", parts: node.parts.map((p) => (typeof p === "string" ? p : remap(p))) };
      case "object":
        return { kind: "object", entries: node.entries.map(([k, v]) => [k, remap(v)] as const) };
      case "array":
        return { kind: "array", items: node.items.map(remap) };
      default:
        return node;
    }
  };
  const remapSteps = (list: readonly number[] | undefined, self: number): number[] =>
    [...new Set((list ?? []).map((d) => newIndex[d]!).filter((d) => d !== self))].sort((a, b) => a - b);

  const taken = new Set(input.taken);
  const newInputs = input.inputs.map((x) => ({ ...x }));
  const outSteps: PlannedStep[] = [];
  const outIds: string[] = [];
  for (let k = 0; k < tools.length; k++) {
    if (itemOf[k] !== undefined && itemOf[k]! > 0) continue;
    const run = runs.find(([i]) => i === k);
    const self = newIndex[k]!;
    if (!run) {
      const { after: _after, ...s } = steps[k]!;
      const params = remap(s.params) as ObjectNode;
      // an order that is now a reference (another call of the collapsed run was read) is no longer an `after`
      const reads = stepsReadBy(params);
      const after = remapSteps(steps[k]!.after, self).filter((d) => !reads.has(d));
      outSteps.push({ ...s, params, dependsOn: remapSteps(s.dependsOn, self), ...(after.length > 0 ? { after } : {}) });
      outIds.push(ids[k]!);
      continue;
    }
    const [i, j] = run;
    const calls = steps.slice(i, j + 1);
    const varying: PathSegment[][] = [];
    const merged = mergeNodes(
      calls.map((c) => c.params),
      [],
      varying,
    ) as ObjectNode;
    // one item per call, of the parameters that differed, from each sample
    const items = (sample: number): unknown[] => calls.map((_, m) => pick(params[i + m]![sample], varying));
    let shape: Shape | undefined;
    for (let sample = 0; sample < params[i]!.length; sample++) shape = merge(shape, shapeOf(items(sample)));
    let name = `${ids[i]!.replace(/[^A-Za-z0-9_$]/g, "_")}_items`;
    for (let n = 2; taken.has(name); n++) name = `${ids[i]!.replace(/[^A-Za-z0-9_$]/g, "_")}_items_${n}`;
    taken.add(name);
    newInputs.push({ name, shape: shape! });
    const dependsOn = remapSteps(
      calls.flatMap((c) => c.dependsOn),
      self,
    );
    const after = remapSteps(
      calls.flatMap((c) => c.after ?? []),
      self,
    ).filter((d) => !calls.some((c) => stepsReadBy(c.params).has(d)));
    outSteps.push({
      id: ids[i]!,
      toolName: tools[i]!,
      params: remap(merged) as ObjectNode,
      dependsOn,
      ...(after.length > 0 ? { after } : {}),
      forEach: { kind: "input", name },
    });
    outIds.push(ids[i]!);
  }
  // inputs only the collapsed calls read (a value that differed per call) are now fields of the items
  const used = new Set<string>();
  for (const s of outSteps) {
    collectInputs(s.params, used);
    if (s.forEach?.kind === "input") used.add(s.forEach.name);
  }
  return { steps: outSteps, ids: outIds, inputs: newInputs.filter((x) => used.has(x.name)) };
}

/** No call of the run reads the result of an earlier call of the same run. */
function independent(steps: readonly PlannedStep[], i: number, j: number): boolean {
  for (let k = i + 1; k <= j; k++) {
    const reads = stepsReadBy(steps[k]!.params);
    for (let m = i; m < k; m++) if (reads.has(m)) return false;
  }
  return true;
}

/** The calls' parameter trees as one: equal parts stay, parts that differ become item fields (their paths in `varying`). */
function mergeNodes(nodes: readonly ParamNode[], path: PathSegment[], varying: PathSegment[][]): ParamNode {
  const first = nodes[0]!;
  if (nodes.every((n) => jsonEqual(n, first))) return first;
  if (first.kind === "object" && nodes.every((n) => n.kind === "object" && sameKeys(n, first))) {
    return {
      kind: "object",
      entries: first.entries.map(
        ([k], e) =>
          [
            k,
            mergeNodes(
              nodes.map((n) => (n as ObjectNode).entries[e]![1]),
              [...path, k],
              varying,
            ),
          ] as const,
      ),
    };
  }
  varying.push(path);
  return { kind: "item", path };
}

const sameKeys = (a: ObjectNode, b: ObjectNode): boolean =>
  a.entries.length === b.entries.length && a.entries.every(([k], e) => b.entries[e]![0] === k);

/** The values of `params` at the varying paths, as one object of the same nesting (the item). */
function pick(params: unknown, varying: readonly PathSegment[][]): unknown {
  if (varying.length === 1 && varying[0]!.length === 0) return params;
  const out: Record<string | number, unknown> = {};
  for (const path of varying) {
    let from: unknown = params;
    for (const seg of path) from = (from as Record<string | number, unknown> | undefined)?.[seg];
    let to = out;
    path.forEach((seg, n) => {
      if (n === path.length - 1) to[seg] = from;
      else to = (to[seg] ??= typeof path[n + 1] === "number" ? [] : {}) as Record<string | number, unknown>;
    });
  }
  return out;
}

function collectInputs(node: ParamNode, out: Set<string>): void {
  if (node.kind === "input") out.add(node.name);
  else if (node.kind === "text") for (const p of node.parts) typeof p !== "string" && collectInputs(p, out);
  else if (node.kind === "object") for (const [, v] of node.entries) collectInputs(v, out);
  else if (node.kind === "array") for (const v of node.items) collectInputs(v, out);
}

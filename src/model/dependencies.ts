/**
 * @module The dependency graph of a template: ids, edges in compact arrays, and the structural problems
 * (duplicate ids, unknown and self dependencies, cycles). Shared by `validate()` and the executor's plan.
 */
import type { TemplateIssueData } from "./issues.js";

export interface DependencyInput {
  readonly id: string;
  readonly dependsOn: readonly string[];
}

/** Edges in CSR form: the dependents of step i are `dependents[dependentsStart[i] .. dependentsStart[i+1])`. */
export interface StepDependencies {
  readonly size: number;
  readonly indexOf: ReadonlyMap<string, number>;
  /** Number of distinct known dependencies of each step. */
  readonly dependencyCount: Int32Array;
  readonly dependentsStart: Int32Array;
  readonly dependents: Int32Array;
  /** Distinct known dependencies of each step, as indexes. */
  readonly dependencies: readonly (readonly number[])[];
}

export function analyzeDependencies(steps: readonly DependencyInput[]): { graph: StepDependencies; issues: TemplateIssueData[] } {
  const issues: TemplateIssueData[] = [];
  const n = steps.length;
  const indexOf = new Map<string, number>();
  steps.forEach((step, i) => {
    const first = indexOf.get(step.id);
    if (first === undefined) indexOf.set(step.id, i);
    else issues.push({ code: "duplicate_step", stepId: step.id, path: ["steps", i, "id"], firstIndex: first });
  });

  const dependencies: number[][] = new Array(n);
  const dependencyCount = new Int32Array(n);
  const outDegree = new Int32Array(n + 1);
  // lastListedBy[j] = i + 1 once step i has listed j: a duplicate dependency is dropped in O(1), not O(deps).
  const lastListedBy = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const step = steps[i]!;
    const deps: number[] = [];
    const listed = step.dependsOn;
    for (let k = 0; k < listed.length; k++) {
      const dep = listed[k]!;
      const j = indexOf.get(dep);
      if (dep === step.id) {
        issues.push({ code: "self_dependency", stepId: step.id, path: ["steps", i, "dependsOn", k] });
      } else if (j === undefined) {
        issues.push({
          code: "unknown_dependency",
          stepId: step.id,
          path: ["steps", i, "dependsOn", k],
          dependency: dep,
          known: [...indexOf.keys()],
        });
      } else if (lastListedBy[j] !== i + 1) {
        lastListedBy[j] = i + 1;
        deps.push(j);
        outDegree[j]!++;
      }
    }
    dependencies[i] = deps;
    dependencyCount[i] = deps.length;
  }

  const dependentsStart = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) dependentsStart[i + 1] = dependentsStart[i]! + outDegree[i]!;
  const dependents = new Int32Array(dependentsStart[n]!);
  const fill = dependentsStart.slice(0, n);
  for (let i = 0; i < n; i++) for (const j of dependencies[i]!) dependents[fill[j]!++] = i;

  const graph: StepDependencies = { size: n, indexOf, dependencyCount, dependentsStart, dependents, dependencies };
  for (const cycle of findCycles(graph, steps))
    issues.push({ code: "cycle", path: ["steps", cycle.at, "dependsOn"], stepId: steps[cycle.at]!.id, cycle: cycle.ids });
  return { graph, issues };
}

/**
 * Kahn's algorithm removes every step that can run; what remains lies on or behind a cycle. One cycle is named per
 * tangle, starting from its earliest step and following execution order, so the text is deterministic.
 */
function findCycles(graph: StepDependencies, steps: readonly DependencyInput[]): { at: number; ids: string[] }[] {
  const { size, dependencyCount, dependentsStart, dependents, dependencies } = graph;
  const remaining = dependencyCount.slice();
  const queue: number[] = [];
  for (let i = 0; i < size; i++) if (remaining[i] === 0) queue.push(i);
  let done = 0;
  for (let q = 0; q < queue.length; q++) {
    const i = queue[q]!;
    done++;
    for (let e = dependentsStart[i]!; e < dependentsStart[i + 1]!; e++) if (--remaining[dependents[e]!]! === 0) queue.push(dependents[e]!);
  }
  if (done === size) return [];

  const cycles: { at: number; ids: string[] }[] = [];
  const covered = new Uint8Array(size);
  for (let start = 0; start < size; start++) {
    if (remaining[start] === 0 || covered[start]) continue;
    // Walk backwards along unfinished dependencies until a step repeats: every stuck step has one.
    const seenAt = new Map<number, number>();
    const walk: number[] = [];
    let cur = start;
    while (!seenAt.has(cur)) {
      seenAt.set(cur, walk.length);
      walk.push(cur);
      cur = dependencies[cur]!.find((d) => remaining[d]! > 0)!;
    }
    const loop = walk.slice(seenAt.get(cur)!).reverse(); // dependency first: execution order
    for (const i of walk) covered[i] = 1;
    if (loop.some((i) => cycles.some((c) => c.ids.includes(steps[i]!.id)))) continue;
    const first = loop.indexOf(Math.min(...loop));
    const ordered = [...loop.slice(first), ...loop.slice(0, first)];
    cycles.push({ at: ordered[0]!, ids: [...ordered.map((i) => steps[i]!.id), steps[ordered[0]!]!.id] });
  }
  return cycles;
}

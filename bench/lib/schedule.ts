/**
 * Analytic schedules of a DAG with known step durations, computed from the template's own `dependsOn` lists
 * (independently of the executor's graph code): the critical path (what an ideal scheduler achieves with unbounded
 * concurrency) and the makespan of a level-barrier scheduler (the original engine: all steps of depth d start
 * together once every step of depth d-1 has finished).
 */
import { seeded } from "../dags.js";

export interface DagStep {
  readonly id: string;
  readonly dependsOn: readonly string[];
}

/** Deterministic per-step durations in [minMs, maxMs] (whole ms), drawn in step order from a seeded PRNG. */
export function sleepDurations(steps: readonly DagStep[], seed: number, minMs: number, maxMs: number): Map<string, number> {
  const random = seeded(seed);
  const out = new Map<string, number>();
  for (const s of steps) out.set(s.id, minMs + Math.floor(random() * (maxMs - minMs + 1)));
  return out;
}

/** Kahn's algorithm over the template's ids; throws on an unknown dependency or a cycle. */
export function topologicalOrder(steps: readonly DagStep[]): number[] {
  const indexOf = new Map(steps.map((s, i) => [s.id, i] as const));
  const deps = steps.map((s) =>
    [...new Set(s.dependsOn)].map((d) => {
      const j = indexOf.get(d);
      if (j === undefined) throw new Error(`step ${s.id} depends on unknown ${d}`);
      return j;
    }),
  );
  const remaining = deps.map((d) => d.length);
  const dependents: number[][] = steps.map(() => []);
  deps.forEach((ds, i) => ds.forEach((j) => dependents[j]!.push(i)));
  const order: number[] = [];
  for (let i = 0; i < steps.length; i++) if (remaining[i] === 0) order.push(i);
  for (let q = 0; q < order.length; q++) for (const k of dependents[order[q]!]!) if (--remaining[k]! === 0) order.push(k);
  if (order.length !== steps.length) throw new Error("cycle in benchmark DAG");
  return order;
}

/** Longest path, summing durations along it. */
export function criticalPath(steps: readonly DagStep[], duration: (id: string) => number): { lengthMs: number; path: string[] } {
  const indexOf = new Map(steps.map((s, i) => [s.id, i] as const));
  const finish = new Array<number>(steps.length).fill(0);
  const via = new Array<number>(steps.length).fill(-1);
  for (const i of topologicalOrder(steps)) {
    let start = 0;
    for (const d of steps[i]!.dependsOn) {
      const j = indexOf.get(d)!;
      if (finish[j]! > start) {
        start = finish[j]!;
        via[i] = j;
      }
    }
    finish[i] = start + duration(steps[i]!.id);
  }
  let end = 0;
  for (let i = 1; i < steps.length; i++) if (finish[i]! > finish[end]!) end = i;
  const path: string[] = [];
  for (let i = end; i !== -1; i = via[i]!) path.push(steps[i]!.id);
  return { lengthMs: finish[end]!, path: path.reverse() };
}

/** Level-barrier makespan: depth(i) = 1 + max depth of its dependencies; a level lasts as long as its slowest step. */
export function levelBarrierMakespan(steps: readonly DagStep[], duration: (id: string) => number): { makespanMs: number; levels: number } {
  const indexOf = new Map(steps.map((s, i) => [s.id, i] as const));
  const depth = new Array<number>(steps.length).fill(0);
  for (const i of topologicalOrder(steps)) {
    for (const d of steps[i]!.dependsOn) depth[i] = Math.max(depth[i]!, depth[indexOf.get(d)!]! + 1);
  }
  const slowest: number[] = [];
  steps.forEach((s, i) => (slowest[depth[i]!] = Math.max(slowest[depth[i]!] ?? 0, duration(s.id))));
  return { makespanMs: slowest.reduce((a, b) => a + b, 0), levels: slowest.length };
}

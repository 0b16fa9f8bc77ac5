/** Generators of benchmark workflow shapes. Deterministic: a seeded PRNG, so every run measures the same graphs. */
import { WorkflowTemplate } from "../src/index.js";
import type { WorkflowStepOptions } from "../src/index.js";

export type Shape = "wide" | "chain" | "random";

/** mulberry32: a tiny seeded PRNG. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * wide: one root, n-2 parallel steps, one join. chain: each step depends on the previous.
 * random: each step depends on up to 3 earlier steps picked at random (a DAG by construction), mostly nearby ones
 * so the graph has both depth and width.
 */
export function makeDag(shape: Shape, n: number, toolName = "noop", seed = 42): WorkflowTemplate {
  const random = seeded(seed);
  const steps: WorkflowStepOptions[] = [];
  for (let i = 0; i < n; i++) {
    let dependsOn: string[] = [];
    if (shape === "chain") dependsOn = i === 0 ? [] : [`s${i - 1}`];
    else if (shape === "wide") dependsOn = i === 0 ? [] : i === n - 1 ? Array.from({ length: n - 2 }, (_, k) => `s${k + 1}`) : ["s0"];
    else if (i > 0) {
      const k = Math.floor(random() * 4);
      const set = new Set<string>();
      for (let d = 0; d < k; d++) {
        const back = random() < 0.8 ? 1 + Math.floor(random() * Math.min(i, 50)) : 1 + Math.floor(random() * i);
        set.add(`s${i - back}`);
      }
      dependsOn = [...set];
    }
    steps.push({ id: `s${i}`, toolName, dependsOn });
  }
  return new WorkflowTemplate({ name: `${shape}_${n}`, steps });
}

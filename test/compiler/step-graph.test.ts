/**
 * The compiler's step graph analysis against plain definitions on random graphs: cycles as the model's own analysis
 * (src/model/graph.ts) names them, steps that can never start, and "ordered before" against a breadth-first search.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildStepGraph, orderPairs, type GraphInput } from "../../compiler/step-graph.js";
import { analyzeDependencies } from "../../src/model/dependencies.js";

/** Random steps: ids `s0..`, some duplicated, dependencies on known, unknown and own ids, listed twice at times. */
const steps = fc.integer({ min: 1, max: 14 }).chain((n) =>
  fc.array(
    fc.record({
      id: fc.integer({ min: 0, max: n + 1 }).map((i) => `s${Math.min(i, n - 1)}`),
      dependsOn: fc.array(
        fc.integer({ min: 0, max: n + 1 }).map((i) => (i < n ? `s${i}` : "unknown")),
        { maxLength: 4 },
      ),
    }),
    { minLength: n, maxLength: n },
  ),
);

/** Every step that `reader` depends on, directly or not, by a search over the first step of each id. */
function ancestors(input: readonly GraphInput[], reader: number): Set<number> {
  const first = new Map<string, number>();
  input.forEach((s, i) => first.has(s.id) || first.set(s.id, i));
  const found = new Set<number>();
  const queue = [reader];
  for (let q = 0; q < queue.length; q++) {
    const step = input[queue[q]!]!;
    for (const dep of step.dependsOn) {
      const j = first.get(dep);
      if (j === undefined || dep === step.id || found.has(j)) continue;
      found.add(j);
      queue.push(j);
    }
  }
  return found;
}

describe("buildStepGraph", () => {
  it("names the same cycles as the model's analysis", () => {
    fc.assert(
      fc.property(steps, (input) => {
        const graph = buildStepGraph(input);
        const model = analyzeDependencies(input).issues.flatMap((i) => (i.code === "cycle" ? [i.cycle] : []));
        expect(graph.cycles.map((c) => [...c.map((i) => input[i]!.id), input[c[0]!]!.id])).toEqual(model);
      }),
      { numRuns: 500 },
    );
  });

  it("marks as stuck exactly the steps left out of the execution order", () => {
    fc.assert(
      fc.property(steps, (input) => {
        const graph = buildStepGraph(input);
        const ordered = new Set(graph.order);
        for (let i = 0; i < input.length; i++) expect(graph.stuck[i] === 1).toBe(!ordered.has(i));
        // in the order, every step comes after its dependencies
        const at = new Map([...graph.order].map((s, k) => [s, k]));
        for (const s of graph.order) for (const d of graph.dependencies[s]!) expect(at.get(d)!).toBeLessThan(at.get(s)!);
      }),
      { numRuns: 300 },
    );
  });

  it("walks a 100,000-step chain and a 100,000-step cycle without recursion", () => {
    const n = 100_000;
    const chain = Array.from({ length: n }, (_, i) => ({ id: `s${i}`, dependsOn: i ? [`s${i - 1}`] : [] }));
    expect(buildStepGraph(chain).order).toHaveLength(n);
    const cycle = chain.map((s, i) => (i === 0 ? { ...s, dependsOn: [`s${n - 1}`] } : s));
    const graph = buildStepGraph(cycle);
    expect(graph.cycles.map((c) => c.length)).toEqual([n]);
    expect(orderPairs(graph, [{ source: 5, reader: 3 }]).ordered[0]).toBe(1);
  });
});

describe("orderPairs", () => {
  it("answers whether a step is ordered before another as a search does, with a dependency to go through", () => {
    fc.assert(
      fc.property(steps, (input) => {
        const graph = buildStepGraph(input);
        const questions = input.flatMap((_, source) => input.map((__, reader) => ({ source, reader })));
        const { ordered, via } = orderPairs(graph, questions);
        questions.forEach(({ source, reader }, q) => {
          const expected = source !== reader && ancestors(input, reader).has(source);
          expect(ordered[q] === 1, `s${source} before s${reader}`).toBe(expected);
          if (!expected) return expect(via[q]).toBe(-1);
          // the reader's first dependency that is the source or comes after it
          const first = graph.dependencies[reader]!.find((d) => d === source || ancestors(input, d).has(source));
          expect(via[q]).toBe(first);
        });
      }),
      { numRuns: 300 },
    );
  });
});

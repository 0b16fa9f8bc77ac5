import { describe, expect, it } from "vitest";
import { analyzeDependencies } from "../../../src/model/dependencies.js";

const g = (spec: Record<string, string[]>) => Object.entries(spec).map(([id, dependsOn]) => ({ id, dependsOn }));
const cycles = (spec: Record<string, string[]>) =>
  analyzeDependencies(g(spec))
    .issues.filter((i) => i.code === "cycle")
    .map((i) => (i.code === "cycle" ? i.cycle.join(" -> ") : ""));

describe("analyzeDependencies", () => {
  it.each([
    ["a diamond", { a: [], b: ["a"], c: ["a"], d: ["b", "c"] }],
    ["a step with two parents at different depths (the original's false cycle)", { a: [], b: ["a"], c: ["b"], d: ["a", "c"] }],
    [
      "a wide fan-in",
      {
        root: [],
        ...Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`x${i}`, ["root"]])),
        join: Array.from({ length: 50 }, (_, i) => `x${i}`),
      },
    ],
    ["repeated dependencies", { a: [], b: ["a", "a"] }],
  ])("accepts %s", (_name, spec) => {
    expect(analyzeDependencies(g(spec)).issues).toEqual([]);
  });

  it("counts each distinct dependency once and links dependents", () => {
    const { graph } = analyzeDependencies(g({ a: [], b: ["a", "a"], c: ["a", "b"] }));
    expect([...graph.dependencyCount]).toEqual([0, 1, 2]);
    const dependentsOf = (i: number) => [...graph.dependents.slice(graph.dependentsStart[i], graph.dependentsStart[i + 1])];
    expect(dependentsOf(0)).toEqual([1, 2]);
    expect(dependentsOf(1)).toEqual([2]);
    expect(dependentsOf(2)).toEqual([]);
  });

  it.each([
    ["two steps", { a: ["b"], b: ["a"] }, ["a -> b -> a"]],
    ["three steps, named from the earliest", { x: [], c: ["b"], a: ["c"], b: ["a"] }, ["c -> a -> b -> c"]],
    ["two separate cycles", { a: ["b"], b: ["a"], c: ["d"], d: ["c"] }, ["a -> b -> a", "c -> d -> c"]],
    ["a cycle with a tail hanging off it", { a: ["b"], b: ["a"], tail: ["a"] }, ["a -> b -> a"]],
    ["a cycle inside a diamond", { top: [], l: ["top", "bottom"], r: ["top"], bottom: ["l", "r"] }, ["l -> bottom -> l"]],
  ])("names %s", (_name, spec, expected) => {
    expect(cycles(spec)).toEqual(expected);
  });

  it("handles a 100,000-step chain without recursion", () => {
    const spec = Array.from({ length: 100_000 }, (_, i) => ({ id: `s${i}`, dependsOn: i ? [`s${i - 1}`] : ["s99999"] }));
    const issues = analyzeDependencies(spec).issues;
    expect(issues).toHaveLength(1);
    expect(issues[0]!.code === "cycle" && issues[0]!.cycle.length).toBe(100_001);
  });
});

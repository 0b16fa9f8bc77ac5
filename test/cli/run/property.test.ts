/**
 * Property tests of what `weave run` prints (issue 12, item 12): the safe serializer behind `--json`, the outputs
 * block, the summary and the report never throws and never hangs, whatever a workflow's outputs hold, always
 * gives valid JSON, and gives exactly `JSON.stringify`'s text for every value `JSON.stringify` can write.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { printableResult } from "../../../cli/run/printable-result.js";
import { renderOutputs } from "../../../cli/run/display/summary-table.js";
import type { ExecutionResult } from "../../../src/executor/types.js";
import { safeCopy, safeStringify } from "../../../src/util/safe-json.js";
import { EXPENSIVE, HOSTILE, hostileValue } from "../../src/monitor/hostile.js";

const anything = fc.anything({
  withBigInt: true,
  withNullPrototype: true,
  withMap: true,
  withSet: true,
  withTypedArray: true,
  withSparseArray: true,
  withBoxedValues: true,
  withDate: true,
});

const resultWith = (outputs: unknown): ExecutionResult => ({
  status: "completed",
  runId: "r",
  durationMs: 1,
  completedSteps: [{ id: "a", durationMs: 1, attempts: 1 }],
  failedSteps: [],
  skippedSteps: [],
  parallelSpeedup: 1,
  outputs: outputs as Record<string, unknown>,
});

/** The nesting depth of a parsed JSON value (a container is one level more than its deepest child). */
function depth(value: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== "object") continue;
    max = Math.max(max, d + 1);
    for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return max;
}

describe("property: safeStringify", () => {
  it("writes exactly what JSON.stringify writes, for every value JSON.stringify can write", () => {
    fc.assert(
      fc.property(anything, fc.constantFrom(undefined, 2), (value, indent) => {
        let expected: string | undefined;
        try {
          expected = JSON.stringify(value, null, indent);
        } catch {
          return; // a BigInt: the other property's business
        }
        const { text, replaced } = safeStringify(value, { indent });
        expect(text).toBe(expected);
        expect(replaced).toBe(0);
      }),
      { numRuns: 1_000 },
    );
  });

  it("never throws and always writes valid JSON, at most 257 levels deep, for hostile values anywhere", () => {
    fc.assert(
      fc.property(hostileValue(), ({ value }) => {
        const { text, replacements, replaced } = safeStringify({ outputs: value }, { indent: 2 });
        expect(typeof text).toBe("string");
        const parsed = JSON.parse(text!) as unknown;
        expect(depth(parsed)).toBeLessThanOrEqual(256);
        expect(replacements.length).toBeLessThanOrEqual(Math.min(replaced, 10));
      }),
      { numRuns: 300 },
    );
  });

  it.each(Object.keys(HOSTILE))("%s: a placeholder where it cannot be written, the rest as it is", (name) => {
    const started = performance.now();
    const { text } = safeStringify({ before: 1, value: HOSTILE[name]!(), after: [true] });
    const parsed = JSON.parse(text!) as Record<string, unknown>;
    expect(parsed.before).toBe(1);
    // a value of a million values or more takes the whole budget: what follows it is left out, and said so
    if (EXPENSIVE.has(name)) expect(parsed["[truncated]"]).toBe("[truncated] 1 more field left out");
    else expect(parsed.after).toEqual([true]);
    // bounded work: at most a million values, whatever the value
    expect(performance.now() - started).toBeLessThan(EXPENSIVE.has(name) ? 10_000 : 1_000);
  });
});

describe("property: what weave run prints", () => {
  it("printableResult and renderOutputs never throw; --json is valid JSON with the run's status; each note line names a path", () => {
    fc.assert(
      fc.property(hostileValue(), fc.constantFrom("completed", "failed"), ({ value }, status) => {
        const result = { ...resultWith({ value }), status } as ExecutionResult;
        const printable = printableResult(result);
        expect(JSON.parse(printable.json)).toMatchObject({ status, completedSteps: [{ id: "a" }] });
        const lines = renderOutputs(printable.result);
        // nothing when the value has no JSON form at all (undefined, a function)
        if (lines.length > 0) expect(JSON.parse(lines[1]!)).toEqual((JSON.parse(printable.json) as ExecutionResult).outputs);
        expect(() => renderOutputs(result)).not.toThrow();
        for (const line of printable.notes.slice(1)) expect(line).toMatch(/^ {2}(outputs[.[]|… and \d+ more$)/);
      }),
      { numRuns: 300 },
    );
  });
});

describe("safeCopy", () => {
  it("walks 100,000 levels without overflowing the stack, and stops at maxDepth", () => {
    let value: unknown = "leaf";
    for (let i = 0; i < 100_000; i++) value = [value];
    const { value: copy, replacements } = safeCopy(value, { maxDepth: 3 });
    expect(copy).toEqual([[["[too deep]"]]]);
    expect(replacements).toEqual([{ kind: "too_deep", path: "[0][0][0]", text: "[too deep]" }]);
  });

  it("copies a shared object once per place it appears, and marks only real cycles", () => {
    const shared = { v: 1 };
    const cyclic: Record<string, unknown> = { shared };
    cyclic.again = shared;
    cyclic.self = cyclic;
    expect(safeCopy(cyclic).value).toEqual({ shared: { v: 1 }, again: { v: 1 }, self: "[Circular]" });
  });

  it("stops after maxValues values, marking what it left out", () => {
    const { value, replacements } = safeCopy({ list: Array.from({ length: 10 }, (_, i) => i), tail: { a: 1, b: 2 } }, { maxValues: 6 });
    expect(value).toEqual({ list: [0, 1, 2, 3, "[truncated] 6 more items left out"], "[truncated]": "[truncated] 1 more field left out" });
    expect(replacements.map((r) => r.kind)).toEqual(["truncated", "truncated"]);
  });

  it("names odd keys in paths with brackets", () => {
    expect(safeCopy({ "odd key": [{ ok: 1n }] }).replacements).toEqual([{ kind: "bigint", path: '["odd key"][0].ok', text: "1n" }]);
  });
});

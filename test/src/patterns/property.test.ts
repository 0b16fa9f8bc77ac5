// The fast miner against the naive reference (test/src/patterns/naive.ts) on random logs: same sequences, counts, order.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PatternDetector, PatternMiner, type ToolCallRecord } from "../../../src/patterns/index.js";
import { naiveAnalyze } from "./naive.js";

const record: fc.Arbitrary<ToolCallRecord> = fc.record({
  toolName: fc.constantFrom("a", "b", "c", "d"),
  executionId: fc.constantFrom("e1", "e2", "e3", "", undefined),
  stepId: fc.constantFrom("s1", "s2", "s3", "", undefined),
  attempt: fc.constantFrom(1, 1, 1, 2, 3, undefined),
  timestamp: fc.integer({ min: 0, max: 400 }),
  durationMs: fc.integer({ min: 0, max: 60 }),
  success: fc.boolean(),
});

const options = fc.record({
  minFrequency: fc.integer({ min: 1, max: 3 }),
  minSuccessRate: fc.constantFrom(0, 0.5, 0.7, 1),
  maxSequenceLength: fc.integer({ min: 2, max: 5 }),
  closed: fc.boolean(),
  idleGapMs: fc.constantFrom(0, 20, 50, Infinity),
});

describe("PatternDetector against the naive reference", () => {
  it("finds the same sequences with the same counts and order on random logs", () => {
    fc.assert(
      fc.property(fc.array(record, { minLength: 5, maxLength: 120, size: "max" }), options, (log, o) => {
        const { minFrequency, minSuccessRate, ...analyze } = o;
        const fast = new PatternDetector({ minFrequency, minSuccessRate }).analyzeLogs(log, analyze);
        const naive = naiveAnalyze(log, o);
        expect(fast.map((p) => [p.tools.join(" "), p.frequency, p.successCount])).toEqual(
          naive.map((p) => [p.tools.join(" "), p.frequency, p.successCount]),
        );
        fast.forEach((p, i) => expect(p.avgDurationMs).toBeCloseTo(naive[i]!.avgDurationMs, 9));
      }),
      { numRuns: 400 },
    );
  });

  it("is not affected by the key encoding: many tools force string keys", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            toolName: fc.integer({ min: 0, max: 40 }).map((n) => `t${n}`),
            executionId: fc.constantFrom("x", "y"),
            timestamp: fc.integer({ min: 0, max: 100 }),
            durationMs: fc.constant(1),
            success: fc.boolean(),
          }),
          { minLength: 20, maxLength: 200, size: "max" },
        ),
        (log) => {
          const o = { minFrequency: 1, minSuccessRate: 0, maxSequenceLength: 12, closed: false, idleGapMs: 0 };
          const fast = new PatternMiner({ ...o, sampleSize: 0 }).addAll(log).result();
          expect(fast.map((p) => [p.tools.join(" "), p.frequency, p.successCount])).toEqual(
            naiveAnalyze(log, o).map((p) => [p.tools.join(" "), p.frequency, p.successCount]),
          );
        },
      ),
      { numRuns: 60 },
    );
  });
});

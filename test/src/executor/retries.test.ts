import { describe, expect, it } from "vitest";
import { WorkflowExecutor } from "toolweave";
import { retryDelayMs } from "../../../src/executor/retry.js";
import { inProcess } from "../../helpers/engines.js";
import { defineRetryTests } from "./suites/retries.js";

defineRetryTests(inProcess);

// what follows does not depend on where tools run: checked once, here

describe("retry delays", () => {
  it("doubles the delay with jitter in the upper half (exponential)", () => {
    const step = { retryDelayMs: 100, backoff: "exponential" as const };
    expect([1, 2, 3, 4].map((a) => retryDelayMs(step, a, () => 0))).toEqual([50, 100, 200, 400]);
    expect([1, 2, 3, 4].map((a) => retryDelayMs(step, a, () => 0.999999))).toEqual([100, 200, 400, 800].map((x) => expect.closeTo(x, 3)));
    expect(retryDelayMs({ retryDelayMs: 100, backoff: "fixed" }, 4, () => 0.5)).toBe(100);
    expect(retryDelayMs({ retryDelayMs: 60_000, backoff: "exponential" }, 30, () => 1)).toBe(5 * 60_000);
  });
});

describe("executor options", () => {
  it.each([0, -1, 1.5, Number.NaN])("refuses concurrency %s with a message naming the field", (concurrency) => {
    expect(() => new WorkflowExecutor({ concurrency })).toThrowError(
      /WorkflowExecutor\.concurrency must be a positive integer or Infinity/,
    );
  });
});

// The critical path of a run, on hand-computed timings: chains, parallel branches, retries, skips.
import { describe, expect, it } from "vitest";
import { criticalPath, type TimedStep } from "../../../cli/report/critical-path.js";

const ran = (id: string, start: number, end: number, ...dependsOn: string[]): TimedStep => ({ id, start, end, dependsOn, ran: true });
const skipped = (id: string, at: number, ...dependsOn: string[]): TimedStep => ({ id, start: at, end: at, dependsOn, ran: false });

describe("criticalPath", () => {
  it("a chain is its own critical path", () => {
    expect(criticalPath([ran("a", 0, 10), ran("b", 10, 30, "a"), ran("c", 30, 35, "b")])).toEqual(["a", "b", "c"]);
  });

  it("parallel branches: the join waited for the slower branch", () => {
    // a 0-10; b 10-50 and c 10-20 after a; d after both, 50-60
    const steps = [ran("a", 0, 10), ran("b", 10, 50, "a"), ran("c", 10, 20, "a"), ran("d", 50, 60, "b", "c")];
    expect(criticalPath(steps)).toEqual(["a", "b", "d"]);
    // make c the slow one: 10-55, d then starts at 55
    expect(criticalPath([ran("a", 0, 10), ran("b", 10, 50, "a"), ran("c", 10, 55, "a"), ran("d", 55, 60, "b", "c")])).toEqual([
      "a",
      "c",
      "d",
    ]);
  });

  it("retries: a step's span runs from its first attempt to its last, waits included", () => {
    // b: attempt 1 10-20 fails, waits 100 ms, attempt 2 120-130 completes. c (no deps) 0-100. d after b and c.
    const steps = [ran("a", 0, 10), ran("b", 10, 130, "a"), ran("c", 0, 100), ran("d", 130, 140, "b", "c")];
    expect(criticalPath(steps)).toEqual(["a", "b", "d"]);
    // without the retry b ends at 20 and c, at 100, is what d waited for
    expect(criticalPath([ran("a", 0, 10), ran("b", 10, 20, "a"), ran("c", 0, 100), ran("d", 100, 110, "b", "c")])).toEqual(["c", "d"]);
  });

  it("starts from the last step to finish, even an independent one", () => {
    expect(criticalPath([ran("a", 0, 10), ran("b", 10, 20, "a"), ran("z", 0, 500)])).toEqual(["z"]);
  });

  it("a skipped step passes the wait on: it stays in the chain, unless a step that ran finished at the same moment", () => {
    // a fails at 10; b is skipped at 10.2 (when a finished); the handler h (after a and b) runs 10.3-15
    expect(criticalPath([ran("a", 0, 10), skipped("b", 10.2, "a"), ran("h", 10.3, 15, "a", "b")])).toEqual(["a", "b", "h"]);
    expect(criticalPath([ran("a", 0, 10), skipped("b", 10, "a"), ran("h", 10, 15, "a", "b")])).toEqual(["a", "h"]);
  });

  it("a skipped step is never the end of the path; steps never reached are ignored", () => {
    const steps: TimedStep[] = [ran("a", 0, 10), skipped("late", 50, "a"), { id: "never", dependsOn: ["a"], ran: false }];
    expect(criticalPath(steps)).toEqual(["a"]);
  });

  it("nothing ran: no path", () => {
    expect(criticalPath([skipped("a", 0), { id: "b", dependsOn: ["a"], ran: false }])).toEqual([]);
    expect(criticalPath([])).toEqual([]);
  });

  it("ignores a dependency that (by inconsistent timings) ended after the step started", () => {
    expect(criticalPath([ran("a", 0, 10), ran("b", 0, 25), ran("c", 20, 30, "a", "b")])).toEqual(["a", "c"]);
  });
});

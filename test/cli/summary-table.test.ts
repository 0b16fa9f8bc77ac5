import { describe, expect, it } from "vitest";
import { NO_COLORS } from "../../src/cli/color.js";
import { formatDuration } from "../../src/cli/format.js";
import { renderOutcome, renderOutputs, renderSummaryTable } from "../../src/cli/summary-table.js";
import type { ExecutionResult } from "../../src/executor/types.js";
import { WorkflowTemplate } from "../../src/model/template.js";

const template = new WorkflowTemplate({
  name: "release",
  steps: [
    { id: "build", toolName: "docker_build" },
    { id: "push", toolName: "docker_push", dependsOn: ["build"] },
    { id: "notify", toolName: "slack", dependsOn: ["push"] },
  ],
});

const failed: ExecutionResult = {
  status: "failed",
  runId: "r1",
  durationMs: 1234.5,
  error: 'step "push" failed: boom',
  completedSteps: [{ id: "build", durationMs: 12.2, attempts: 1 }],
  failedSteps: [{ id: "push", error: "boom", attempts: 3, durationMs: 1200 }],
  skippedSteps: [{ id: "notify", reason: 'dependency "push" failed' }],
  parallelSpeedup: 0.98,
  outputs: {},
};

describe("renderSummaryTable", () => {
  it("lists every step in template order with aligned columns", () => {
    expect(renderSummaryTable(template, failed, NO_COLORS)).toEqual([
      "step    tool          status     attempts  duration  detail",
      "build   docker_build  completed         1     12 ms",
      "push    docker_push   failed            3     1.2 s  boom",
      'notify  slack         skipped           0         -  dependency "push" failed',
    ]);
  });
});

describe("renderOutcome", () => {
  it("gives the time and speedup, or the error", () => {
    expect(renderOutcome(failed, NO_COLORS)).toBe('failed in 1.2 s: step "push" failed: boom');
    expect(renderOutcome({ ...failed, status: "completed", durationMs: 123, parallelSpeedup: 1.84 }, NO_COLORS)).toBe("completed in 123 ms (parallel speedup 1.8x)");
  });
});

describe("renderOutputs", () => {
  it("prints outputs as pretty JSON, and nothing when there are none", () => {
    expect(renderOutputs(failed)).toEqual([]);
    expect(renderOutputs({ ...failed, outputs: { url: "https://x.test" } })).toEqual(["outputs:", '{\n  "url": "https://x.test"\n}']);
  });
});

describe("formatDuration", () => {
  it.each([
    [0.4, "0 ms"],
    [999.4, "999 ms"],
    [1500, "1.5 s"],
    [125_000, "2m 05s"],
  ])("%d ms is %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

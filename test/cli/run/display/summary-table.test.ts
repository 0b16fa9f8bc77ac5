import { describe, expect, it } from "vitest";
import { NO_COLORS } from "../../../../cli/shared/color.js";
import { formatDuration } from "../../../../cli/shared/format.js";
import { RunProgress } from "../../../../cli/run/display/run-progress.js";
import { renderOutcome, renderOutputs, renderRetries, renderSummaryTable } from "../../../../cli/run/display/summary-table.js";
import type { ExecutionEvent, ExecutionResult } from "../../../../src/executor/types.js";
import { WorkflowTemplate } from "../../../../src/model/template.js";

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
    expect(renderOutcome({ ...failed, status: "completed", durationMs: 123, parallelSpeedup: 1.84 }, NO_COLORS)).toBe(
      "completed in 123 ms (parallel speedup 1.8x)",
    );
  });

  it.each([
    ["a chain (the scheduling between its steps: under 1)", 0.83],
    ["one step", 1],
    ["steps that barely overlapped", 1.04],
  ])("leaves the speedup out when it means nothing: %s", (_, parallelSpeedup) => {
    expect(renderOutcome({ ...failed, status: "completed", durationMs: 123, parallelSpeedup }, NO_COLORS)).toBe("completed in 123 ms");
  });

  it("shows a speedup from 1.05 on", () => {
    expect(renderOutcome({ ...failed, status: "completed", durationMs: 123, parallelSpeedup: 1.05 }, NO_COLORS)).toBe(
      "completed in 123 ms (parallel speedup 1.1x)",
    );
  });
});

describe("renderRetries: the attempts that failed before each step's last (on a terminal, the live lines are erased)", () => {
  it("lists every retried attempt's error under the step, in order, one line each", () => {
    const template = new WorkflowTemplate({
      name: "w",
      steps: [
        { id: "fetch_rates", toolName: "http" },
        { id: "push", toolName: "docker_push" },
        { id: "ok", toolName: "t" },
      ],
    });
    const progress = new RunProgress(template, "r1");
    const events: ExecutionEvent[] = [
      { type: "step_started", runId: "r1", stepId: "fetch_rates", toolName: "http", attempt: 1, time: 0 },
      {
        type: "step_retried",
        runId: "r1",
        stepId: "fetch_rates",
        attempt: 1,
        error: "HTTP 503\nservice unavailable",
        delayMs: 50,
        time: 1,
      },
      { type: "step_retried", runId: "r1", stepId: "push", attempt: 1, error: "registry said no", delayMs: 0, time: 2 },
      { type: "step_retried", runId: "r1", stepId: "fetch_rates", attempt: 2, error: "timed out after 500 ms", delayMs: 100, time: 3 },
      // another run's events (a sub-workflow's) are not this run's
      { type: "step_retried", runId: "sub", stepId: "ok", attempt: 1, error: "elsewhere", delayMs: 0, time: 4 },
      { type: "step_finished", runId: "r1", stepId: "fetch_rates", status: "completed", attempts: 3, durationMs: 700, time: 5 },
    ];
    for (const event of events) progress.apply(event);
    expect(renderRetries(progress.steps, NO_COLORS)).toEqual([
      "retried:",
      "  fetch_rates  attempt 1 failed: HTTP 503 service unavailable",
      "               attempt 2 failed: timed out after 500 ms",
      "  push         attempt 1 failed: registry said no",
    ]);
  });

  it("is empty when no attempt was retried", () => {
    expect(renderRetries([{ id: "a" }, { id: "b", retries: [] }], NO_COLORS)).toEqual([]);
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

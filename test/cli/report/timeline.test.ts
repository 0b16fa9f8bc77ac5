// The timeline of a run rebuilt from executor events: attempts, waits, skips, failures before any attempt.
import { describe, expect, it } from "vitest";
import type { ExecutionEvent } from "../../../src/executor/types.js";
import { WorkflowTemplate } from "../../../src/model/template.js";
import { buildTimeline } from "../../../cli/report/timeline.js";

const R = "run-1";
const template = new WorkflowTemplate({
  name: "w",
  steps: [
    { id: "fetch", toolName: "http", maxRetries: 3 },
    { id: "save", toolName: "fs", dependsOn: ["fetch"] },
    { id: "notify", toolName: "slack", dependsOn: ["save"], condition: "{{env}} == 'prod'" },
    { id: "bad", toolName: "t", parameters: { x: "{{nope}}" } },
    { id: "never", toolName: "t", dependsOn: ["bad"] },
  ],
});

// times are performance.now() values: the run starts at 1000
const events: ExecutionEvent[] = [
  { type: "run_started", runId: R, workflow: "w", steps: 5, time: 1000 },
  { type: "step_started", runId: R, stepId: "fetch", toolName: "http", attempt: 1, time: 1001 },
  {
    type: "step_finished",
    runId: R,
    stepId: "bad",
    status: "failed",
    attempts: 0,
    durationMs: 0.5,
    error: 'cannot resolve "{{nope}}"',
    time: 1002,
  },
  { type: "step_retried", runId: R, stepId: "fetch", attempt: 1, error: "HTTP 503", delayMs: 50, time: 1011 },
  // a sub-workflow's run: ignored
  { type: "step_started", runId: "other", stepId: "fetch", toolName: "http", attempt: 1, time: 1020 },
  { type: "step_started", runId: R, stepId: "fetch", toolName: "http", attempt: 2, time: 1062 },
  { type: "step_retried", runId: R, stepId: "fetch", attempt: 2, error: "timed out after 500 ms", delayMs: 100, time: 1562 },
  { type: "step_started", runId: R, stepId: "fetch", toolName: "http", attempt: 3, time: 1663 },
  { type: "step_finished", runId: R, stepId: "fetch", status: "completed", attempts: 3, durationMs: 672, time: 1673 },
  { type: "step_started", runId: R, stepId: "save", toolName: "fs", attempt: 1, time: 1673.5 },
  { type: "step_finished", runId: R, stepId: "save", status: "completed", attempts: 1, durationMs: 4.5, time: 1678 },
  { type: "step_skipped", runId: R, stepId: "notify", reason: "condition \"{{env}} == 'prod'\" is false", time: 1678.2 },
  { type: "run_finished", runId: R, workflow: "w", status: "failed", durationMs: 680, time: 1680 },
];

describe("buildTimeline", () => {
  const timeline = buildTimeline(template, events, R);
  const step = (id: string) => timeline.steps.find((s) => s.id === id)!;

  it("times are relative to the run's start; the wall time is the run's", () => {
    expect(timeline.origin).toBe(1000);
    expect(timeline.durationMs).toBe(680);
    expect(timeline.runId).toBe(R);
  });

  it("one span per attempt; a retried attempt ends at its failure and carries the planned wait", () => {
    expect(step("fetch")).toMatchObject({ status: "completed", start: 1, end: 673, durationMs: 672 });
    expect(step("fetch").attempts).toEqual([
      { attempt: 1, start: 1, end: 11, outcome: "failed", error: "HTTP 503", retryDelayMs: 50 },
      { attempt: 2, start: 62, end: 562, outcome: "failed", error: "timed out after 500 ms", retryDelayMs: 100 },
      { attempt: 3, start: 663, end: 673, outcome: "completed" },
    ]);
    expect(step("save").attempts).toEqual([{ attempt: 1, start: 673.5, end: 678, outcome: "completed" }]);
  });

  it("skipped, failed before any attempt, and never reached", () => {
    expect(step("notify")).toMatchObject({ status: "skipped", attempts: [], reason: "condition \"{{env}} == 'prod'\" is false" });
    expect(step("notify").start).toBeCloseTo(678.2);
    expect(step("bad")).toMatchObject({ status: "failed", attempts: [], error: 'cannot resolve "{{nope}}"', end: 2, start: 1.5 });
    expect(step("never")).toEqual({ id: "never", toolName: "t", index: 4, dependsOn: ["bad"], status: "not-reached", attempts: [] });
  });

  it("takes the run id from the events when not given; the wall time from the caller when run_finished is missing", () => {
    const partial = buildTimeline(template, events.slice(0, -1), undefined, 700);
    expect(partial.runId).toBe(R);
    expect(partial.durationMs).toBe(700);
  });

  it("a run stopped during a retry wait: the last attempt keeps its end, the step ends when it was failed", () => {
    const stopped = buildTimeline(template, [
      { type: "run_started", runId: R, workflow: "w", steps: 5, time: 0 },
      { type: "step_started", runId: R, stepId: "fetch", toolName: "http", attempt: 1, time: 0 },
      { type: "step_retried", runId: R, stepId: "fetch", attempt: 1, error: "HTTP 503", delayMs: 1000, time: 10 },
      {
        type: "step_finished",
        runId: R,
        stepId: "fetch",
        status: "failed",
        attempts: 1,
        durationMs: 300,
        error: "cancelled: interrupted",
        time: 300,
      },
    ]);
    expect(stopped.steps[0]).toMatchObject({ status: "failed", end: 300, error: "cancelled: interrupted" });
    expect(stopped.steps[0]!.attempts).toEqual([
      { attempt: 1, start: 0, end: 10, outcome: "failed", error: "HTTP 503", retryDelayMs: 1000 },
    ]);
  });
});

describe("buildTimeline of a resumed run", () => {
  it("marks a step restored from the journal where it was restored, not as a bar before the run began", () => {
    const resumed: ExecutionEvent[] = [
      { type: "run_started", runId: R, workflow: "w", steps: 5, time: 5000 },
      { type: "step_finished", runId: R, stepId: "fetch", status: "completed", attempts: 3, durationMs: 672, time: 5001, restored: true },
      { type: "step_started", runId: R, stepId: "save", toolName: "fs", attempt: 1, time: 5002 },
      { type: "step_finished", runId: R, stepId: "save", status: "completed", attempts: 1, durationMs: 4, time: 5006 },
    ];
    const timeline = buildTimeline(template, resumed, R);
    const fetch = timeline.steps.find((s) => s.id === "fetch")!;
    expect(fetch).toMatchObject({ status: "completed", restored: true, start: 1, end: 1, durationMs: 672, attempts: [] });
    expect(timeline.steps.find((s) => s.id === "save")).not.toHaveProperty("restored");
  });
});

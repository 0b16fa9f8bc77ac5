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

describe("buildTimeline of a map step", () => {
  const mapTemplate = new WorkflowTemplate({
    name: "m",
    steps: [
      { id: "list", toolName: "list" },
      { id: "deploy", toolName: "deploy", dependsOn: ["list"], forEach: "{{list.regions}}", maxRetries: 1 },
      { id: "empty", toolName: "deploy", forEach: "{{nothing}}" },
      { id: "bad", toolName: "deploy", forEach: "{{list.oops}}" },
    ],
  });
  const item = (index: number) => ({ index, count: 4 });
  const started = (index: number, attempt: number, time: number): ExecutionEvent => ({
    type: "step_started",
    runId: R,
    stepId: "deploy",
    toolName: "deploy",
    attempt,
    time,
    item: item(index),
  });
  const finished = (
    index: number,
    status: "completed" | "failed" | "skipped" | "stopped",
    time: number,
    durationMs: number,
    error?: string,
  ) =>
    ({
      type: "item_finished",
      runId: R,
      stepId: "deploy",
      item: item(index),
      status,
      attempts: status === "skipped" ? 0 : 1,
      durationMs,
      time,
      ...(error === undefined ? {} : { error }),
    }) as ExecutionEvent;
  const events: ExecutionEvent[] = [
    { type: "run_started", runId: R, workflow: "m", steps: 4, time: 0 },
    { type: "step_started", runId: R, stepId: "list", toolName: "list", attempt: 1, time: 1 },
    { type: "step_finished", runId: R, stepId: "list", status: "completed", attempts: 1, durationMs: 9, time: 10 },
    { type: "step_finished", runId: R, stepId: "empty", status: "completed", attempts: 0, durationMs: 0.5, time: 2 },
    {
      type: "step_finished",
      runId: R,
      stepId: "bad",
      status: "failed",
      attempts: 0,
      durationMs: 0.5,
      error: '"forEach": "{{list.oops}}" must resolve to a list',
      time: 11,
    },
    // items 0, 1 and 2 at once (concurrency 3); 3 waits for a slot and is skipped by its condition
    started(0, 1, 11),
    started(1, 1, 12),
    started(2, 1, 13),
    { type: "step_retried", runId: R, stepId: "deploy", attempt: 1, error: "HTTP 503", delayMs: 5, time: 20, item: { index: 1, count: 4 } },
    finished(0, "completed", 30, 19),
    finished(3, "skipped", 31, 0),
    started(1, 2, 25),
    finished(2, "failed", 40, 27, "quota exceeded"),
    // failFast: the step fails at item 2, item 1 never settles (a log cut short: the executor reports it stopped)
    {
      type: "step_finished",
      runId: R,
      stepId: "deploy",
      status: "failed",
      attempts: 3,
      durationMs: 30,
      error: "item 2 of 4 failed",
      time: 41,
    },
    { type: "run_finished", runId: R, workflow: "m", status: "failed", durationMs: 50, time: 50 },
  ];
  const timeline = buildTimeline(mapTemplate, events, R);
  const step = (id: string) => timeline.steps.find((s) => s.id === id)!;

  it("an item's attempts are its own, several running at once; the step spans its first item's start to its end", () => {
    expect(step("deploy")).toMatchObject({ status: "failed", start: 11, end: 41, attempts: [], itemCount: 4 });
    expect(step("deploy").items).toEqual([
      {
        index: 0,
        status: "completed",
        start: 11,
        end: 30,
        durationMs: 19,
        attempts: [{ attempt: 1, start: 11, end: 30, outcome: "completed" }],
      },
      {
        index: 1,
        status: "stopped",
        start: 12,
        end: 41,
        attempts: [
          { attempt: 1, start: 12, end: 20, outcome: "failed", error: "HTTP 503", retryDelayMs: 5 },
          { attempt: 2, start: 25, end: 41, outcome: "failed" },
        ],
      },
      {
        index: 2,
        status: "failed",
        start: 13,
        end: 40,
        durationMs: 27,
        error: "quota exceeded",
        attempts: [{ attempt: 1, start: 13, end: 40, outcome: "failed", error: "quota exceeded" }],
      },
      { index: 3, status: "skipped", start: 31, end: 31, durationMs: 0, attempts: [] },
    ]);
  });

  it("an item the executor reports stopped keeps its reason, its open attempt closed as failed", () => {
    const stoppedAt = [...events];
    stoppedAt.splice(stoppedAt.length - 2, 0, finished(1, "stopped", 41, 29, "stopped by failFast: item 2 of 4 failed"));
    const built = buildTimeline(mapTemplate, stoppedAt, R).steps.find((s) => s.id === "deploy")!;
    expect(built.items?.[1]).toEqual({
      index: 1,
      status: "stopped",
      start: 12,
      end: 41,
      durationMs: 29,
      error: "stopped by failFast: item 2 of 4 failed",
      attempts: [
        { attempt: 1, start: 12, end: 20, outcome: "failed", error: "HTTP 503", retryDelayMs: 5 },
        { attempt: 2, start: 25, end: 41, outcome: "failed", error: "stopped by failFast: item 2 of 4 failed" },
      ],
    });
  });

  it("an empty list completed with no items; a list that did not resolve failed before any", () => {
    expect(step("empty")).toMatchObject({ status: "completed", items: [], itemCount: 0 });
    expect(step("bad")).toMatchObject({ status: "failed", items: [], attempts: [] });
    expect(step("bad")).not.toHaveProperty("itemCount");
    expect(step("list")).not.toHaveProperty("items");
  });
});

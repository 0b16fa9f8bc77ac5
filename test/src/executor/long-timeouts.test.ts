/**
 * Delays longer than Node's timer limit (2³¹−1 ms, about 24.8 days): a step's timeout or retry delay above it must
 * not fire after 1 ms, as a plain setTimeout does.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { WorkflowContext, WorkflowExecutor, WorkflowTemplate } from "toolweave";
import { MAX_TIMER_MS, setLongTimeout } from "../../../src/util/long-timeout.js";

const later = (ms: number) => () => new Promise((resolve) => setTimeout(() => resolve({ done: true }), ms));

describe("a step's timeout above Node's timer limit", () => {
  it("does not fire early: a 30-day timeout lets a 50 ms tool finish", async () => {
    const template = new WorkflowTemplate({ name: "w", steps: [{ id: "slow", toolName: "slow", timeoutMs: 30 * 24 * 3600 * 1000 }] });
    const result = await new WorkflowExecutor({ tools: { slow: later(50) } }).execute(template, new WorkflowContext());
    expect(result.error).toBeUndefined();
    expect(result.status).toBe("completed");
  });

  it("does not fire early from the original format's timeout_seconds: 2592000 (30 days)", async () => {
    const template = WorkflowTemplate.fromJSON({ name: "w", steps: [{ step_id: "slow", tool_name: "slow", timeout_seconds: 2_592_000 }] });
    expect(template.steps[0]!.timeoutMs).toBe(2_592_000_000);
    const result = await new WorkflowExecutor({ tools: { slow: later(30) } }).execute(template, new WorkflowContext());
    expect(result.status).toBe("completed");
  });

  it("still fires at the limit and below it", async () => {
    const template = new WorkflowTemplate({ name: "w", steps: [{ id: "slow", toolName: "slow", timeoutMs: 20 }] });
    const result = await new WorkflowExecutor({ tools: { slow: later(2_000) } }).execute(template, new WorkflowContext());
    expect(result.failedSteps).toMatchObject([{ id: "slow", error: "timed out after 20 ms" }]);
  });
});

describe("setLongTimeout", () => {
  afterEach(() => vi.useRealTimers());

  it("chains timers below the limit and fires once, after the whole delay", () => {
    vi.useFakeTimers();
    const fired = vi.fn();
    setLongTimeout(fired, 2 * MAX_TIMER_MS + 5);
    vi.advanceTimersByTime(MAX_TIMER_MS);
    vi.advanceTimersByTime(MAX_TIMER_MS);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(5);
    expect(fired).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(3 * MAX_TIMER_MS);
    expect(fired).toHaveBeenCalledTimes(1);
  });

  it("can be cleared in any of its segments, and Infinity never fires", () => {
    vi.useFakeTimers();
    const fired = vi.fn();
    const timer = setLongTimeout(fired, MAX_TIMER_MS + 10);
    vi.advanceTimersByTime(MAX_TIMER_MS + 1);
    timer.clear();
    vi.advanceTimersByTime(100);
    setLongTimeout(fired, Infinity);
    vi.advanceTimersByTime(10 * MAX_TIMER_MS);
    expect(fired).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });
});

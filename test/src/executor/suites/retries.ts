import { afterEach, describe, expect, it } from "vitest";
import { createMonitor, NonRetryableError, WorkflowTemplate, type ToolContext, type WorkflowStepOptions } from "toolweave";
import type { Engine } from "../../../helpers/engines.js";
import { events, gate, sleep } from "../../../helpers/tools.js";

const one = (step: Partial<WorkflowStepOptions>) => new WorkflowTemplate({ name: "w", steps: [{ id: "s", toolName: "t", ...step }] });

/** A tool that fails `failures` times, then returns the attempt number. */
const flaky = (failures: number) => {
  const attempts: number[] = [];
  return {
    attempts,
    tool: (_p: unknown, ctx: { attempt: number }) => {
      attempts.push(ctx.attempt);
      if (ctx.attempt <= failures) throw new Error(`attempt ${ctx.attempt} failed`);
      return { attempt: ctx.attempt };
    },
  };
};

export function defineRetryTests(engine: Engine): void {
  afterEach(() => engine.cleanup());

  describe("retries", () => {
    it("retries up to maxRetries more times and succeeds", async () => {
      const f = flaky(2);
      const ev = events();
      const result = await engine
        .executor({ tools: { t: f.tool } })
        .execute(one({ maxRetries: 3, retryDelayMs: 1 }), undefined, undefined, { onEvent: ev.onEvent });
      expect(result.status).toBe("completed");
      expect(result.completedSteps).toMatchObject([{ id: "s", attempts: 3 }]);
      expect(f.attempts).toEqual([1, 2, 3]);
      expect(ev.all.filter((e) => e.type === "step_retried").map((e) => e.type === "step_retried" && [e.attempt, e.error])).toEqual([
        [1, "attempt 1 failed"],
        [2, "attempt 2 failed"],
      ]);
    });

    it("gives up after maxRetries and reports the last attempt's error", async () => {
      const f = flaky(10);
      const result = await engine.executor({ tools: { t: f.tool } }).execute(one({ maxRetries: 2, retryDelayMs: 1 }));
      expect(result.failedSteps).toMatchObject([{ id: "s", attempts: 3, error: "attempt 3 failed" }]);
      expect(f.attempts).toEqual([1, 2, 3]);
    });

    it("does not retry a NonRetryableError", async () => {
      let calls = 0;
      const tool = () => {
        calls++;
        throw new NonRetryableError("bad credentials");
      };
      const result = await engine.executor({ tools: { t: tool } }).execute(one({ maxRetries: 5, retryDelayMs: 1 }));
      expect(calls).toBe(1);
      expect(result.failedSteps).toMatchObject([{ error: "bad credentials", attempts: 1 }]);
    });

    it("does not retry any error marked nonRetryable", async () => {
      let calls = 0;
      const tool = () => {
        calls++;
        throw Object.assign(new TypeError("no such region"), { nonRetryable: true });
      };
      const result = await engine.executor({ tools: { t: tool } }).execute(one({ maxRetries: 5, retryDelayMs: 1 }));
      expect(calls).toBe(1);
      expect(result.failedSteps).toMatchObject([{ error: "no such region", attempts: 1 }]);
    });

    it("waits retryDelayMs between attempts (fixed)", async () => {
      const starts: number[] = [];
      const tool = (_p: unknown, ctx: { attempt: number }) => {
        starts.push(performance.now());
        if (ctx.attempt < 3) throw new Error("again");
      };
      await engine.executor({ tools: { t: tool } }).execute(one({ maxRetries: 2, retryDelayMs: 25 }));
      expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(24);
      expect(starts[2]! - starts[1]!).toBeGreaterThanOrEqual(24);
    });

    it("uses the executor's injected randomness for jitter", async () => {
      const ev = events();
      const f = flaky(3);
      await engine
        .executor({ tools: { t: f.tool }, random: () => 0 })
        .execute(one({ maxRetries: 3, retryDelayMs: 4, backoff: "exponential" }), undefined, undefined, {
          onEvent: ev.onEvent,
        });
      expect(ev.all.flatMap((e) => (e.type === "step_retried" ? [e.delayMs] : []))).toEqual([2, 4, 8]);
    });
  });

  describe("timeouts", () => {
    it("bounds each attempt and aborts the tool's signal", async () => {
      const aborted: string[] = [];
      const tool = (_p: unknown, ctx: { signal: AbortSignal; attempt: number }) =>
        new Promise((resolve) => {
          ctx.signal.addEventListener("abort", () => aborted.push(`${ctx.attempt}: ${(ctx.signal.reason as Error).message}`));
          if (ctx.attempt === 2) setTimeout(() => resolve("fast enough"), 5);
        });
      const result = await engine.executor({ tools: { t: tool } }).execute(one({ timeoutMs: 30, maxRetries: 1, retryDelayMs: 1 }));
      expect(result.completedSteps).toMatchObject([{ id: "s", attempts: 2 }]);
      await engine.toolSawAbort(() => expect(aborted).toEqual(["1: timed out after 30 ms"]));
    });

    it("counts a timed-out attempt once, even when the tool then rejects on its aborted signal", async () => {
      const ev = events();
      const monitor = createMonitor();
      const tool = (_p: unknown, ctx: { signal: AbortSignal; attempt: number }) =>
        new Promise((resolve, reject) => {
          ctx.signal.addEventListener("abort", () => reject(new Error("aborted by signal")));
          if (ctx.attempt === 3) resolve("third time lucky");
        });
      const result = await engine
        .executor({ tools: { t: tool }, monitor })
        .execute(one({ timeoutMs: 15, maxRetries: 3, retryDelayMs: 30 }), undefined, undefined, { onEvent: ev.onEvent });
      expect(result.completedSteps).toMatchObject([{ id: "s", attempts: 3 }]);
      expect(ev.all.flatMap((e) => (e.type === "step_retried" ? [[e.attempt, e.error]] : []))).toEqual([
        [1, "timed out after 15 ms"],
        [2, "timed out after 15 ms"],
      ]);
      expect(monitor.toolCallLog.map((m) => [m.attempt, m.success])).toEqual([
        [1, false],
        [2, false],
        [3, true],
      ]);
    });

    it("fails the step when every attempt times out, without waiting for the tool", async () => {
      const started = performance.now();
      const result = await engine.executor({ tools: { t: () => sleep(5_000) } }).execute(one({ timeoutMs: 20 }));
      expect(result.failedSteps).toMatchObject([{ id: "s", error: "timed out after 20 ms", attempts: 1 }]);
      expect(performance.now() - started).toBeLessThan(2_000);
    });
  });

  describe("cancellation", () => {
    it("aborts running tools, skips the rest, and returns promptly", async () => {
      const g = gate();
      let signalSeen: AbortSignal | undefined;
      const controller = new AbortController();
      const tools = {
        t: (p: Record<string, unknown>, ctx: ToolContext) => {
          signalSeen = ctx.signal;
          return g.tool(p, ctx);
        },
      };
      const template = new WorkflowTemplate({
        name: "w",
        steps: [
          { id: "a", toolName: "t" },
          { id: "b", toolName: "t", dependsOn: ["a"] },
        ],
      });
      const running = engine.executor({ tools }).execute(template, undefined, undefined, { signal: controller.signal });
      await g.started("a");
      controller.abort(new Error("user pressed Ctrl-C"));
      const result = await running;
      expect(result.status).toBe("cancelled");
      expect(result.error).toBe("cancelled: user pressed Ctrl-C");
      expect(result.failedSteps).toMatchObject([{ id: "a", error: "cancelled: user pressed Ctrl-C" }]);
      expect(result.skippedSteps).toEqual([{ id: "b", reason: "cancelled: user pressed Ctrl-C" }]);
      await engine.toolSawAbort(() => expect(signalSeen?.aborted).toBe(true));
    });

    it("runs nothing when the signal is already aborted", async () => {
      let calls = 0;
      const result = await engine
        .executor({ tools: { t: () => calls++ } })
        .execute(one({}), undefined, undefined, { signal: AbortSignal.abort(new Error("stop")) });
      expect(calls).toBe(0);
      expect(result.skippedSteps).toEqual([{ id: "s", reason: "cancelled: stop" }]);
    });

    it("cancels a pending retry", async () => {
      const controller = new AbortController();
      let calls = 0;
      const tool = () => {
        calls++;
        setTimeout(() => controller.abort(new Error("enough")), 5);
        throw new Error("flaky");
      };
      const result = await engine
        .executor({ tools: { t: tool } })
        .execute(one({ maxRetries: 3, retryDelayMs: 200 }), undefined, undefined, { signal: controller.signal });
      expect(calls).toBe(1);
      expect(result.failedSteps).toMatchObject([{ error: "cancelled: enough" }]);
    });
  });
}

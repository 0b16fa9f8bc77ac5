// A run stopped by the workflow's timeoutMs or by the caller's signal ends "cancelled" (DESIGN §9), with real timers.
import { afterEach, describe, expect, it } from "vitest";
import { WorkflowContext, WorkflowTemplate, type ExecutionEvent, type ToolContext } from "toolweave";
import type { Engine } from "../../../helpers/engines.js";
import { gate, sleep } from "../../../helpers/tools.js";

/** a -> b, c independent of both; `a` and `c` wait for their signal (or `ms`). */
function chain(timeoutMs?: number): WorkflowTemplate {
  return new WorkflowTemplate({
    name: "nightly",
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    steps: [
      { id: "a", toolName: "wait" },
      { id: "b", toolName: "quick", dependsOn: ["a"] },
      { id: "c", toolName: "wait" },
    ],
  });
}

export function defineCancellationTests(engine: Engine): void {
  afterEach(() => engine.cleanup());
  // bounds long enough for every step to have reached its tool (a worker's first job takes a moment)
  const T = 60 + 10 * engine.slackMs;
  const T2 = 80 + 10 * engine.slackMs;

  const seen: { stepId: string; reason: string }[] = [];
  let quickCalls = 0;
  const tools = {
    wait: (_p: unknown, ctx: ToolContext) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => resolve({ waited: true }), 10_000);
        ctx.signal.addEventListener(
          "abort",
          () => {
            clearTimeout(timer);
            seen.push({ stepId: ctx.stepId, reason: String((ctx.signal.reason as Error)?.message) });
            reject(ctx.signal.reason);
          },
          { once: true },
        );
      }),
    quick: () => ({ n: ++quickCalls }),
  };
  afterEach(() => {
    seen.length = 0;
    quickCalls = 0;
  });

  describe("workflow timeoutMs", () => {
    it("cancels the run when the template's timeoutMs passes: running steps aborted, the rest not run", async () => {
      const events: ExecutionEvent[] = [];
      const started = performance.now();
      const result = await engine.executor({ tools }).execute(chain(T), undefined, undefined, { onEvent: (e) => events.push(e) });
      expect(performance.now() - started).toBeLessThan(3_000 + engine.slackMs);
      expect(result.status).toBe("cancelled");
      const why = `workflow "nightly" timed out after ${T} ms`;
      expect(result.error).toBe(why);
      expect(result.failedSteps.map((s) => [s.id, s.error]).sort()).toEqual([
        ["a", why],
        ["c", why],
      ]);
      expect(result.skippedSteps).toEqual([{ id: "b", reason: why }]);
      expect(result.completedSteps).toEqual([]);
      expect(quickCalls).toBe(0);
      await engine.toolSawAbort(() => expect(seen.map((s) => s.stepId).sort()).toEqual(["a", "c"]));
      const finished = events.at(-1);
      expect(finished).toMatchObject({ type: "run_finished", status: "cancelled" });
    });

    it("ExecuteOptions.timeoutMs overrides the template's; null runs without a bound", async () => {
      const short = await engine.executor({ tools }).execute(chain(60_000), undefined, undefined, { timeoutMs: 50 });
      expect(short).toMatchObject({ status: "cancelled", error: 'workflow "nightly" timed out after 50 ms' });

      const g = gate();
      const template = new WorkflowTemplate({ name: "slow", timeoutMs: 30, steps: [{ id: "s", toolName: "g" }] });
      const running = engine.executor({ tools: { g: g.tool } }).execute(template, undefined, undefined, { timeoutMs: null });
      await g.started("s");
      await sleep(80);
      g.release("s", { ok: true });
      expect((await running).status).toBe("completed");
    });

    it("a run that finishes in time completes, and its timer does not outlive it", async () => {
      const template = new WorkflowTemplate({ name: "fast", timeoutMs: 5_000, steps: [{ id: "s", toolName: "quick" }] });
      const started = performance.now();
      const result = await engine.executor({ tools }).execute(template);
      expect(result.status).toBe("completed");
      expect(result.error).toBeUndefined();
      // vitest would not notice a leaked timer; the run must not have waited for it either
      expect(performance.now() - started).toBeLessThan(2_000 + engine.slackMs);
    });

    it("a step that failed before the timeout stays failed; the run is cancelled, saying why", async () => {
      const template = new WorkflowTemplate({
        name: "mixed",
        timeoutMs: T2,
        steps: [
          { id: "bad", toolName: "boom" },
          { id: "long", toolName: "wait" },
        ],
      });
      const result = await engine.executor({ tools: { ...tools, boom: () => Promise.reject(new Error("no disk")) } }).execute(template);
      expect(result.status).toBe("cancelled");
      expect(result.error).toBe(`workflow "mixed" timed out after ${T2} ms`);
      expect(result.failedSteps.map((s) => [s.id, s.error]).sort()).toEqual([
        ["bad", "no disk"],
        ["long", `workflow "mixed" timed out after ${T2} ms`],
      ]);
    });

    it("a sub-workflow's own timeoutMs fails its step in the caller, which goes on", async () => {
      const sub = new WorkflowTemplate({ name: "inner", timeoutMs: 40, steps: [{ id: "x", toolName: "wait" }] });
      const outer = new WorkflowTemplate({
        name: "outer",
        steps: [
          { id: "call", toolName: "execute_workflow", parameters: { workflow: sub.toJSON() as never } },
          { id: "after", toolName: "quick" },
        ],
      });
      const result = await engine.executor({ tools }).execute(outer);
      expect(result.status).toBe("failed");
      expect(result.failedSteps).toMatchObject([
        { id: "call", error: 'sub-workflow "inner" cancelled: workflow "inner" timed out after 40 ms' },
      ]);
      expect(result.completedSteps.map((s) => s.id)).toEqual(["after"]);
    });

    it("a bad timeoutMs is refused: in the template at validation, in the options with a TypeError", async () => {
      expect(() => new WorkflowTemplate({ name: "w", timeoutMs: 0, steps: [{ id: "s", toolName: "quick" }] }).validate()).toThrow(
        /timeoutMs must be more than 0/,
      );
      await expect(engine.executor({ tools }).execute(chain(), new WorkflowContext(), undefined, { timeoutMs: -5 })).rejects.toThrow(
        new TypeError("ExecuteOptions.timeoutMs must be a positive number of milliseconds or null, got -5"),
      );
    });
  });

  describe("the caller's signal", () => {
    it("cancels the run: status cancelled, error the signal's reason, steps not run reported as skipped", async () => {
      const controller = new AbortController();
      const running = engine.executor({ tools }).execute(chain(), undefined, undefined, { signal: controller.signal });
      setTimeout(() => controller.abort(new Error("deploy window closed")), T);
      const result = await running;
      expect(result.status).toBe("cancelled");
      expect(result.error).toBe("cancelled: deploy window closed");
      expect(result.skippedSteps).toEqual([{ id: "b", reason: "cancelled: deploy window closed" }]);
      expect(quickCalls).toBe(0);
      await engine.toolSawAbort(() => expect(seen.map((s) => s.stepId).sort()).toEqual(["a", "c"]));
    });

    it("a signal that fires after every step finished leaves the run completed", async () => {
      const controller = new AbortController();
      const template = new WorkflowTemplate({ name: "w", steps: [{ id: "s", toolName: "quick" }] });
      const result = await engine.executor({ tools }).execute(template, undefined, undefined, { signal: controller.signal });
      controller.abort(new Error("late"));
      expect(result.status).toBe("completed");
    });
  });
}

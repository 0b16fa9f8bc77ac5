import { afterEach, describe, expect, it } from "vitest";
import { WorkflowTemplate, WorkflowValidationError, WorkflowContext, type WorkflowStepOptions } from "toolweave";
import type { Engine } from "../../../helpers/engines.js";
import { events } from "../../../helpers/tools.js";

const boom = () => {
  throw new Error("boom");
};
const ok = (p: Record<string, unknown>) => ({ ok: true, ...p });

export function defineFailureTests(engine: Engine): void {
  afterEach(() => engine.cleanup());
  const run = (
    steps: WorkflowStepOptions[],
    tools: Record<string, (p: Record<string, unknown>) => unknown>,
    opts: { failFast?: boolean; vars?: Record<string, unknown> } = {},
  ) =>
    engine
      .executor({ tools, failFast: opts.failFast ?? false })
      .execute(new WorkflowTemplate({ name: "w", steps }), new WorkflowContext(opts.vars));

  describe("failure isolation", () => {
    it("skips the dependents of a failed step and keeps independent branches running", async () => {
      const result = await run(
        [
          { id: "bad", toolName: "boom" },
          { id: "after_bad", toolName: "ok", dependsOn: ["bad"] },
          { id: "after_after", toolName: "ok", dependsOn: ["after_bad"] },
          { id: "good", toolName: "ok" },
          { id: "after_good", toolName: "ok", dependsOn: ["good"] },
        ],
        { boom, ok },
      );
      expect(result.status).toBe("failed");
      expect(result.error).toBe('step "bad" failed: boom');
      expect(result.failedSteps).toMatchObject([{ id: "bad", error: "boom", attempts: 1 }]);
      expect(result.completedSteps.map((s) => s.id).sort()).toEqual(["after_good", "good"]);
      expect(result.skippedSteps).toEqual([
        { id: "after_bad", reason: 'dependency "bad" failed' },
        { id: "after_after", reason: 'dependency "after_bad" was skipped' },
      ]);
    });

    it("with failFast, stops everything on the first failure", async () => {
      let sawAbort = false;
      const slow = (_p: unknown, ctx: { signal: AbortSignal }) =>
        new Promise((resolve) => {
          ctx.signal.addEventListener("abort", () => {
            sawAbort = true;
            resolve("late");
          });
        });
      const result = await engine.executor({ tools: { boom, slow, ok }, failFast: true }).execute(
        new WorkflowTemplate({
          name: "w",
          steps: [
            { id: "slow", toolName: "slow" },
            { id: "bad", toolName: "boom" },
            { id: "later", toolName: "ok", dependsOn: ["slow"] },
          ],
        }),
      );
      expect(result.status).toBe("failed");
      expect(result.error).toBe('step "bad" failed: boom');
      expect(result.failedSteps.map((s) => [s.id, s.error])).toEqual([
        ["bad", "boom"],
        ["slow", 'cancelled: failFast after step "bad" failed'],
      ]);
      expect(result.skippedSteps).toEqual([{ id: "later", reason: 'cancelled: failFast after step "bad" failed' }]);
      await engine.toolSawAbort(() => expect(sawAbort).toBe(true));
    });

    it("with failFast, a root step whose condition cannot be evaluated cancels the other roots exactly once", async () => {
      let calls = 0;
      const result = await engine.executor({ tools: { t: () => calls++ }, failFast: true }).execute(
        new WorkflowTemplate({
          name: "w",
          steps: [
            { id: "a", toolName: "t", condition: "{{env}} > 1" },
            { id: "b", toolName: "t" },
            { id: "c", toolName: "t", dependsOn: ["b"] },
          ],
        }),
        new WorkflowContext({ env: "prod" }),
      );
      expect(calls).toBe(0);
      expect(result.failedSteps.map((s) => s.id)).toEqual(["a"]);
      expect(result.skippedSteps.map((s) => s.id)).toEqual(["b", "c"]);
      expect(result.completedSteps).toEqual([]);
    });

    it("fails a step whose tool is unknown, naming the known tools", async () => {
      const result = await run([{ id: "a", toolName: "dockr_build" }], { docker_build: ok, docker_push: ok });
      expect(result.failedSteps).toMatchObject([
        { id: "a", error: "unknown tool 'dockr_build'. known tools are 'docker_build', 'docker_push'", attempts: 0 },
      ]);
    });

    it("fails a step whose parameter cannot be resolved, naming the placeholder", async () => {
      const result = await run([{ id: "a", toolName: "ok", parameters: { image: "{{imgae}}" } }], { ok }, { vars: { image: "x" } });
      expect(result.failedSteps[0]!.error).toBe(
        'cannot resolve "{{imgae}}": no variable or step named "imgae". variables are "image"; steps are "a"',
      );
    });

    it("takes the message of anything a tool throws", async () => {
      const result = await run(
        [
          { id: "s", toolName: "str" },
          { id: "o", toolName: "obj" },
          { id: "r", toolName: "rej" },
        ],
        {
          str: () => {
            throw "plain string";
          },
          obj: () => {
            throw { code: 42 };
          },
          rej: () => Promise.reject(new TypeError("async type error")),
        },
      );
      expect(Object.fromEntries(result.failedSteps.map((s) => [s.id, s.error]))).toEqual({
        s: "plain string",
        o: '{"code":42}',
        r: "async type error",
      });
    });

    it("refuses an invalid template before running anything", async () => {
      let calls = 0;
      const template = new WorkflowTemplate({
        name: "w",
        steps: [
          { id: "a", toolName: "t", dependsOn: ["b"] },
          { id: "b", toolName: "t", dependsOn: ["a"] },
        ],
      });
      await expect(engine.executor({ tools: { t: () => calls++ } }).execute(template)).rejects.toThrowError(WorkflowValidationError);
      expect(calls).toBe(0);
    });

    it("refuses a variable that has the name of a step", async () => {
      const template = new WorkflowTemplate({ name: "w", steps: [{ id: "build", toolName: "t" }] });
      await expect(engine.executor({ tools: { t: ok } }).execute(template, new WorkflowContext({ build: 1 }))).rejects.toThrowError(
        /variable "build" has the same name as step "build"/,
      );
    });
  });

  describe("conditions and failure handlers", () => {
    const deploySteps = (deployTool: string): WorkflowStepOptions[] => [
      { id: "deploy", toolName: deployTool, parameters: { resource_id: "r-1" } },
      {
        id: "cleanup",
        toolName: "cleanup_resources",
        parameters: { reason: "{{deploy.error}}" },
        dependsOn: ["deploy"],
        condition: "{{deploy.success}} == False",
        description: "Cleanup after failed deployment",
      },
    ];

    it("runs the guide's cleanup-on-failure handler when the step fails", async () => {
      const result = await run(deploySteps("boom"), { boom, cleanup_resources: ok });
      expect(result.status).toBe("failed");
      expect(result.completedSteps.map((s) => s.id)).toEqual(["cleanup"]);
    });

    it("skips the handler when the step succeeds ({{x.success}} == False means what it says)", async () => {
      const result = await run(deploySteps("ok"), { ok, cleanup_resources: ok });
      expect(result.status).toBe("completed");
      expect(result.skippedSteps).toEqual([{ id: "cleanup", reason: 'condition "{{deploy.success}} == False" is false' }]);
    });

    it("passes the failure message to the handler", async () => {
      const context = new WorkflowContext();
      await engine
        .executor({ tools: { boom, cleanup_resources: ok } })
        .execute(new WorkflowTemplate({ name: "w", steps: deploySteps("boom") }), context);
      expect(context.getResult("cleanup")).toEqual({ ok: true, reason: "boom" });
    });

    it("still skips a handler for a dependency whose outcome it does not ask about", async () => {
      const result = await run(
        [
          { id: "a", toolName: "boom" },
          { id: "b", toolName: "boom" },
          { id: "h", toolName: "ok", dependsOn: ["a", "b"], condition: "not {{a.success}}" },
        ],
        { boom, ok },
      );
      expect(result.skippedSteps).toEqual([{ id: "h", reason: 'dependency "b" failed' }]);
    });

    it("skips on a false condition and skips the dependents of a skipped step", async () => {
      const result = await run(
        [
          { id: "check", toolName: "ok", parameters: { replicas: "{{replicas}}" } },
          { id: "scale", toolName: "ok", dependsOn: ["check"], condition: "{{check.replicas}} > 5 and {{env}} == 'prod'" },
          { id: "announce", toolName: "ok", dependsOn: ["scale"] },
        ],
        { ok },
        { vars: { replicas: 3, env: "prod" } },
      );
      expect(result.status).toBe("completed");
      expect(result.skippedSteps.map((s) => s.reason)).toEqual([
        `condition "{{check.replicas}} > 5 and {{env}} == 'prod'" is false`,
        'dependency "scale" was skipped',
      ]);
    });

    it("runs a step whose condition holds, with its parameters resolved, and skips one whose condition is false", async () => {
      const context = new WorkflowContext({ replicas: 3 });
      const result = await engine.executor({ tools: { ok } }).execute(
        new WorkflowTemplate({
          name: "w",
          steps: [
            { id: "scale", toolName: "ok", parameters: { n: "{{replicas}}" }, condition: "{{replicas}} >= 3" },
            { id: "alert", toolName: "ok", condition: "{{replicas}} < 3" },
          ],
        }),
        context,
      );
      expect(result.completedSteps.map((s) => s.id)).toEqual(["scale"]);
      expect(context.getResult("scale")).toEqual({ ok: true, n: 3 });
      expect(result.skippedSteps).toEqual([{ id: "alert", reason: 'condition "{{replicas}} < 3" is false' }]);
    });

    it("fails a step whose condition cannot be evaluated", async () => {
      const result = await run([{ id: "a", toolName: "ok", condition: "{{env}} > 3" }], { ok }, { vars: { env: "prod" } });
      expect(result.failedSteps[0]!.error).toBe('condition "{{env}} > 3": cannot compare a string with a number using ">" in {{env}} > 3');
    });

    it("emits events for progress displays", async () => {
      const ev = events();
      await engine.executor({ tools: { boom, ok } }).execute(
        new WorkflowTemplate({
          name: "w",
          steps: [
            { id: "a", toolName: "ok" },
            { id: "b", toolName: "boom", dependsOn: ["a"] },
            { id: "c", toolName: "ok", dependsOn: ["b"] },
          ],
        }),
        undefined,
        undefined,
        { onEvent: ev.onEvent },
      );
      expect(ev.all.map((e) => `${e.type}${"stepId" in e ? `:${e.stepId}` : ""}`)).toEqual([
        "run_started",
        "step_started:a",
        "step_finished:a",
        "step_started:b",
        "step_finished:b",
        "step_skipped:c",
        "run_finished",
      ]);
      expect(ev.all.find((e) => e.type === "step_finished" && e.stepId === "b")).toMatchObject({
        status: "failed",
        error: "boom",
        attempts: 1,
      });
    });
  });
}

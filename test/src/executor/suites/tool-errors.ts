/**
 * Failing with data (DESIGN §9): a tool that throws `ToolError(message, { result })` fails its step, and the step's
 * failure handlers read that partial result, while `success` is false and `error` the message.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createMonitor, ToolError, WorkflowContext, WorkflowTemplate, type WorkflowStepOptions } from "toolweave";
import type { Engine } from "../../../helpers/engines.js";

/** The guide's error recovery: cleanup reads the failed deploy's resource id and runs only when deploy fails. */
const guideSteps = (deployOptions: Partial<WorkflowStepOptions> = {}): WorkflowStepOptions[] => [
  { id: "deploy", toolName: "deploy", parameters: { manifest: "staging.yaml" }, ...deployOptions },
  {
    id: "cleanup",
    toolName: "cleanup_resources",
    parameters: { resource_id: "{{deploy.resource_id}}", reason: "{{deploy.error}}", failed: "{{deploy.success}}" },
    dependsOn: ["deploy"],
    condition: "{{deploy.success}} == False",
    description: "Cleanup after failed deployment",
  },
];

export function defineToolErrorTests(engine: Engine): void {
  afterEach(() => engine.cleanup());
  const cleaned: Record<string, unknown>[] = [];
  const cleanup_resources = (p: Record<string, unknown>) => (cleaned.push(p), { cleaned: p.resource_id });
  const run = async (
    steps: WorkflowStepOptions[],
    deploy: (p: Record<string, unknown>, ctx: { attempt: number }) => unknown,
    options: { monitor?: ReturnType<typeof createMonitor> } = {},
  ) => {
    cleaned.length = 0;
    const context = new WorkflowContext();
    const result = await engine
      .executor({ tools: { deploy, cleanup_resources }, ...options })
      .execute(new WorkflowTemplate({ name: "w", steps }), context);
    return { result, context };
  };

  describe("ToolError: failing with partial results", () => {
    it("gives the failed step the error's result: the handler reads {{deploy.resource_id}}, success is false, error the message", async () => {
      const { result, context } = await run(guideSteps(), () => {
        throw new ToolError("rollout timed out", { result: { resource_id: "r-42", stage: "rollout" } });
      });
      expect(result.status).toBe("failed");
      expect(result.failedSteps).toMatchObject([
        { id: "deploy", error: "rollout timed out", attempts: 1, result: { resource_id: "r-42", stage: "rollout" } },
      ]);
      expect(result.completedSteps.map((s) => s.id)).toEqual(["cleanup"]);
      expect(cleaned).toEqual([{ resource_id: "r-42", reason: "rollout timed out", failed: false }]);
      expect(context.getResult("deploy", "resource_id")).toBe("r-42");
      expect(context.getError("deploy")).toBe("rollout timed out");
    });

    it("keeps the engine's facts over the result's own: a failed step's success is false even when its result says true", async () => {
      await run(guideSteps(), () => {
        throw new ToolError("half done", { result: { resource_id: "r-1", success: true, error: "none" } });
      });
      expect(cleaned).toEqual([{ resource_id: "r-1", reason: "half done", failed: false }]);
    });

    it("a failed step without a result still makes {{deploy.resource_id}} an error, with the hint", async () => {
      const { result } = await run(guideSteps(), () => {
        throw new Error("rollout timed out");
      });
      expect(result.failedSteps.map((s) => s.id)).toEqual(["deploy", "cleanup"]);
      expect(result.failedSteps[0]).not.toHaveProperty("result");
      expect(result.failedSteps[1]!.error).toBe(
        `cannot resolve "{{deploy.resource_id}}": step "deploy" failed (rollout timed out), so it has no result. a failure handler can read the step's error instead ({{deploy.error}}; deploy.error in the DSL), or the tool can fail with partial results: throw ToolError(message, { result }) (context.fail(message, { result }) in a DSL tool's run)`,
      );
      expect(cleaned).toEqual([]);
    });

    it("a field the partial result does not have is an error naming it", async () => {
      const { result } = await run(guideSteps(), () => {
        throw new ToolError("rollout timed out", { result: { other: 1 } });
      });
      expect(result.failedSteps[1]!.error).toMatch(
        /^cannot resolve "\{\{deploy\.resource_id\}\}": step "deploy" failed \(rollout timed out\), and the partial result it failed with has nothing at "resource_id"/,
      );
    });

    it("is retried like any error, and the last attempt's result is the step's", async () => {
      const { result } = await run(guideSteps({ maxRetries: 2, retryDelayMs: 1 }), (_p, ctx) => {
        throw new ToolError(`attempt ${ctx.attempt} failed`, { result: { resource_id: `r-${ctx.attempt}` } });
      });
      expect(result.failedSteps[0]).toMatchObject({ id: "deploy", attempts: 3, error: "attempt 3 failed", result: { resource_id: "r-3" } });
      expect(cleaned).toEqual([{ resource_id: "r-3", reason: "attempt 3 failed", failed: false }]);
    });

    it("with retryable: false, is not retried (as NonRetryableError)", async () => {
      const { result } = await run(guideSteps({ maxRetries: 3, retryDelayMs: 1 }), () => {
        throw new ToolError("bad manifest", { result: { resource_id: "r-9" }, retryable: false });
      });
      expect(result.failedSteps[0]).toMatchObject({ id: "deploy", attempts: 1, result: { resource_id: "r-9" } });
      expect(cleaned).toEqual([{ resource_id: "r-9", reason: "bad manifest", failed: false }]);
    });

    it("keeps a result JSON cannot hold as markers: a cycle, a BigInt, a getter that throws; the run settles", async () => {
      const cyclic: Record<string, unknown> = { resource_id: "r-7", size: 10n };
      cyclic.self = cyclic;
      Object.defineProperty(cyclic, "secret", {
        enumerable: true,
        get: () => {
          throw new Error("no access");
        },
      });
      const { result } = await run(guideSteps(), () => {
        throw new ToolError("partial", { result: cyclic });
      });
      expect(result.failedSteps[0]!.result).toEqual({
        resource_id: "r-7",
        size: "10n",
        self: "[Circular]",
        secret: "[Unreadable: no access]",
      });
      expect(cleaned).toEqual([{ resource_id: "r-7", reason: "partial", failed: false }]);
    });

    it("a result that cannot even be read becomes a marker, not a crash", async () => {
      const error = new ToolError("partial");
      Object.defineProperty(error, "result", {
        get: () => {
          throw new Error("trap");
        },
      });
      const { result } = await run(guideSteps(), () => {
        throw error;
      });
      expect(result.failedSteps[0]).toMatchObject({ id: "deploy", result: "[Unreadable: trap]" });
      expect(result.failedSteps[1]!.error).toMatch(/has nothing at "resource_id"/);
    });

    it("is recorded by the monitor: the failed call carries its partial result", async () => {
      const monitor = createMonitor();
      await run(
        guideSteps(),
        () => {
          throw new ToolError("rollout timed out", { result: { resource_id: "r-42" } });
        },
        { monitor },
      );
      const call = monitor.toolCallLog.find((c) => c.stepId === "deploy")!;
      expect(call).toMatchObject({ success: false, error: "rollout timed out", result: { resource_id: "r-42" } });
    });
  });
}

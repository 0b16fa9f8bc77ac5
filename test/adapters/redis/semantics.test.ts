/**
 * The runtime test suites of test/executor (which run them in-process) on the distributed engine: BullMQ jobs run by
 * a worker on a real redis-server started for this file, a queue per executor. Then what only the distributed engine
 * has: its jobs.
 */
import { Queue } from "bullmq";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { WorkflowContext, WorkflowExecutor, WorkflowTemplate, type ToolContext } from "toolweave";
import { BullmqInvoker } from "../../../adapters/redis/invoker.js";
import { StepWorker } from "../../../adapters/redis/worker.js";
import { stepJobId } from "../../../adapters/redis/job.js";
import { formatJobLine } from "../../../cli/worker/command.js";
import { NO_COLORS } from "../../../cli/shared/color.js";
import { runtimeSuites } from "../../src/executor/suites/index.js";
import { distributed } from "./engines.js";
import { describeWithRedis, startRedis, type RedisServer } from "./redis-server.js";

describeWithRedis("runtime semantics: distributed (BullMQ workers on Redis)", () => {
  let redis: RedisServer | undefined;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  const engine = distributed(() => redis!.url);
  for (const [name, defineTests] of Object.entries(runtimeSuites)) describe(name, () => defineTests(engine));

  describe("step jobs", () => {
    const engine = distributed(() => redis!.url);
    afterEach(() => engine.cleanup());

    it("are BullMQ jobs: one per attempt, a deterministic id, BullMQ attempts 1, the call in their data", async () => {
      let calls = 0;
      const executor = engine.executor({
        tools: { t: (p: Record<string, unknown>) => (++calls === 1 ? Promise.reject(new Error("once")) : { got: p.x }) },
      });
      const template = new WorkflowTemplate({
        name: "w",
        steps: [{ id: "s", toolName: "t", parameters: { x: "{{x}}" }, maxRetries: 1, retryDelayMs: 1, timeoutMs: 5000 }],
      });
      const result = await executor.execute(template, new WorkflowContext({ x: 42 }), undefined, { runId: "run:1" });
      expect(result.completedSteps).toMatchObject([{ id: "s", attempts: 2 }]);
      const invoker = engine.invokers[0]!;
      expect(invoker.stats).toEqual({ submitted: 2, collected: 0, abandoned: 0, lost: 0 });
      const queue = new Queue(invoker.queueName, { connection: { url: redis!.url }, prefix: invoker.prefix });
      try {
        const first = (await queue.getJob(stepJobId("run:1", [], "s", 1)))!;
        const second = (await queue.getJob(stepJobId("run:1", [], "s", 2)))!;
        expect(first.id).toBe("tw|run%3A1||s|1");
        expect(await first.getState()).toBe("failed");
        expect(first.failedReason).toBe("once");
        expect(first.opts.attempts).toBe(1);
        expect(first.data).toEqual({
          runId: "run:1",
          stepId: "s",
          attempt: 1,
          toolName: "t",
          params: { x: 42 },
          timeoutMs: 5000,
          idempotencyKey: "run:1:s",
          workflowName: "w",
          failure: { name: "Error", nonRetryable: false },
        });
        expect(await second.getState()).toBe("completed");
        expect(second.returnvalue).toEqual({ value: { got: 42 } });
      } finally {
        await queue.close();
      }
    });

    it("of a sub-workflow's steps carry the step and attempt that started it in their ids", async () => {
      const sub = new WorkflowTemplate({ name: "sub", steps: [{ id: "inner", toolName: "t" }] });
      const executor = engine.executor({ tools: { t: () => 1 }, library: { get: (name) => (name === "sub" ? sub : undefined) } });
      const template = new WorkflowTemplate({
        name: "w",
        steps: [{ id: "outer", toolName: "execute_workflow", parameters: { workflow: "sub" } }],
      });
      const result = await executor.execute(template, undefined, undefined, { runId: "r2" });
      expect(result.status).toBe("completed");
      const invoker = engine.invokers[0]!;
      const queue = new Queue(invoker.queueName, { connection: { url: redis!.url }, prefix: invoker.prefix });
      try {
        const ids = (await queue.getJobs(["completed"])).map((j) => j.id);
        expect(ids).toEqual(["tw|r2|outer.1|inner|1"]);
        expect((await queue.getJob("tw|r2|outer.1|inner|1"))!.data).toMatchObject({
          runId: "r2/outer",
          stepId: "inner",
          idempotencyKey: "r2/outer:inner",
        });
      } finally {
        await queue.close();
      }
    });

    it("left by an earlier session of the run are collected: completed ones give their result, queued ones are awaited, failed ones run again", async () => {
      const redisUrl = redis!.url;
      const prefix = "tw-test";
      const queueName = `collect-${process.pid}`;
      const queue = new Queue(queueName, { connection: { url: redisUrl }, prefix });
      const data = (stepId: string, attempt: number) => ({
        runId: "col",
        stepId,
        attempt,
        toolName: "t",
        params: {},
        timeoutMs: null,
        idempotencyKey: `col:${stepId}`,
        workflowName: "w",
      });
      const earlier = new StepWorker({
        redis: redisUrl,
        queue: queueName,
        prefix,
        tools: {
          t: (_p, ctx) =>
            ctx.stepId === "failed" || ctx.attempt === 1 ? Promise.reject(new Error("earlier")) : { by: "earlier", attempt: ctx.attempt },
        },
      });
      try {
        // what a coordinator that died left: "retried" failed at attempt 1 and finished at attempt 2, "failed" failed, and a
        // stray attempt-2 job of "done" whose attempt 1 never existed (ignored: only the attempts after an existing first count)
        for (const [stepId, attempt] of [
          ["done", 1],
          ["done", 2],
          ["retried", 1],
          ["retried", 2],
          ["failed", 1],
        ] as const) {
          if (stepId === "done" && attempt === 1) continue;
          await queue.add("t", data(stepId, attempt), { jobId: stepJobId("col", [], stepId, attempt), attempts: 1 });
        }
        await vi.waitFor(async () => expect(await queue.getJobCounts("completed", "failed")).toEqual({ completed: 2, failed: 2 }), {
          timeout: 5000,
        });
        await earlier.stop();
        // and "queued", still waiting for a worker
        await queue.add("t", data("queued", 1), { jobId: stepJobId("col", [], "queued", 1), attempts: 1 });
        const calls: string[] = [];
        const tools = { t: (_p: unknown, ctx: ToolContext) => (calls.push(ctx.stepId), { by: "now" }) };
        const invoker = new BullmqInvoker({ redis: redisUrl, queue: queueName, prefix });
        const now = new StepWorker({ redis: redisUrl, queue: queueName, prefix, tools, concurrency: 8 });
        const executor = new WorkflowExecutor({ tools, invoker });
        const template = new WorkflowTemplate({
          name: "w",
          steps: ["done", "retried", "failed", "queued"].map((id) => ({ id, toolName: "t" })),
        });
        const context = new WorkflowContext();
        const result = await executor.execute(template, context, undefined, { runId: "col" });
        expect(result.status).toBe("completed");
        expect(context.getResult("retried")).toEqual({ by: "earlier", attempt: 2 });
        expect(context.getResult("failed")).toEqual({ by: "now" });
        expect(context.getResult("queued")).toEqual({ by: "now" });
        expect(context.getResult("done")).toEqual({ by: "now" });
        expect(calls.sort()).toEqual(["done", "failed", "queued"]);
        expect(invoker.stats).toEqual({ submitted: 2, collected: 2, abandoned: 0, lost: 0 });
        await Promise.all([invoker.close(), now.stop()]);
      } finally {
        await earlier.stop();
        await queue.obliterate({ force: true });
        await queue.close();
      }
    });

    it("fail a result that is not JSON without retrying", async () => {
      const executor = engine.executor({ tools: { t: () => ({ n: 1n }) } });
      const result = await executor.execute(
        new WorkflowTemplate({ name: "w", steps: [{ id: "s", toolName: "t", maxRetries: 3, retryDelayMs: 1 }] }),
      );
      expect(result.failedSteps).toMatchObject([{ id: "s", attempts: 1 }]);
      expect(result.failedSteps[0]!.error).toMatch(/^the result of tool "t" cannot be sent to the coordinator: .*BigInt/);
    });
  });
});

describe("weave worker's line per job", () => {
  const job = {
    runId: "3f2a9c1e-77aa-4b1c-9d2e-0123456789ab",
    stepId: "deploy",
    attempt: 2,
    toolName: "kubectl_apply",
    params: {},
    timeoutMs: null,
    idempotencyKey: "k",
    workflowName: "w",
  };
  const time = new Date(2026, 0, 2, 12, 0, 1, 234).getTime();
  it("says what ran, where it stands, how long it took and for which run", () => {
    expect(formatJobLine({ type: "completed", jobId: "j", job, durationMs: 52.4, time }, NO_COLORS)).toBe(
      "✔ 12:00:01.234  deploy #2  kubectl_apply  52 ms  run 3f2a9c1e-77a…",
    );
    expect(formatJobLine({ type: "failed", jobId: "j", job, durationMs: 1500, error: "connection\nrefused", time }, NO_COLORS)).toBe(
      "✖ 12:00:01.234  deploy #2  kubectl_apply  1.5 s  run 3f2a9c1e-77a…  connection refused",
    );
    expect(formatJobLine({ type: "released", jobId: "j", job, durationMs: 10, time }, NO_COLORS)).toBe(
      "↩ 12:00:01.234  deploy #2  kubectl_apply  10 ms  run 3f2a9c1e-77a…  given back to the queue",
    );
    expect(formatJobLine({ type: "stalled", jobId: "tw|r||s|1", time }, NO_COLORS)).toBe(
      "⚠ 12:00:01.234  job tw|r||s|1: its worker stopped answering; put back in the queue",
    );
    expect(formatJobLine({ type: "started", jobId: "j", job, time }, NO_COLORS)).toBeUndefined();
  });
});

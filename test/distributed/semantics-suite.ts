/**
 * The runtime's semantics as a table of tests that any engine must pass the same way: scheduling, retries, timeouts,
 * cancellation, failure isolation and failure handlers, conditions, sub-workflows, events, the monitor and outputs
 * (taken from test/executor, with each `new WorkflowExecutor(...)` made by the engine).
 *
 * One difference is allowed for, and it is the only one: a tool running in another process learns of its
 * cancellation through Redis, a moment after the run has already settled the attempt; so "the tool saw its signal
 * abort" is awaited (`vi.waitFor`) rather than checked at the instant the run returns.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { createMonitor, NonRetryableError, WorkflowContext, WorkflowTemplate, type ExecutionEvent, type ToolContext, type WorkflowResolver, type WorkflowStepOptions } from "../../src/index.js";
import { makeDag } from "../../bench/dags.js";
import { events, gate, sleep } from "../helpers/tools.js";
import type { Engine } from "./engines.js";

const wf = (steps: Record<string, string[]>, toolName = "t") =>
  new WorkflowTemplate({ name: "w", steps: Object.entries(steps).map(([id, dependsOn]) => ({ id, toolName, dependsOn })) });
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

const boom = () => {
  throw new Error("boom");
};
const ok = (p: Record<string, unknown>) => ({ ok: true, ...p });

const databaseBackup = new WorkflowTemplate({
  name: "database_backup",
  steps: [
    { id: "dump", toolName: "pg_dump", parameters: { db: "{{db}}" } },
    { id: "upload", toolName: "upload", parameters: { file: "{{dump.file}}" }, dependsOn: ["dump"] },
  ],
  outputs: { location: "{{upload.url}}", bytes: "{{dump.bytes}}" },
});
const library = (...workflows: WorkflowTemplate[]): WorkflowResolver => ({ get: (name) => workflows.find((w) => w.name === name), listAll: () => workflows });
const backupTools = {
  pg_dump: (p: Record<string, unknown>) => ({ file: `/backups/${String(p.db)}.sql`, bytes: 2048 }),
  upload: (p: Record<string, unknown>) => ({ url: `s3://bucket${String(p.file)}` }),
  notify: (p: Record<string, unknown>) => p,
};
const nightly = new WorkflowTemplate({
  name: "nightly",
  steps: [
    { id: "backup", toolName: "execute_workflow", parameters: { workflow: "database_backup", context: { db: "{{database_name}}" } } },
    { id: "notify", toolName: "notify", parameters: { text: "backup at {{backup.location}} ({{backup.bytes}} bytes)" }, dependsOn: ["backup"] },
  ],
  outputs: { where: "{{backup.location}}" },
});

export function semanticsSuite(engine: Engine): void {
  afterEach(() => engine.cleanup());
  const executor = engine.executor;

  describe("scheduling", () => {
    it("starts a step the moment its own dependencies finish, not when a level finishes", async () => {
      const g = gate();
      const run = executor({ tools: { t: g.tool } }).execute(wf({ a1: [], b1: [], a2: ["a1"], b2: ["b1"] }));
      await g.started("a1");
      await g.started("b1");
      g.release("a1");
      await g.started("a2");
      expect([...g.waiting].sort()).toEqual(["a2", "b1"]);
      g.release("a2");
      g.release("b1");
      await g.started("b2");
      g.release("b2");
      expect((await run).status).toBe("completed");
    });

    it("runs a diamond with the join after both branches", async () => {
      const g = gate();
      const run = executor({ tools: { t: g.tool } }).execute(wf({ top: [], l: ["top"], r: ["top"], join: ["l", "r"] }));
      await g.started("top");
      g.release("top");
      await g.started("l");
      await g.started("r");
      g.release("l");
      await sleep(20);
      expect(g.waiting).toEqual(["r"]);
      g.release("r");
      await g.started("join");
      g.release("join");
      const result = await run;
      expect(result.completedSteps.map((s) => s.id)).toEqual(["top", "l", "r", "join"]);
    });

    it("finishes two chains of opposite speeds in about the slower chain's time (no level barriers)", async () => {
      const durations: Record<string, number> = { f1: 10, f2: 10, f3: 10, f4: 10, s1: 40, s2: 0, s3: 0, s4: 40 };
      const steps = { f1: [], f2: ["f1"], f3: ["f2"], f4: ["f3"], s1: [], s2: ["s1"], s3: ["s2"], s4: ["s3"] };
      const tools = { t: (_p: unknown, ctx: { stepId: string }) => sleep(durations[ctx.stepId]!) };
      const result = await executor({ tools }).execute(wf(steps));
      expect(result.status).toBe("completed");
      // critical path 80 ms; level barriers would need 4 x 40 ms = 160 ms at best
      expect(result.durationMs).toBeGreaterThanOrEqual(78);
      expect(result.durationMs).toBeLessThan(150 + engine.slackMs);
    });

    it("never runs more than `concurrency` steps at once", async () => {
      let running = 0;
      let peak = 0;
      const tools = {
        t: async () => {
          running++;
          peak = Math.max(peak, running);
          await sleep(2);
          running--;
        },
      };
      const result = await executor({ tools, concurrency: 3 }).execute(makeDag("random", 60, "t", 7));
      expect(result.status).toBe("completed");
      expect(result.completedSteps).toHaveLength(60);
      expect(peak).toBe(3);
    });

    it("reports progress events in order", async () => {
      const ev = events();
      const result = await executor({ tools: { t: () => 1 } }).execute(wf({ a: [], b: ["a"], c: ["a", "b"] }), undefined, undefined, { onEvent: ev.onEvent, runId: "r" });
      expect(result.status).toBe("completed");
      const trace = ev.all.map((e: ExecutionEvent) => `${e.type}${"stepId" in e ? ` ${e.stepId}` : ""}`);
      expect(trace).toEqual(["run_started", "step_started a", "step_finished a", "step_started b", "step_finished b", "step_started c", "step_finished c", "run_finished"]);
    });
  });

  describe("retries", () => {
    it("retries up to maxRetries more times and succeeds", async () => {
      const f = flaky(2);
      const ev = events();
      const result = await executor({ tools: { t: f.tool } }).execute(one({ maxRetries: 3, retryDelayMs: 1 }), undefined, undefined, { onEvent: ev.onEvent });
      expect(result.status).toBe("completed");
      expect(result.completedSteps).toMatchObject([{ id: "s", attempts: 3 }]);
      expect(f.attempts).toEqual([1, 2, 3]);
      expect(ev.all.flatMap((e) => (e.type === "step_retried" ? [[e.attempt, e.error]] : []))).toEqual([
        [1, "attempt 1 failed"],
        [2, "attempt 2 failed"],
      ]);
    });

    it("gives up after maxRetries and reports the last attempt's error", async () => {
      const f = flaky(10);
      const result = await executor({ tools: { t: f.tool } }).execute(one({ maxRetries: 2, retryDelayMs: 1 }));
      expect(result.failedSteps).toMatchObject([{ id: "s", attempts: 3, error: "attempt 3 failed" }]);
      expect(f.attempts).toEqual([1, 2, 3]);
    });

    it("does not retry a NonRetryableError", async () => {
      let calls = 0;
      const tool = () => {
        calls++;
        throw new NonRetryableError("bad credentials");
      };
      const result = await executor({ tools: { t: tool } }).execute(one({ maxRetries: 5, retryDelayMs: 1 }));
      expect(calls).toBe(1);
      expect(result.failedSteps).toMatchObject([{ error: "bad credentials", attempts: 1 }]);
    });

    it("does not retry any error marked nonRetryable", async () => {
      let calls = 0;
      const tool = () => {
        calls++;
        throw Object.assign(new TypeError("no such region"), { nonRetryable: true });
      };
      const result = await executor({ tools: { t: tool } }).execute(one({ maxRetries: 5, retryDelayMs: 1 }));
      expect(calls).toBe(1);
      expect(result.failedSteps).toMatchObject([{ error: "no such region", attempts: 1 }]);
    });

    it("waits retryDelayMs between attempts (fixed)", async () => {
      const starts: number[] = [];
      const tool = (_p: unknown, ctx: { attempt: number }) => {
        starts.push(performance.now());
        if (ctx.attempt < 3) throw new Error("again");
      };
      await executor({ tools: { t: tool } }).execute(one({ maxRetries: 2, retryDelayMs: 25 }));
      expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(24);
      expect(starts[2]! - starts[1]!).toBeGreaterThanOrEqual(24);
    });

    it("uses the executor's injected randomness for exponential jitter", async () => {
      const ev = events();
      const f = flaky(3);
      await executor({ tools: { t: f.tool }, random: () => 0 }).execute(one({ maxRetries: 3, retryDelayMs: 4, backoff: "exponential" }), undefined, undefined, { onEvent: ev.onEvent });
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
      const result = await executor({ tools: { t: tool } }).execute(one({ timeoutMs: 30, maxRetries: 1, retryDelayMs: 1 }));
      expect(result.completedSteps).toMatchObject([{ id: "s", attempts: 2 }]);
      await vi.waitFor(() => expect(aborted).toEqual(["1: timed out after 30 ms"]));
    });

    it("counts a timed-out attempt once, even when the tool then rejects on its aborted signal", async () => {
      const ev = events();
      const monitor = createMonitor();
      const tool = (_p: unknown, ctx: { signal: AbortSignal; attempt: number }) =>
        new Promise((resolve, reject) => {
          ctx.signal.addEventListener("abort", () => reject(new Error("aborted by signal")));
          if (ctx.attempt === 3) resolve("third time lucky");
        });
      const result = await executor({ tools: { t: tool }, monitor }).execute(one({ timeoutMs: 15, maxRetries: 3, retryDelayMs: 30 }), undefined, undefined, { onEvent: ev.onEvent });
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
      const result = await executor({ tools: { t: () => sleep(5_000) } }).execute(one({ timeoutMs: 20 }));
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
      const template = new WorkflowTemplate({ name: "w", steps: [{ id: "a", toolName: "t" }, { id: "b", toolName: "t", dependsOn: ["a"] }] });
      const running = executor({ tools }).execute(template, undefined, undefined, { signal: controller.signal });
      await g.started("a");
      controller.abort(new Error("user pressed Ctrl-C"));
      const result = await running;
      expect(result.status).toBe("failed");
      expect(result.error).toBe("cancelled: user pressed Ctrl-C");
      expect(result.failedSteps).toMatchObject([{ id: "a", error: "cancelled: user pressed Ctrl-C" }]);
      expect(result.skippedSteps).toEqual([{ id: "b", reason: "cancelled: user pressed Ctrl-C" }]);
      await vi.waitFor(() => expect(signalSeen?.aborted).toBe(true));
    });

    it("runs nothing when the signal is already aborted", async () => {
      let calls = 0;
      const result = await executor({ tools: { t: () => calls++ } }).execute(one({}), undefined, undefined, { signal: AbortSignal.abort(new Error("stop")) });
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
      const result = await executor({ tools: { t: tool } }).execute(one({ maxRetries: 3, retryDelayMs: 200 }), undefined, undefined, { signal: controller.signal });
      expect(calls).toBe(1);
      expect(result.failedSteps).toMatchObject([{ error: "cancelled: enough" }]);
    });
  });

  describe("failures, conditions and failure handlers", () => {
    const run = (steps: WorkflowStepOptions[], tools: Record<string, (p: Record<string, unknown>) => unknown>, opts: { failFast?: boolean; vars?: Record<string, unknown> } = {}) =>
      executor({ tools, failFast: opts.failFast ?? false }).execute(new WorkflowTemplate({ name: "w", steps }), new WorkflowContext(opts.vars));

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
      const result = await executor({ tools: { boom, slow, ok }, failFast: true }).execute(
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
      await vi.waitFor(() => expect(sawAbort).toBe(true));
    });

    it("fails a step whose tool is unknown, naming the known tools", async () => {
      const result = await run([{ id: "a", toolName: "dockr_build" }], { docker_build: ok, docker_push: ok });
      expect(result.failedSteps).toMatchObject([{ id: "a", error: "unknown tool 'dockr_build'. known tools are 'docker_build', 'docker_push'", attempts: 0 }]);
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
      expect(Object.fromEntries(result.failedSteps.map((s) => [s.id, s.error]))).toEqual({ s: "plain string", o: '{"code":42}', r: "async type error" });
    });

    const deploySteps = (deployTool: string): WorkflowStepOptions[] => [
      { id: "deploy", toolName: deployTool, parameters: { resource_id: "r-1" } },
      { id: "cleanup", toolName: "cleanup_resources", parameters: { reason: "{{deploy.error}}" }, dependsOn: ["deploy"], condition: "{{deploy.success}} == False" },
    ];

    it("runs a cleanup-on-failure handler when the step fails, with the error", async () => {
      const result = await run(deploySteps("boom"), { boom, cleanup_resources: ok });
      expect(result.status).toBe("failed");
      expect(result.completedSteps.map((s) => s.id)).toEqual(["cleanup"]);
    });

    it("skips the handler when the step succeeds", async () => {
      const result = await run(deploySteps("ok"), { ok, cleanup_resources: ok });
      expect(result.status).toBe("completed");
      expect(result.skippedSteps).toEqual([{ id: "cleanup", reason: 'condition "{{deploy.success}} == False" is false' }]);
    });

    it("skips a step whose condition is false and runs one whose condition holds", async () => {
      const context = new WorkflowContext({ replicas: 3 });
      const result = await executor({ tools: { ok } }).execute(
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
  });

  describe("sub-workflows", () => {
    it("runs a workflow of the library and yields its outputs", async () => {
      const context = new WorkflowContext({ database_name: "orders" });
      const result = await executor({ tools: backupTools, library: library(databaseBackup) }).execute(nightly, context);
      expect(result.status).toBe("completed");
      expect(context.getResult("backup")).toEqual({ location: "s3://bucket/backups/orders.sql", bytes: 2048 });
      expect(context.getResult("notify", "text")).toBe("backup at s3://bucket/backups/orders.sql (2048 bytes)");
      expect(result.outputs).toEqual({ where: "s3://bucket/backups/orders.sql" });
    });

    it("fails the step when the sub-workflow fails, with the inner error", async () => {
      const failing = {
        ...backupTools,
        upload: () => {
          throw new Error("bucket is full");
        },
      };
      const result = await executor({ tools: failing, library: library(databaseBackup) }).execute(nightly, new WorkflowContext({ database_name: "x" }));
      expect(result.failedSteps).toMatchObject([{ id: "backup", error: 'sub-workflow "database_backup" failed: step "upload" failed: bucket is full' }]);
      expect(result.skippedSteps).toEqual([{ id: "notify", reason: 'dependency "backup" failed' }]);
    });

    it("runs every step of a sub-workflow again when its step is retried", async () => {
      const calls: string[] = [];
      let uploads = 0;
      const tools = {
        ...backupTools,
        pg_dump: (p: Record<string, unknown>) => (calls.push("dump"), backupTools.pg_dump(p)),
        upload: (p: Record<string, unknown>) => {
          calls.push("upload");
          if (++uploads === 1) throw new Error("bucket is busy");
          return backupTools.upload(p);
        },
      };
      const retried = new WorkflowTemplate({ ...nightly.toJSON(), steps: nightly.steps.map((s) => (s.id === "backup" ? { ...s.toJSON(), maxRetries: 1, retryDelayMs: 1 } : s.toJSON())) } as never);
      const result = await executor({ tools, library: library(databaseBackup) }).execute(retried, new WorkflowContext({ database_name: "x" }));
      expect(result.status).toBe("completed");
      expect(result.completedSteps).toMatchObject([{ id: "backup", attempts: 2 }, { id: "notify" }]);
      expect(calls).toEqual(["dump", "upload", "dump", "upload"]);
    });

    it("records the sub-workflow's tool calls in the monitor under a derived run id", async () => {
      const monitor = createMonitor();
      await executor({ tools: backupTools, library: library(databaseBackup), monitor }).execute(nightly, new WorkflowContext({ database_name: "x" }), undefined, { runId: "run-1" });
      expect(monitor.toolCallLog.map((m) => [m.executionId, m.stepId, m.toolName])).toEqual([
        ["run-1/backup", "dump", "pg_dump"],
        ["run-1/backup", "upload", "upload"],
        ["run-1", "backup", "execute_workflow"],
        ["run-1", "notify", "notify"],
      ]);
    });
  });

  describe("the monitor, the tool context and outputs", () => {
    it("records one metric per attempt, with run, step, outcome and redacted parameters and results", async () => {
      const monitor = createMonitor({ redact: ["token"] });
      let first = true;
      const tools = {
        login: (p: Record<string, unknown>) => ({ session: `s-${String(p.user)}`, token: "secret-result" }),
        fetch: () => {
          if (first) {
            first = false;
            throw new Error("503");
          }
          return { rows: 2 };
        },
      };
      const template = new WorkflowTemplate({
        name: "w",
        steps: [
          { id: "login", toolName: "login", parameters: { user: "ada", token: "{{token}}" } },
          { id: "fetch", toolName: "fetch", parameters: { session: "{{login.session}}" }, dependsOn: ["login"], maxRetries: 1, retryDelayMs: 1 },
        ],
      });
      await executor({ tools, monitor }).execute(template, new WorkflowContext({ token: "hunter2" }), undefined, { runId: "r1" });
      expect(monitor.toolCallLog.map((m) => [m.stepId, m.attempt, m.success, m.error])).toEqual([
        ["login", 1, true, undefined],
        ["fetch", 1, false, "503"],
        ["fetch", 2, true, undefined],
      ]);
      expect(monitor.toolCallLog[0]).toMatchObject({ toolName: "login", executionId: "r1", workflowName: "w", parameters: { user: "ada", token: "[REDACTED]" }, result: { session: "s-ada", token: "[REDACTED]" } });
    });

    it("gives tools their step, attempt, run, workflow and idempotency key", async () => {
      const seen: Omit<ToolContext, "signal">[] = [];
      const tool = (_p: unknown, { signal: _signal, ...ctx }: ToolContext) => {
        seen.push(ctx);
        if (ctx.attempt === 1) throw new Error("again");
        return null;
      };
      const result = await executor({ tools: { t: tool } }).execute(one({ maxRetries: 1, retryDelayMs: 1 }), undefined, undefined, { runId: "run-7" });
      expect(result.status).toBe("completed");
      expect(seen).toEqual([
        { stepId: "s", attempt: 1, runId: "run-7", workflowName: "w", idempotencyKey: "run-7:s" },
        { stepId: "s", attempt: 2, runId: "run-7", workflowName: "w", idempotencyKey: "run-7:s" },
      ]);
    });

    it("keeps results as they are: objects, arrays, null, and undefined apart from null", async () => {
      const context = new WorkflowContext();
      const values: Record<string, unknown> = { obj: { a: [1, "x", { b: true }] }, arr: [1, 2], nil: null, none: undefined, text: "t", num: 1.5 };
      const template = new WorkflowTemplate({ name: "w", steps: Object.keys(values).map((id) => ({ id, toolName: "t" })), outputs: { nested: "{{obj.a[2].b}}", text: "n={{num}}" } });
      const result = await executor({ tools: { t: (_p: unknown, ctx: ToolContext) => values[ctx.stepId] } }).execute(template, context);
      expect(result.status).toBe("completed");
      for (const [id, value] of Object.entries(values)) expect(context.getResult(id)).toStrictEqual(value);
      expect(context.hasResult("none")).toBe(true);
      expect(result.outputs).toEqual({ nested: true, text: "n=1.5" });
    });

    it("fails a completed run whose output reads a missing field, naming the output", async () => {
      const template = new WorkflowTemplate({ name: "w", steps: [{ id: "a", toolName: "t" }], outputs: { url: "{{a.url}}" } });
      const result = await executor({ tools: { t: () => ({ n: 3 }) } }).execute(template);
      expect(result.status).toBe("failed");
      expect(result.error).toMatch(/^output "url": cannot resolve "\{\{a.url\}\}"/);
    });
  });
}

/**
 * Redis that is not there, goes away or comes back empty (issue 12, item 8): every wait on it is bounded. With real
 * redis-server processes, killed with SIGKILL and restarted on the same port, and real `weave` processes: nothing at
 * the URL at start is the user's error (exit 2, naming the URL, password redacted); a Redis restarted empty mid-run,
 * or gone for good, fails the run with a message naming the URL instead of leaving the coordinator waiting forever;
 * a worker stops within seconds on SIGTERM/SIGINT while Redis is down. And the same bounds from the API.
 */
import { spawn } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterEach, expect, it } from "vitest";
import { WorkflowContext, WorkflowExecutor, WorkflowTemplate, type ExecutionResult } from "toolweave";
import { RedisDataLostError, RedisUnavailableError } from "../../../adapters/redis/connection.js";
import { BullmqInvoker } from "../../../adapters/redis/invoker.js";
import { StepWorker } from "../../../adapters/redis/worker.js";
import { RedisJournalStore } from "../../../adapters/redis/journal-store.js";
import { cleanEnv, ROOT, STACK, useWorkdirs, WEAVE, weave } from "../../cli/weave-process.js";
import { header } from "../../helpers/journal-records.js";
import { startWorker, stopWorker, type WorkerProcess } from "./processes.js";
import { describeWithRedis, freePort, startRedisOn, type PortRedis } from "./redis-server.js";

const TOOLS = join(import.meta.dirname, "fixtures", "tools.mjs");
/** The executor knows the tool by name; its calls go to the invoker (and no worker takes them). */
const TOOL = { t: () => undefined };
const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** `promise`, or a failure naming `what` after `ms`: a bound on a wait, as a test timeout would be, with a message. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

interface Spawned {
  readonly pid: number;
  readonly done: Promise<{ code: number | null; stdout: string; stderr: string }>;
  stderr(): string;
  kill(signal: NodeJS.Signals): void;
}

/** `node bin/weave.js ...` without execFile's time limit (the coordinator runs as long as the test lets it). */
function spawnWeave(args: readonly string[]): Spawned {
  const child = spawn(process.execPath, [WEAVE, ...args], { cwd: ROOT, env: cleanEnv(), stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk: Buffer) => void (stdout += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => void (stderr += chunk.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.once("exit", (code) => resolve({ code, stdout, stderr })),
  );
  return { pid: child.pid!, done, stderr: () => stderr, kill: (signal) => void child.kill(signal) };
}

/** `a` (quick), then `b` (`ms` long, so it is running when Redis goes), then `c`. */
function chain(name: string, dir: string, ms: number): Record<string, unknown> {
  const step = (id: string, after: string | undefined, length: number) => ({
    id,
    toolName: "work",
    parameters: { step: id, inputs: after ? [`{{${after}.value}}`] : [], ms: length, dir },
    ...(after ? { dependsOn: [after] } : {}),
  });
  return { name, steps: [step("a", undefined, 50), step("b", "a", ms), step("c", "b", 50)], outputs: { value: "{{c.value}}" } };
}

describeWithRedis("when Redis is unreachable, restarted empty or gone", () => {
  const work = useWorkdirs("weave-outage-");
  const workers: WorkerProcess[] = [];
  const servers: PortRedis[] = [];
  const cleanups: (() => Promise<unknown>)[] = [];
  let queues = 0;
  const queueName = (): string => `outage-${process.pid}-${++queues}`;

  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => stopWorker(w, 3_000)));
    await Promise.all(cleanups.splice(0).map((c) => c().catch(() => undefined)));
    await Promise.all(servers.splice(0).map((s) => s.kill()));
  });

  async function redisOn(port?: number, args: readonly string[] = []): Promise<PortRedis> {
    const server = await startRedisOn(port ?? (await freePort()), args);
    servers.push(server);
    return server;
  }

  async function workflowFile(name: string, ms: number): Promise<{ file: string; dir: string }> {
    const dir = await work.workdir(name);
    await mkdir(dir, { recursive: true });
    const file = join(dir, `${name}.workflow.json`);
    await writeFile(file, JSON.stringify(chain(name, dir, ms)));
    return { file, dir };
  }

  it("weave run --redis, weave resume --redis and weave worker with nothing at the URL: exit 2 naming the URL (password redacted), no internal error, no stack", async () => {
    const port = await freePort();
    const url = `redis://:hunter2@127.0.0.1:${port}`;
    const { file } = await workflowFile("nothing-there", 10);
    const [run, resume, worker] = await Promise.all([
      weave(["run", file, "--tools", TOOLS, "--redis", url, "--redis-timeout", "1000"]),
      weave(["resume", "some-run", "--redis", url, "--redis-timeout", "1000"]),
      weave(["worker", "--redis", url, "--tools", TOOLS, "--redis-timeout", "1000"]),
    ]);
    for (const outcome of [run, resume, worker]) {
      expect(outcome.code).toBe(2);
      expect(outcome.stderr).toBe(
        [
          `weave: cannot connect to Redis at redis://:***@127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port} (kept trying for 1 s)`,
          "  start Redis there (or pass the URL of one that runs: --redis redis://host:port), then run this again",
          "  to wait longer for it: --redis-timeout <ms>",
          "",
        ].join("\n"),
      );
      expect(outcome.stderr).not.toMatch(STACK);
      expect(outcome.stdout).toBe("");
    }
  }, 30_000);

  it("weave worker with a password Redis refuses: exit 2 at once, with Redis's answer (not retried for --redis-timeout)", async () => {
    const server = await redisOn(undefined, ["--requirepass", "sesame"]);
    const wrong = await weave(["worker", "--redis", `redis://:hunter2@127.0.0.1:${server.port}`, "--tools", TOOLS]);
    expect(wrong.code).toBe(2);
    // no "(kept trying for 10 s)": refused credentials are not retried
    expect(wrong.stderr.split("\n")[0]).toBe(
      `weave: cannot connect to Redis at redis://:***@127.0.0.1:${server.port}: WRONGPASS invalid username-password pair or user is disabled.`,
    );
    expect(wrong.stderr).not.toContain("hunter2");
    expect(wrong.stderr).not.toMatch(STACK);
  }, 30_000);

  it("Redis killed (SIGKILL) mid-run and restarted empty on the same port: the coordinator fails the run naming the URL, and the worker reconnects and takes new jobs", async () => {
    const redis = await redisOn();
    const queue = queueName();
    // (two slots: "b"'s tool may still run in one after its job is gone, the coordinator's request to stop it being best effort)
    const worker = startWorker(["--redis", redis.url, "--tools", TOOLS, "--queue", queue, "--concurrency", "2"]);
    workers.push(worker);
    await worker.waitFor((e) => e.event === "ready");
    const { file, dir } = await workflowFile("restarted", 30_000);
    const coordinator = spawnWeave([
      "run",
      file,
      "--tools",
      TOOLS,
      "--redis",
      redis.url,
      "--queue",
      queue,
      "--run-id",
      "restarted-1",
      "--var",
      `dir=${dir}`,
      "--json",
    ]);
    cleanups.push(async () => coordinator.kill("SIGKILL"));

    await worker.waitFor((e) => e.event === "started" && e.stepId === "b");
    await redis.kill();
    const restarted = await redisOn(redis.port);

    // the job it awaited is gone, and so is the run's journal: the run fails, naming both and the URL
    const ended = await within(coordinator.done, 20_000, "the coordinator's run to fail once its jobs were gone");
    expect(ended.code).toBe(1);
    expect(ended.stderr).not.toContain("internal error");
    const result = JSON.parse(ended.stdout) as ExecutionResult;
    expect(result.status).toBe("failed");
    const lost = `job tw|restarted-1||b|1 is no longer in Redis at ${redis.url} (queue "${queue}"): Redis was restarted without its data, or flushed, so the step's attempt is lost and the run cannot go on`;
    expect(result.completedSteps.map((s) => s.id)).toEqual(["a"]);
    expect(result.failedSteps).toMatchObject([{ id: "b", attempts: 1, error: lost }]);
    expect(result.error).toBe(`step "b" failed: ${lost}`);
    expect(result.skippedSteps).toMatchObject([
      {
        id: "c",
        reason: expect.stringContaining(
          `the run's journal is no longer in Redis at ${redis.url}: Redis was restarted without its data (no persistence), or flushed`,
        ),
      },
    ]);
    // nothing to resume: the journal went with the data
    const resume = await weave(["resume", "restarted-1", "--redis", redis.url, "--queue", queue]);
    expect(resume.code).toBe(2);
    expect(resume.stderr).toContain(`weave: no run "restarted-1" in ${redis.url} (keys toolweave:journal:*)`);

    // the worker said it lost Redis and got it back, and runs the next run's steps on the new, empty Redis
    await worker.waitFor((e) => e.event === "disconnected");
    await worker.waitFor((e) => e.event === "reconnected");
    expect(worker.stderr()).toContain(`weave worker: lost the connection to Redis at ${redis.url} (`);
    expect(worker.stderr()).toContain(`weave worker: Redis at ${redis.url} is back: taking jobs again`);
    const next = await workflowFile("after-restart", 20);
    const again = await weave([
      "run",
      next.file,
      "--tools",
      TOOLS,
      "--redis",
      restarted.url,
      "--queue",
      queue,
      "--var",
      `dir=${next.dir}`,
      "--json",
    ]);
    expect(again.code).toBe(0);
    expect((JSON.parse(again.stdout) as ExecutionResult).status).toBe("completed");
    expect(worker.events.filter((e) => e.event === "completed" && e.runId !== "restarted-1").map((e) => e.stepId)).toEqual(["a", "b", "c"]);
  }, 90_000);

  it("Redis stopped for good mid-run: the coordinator fails the run once --redis-timeout has passed, naming the URL; SIGTERM then stops the worker at once, abandoning its job", async () => {
    const redis = await redisOn();
    const queue = queueName();
    const worker = startWorker(["--redis", redis.url, "--tools", TOOLS, "--queue", queue]);
    workers.push(worker);
    await worker.waitFor((e) => e.event === "ready");
    const { file, dir } = await workflowFile("gone", 60_000);
    const coordinator = spawnWeave([
      "run",
      file,
      "--tools",
      TOOLS,
      "--redis",
      redis.url,
      "--queue",
      queue,
      "--run-id",
      "gone-1",
      "--var",
      `dir=${dir}`,
      "--redis-timeout",
      "1500",
      "--json",
    ]);
    cleanups.push(async () => coordinator.kill("SIGKILL"));

    await worker.waitFor((e) => e.event === "started" && e.stepId === "b");
    await redis.kill();

    const ended = await within(coordinator.done, 20_000, "the coordinator's run to fail with Redis gone");
    expect(ended.code).toBe(1);
    expect(ended.stderr).not.toContain("internal error");
    const result = JSON.parse(ended.stdout) as ExecutionResult;
    expect(result.status).toBe("failed");
    const gone = new RegExp(
      `^the step's job can no longer be followed: Redis at ${escapeRegExp(redis.url)} has been unreachable for [\\d.]+ s \\((connect ECONNREFUSED 127\\.0\\.0\\.1:${redis.port}|the connection closed)\\)\\. the run can be resumed once Redis is back, if it kept its data$`,
    );
    expect(result.failedSteps).toMatchObject([{ id: "b", attempts: 1, error: expect.stringMatching(gone) }]);

    // the worker still runs "b" (its tool takes a minute): SIGTERM stops it at once, abandoning the job
    await worker.waitFor((e) => e.event === "disconnected");
    expect(worker.events.some((e) => e.event === "completed" && e.stepId === "b")).toBe(false);
    worker.child.kill("SIGTERM");
    const exit = await within(worker.exited, 10_000, "weave worker to exit on SIGTERM with Redis down");
    expect(exit).toEqual({ code: 1, signal: null });
    expect(worker.events.filter((e) => e.event === "abandoned").map((e) => e.stepId)).toEqual(["b"]);
    expect(worker.stderr()).toContain(`weave worker: SIGTERM: stopping at once: Redis at ${redis.url} is unreachable`);
    expect(worker.stderr()).toContain(
      `weave worker: Redis at ${redis.url} is unreachable: abandoned 1 running job; once Redis is back, another worker takes it over when its lock lapses (stalled jobs)`,
    );
    expect(worker.stderr()).not.toMatch(STACK);
  }, 90_000);

  it("SIGTERM or SIGINT stops an idle worker within seconds while Redis is down, however long it has been down", async () => {
    const redis = await redisOn();
    const queue = queueName();
    const started = ["SIGTERM", "SIGINT", "SIGTERM"].map(() => startWorker(["--redis", redis.url, "--tools", TOOLS, "--queue", queue]));
    workers.push(...started);
    await Promise.all(started.map((w) => w.waitFor((e) => e.event === "ready")));
    await redis.kill();
    await Promise.all(started.map((w) => w.waitFor((e) => e.event === "disconnected")));
    // signalled at once, 1 s and 3 s into the outage (while reconnecting, or between attempts)
    const exits = started.map(async (w, i) => {
      await new Promise((r) => setTimeout(r, [0, 1_000, 3_000][i]));
      const signal = i === 1 ? "SIGINT" : "SIGTERM";
      w.child.kill(signal);
      const exit = await within(w.exited, 10_000, `weave worker to exit on ${signal} with Redis down`);
      expect(w.stderr()).toContain(`weave worker: ${signal}: stopping at once: Redis at ${redis.url} is unreachable`);
      return exit;
    });
    expect(await Promise.all(exits)).toEqual(started.map(() => ({ code: 0, signal: null })));
  }, 60_000);

  it("from the API: nothing at the URL rejects the invoker, the journal store and the worker with a RedisUnavailableError within redisTimeoutMs, and fails a step without retrying it", async () => {
    const port = await freePort();
    const url = `redis://user:hunter2@127.0.0.1:${port}`;
    const invoker = new BullmqInvoker({ redis: url, redisTimeoutMs: 300, onError: () => undefined });
    const store = new RedisJournalStore({ redis: url, redisTimeoutMs: 300 });
    const worker = new StepWorker({ redis: url, tools: {}, redisTimeoutMs: 300, onError: () => undefined });
    cleanups.push(
      () => invoker.close(),
      () => store.close(),
      () => worker.stop(),
    );
    const expected = `cannot connect to Redis at redis://user:***@127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port} (kept trying for 300 ms)`;
    const failures = [invoker.waitUntilReady(), store.read("some-run"), worker.waitUntilReady()].map((waiting) =>
      within(
        waiting.then(
          () => undefined,
          (e: unknown) => e,
        ),
        5_000,
        "a RedisUnavailableError",
      ),
    );
    for (const error of await Promise.all(failures)) {
      expect(error).toBeInstanceOf(RedisUnavailableError);
      expect(error).toMatchObject({
        message: expected,
        code: "REDIS_UNAVAILABLE",
        url: `redis://user:***@127.0.0.1:${port}`,
        nonRetryable: true,
      });
    }
    const template = WorkflowTemplate.fromJSON({ name: "w", steps: [{ id: "s", toolName: "t", parameters: {}, maxRetries: 3 }] });
    const result = await new WorkflowExecutor({ invoker, tools: TOOL }).execute(template);
    expect(result.failedSteps).toMatchObject([{ id: "s", attempts: 1, error: expected }]);
  }, 30_000);

  it("from the API: a job that vanished (FLUSHALL) fails its attempt with a RedisDataLostError, not retried, and the journal says it is gone rather than taken", async () => {
    const redis = await redisOn();
    const queue = queueName();
    const invoker = new BullmqInvoker({ redis: redis.url, queue, checkIntervalMs: 100, onError: () => undefined });
    const store = new RedisJournalStore({ redis: redis.url });
    const admin = new Redis(redis.url);
    cleanups.push(
      () => invoker.close(),
      () => store.close(),
      async () => admin.disconnect(),
    );
    // no worker takes the job: only the check can end the wait
    const template = WorkflowTemplate.fromJSON({ name: "w", steps: [{ id: "s", toolName: "t", parameters: {}, maxRetries: 3 }] });
    const running = new WorkflowExecutor({ invoker, tools: TOOL }).execute(template, new WorkflowContext(), undefined, {
      runId: "flushed-1",
      journal: store,
    });
    const key = `toolweave:${queue}:tw|flushed-1||s|1`;
    for (const started = Date.now(); (await admin.exists(key)) === 0; ) {
      if (Date.now() - started > 10_000) throw new Error("the job was not submitted");
      await new Promise((r) => setTimeout(r, 20));
    }
    await admin.flushall();
    const result = await within(running, 10_000, "the run to fail once its job vanished");
    expect(result.status).toBe("failed");
    expect(result.failedSteps).toMatchObject([
      {
        id: "s",
        attempts: 1,
        error: `job tw|flushed-1||s|1 is no longer in Redis at ${redis.url} (queue "${queue}"): Redis was restarted without its data, or flushed, so the step's attempt is lost and the run cannot go on`,
      },
    ]);
    expect(invoker.stats.lost).toBe(1);
    expect(new RedisDataLostError("u", "m").nonRetryable).toBe(true);

    // a journal whose keys vanished: its next append says so (not "another process holds the run")
    const journal = await store.create(header("flushed-2"));
    await admin.flushall();
    await expect(journal.append({ type: "start", step: "a", attempt: 1, at: 1 })).rejects.toThrow(
      `the run's journal is no longer in Redis at ${redis.url}: Redis was restarted without its data (no persistence), or flushed. the run cannot go on, nor be resumed`,
    );
    await journal.close();
  }, 30_000);

  it("from the API: Redis gone for good fails the attempts awaited once redisTimeoutMs has passed, and new ones at once", async () => {
    const redis = await redisOn();
    const queue = queueName();
    const invoker = new BullmqInvoker({ redis: redis.url, queue, redisTimeoutMs: 500, checkIntervalMs: 100, onError: () => undefined });
    cleanups.push(() => invoker.close());
    await invoker.waitUntilReady();
    const template = WorkflowTemplate.fromJSON({ name: "w", steps: [{ id: "s", toolName: "t", parameters: {}, maxRetries: 3 }] });
    const executor = new WorkflowExecutor({ invoker, tools: TOOL });
    const running = executor.execute(template);
    await new Promise((r) => setTimeout(r, 300));
    await redis.kill();
    const result = await within(running, 10_000, "the run to fail with Redis gone");
    const unreachable = new RegExp(
      `^the step's job can no longer be followed: Redis at ${escapeRegExp(redis.url)} has been unreachable for [\\d.]+ (ms|s) \\(.+\\)`,
    );
    expect(result.failedSteps).toMatchObject([{ id: "s", attempts: 1, error: expect.stringMatching(unreachable) }]);
    // still gone: the next run's attempt fails without waiting again
    const next = await within(executor.execute(template), 2_000, "a new attempt to fail at once");
    expect(next.failedSteps).toMatchObject([
      { id: "s", attempts: 1, error: expect.stringMatching(/^the step's job cannot be submitted: Redis at .* has been unreachable for/) },
    ]);
  }, 30_000);
});

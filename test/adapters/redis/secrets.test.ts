/**
 * Secret inputs in distributed runs, on a real redis-server: with WEAVE_PAYLOAD_KEY (the same for `weave run --redis`
 * and `weave worker`), a run whose tools echo the secret and quote it in an error leaves it nowhere in Redis (every key,
 * every value), nor in what the worker prints; the failure comes back masked. Without the key, the coordinator refuses
 * the run before it starts; a worker without the key, or with another one, fails the step saying so. The same from the
 * API (BullmqInvoker, StepWorker).
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, expect, it, vi } from "vitest";
import { ToolError, WorkflowContext, WorkflowExecutor, WorkflowTemplate, type ExecutionResult, type ToolCall } from "toolweave";
import { BullmqInvoker } from "../../../adapters/redis/invoker.js";
import { RemoteToolError, stepJobId } from "../../../adapters/redis/job.js";
import { PayloadSeal } from "../../../adapters/redis/payload-seal.js";
import { StepWorker } from "../../../adapters/redis/worker.js";
import { STACK, useWorkdirs, weave } from "../../cli/weave-process.js";
import { startWorker, stopWorker, type WorkerProcess } from "./processes.js";
import { describeWithRedis, startRedis, type RedisServer } from "./redis-server.js";

/** `login` echoes the token in its result, `publish` quotes it in its error until <dir>/fixed exists. */
const SECRETS = "test/cli/fixtures/ts/secrets.ts";
/** With characters that JSON escapes and URIs encode, so each written form is a different string. */
const TOKEN = 'tok_9f8e"7d6c\\5b4a/+=';
const KEY = "correct horse battery staple";
const FORMS = [TOKEN, JSON.stringify(TOKEN).slice(1, -1), encodeURIComponent(TOKEN)];

function expectNoToken(where: string, text: string): void {
  for (const form of FORMS) expect(text.includes(form), `${where} holds the token (${form})`).toBe(false);
}

/**
 * Everything the Redis at `url` holds, as text: each key's name, its value read by its type, and its DUMP with RDB
 * compression off (so no value escapes the search by being compressed).
 */
async function everythingIn(url: string): Promise<string> {
  const redis = new Redis(url);
  try {
    await redis.config("SET", "rdbcompression", "no");
    const parts: string[] = [];
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "COUNT", 1000);
      cursor = next;
      for (const key of keys) {
        parts.push(key);
        const type = await redis.type(key);
        if (type === "string") parts.push(String(await redis.get(key)));
        else if (type === "hash") parts.push(JSON.stringify(await redis.hgetall(key)));
        else if (type === "list") parts.push(...(await redis.lrange(key, 0, -1)));
        else if (type === "set") parts.push(...(await redis.smembers(key)));
        else if (type === "zset") parts.push(...(await redis.zrange(key, 0, -1)));
        else if (type === "stream") parts.push(JSON.stringify(await redis.xrange(key, "-", "+")));
        const dump = await redis.dumpBuffer(key);
        if (dump) parts.push(dump.toString("utf8"), dump.toString("latin1"));
      }
    } while (cursor !== "0");
    return parts.join("\n");
  } finally {
    redis.disconnect();
  }
}

describeWithRedis("secret inputs in distributed runs", () => {
  let redis: RedisServer | undefined;
  const work = useWorkdirs("weave-distributed-secrets-");
  const workers: WorkerProcess[] = [];
  let queues = 0;

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => stopWorker(w)));
  });
  afterAll(async () => {
    await redis?.stop();
  });

  const queueName = (what: string): string => `secrets-${what}-${process.pid}-${++queues}`;

  async function startWorkerOn(queue: string, env: Record<string, string> = {}): Promise<WorkerProcess> {
    const worker = startWorker(["--redis", redis!.url, "--tools", SECRETS, "--queue", queue], undefined, env);
    workers.push(worker);
    await worker.waitFor((e) => e.event === "ready");
    return worker;
  }

  it("with WEAVE_PAYLOAD_KEY: runs and resumes through weave run/resume --redis and weave worker, and the secret is nowhere in Redis nor in what the worker prints", async () => {
    const dir = await work.workdir("sealed");
    await mkdir(dir, { recursive: true });
    const queue = queueName("sealed");
    const env = { REGISTRY_TOKEN: TOKEN, WEAVE_PAYLOAD_KEY: KEY };
    const worker = await startWorkerOn(queue, { WEAVE_PAYLOAD_KEY: KEY });
    expect(worker.events[0]).toMatchObject({ event: "ready", payloadKey: true });
    // (the text line goes to stderr, which may arrive after the JSON event)
    await vi.waitFor(() => expect(worker.stderr()).toContain("encrypted jobs opened with WEAVE_PAYLOAD_KEY"));
    const args = ["--redis", redis!.url, "--queue", queue, "--env-var", "token=REGISTRY_TOKEN", "--json"];

    // publish quotes the session (with the token in it) in its error: it comes back masked by the worker
    const first = await weave(["run", SECRETS, "--var", `dir=${dir}`, "--run-id", "sealed-1", ...args], { env });
    expect(first.code).toBe(1);
    const failed = JSON.parse(first.stdout) as ExecutionResult;
    expect(failed.failedSteps).toMatchObject([{ id: "publish", error: "registry refused session session-of-[secret:token]", attempts: 1 }]);
    expect(worker.events.filter((e) => e.event === "failed")).toMatchObject([
      { stepId: "publish", error: "registry refused session session-of-[secret:token]" },
    ]);

    await writeFile(join(dir, "fixed"), "");
    const resumed = await weave(["resume", "sealed-1", ...args], { env });
    expect(resumed.code).toBe(0);
    const result = JSON.parse(resumed.stdout) as ExecutionResult;
    expect(result.status).toBe("completed");
    // the tools got the real token (the outputs show where it was), through sealed payloads and sealed results
    expect(result.outputs).toEqual({ by: "session-of-[secret:token]", url: "https://registry.test/?token=[secret:token]" });
    expect((await readFile(join(dir, "calls.log"), "utf8")).trim().split("\n")).toEqual([
      "sealed-1:login",
      "sealed-1:publish",
      "sealed-1:publish",
    ]);

    const stored = await everythingIn(redis!.url);
    expectNoToken("Redis", stored);
    // (what the search reads: the jobs' data, results and failure reasons)
    expect(stored).toContain(`"sealed":"v1.`);
    expect(stored).toContain("registry refused session session-of-[secret:token]");
    expect(stored).not.toMatch(/"params":/);
    await stopWorker(worker);
    for (const [where, text] of [
      ["worker stdout", worker.stdout()],
      ["worker stderr", worker.stderr()],
      ["run stdout", first.stdout],
      ["run stderr", first.stderr],
      ["resume stdout", resumed.stdout],
      ["resume stderr", resumed.stderr],
    ] as const) {
      expectNoToken(where, text);
    }
  });

  it("without WEAVE_PAYLOAD_KEY, a run with secret inputs is refused before it starts (exit 2, saying why and what to do); an empty key too", async () => {
    const dir = await work.workdir("no-key");
    await mkdir(dir, { recursive: true });
    const queue = queueName("nokey");
    const refused = await weave(
      ["run", SECRETS, "--var", `dir=${dir}`, "--env-var", "token=REGISTRY_TOKEN", "--redis", redis!.url, "--queue", queue],
      { env: { REGISTRY_TOKEN: TOKEN } },
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      `weave: the run has secret input "token", and a distributed run (--redis) sends each step's parameters to its workers as job data, which Redis would keep in clear`,
    );
    expect(refused.stderr).toContain(
      "set WEAVE_PAYLOAD_KEY to a passphrase, the same for this process and every weave worker of the queue: job payloads then travel encrypted",
    );
    expect(refused.stderr).not.toMatch(STACK);
    expectNoToken("stderr", refused.stderr);
    // nothing ran, nothing was queued
    expect(existsSync(join(dir, "calls.log"))).toBe(false);
    expect((await everythingIn(redis!.url)).includes(queue)).toBe(false);

    const empty = await weave(["worker", "--redis", redis!.url, "--tools", SECRETS, "--queue", queue], { env: { WEAVE_PAYLOAD_KEY: "" } });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(
      /^weave: WEAVE_PAYLOAD_KEY is set but empty: it must be the passphrase that job payloads are encrypted with\n/,
    );
    expect(empty.stderr).not.toMatch(STACK);
  });

  it("a worker without the key, or with another one, fails the step (not retried), saying what to do", async () => {
    const env = { REGISTRY_TOKEN: TOKEN, WEAVE_PAYLOAD_KEY: KEY };
    const cases: { name: string; workerEnv: Record<string, string>; message: RegExp }[] = [
      {
        name: "keyless",
        workerEnv: {},
        message:
          /the payload of job \S+ is encrypted \(the coordinator has a payload key\), and this worker has none to open it: start weave worker with WEAVE_PAYLOAD_KEY set, the same as the coordinator's/,
      },
      {
        name: "otherkey",
        workerEnv: { WEAVE_PAYLOAD_KEY: "another passphrase" },
        message: /cannot open the payload of job \S+: the worker's WEAVE_PAYLOAD_KEY differs from the coordinator's/,
      },
    ];
    for (const { name, workerEnv, message } of cases) {
      const dir = await work.workdir(name);
      await mkdir(dir, { recursive: true });
      const queue = queueName(name);
      const worker = await startWorkerOn(queue, workerEnv);
      const run = await weave(
        ["run", SECRETS, "--var", `dir=${dir}`, "--env-var", "token=REGISTRY_TOKEN", "--redis", redis!.url, "--queue", queue, "--json"],
        { env },
      );
      expect(run.code, name).toBe(1);
      const result = JSON.parse(run.stdout) as ExecutionResult;
      expect(result.failedSteps, name).toMatchObject([{ id: "login", attempts: 1 }]);
      expect(result.failedSteps[0]!.error, name).toMatch(message);
      expect(existsSync(join(dir, "calls.log")), name).toBe(false);
      expect(worker.events.find((e) => e.event === "failed")?.error, name).toMatch(message);
      expectNoToken(`${name} worker`, worker.stdout() + worker.stderr());
    }
    expect(workers[0]!.events[0]).toMatchObject({ event: "ready", payloadKey: false });
    await vi.waitFor(() =>
      expect(workers[0]!.stderr()).toContain("no WEAVE_PAYLOAD_KEY: encrypted jobs (runs with secret inputs) fail here"),
    );
  });

  it("from the API: payloads and results sealed, the failure masked at the coordinator and in Redis; no key and secrets refused; a worker with a key runs jobs in clear", async () => {
    const url = redis!.url;
    const prefix = "tw-secrets";
    const queue = queueName("api");
    const tools = {
      echo: (p: Record<string, unknown>) => ({ got: p.header }),
      none: () => undefined,
      nothing: () => null,
      refuse: (p: Record<string, unknown>) => Promise.reject(new Error(`refused ${String(p.header)}`)),
    };
    const worker = new StepWorker({ redis: url, queue, prefix, tools, concurrency: 4, payloadKey: KEY, onError: () => undefined });
    const sealing = new BullmqInvoker({ redis: url, queue, prefix, payloadKey: KEY, onError: () => undefined });
    const clear = new BullmqInvoker({ redis: url, queue, prefix, onError: () => undefined });
    const jobs = new Queue(queue, { connection: { url }, prefix });
    try {
      await worker.waitUntilReady();
      expect(worker.opensPayloads).toBe(true);
      expect(sealing.sealsPayloads).toBe(true);
      const template = new WorkflowTemplate({
        name: "w",
        steps: [
          { id: "echo", toolName: "echo", parameters: { header: "Bearer {{token}}" } },
          { id: "none", toolName: "none" },
          { id: "nothing", toolName: "nothing" },
        ],
      });
      const context = new WorkflowContext({ token: TOKEN });
      const result = await new WorkflowExecutor({ tools, invoker: sealing }).execute(template, context, undefined, {
        runId: "api-1",
        secrets: ["token"],
      });
      expect(result.status).toBe("completed");
      expect(context.getResult("echo")).toEqual({ got: `Bearer ${TOKEN}` });
      // undefined and null still come back apart
      expect(context.getResult("none")).toBeUndefined();
      expect(context.getResult("nothing")).toBeNull();
      const job = (await jobs.getJob(stepJobId("api-1", [], "echo", 1)))!;
      expect(job.data.params).toBeUndefined();
      expect(job.data.sealed).toMatch(/^v1\./);
      expect(Object.keys(job.returnvalue!)).toEqual(["sealed"]);

      // a failure that quotes the secret: masked by the worker, so the coordinator gets it masked, and Redis keeps it so
      const call: ToolCall = {
        toolName: "refuse",
        params: { header: `Bearer ${TOKEN}` },
        context: {
          signal: new AbortController().signal,
          stepId: "refuse",
          attempt: 1,
          runId: "api-2",
          workflowName: "w",
          idempotencyKey: "api-2:refuse",
        },
        timeoutMs: null,
        rootRunId: "api-2",
        scope: [],
        tool: tools.refuse,
        secrets: { token: TOKEN },
      };
      const error = await Promise.resolve(sealing.invoke(call)).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(error?.message).toBe("refused Bearer [secret:token]");
      const failedJob = (await jobs.getJob(stepJobId("api-2", [], "refuse", 1)))!;
      expect(failedJob.failedReason).toBe("refused Bearer [secret:token]");
      expect((failedJob.stacktrace ?? []).join("\n")).toContain("[secret:token]");
      expectNoToken("the failed job", JSON.stringify(failedJob.toJSON()));

      // an invoker without a key refuses a run with secrets: not retried, nothing queued
      const refused = await new WorkflowExecutor({ tools, invoker: clear }).execute(
        new WorkflowTemplate({
          name: "w",
          steps: [{ id: "echo", toolName: "echo", parameters: { header: "{{token}}" }, maxRetries: 2, retryDelayMs: 1 }],
        }),
        new WorkflowContext({ token: TOKEN }),
        undefined,
        { runId: "api-3", secrets: ["token"] },
      );
      expect(refused.failedSteps).toMatchObject([{ id: "echo", attempts: 1 }]);
      expect(refused.failedSteps[0]!.error).toBe(
        `workflow "w", step "echo": not sent to a worker: the run has secret input "token", which the parameters may hold, and the queue would keep them in clear in Redis. set WEAVE_PAYLOAD_KEY (the same for the coordinator and every worker) to send job payloads encrypted; from code, give BullmqInvoker and StepWorker the same payloadKey`,
      );
      expect(await jobs.getJob(stepJobId("api-3", [], "echo", 1))).toBeUndefined();

      // a worker with a key still runs the jobs of a coordinator without one (runs without secrets), in clear
      const plain = await new WorkflowExecutor({ tools, invoker: clear }).execute(
        new WorkflowTemplate({ name: "w", steps: [{ id: "echo", toolName: "echo", parameters: { header: "public" } }] }),
        undefined,
        undefined,
        { runId: "api-4" },
      );
      expect(plain.status).toBe("completed");
      const plainJob = (await jobs.getJob(stepJobId("api-4", [], "echo", 1)))!;
      expect(plainJob.data.params).toEqual({ header: "public" });
      expect(plainJob.returnvalue).toEqual({ value: { got: "public" } });

      expectNoToken("Redis", await everythingIn(url));
    } finally {
      await Promise.all([sealing.close(), clear.close(), worker.stop(0)]);
      await jobs.obliterate({ force: true });
      await jobs.close();
    }
  });

  it("from the API: a ToolError's partial result holding the secret goes back sealed in the job's failure, reaches the failure handler whole, and the coordinator without the key keeps the failure, saying it cannot open the result", async () => {
    const url = redis!.url;
    const prefix = "tw-secrets";
    const queue = queueName("tool-error");
    const tools = {
      deploy: (p: Record<string, unknown>) =>
        Promise.reject(new ToolError("rollout failed", { result: { resource_id: "r-1", auth: p.header } })),
      cleanup: (p: Record<string, unknown>) => ({ cleaned: p.resource_id, auth: p.auth }),
    };
    const worker = new StepWorker({ redis: url, queue, prefix, tools, concurrency: 4, payloadKey: KEY, onError: () => undefined });
    const sealing = new BullmqInvoker({ redis: url, queue, prefix, payloadKey: KEY, onError: () => undefined });
    const jobs = new Queue(queue, { connection: { url }, prefix });
    try {
      await worker.waitUntilReady();
      const template = new WorkflowTemplate({
        name: "w",
        steps: [
          { id: "deploy", toolName: "deploy", parameters: { header: "Bearer {{token}}" } },
          {
            id: "cleanup",
            toolName: "cleanup",
            parameters: { resource_id: "{{deploy.resource_id}}", auth: "{{deploy.auth}}" },
            dependsOn: ["deploy"],
            condition: "{{deploy.success}} == False",
          },
        ],
      });
      const context = new WorkflowContext({ token: TOKEN });
      const result = await new WorkflowExecutor({ tools, invoker: sealing }).execute(template, context, undefined, {
        runId: "tool-error-1",
        secrets: ["token"],
      });
      expect(result.failedSteps).toMatchObject([
        { id: "deploy", error: "rollout failed", result: { resource_id: "r-1", auth: `Bearer ${TOKEN}` } },
      ]);
      expect(context.getResult("cleanup")).toEqual({ cleaned: "r-1", auth: `Bearer ${TOKEN}` });
      const failedJob = (await jobs.getJob(stepJobId("tool-error-1", [], "deploy", 1)))!;
      expect(failedJob.data.failure).toEqual({
        name: "ToolError",
        nonRetryable: false,
        sealedResult: expect.stringMatching(/^v1\./) as unknown,
      });
      expectNoToken("Redis", await everythingIn(url));

      const call: ToolCall = {
        toolName: "deploy",
        params: { header: `Bearer ${TOKEN}` },
        context: {
          signal: new AbortController().signal,
          stepId: "deploy",
          attempt: 1,
          runId: "tool-error-2",
          workflowName: "w",
          idempotencyKey: "tool-error-2:deploy",
        },
        timeoutMs: null,
        rootRunId: "tool-error-2",
        scope: [],
        tool: tools.deploy,
        secrets: { token: TOKEN },
      };
      // sent sealed by the keyed invoker; the failure then read by a coordinator without the key, and by one with another
      const error = await Promise.resolve(sealing.invoke(call)).then(
        () => undefined,
        (e: unknown) => e as ToolError,
      );
      expect(error?.result).toEqual({ resource_id: "r-1", auth: `Bearer ${TOKEN}` });
      const jobId = stepJobId("tool-error-2", [], "deploy", 1);
      const failure = (await jobs.getJob(jobId))!.data.failure;
      const unopened = new RemoteToolError("rollout failed", failure, jobId);
      expect(unopened.message).toBe(
        "rollout failed (its partial result is encrypted and this coordinator has no WEAVE_PAYLOAD_KEY to open it)",
      );
      expect(unopened.result).toBeUndefined();
      const otherKey = new RemoteToolError("rollout failed", failure, jobId, new PayloadSeal("another key"));
      expect(otherKey.message).toBe(
        "rollout failed (its partial result cannot be opened: the coordinator's WEAVE_PAYLOAD_KEY differs from the worker's)",
      );
    } finally {
      await Promise.all([sealing.close(), worker.stop(0)]);
      await jobs.obliterate({ force: true });
      await jobs.close();
    }
  });
});

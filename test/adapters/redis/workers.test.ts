/**
 * Real `weave worker` processes: a run spread over three of them gives the in-process results, and a worker killed
 * with SIGKILL in the middle of its jobs loses nothing (its jobs are found stalled and run by the others).
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, expect, it, vi } from "vitest";
import { WorkflowContext, WorkflowExecutor, WorkflowTemplate, type ExecutionResult } from "toolweave";
import { BullmqInvoker } from "../../../adapters/redis/invoker.js";
import { useWorkdirs, weave } from "../../cli/weave-process.js";
import tools from "./fixtures/tools.mjs";
import { layeredWorkflow } from "./fixtures/workflow.js";
import { startWorker, stopWorker, type WorkerProcess } from "./processes.js";
import { describeWithRedis, startRedis, type RedisServer } from "./redis-server.js";

const TOOLS = join(import.meta.dirname, "fixtures", "tools.mjs");

interface Execution {
  event: "start" | "done";
  step: string;
  pid: number;
  attempt: number;
  key: string;
  value?: string;
}

async function executions(dir: string): Promise<Execution[]> {
  const text = await readFile(join(dir, "executions.jsonl"), "utf8");
  return text
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Execution);
}

/** Every step's result, by id. */
function results(template: WorkflowTemplate, context: WorkflowContext): Record<string, unknown> {
  return Object.fromEntries(template.steps.map((s) => [s.id, context.getResult(s.id)]));
}

describeWithRedis("weave worker processes", () => {
  let redis: RedisServer | undefined;
  const work = useWorkdirs("weave-workers-");
  const workers: WorkerProcess[] = [];
  const invokers: BullmqInvoker[] = [];
  let queues = 0;

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterEach(async () => {
    await Promise.all(invokers.splice(0).map((i) => i.close()));
    await Promise.all(workers.splice(0).map((w) => stopWorker(w)));
  });
  afterAll(async () => {
    await redis?.stop();
  });

  const queueName = (): string => `workers-${process.pid}-${++queues}`;

  async function startWorkers(n: number, queue: string, extra: string[] = []): Promise<WorkerProcess[]> {
    const started = Array.from({ length: n }, () =>
      startWorker(["--redis", redis!.url, "--tools", TOOLS, "--queue", queue, "--concurrency", "2", ...extra]),
    );
    workers.push(...started);
    await Promise.all(started.map((w) => w.waitFor((e) => e.event === "ready")));
    return started;
  }

  async function inProcess(
    template: WorkflowTemplate,
    dir: string,
  ): Promise<{ result: ExecutionResult; results: Record<string, unknown> }> {
    await mkdir(dir, { recursive: true });
    const context = new WorkflowContext({ dir });
    const result = await new WorkflowExecutor({ tools }).execute(template, context);
    return { result, results: results(template, context) };
  }

  async function distributed(
    template: WorkflowTemplate,
    dir: string,
    queue: string,
    runId: string,
  ): Promise<{ result: ExecutionResult; results: Record<string, unknown> }> {
    await mkdir(dir, { recursive: true });
    const invoker = new BullmqInvoker({ redis: redis!.url, queue });
    invokers.push(invoker);
    const context = new WorkflowContext({ dir });
    const result = await new WorkflowExecutor({ tools, invoker }).execute(template, context, undefined, { runId });
    return { result, results: results(template, context) };
  }

  it("spreads a run over three worker processes, with the results of an in-process run", async () => {
    const template = WorkflowTemplate.fromJSON(layeredWorkflow({ layers: 5, width: 6, ms: 30 }));
    const queue = queueName();
    const three = await startWorkers(3, queue);
    const local = await inProcess(template, await work.workdir("local"));
    const dir = await work.workdir("spread");
    const remote = await distributed(template, dir, queue, "spread-1");

    expect(local.result.status).toBe("completed");
    expect(remote.result.status).toBe("completed");
    expect(remote.result.outputs).toEqual(local.result.outputs);
    expect(remote.results).toEqual(local.results);
    expect(remote.result.completedSteps.map((s) => [s.id, s.attempts]).sort()).toEqual(
      local.result.completedSteps.map((s) => [s.id, s.attempts]).sort(),
    );

    // every step ran once, in a worker process, and all three workers took part
    const ran = (await executions(dir)).filter((e) => e.event === "done");
    expect(ran.map((e) => e.step).sort()).toEqual(template.steps.map((s) => s.id).sort());
    const pids = new Set(ran.map((e) => e.pid));
    expect(pids.has(process.pid)).toBe(false);
    expect([...pids].sort()).toEqual(three.map((w) => w.pid).sort());
    for (const e of ran) expect(e.key).toBe(`spread-1:${e.step}`);
    // each worker said what it did, a line per job
    const completedByWorkers = three.flatMap((w) => w.events.filter((e) => e.event === "completed").map((e) => e.stepId));
    expect(completedByWorkers.sort()).toEqual(template.steps.map((s) => s.id).sort());
  });

  it("loses nothing when a worker is killed (SIGKILL) in the middle of its jobs: another worker runs them", async () => {
    const template = WorkflowTemplate.fromJSON(layeredWorkflow({ layers: 4, width: 6, ms: 150, seed: 11 }));
    const queue = queueName();
    // a dead worker's job is taken over within lock-duration + stalled-interval
    const [victim, ...survivors] = await startWorkers(3, queue, ["--lock-duration", "1000", "--stalled-interval", "300"]);
    const local = await inProcess(template, await work.workdir("local-kill"));
    const dir = await work.workdir("kill");
    const running = distributed(template, dir, queue, "kill-1");

    // kill the victim while it runs a job past the first layer (each takes 150 ms)
    await victim!.waitFor((e) => e.event === "started" && !/^s0_/.test(e.stepId ?? ""));
    const held = new Set(victim!.events.filter((e) => e.event === "started").map((e) => e.stepId!));
    for (const e of victim!.events) if (e.event === "completed" || e.event === "failed") held.delete(e.stepId!);
    victim!.child.kill("SIGKILL");
    await victim!.exited;
    expect(held.size).toBeGreaterThan(0);

    const remote = await running;
    expect(remote.result.status).toBe("completed");
    expect(remote.result.outputs).toEqual(local.result.outputs);
    expect(remote.results).toEqual(local.results);
    // the executor never saw a failure: a stalled job is not a failed attempt
    expect(remote.result.completedSteps.every((s) => s.attempts === 1)).toBe(true);
    expect(remote.result.completedSteps).toHaveLength(template.steps.length);

    // the jobs the victim held were started again by a survivor (at least once: same idempotency key) and finished there
    const log = await executions(dir);
    const survivorPids = new Set(survivors.map((w) => w.pid));
    for (const step of held) {
      // (the victim may have died before its tool wrote its "start" line: its own "started" event is what counts)
      const starts = log.filter((e) => e.step === step && e.event === "start");
      const done = log.filter((e) => e.step === step && e.event === "done");
      expect(done.length).toBeGreaterThanOrEqual(1);
      expect(survivorPids.has(done.at(-1)!.pid)).toBe(true);
      expect(new Set(starts.map((e) => e.key))).toEqual(new Set([`kill-1:${step}`]));
    }
    // and a survivor said it found them stalled
    const stalled = survivors.flatMap((w) => w.events.filter((e) => e.event === "stalled").map((e) => e.jobId));
    expect(stalled.length).toBeGreaterThan(0);
  });

  it("stops gracefully on SIGTERM: a running job finishes; a second SIGTERM gives it back to the queue for another worker", async () => {
    const queue = queueName();
    const dir = await work.workdir("graceful");
    const template = WorkflowTemplate.fromJSON({
      name: "graceful",
      steps: [
        { id: "short", toolName: "work", parameters: { step: "short", inputs: [], ms: 400, dir: "{{dir}}" } },
        {
          id: "long",
          toolName: "work",
          parameters: { step: "long", inputs: ["{{short.value}}"], ms: 1500, dir: "{{dir}}" },
          dependsOn: ["short"],
        },
      ],
      outputs: { value: "{{long.value}}" },
    });
    const local = await inProcess(template, await work.workdir("graceful-local"));
    const [first] = await startWorkers(1, queue, ["--grace", "60000"]);
    const running = distributed(template, dir, queue, "graceful-1");

    // SIGTERM while "short" runs: it finishes, nothing new is taken, the worker exits 0
    await first!.waitFor((e) => e.event === "started" && e.stepId === "short");
    first!.child.kill("SIGTERM");
    expect(await first!.exited).toEqual({ code: 0, signal: null });
    expect(first!.events.filter((e) => e.event === "completed").map((e) => e.stepId)).toEqual(["short"]);
    expect(first!.stderr()).toMatch(/SIGTERM: stopping\. no new jobs; 1 running may finish within 1m 00s/);

    // the next worker takes "long"; SIGTERM twice: the job goes back to the queue at once
    const [second] = await startWorkers(1, queue, ["--grace", "60000"]);
    await second!.waitFor((e) => e.event === "started" && e.stepId === "long");
    second!.child.kill("SIGTERM");
    await vi.waitFor(() => expect(second!.stderr()).toMatch(/SIGTERM: stopping/));
    second!.child.kill("SIGTERM");
    expect(await second!.exited).toEqual({ code: 0, signal: null });
    expect(second!.events.filter((e) => e.event === "released").map((e) => e.stepId)).toEqual(["long"]);

    // a third worker finishes it: the run completes as in-process, "long" at attempt 1
    const [third] = await startWorkers(1, queue);
    const remote = await running;
    expect(remote.result.status).toBe("completed");
    expect(remote.result.outputs).toEqual(local.result.outputs);
    expect(remote.result.completedSteps).toMatchObject([
      { id: "short", attempts: 1 },
      { id: "long", attempts: 1 },
    ]);
    expect(third!.events.filter((e) => e.event === "completed").map((e) => e.stepId)).toEqual(["long"]);
  });

  it("runs the steps of MCP tools on a worker started with --mcp, which stops its servers when it stops", async () => {
    const queue = queueName();
    const dir = await work.workdir("mcp");
    await mkdir(dir, { recursive: true });
    const server = join(import.meta.dirname, "../mcp/fixtures/test-server.mjs");
    await writeFile(
      join(dir, ".mcp.json"),
      JSON.stringify({ mcpServers: { test: { command: "node", args: [server], env: { TEST_SERVER_PID_FILE: "${PID_FILE:-pid}" } } } }),
    );
    await writeFile(
      join(dir, "flow.json"),
      JSON.stringify({
        name: "sums",
        steps: [
          { id: "one", toolName: "test.sum", parameters: { a: 1, b: 2 } },
          { id: "two", toolName: "test.sum", dependsOn: ["one"], parameters: { a: "{{one.sum}}", b: 10 } },
        ],
        outputs: { total: "{{two.sum}}" },
      }),
    );
    const worker = startWorker(["--redis", redis!.url, "--mcp", ".mcp.json", "--queue", queue], dir, { PID_FILE: join(dir, "worker.pid") });
    workers.push(worker);
    await worker.waitFor((e) => e.event === "ready");
    expect(worker.events[0]).toMatchObject({ tools: expect.arrayContaining(["test.sum", "test.wait"]) });
    const run = await weave(["run", "flow.json", "--mcp", ".mcp.json", "--redis", redis!.url, "--queue", queue, "--json"], { cwd: dir });
    expect(run.stderr).toMatch(/^weave: distributed run "run-[^"]+": weave worker processes run its steps/);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: "completed", outputs: { total: 13 } });
    expect(worker.events.filter((e) => e.event === "completed").map((e) => e.stepId)).toEqual(["one", "two"]);
    const pid = Number(await readFile(join(dir, "worker.pid"), "utf8"));
    await stopWorker(worker);
    workers.splice(workers.indexOf(worker), 1);
    await vi.waitFor(() => expect(() => process.kill(pid, 0)).toThrow(), { timeout: 5_000 });
  });

  it("runs a workflow file's steps on workers that load the same file: its schemas checked there, as in-process", async () => {
    const queue = queueName();
    const file = join(import.meta.dirname, "fixtures", "dsl-workflow.ts");
    const dsl = startWorker(["--redis", redis!.url, "--tools", file, "--queue", queue]);
    workers.push(dsl);
    await dsl.waitFor((e) => e.event === "ready");
    expect(dsl.events[0]).toMatchObject({ tools: ["double", "label"] });

    for (const unit of ["ms", "minutes"]) {
      const vars = ["--var", "n=21", "--var", `unit=${unit}`, "--json"];
      const local = await weave(["run", file, ...vars]);
      const remote = await weave(["run", file, ...vars, "--redis", redis!.url, "--queue", queue]);
      const [l, r] = [JSON.parse(local.stdout) as ExecutionResult, JSON.parse(remote.stdout) as ExecutionResult];
      expect(r.status).toBe(l.status);
      expect(r.outputs).toEqual(l.outputs);
      expect(r.failedSteps.map((s) => [s.id, s.error, s.attempts])).toEqual(l.failedSteps.map((s) => [s.id, s.error, s.attempts]));
      expect(remote.code).toBe(local.code);
    }
    const completed = dsl.events.filter((e) => e.event === "completed").map((e) => e.stepId);
    const failed = dsl.events.filter((e) => e.event === "failed");
    expect(completed).toEqual(["double", "label", "double"]);
    expect(failed).toMatchObject([
      {
        stepId: "label",
        error: expect.stringMatching(/^workflow "measure", step "label": invalid input for tool "label": unit: unit must be ms or s$/),
      },
    ]);
  });
});

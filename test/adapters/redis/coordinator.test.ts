/**
 * The coordinator of a distributed run (`weave run --redis`) as a real process: killed in the middle of a run, it is
 * resumed (`weave resume <id> --redis`) with the same outputs; steps it had finished come back from the journal in
 * Redis, and the jobs that were running when it died are collected from BullMQ, not run again.
 */
import { spawn } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { WorkflowContext, WorkflowExecutor, WorkflowTemplate, type ExecutionResult } from "toolweave";
import { cleanEnv, ROOT, useWorkdirs, WEAVE, weave } from "../../cli/weave-process.js";
import tools from "./fixtures/tools.mjs";
import { layeredWorkflow } from "./fixtures/workflow.js";
import { startWorker, stopWorker, type WorkerProcess } from "./processes.js";
import { describeWithRedis, startRedis, type RedisServer } from "./redis-server.js";

const TOOLS = join(import.meta.dirname, "fixtures", "tools.mjs");

interface Execution {
  event: "start" | "done";
  step: string;
  pid: number;
}

async function executions(dir: string): Promise<Execution[]> {
  const text = await readFile(join(dir, "executions.jsonl"), "utf8").catch(() => "");
  return text
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Execution);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describeWithRedis("a distributed run's coordinator", () => {
  let redis: RedisServer | undefined;
  const work = useWorkdirs("weave-coordinator-");
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => stopWorker(w)));
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it("killed mid-run and resumed: the same outputs, finished steps restored, jobs that finished meanwhile collected", async () => {
    const dir = await work.workdir("restart");
    await mkdir(dir, { recursive: true });
    const json = layeredWorkflow({ layers: 5, width: 4, ms: 200, seed: 3 });
    const file = join(dir, "layered.workflow.json");
    await writeFile(file, JSON.stringify(json));
    const template = WorkflowTemplate.fromJSON(json);
    const local = await new WorkflowExecutor({ tools }).execute(
      template,
      new WorkflowContext({ dir: await work.workdir("restart-local").then(async (d) => (await mkdir(d, { recursive: true }), d)) }),
    );

    const queue = `restart-${process.pid}`;
    for (let i = 0; i < 2; i++)
      workers.push(startWorker(["--redis", redis!.url, "--tools", TOOLS, "--queue", queue, "--concurrency", "4"]));
    await Promise.all(workers.map((w) => w.waitFor((e) => e.event === "ready")));

    const args = [
      "run",
      file,
      "--tools",
      TOOLS,
      "--redis",
      redis!.url,
      "--queue",
      queue,
      "--run-id",
      "restart-1",
      "--var",
      `dir=${dir}`,
      "--json",
    ];
    const coordinator = spawn(process.execPath, [WEAVE, ...args], { cwd: ROOT, env: cleanEnv(), stdio: "ignore" });
    const died = new Promise<NodeJS.Signals | null>((resolve) => coordinator.once("exit", (_code, signal) => resolve(signal)));
    // kill it while the third layer runs: the first two are journaled, the third's jobs are with the workers
    for (let waited = 0; !(await executions(dir)).some((e) => e.event === "start" && e.step.startsWith("s2_")); waited += 10) {
      if (waited > 15_000) throw new Error("the run did not reach its third layer");
      await sleep(10);
    }
    coordinator.kill("SIGKILL");
    expect(await died).toBe("SIGKILL");
    // the workers finish the running jobs while no coordinator runs
    await sleep(400);
    const before = await executions(dir);
    const finishedWhileDown = before.filter((e) => e.event === "done" && e.step.startsWith("s2_")).map((e) => e.step);
    expect(finishedWhileDown.length).toBeGreaterThan(0);

    const resumed = await weave(["resume", "restart-1", "--redis", redis!.url, "--queue", queue, "--json"]);
    expect(resumed.stderr).toMatch(
      /weave: resuming run "restart-1" \(session 2, journal redis:\/\/127\.0\.0\.1:\d+ toolweave:journal:\{restart-1\}:records\): \d+ of 21 steps done; running when it stopped, so run again: /,
    );
    expect(resumed.code).toBe(0);
    const result = JSON.parse(resumed.stdout) as ExecutionResult;
    expect(result.status).toBe("completed");
    expect(result.outputs).toEqual(local.outputs);
    expect(result.journal!.session).toBe(2);
    expect(result.journal!.restored).toBeGreaterThanOrEqual(4);
    const restored = result.completedSteps.filter((s) => s.restored).map((s) => s.id);
    expect(restored).toEqual(expect.arrayContaining(["s0_0", "s0_1", "s0_2", "s0_3"]));
    expect(result.journal!.rerun).toEqual(expect.arrayContaining(finishedWhileDown));

    // no step ran twice: the restored ones were not run again, the ones in flight were collected from BullMQ
    const after = await executions(dir);
    const count = (event: string) => {
      const n = new Map<string, number>();
      for (const e of after) if (e.event === event) n.set(e.step, (n.get(e.step) ?? 0) + 1);
      return n;
    };
    expect([...count("done").keys()].sort()).toEqual(template.steps.map((s) => s.id).sort());
    expect([...count("done").values()].every((n) => n === 1)).toBe(true);
    expect([...count("start").values()].every((n) => n === 1)).toBe(true);
    // and every step ran on a worker
    const workerPids = new Set(workers.map((w) => w.pid));
    expect(after.every((e) => workerPids.has(e.pid))).toBe(true);
  });

  it("says how to resume a distributed run, and refuses to resume one that is not in Redis", async () => {
    const missing = await weave(["resume", "nope", "--redis", redis!.url]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`weave: no run "nope" in ${redis!.url} (keys toolweave:journal:*)`);
    const bad = await weave(["run", "x.json", "--redis", "http://example.com"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      `weave: --redis: "http://example.com" is not a Redis URL: expecting redis://host:port (or rediss:// for TLS)`,
    );
  });
});

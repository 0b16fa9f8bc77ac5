/**
 * Distributed engine benchmark: steps per second of a 500-step workflow of 20 ms tools run by 1, 2 and 4 `weave
 * worker` processes over a real redis-server (BullMQ), against the in-process executor running the same workflow with
 * the same number of steps at once; and the latency the queue adds to each step (the same workflows, same script).
 * Prints a Markdown report and writes it to bench/results/distributed.md. A report, not a test: no timing is
 * asserted, but every run must complete every step with the in-process outputs (or the benchmark throws).
 *
 * npm run bench:distributed   (needs redis-server on the PATH)
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { WorkflowContext, WorkflowExecutor, WorkflowTemplate, type ExecutionResult } from "../src/index.js";
import { BullmqInvoker } from "../adapters/redis/invoker.js";
import { assertCompleted } from "./lib/check.js";
import tools from "./lib/distributed-tools.mjs";
import { startRedis, type RedisServer } from "./lib/redis-server.js";
import { median, num, spread, table } from "./lib/stats.js";

const STEPS = 500;
const WIDTH = 50;
const TOOL_MS = 20;
const WORKER_CONCURRENCY = 8;
const WORKER_COUNTS = [1, 2, 4] as const;
const CHAIN = 50;
const REPS = 5;
const WEAVE = fileURLToPath(new URL("../bin/weave.js", import.meta.url));
const TOOLS = fileURLToPath(new URL("./lib/distributed-tools.mjs", import.meta.url));

const started = performance.now();
const log = (msg: string): void => void process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(1)}s] ${msg}\n`);

/** `layers` of `width` sleeping steps, each reading the result of 1-2 steps of the layer before (seeded). */
function layered(steps: number, width: number): WorkflowTemplate {
  let seed = 42;
  const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const list: Record<string, unknown>[] = [];
  for (let i = 0; i < steps; i++) {
    const layer = Math.floor(i / width);
    const deps =
      layer === 0
        ? []
        : [...new Set([0, 1].slice(0, 1 + Math.floor(random() * 2)).map(() => `s${(layer - 1) * width + Math.floor(random() * width)}`))];
    list.push({ id: `s${i}`, toolName: "sleep", parameters: { ms: TOOL_MS, i, from: deps.map((d) => `{{${d}.i}}`) }, dependsOn: deps });
  }
  return WorkflowTemplate.fromJSON({ name: `layered_${steps}`, steps: list, outputs: { last: `{{s${steps - 1}.i}}` } });
}

function chain(steps: number): WorkflowTemplate {
  const list = Array.from({ length: steps }, (_, i) => ({
    id: `c${i}`,
    toolName: "sleep",
    parameters: { ms: TOOL_MS, i, from: i === 0 ? [] : [`{{c${i - 1}.i}}`] },
    dependsOn: i === 0 ? [] : [`c${i - 1}`],
  }));
  return WorkflowTemplate.fromJSON({ name: `chain_${steps}`, steps: list, outputs: { last: `{{c${steps - 1}.i}}` } });
}

interface Sample {
  wallMs: number;
  /** Mean of the steps' durations (attempt start to result). */
  stepMs: number;
}

function sample(result: ExecutionResult, wallMs: number): Sample {
  const total = result.completedSteps.reduce((sum, s) => sum + s.durationMs, 0);
  return { wallMs, stepMs: total / result.completedSteps.length };
}

async function runOnce(executor: WorkflowExecutor, template: WorkflowTemplate, label: string, runId?: string): Promise<Sample> {
  const t0 = performance.now();
  const result = await executor.execute(template, new WorkflowContext(), undefined, runId ? { runId } : {});
  const wallMs = performance.now() - t0;
  assertCompleted(result, template, label);
  const expected = Number(template.steps.at(-1)!.parameters.i);
  if (result.outputs.last !== expected) throw new Error(`${label}: output ${JSON.stringify(result.outputs.last)}, expected ${expected}`);
  return sample(result, wallMs);
}

interface Worker {
  child: ChildProcess;
  ready: Promise<void>;
}

function startWorker(redis: RedisServer, queue: string, concurrency: number): Worker {
  const child = spawn(
    process.execPath,
    [WEAVE, "worker", "--json", "--redis", redis.url, "--tools", TOOLS, "--queue", queue, "--concurrency", String(concurrency)],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let errors = "";
  child.stderr!.on("data", (chunk: Buffer) => void (errors += chunk.toString()));
  // the worker prints a JSON line per job: only the first one (ready) matters here
  const ready = new Promise<void>((resolve, reject) => {
    let buffer = "";
    const onData = (chunk: Buffer): void => {
      buffer += chunk.toString();
      if (buffer.includes('"event":"ready"')) {
        child.stdout!.off("data", onData);
        child.stdout!.resume();
        resolve();
      }
    };
    child.stdout!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`weave worker exited (${code}) before it was ready: ${errors}`)));
  });
  return { child, ready };
}

async function stopWorkers(workers: Worker[]): Promise<void> {
  await Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((resolve) => {
          if (w.child.exitCode !== null) return resolve();
          w.child.once("exit", () => resolve());
          w.child.kill("SIGTERM");
        }),
    ),
  );
}

function environment(): string {
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  const redisVersion = spawnSync("redis-server", ["--version"], { encoding: "utf8" }).stdout.trim();
  return `Node ${process.version}, ${cpu}, ${os.cpus().length} cores, ${os.platform()} ${os.release()}; ${redisVersion}; load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`;
}

const redis = await startRedis();
const report: string[] = [];
try {
  const big = layered(STEPS, WIDTH);
  const small = chain(CHAIN);
  log(
    `redis-server on ${redis.url}; ${STEPS}-step workflow (${STEPS / WIDTH} layers of ${WIDTH}), ${TOOL_MS} ms tools; ${REPS} repetitions`,
  );

  // 1. throughput: N workers of WORKER_CONCURRENCY jobs each; the coordinator keeps as many steps running
  // (concurrency = slots), and the in-process executor runs the same workflow with the same concurrency
  const rows: string[][] = [];
  const throughput: { workers: number; slots: number; dist: Sample[]; local: Sample[] }[] = [];
  let runs = 0;
  for (const n of WORKER_COUNTS) {
    const slots = n * WORKER_CONCURRENCY;
    const queue = `bench-${n}`;
    const workers = Array.from({ length: n }, () => startWorker(redis, queue, WORKER_CONCURRENCY));
    await Promise.all(workers.map((w) => w.ready));
    const invoker = new BullmqInvoker({ redis: redis.url, queue });
    const distributed = new WorkflowExecutor({ tools, invoker, concurrency: slots });
    const local = new WorkflowExecutor({ tools, concurrency: slots });
    try {
      log(`${n} worker(s) x ${WORKER_CONCURRENCY}: warm-up`);
      await runOnce(distributed, big, "warm-up distributed", `warm-${n}`);
      await runOnce(local, big, "warm-up in-process");
      const entry = { workers: n, slots, dist: [] as Sample[], local: [] as Sample[] };
      for (let r = 0; r < REPS; r++) {
        // alternate, so drift on a shared machine hits both alike
        entry.dist.push(await runOnce(distributed, big, `distributed ${n} #${r}`, `run-${++runs}`));
        entry.local.push(await runOnce(local, big, `in-process ${slots} #${r}`));
      }
      throughput.push(entry);
      log(
        `${n} worker(s): distributed ${num(median(entry.dist.map((s) => s.wallMs)), 0)} ms, in-process ${num(median(entry.local.map((s) => s.wallMs)), 0)} ms`,
      );
    } finally {
      await invoker.close();
      await stopWorkers(workers);
    }
  }
  for (const t of throughput) {
    const dWall = median(t.dist.map((s) => s.wallMs));
    const lWall = median(t.local.map((s) => s.wallMs));
    const ideal = (t.slots * 1000) / TOOL_MS;
    const dStep = median(t.dist.map((s) => s.stepMs));
    const lStep = median(t.local.map((s) => s.stepMs));
    rows.push([
      String(t.workers),
      String(t.slots),
      `${spread(
        t.dist.map((s) => (STEPS * 1000) / s.wallMs),
        0,
      )}`,
      `${num((STEPS * 1000) / lWall, 0)}`,
      `${num(ideal, 0)}`,
      `${num(dWall, 0)} / ${num(lWall, 0)}`,
      `${num(dWall / lWall)}×`,
      `${num(dStep)} / ${num(lStep)}`,
      `${num(dStep - lStep)}`,
    ]);
  }

  // 2. a chain: every step waits for the one before, so each step's full round trip through the queue shows
  log(`chain of ${CHAIN}: 1 worker x 1`);
  const queue = "bench-chain";
  const workers = [startWorker(redis, queue, 1)];
  await Promise.all(workers.map((w) => w.ready));
  const invoker = new BullmqInvoker({ redis: redis.url, queue });
  const chainDist: Sample[] = [];
  const chainLocal: Sample[] = [];
  try {
    const distributed = new WorkflowExecutor({ tools, invoker });
    const local = new WorkflowExecutor({ tools });
    await runOnce(distributed, small, "warm-up chain", "chain-warm");
    for (let r = 0; r < REPS; r++) {
      chainDist.push(await runOnce(distributed, small, `chain distributed #${r}`, `chain-${r}`));
      chainLocal.push(await runOnce(local, small, `chain in-process #${r}`));
    }
  } finally {
    await invoker.close();
    await stopWorkers(workers);
  }
  const cd = median(chainDist.map((s) => s.wallMs)) / CHAIN;
  const cl = median(chainLocal.map((s) => s.wallMs)) / CHAIN;

  report.push(
    "# toolweave distributed engine benchmark",
    "",
    `Environment: ${environment()}.`,
    "",
    `Generated ${new Date().toISOString()} by \`npm run bench:distributed\`. Coordinator: this process (\`new WorkflowExecutor({ invoker: new BullmqInvoker(...) })\`); workers: \`weave worker\` processes; redis-server on loopback, persistence off. Median of ${REPS} runs after a warm-up; distributed and in-process runs alternate.`,
    "",
    `## 1. Throughput: ${STEPS} steps of ${TOOL_MS} ms tools (${STEPS / WIDTH} layers of ${WIDTH}, each step reading the results of 1-2 steps of the layer before)`,
    "",
    `Each worker runs ${WORKER_CONCURRENCY} jobs at once; the coordinator keeps as many steps running as the workers have slots (\`concurrency\` = slots), and the in-process executor runs the same workflow with the same \`concurrency\`. Ideal = slots ÷ ${TOOL_MS} ms. Step latency: mean over the steps of attempt start to result (the in-process one is the tool's ${TOOL_MS} ms plus timer slack); their difference is what the queue adds to every step: the job's add, a worker taking it, its completion and the event back.`,
    "",
    table(
      [
        "Workers",
        "Slots",
        "Distributed steps/s (min–max)",
        "In-process steps/s",
        "Ideal steps/s",
        "Wall ms (dist / in-proc)",
        "Wall ratio",
        "Step latency ms (dist / in-proc)",
        "Added per step ms",
      ],
      rows,
    ),
    "",
    `## 2. Per-step overhead on the critical path: a chain of ${CHAIN} steps of ${TOOL_MS} ms (1 worker)`,
    "",
    table(
      ["Engine", "ms per step (median run)", "Wall ms (min–max)"],
      [
        [
          "in-process",
          num(cl),
          spread(
            chainLocal.map((s) => s.wallMs),
            0,
          ),
        ],
        [
          "distributed (BullMQ)",
          num(cd),
          spread(
            chainDist.map((s) => s.wallMs),
            0,
          ),
        ],
        ["added by the queue", `${num(cd - cl)} (${num(cd / cl)}×)`, ""],
      ],
    ),
    "",
    `Benchmark wall time: ${((performance.now() - started) / 1000).toFixed(1)} s.`,
    "",
  );
} finally {
  await redis.stop();
}

const text = report.join("\n");
process.stdout.write(text);
const resultsDir = new URL("./results/", import.meta.url);
mkdirSync(resultsDir, { recursive: true });
writeFileSync(new URL("distributed.md", resultsDir), text);
log(`wrote ${fileURLToPath(new URL("distributed.md", resultsDir))}`);
process.exit(0);

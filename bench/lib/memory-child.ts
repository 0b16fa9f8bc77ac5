/**
 * Memory of one 100,000-step random-DAG run, in a fresh process so `resourceUsage().maxRSS` (the kernel's peak RSS)
 * belongs to this measurement alone. Spawned by executor.bench.ts; prints one JSON line.
 * usage: node --expose-gc --import tsx bench/lib/memory-child.ts sync|async [steps]
 */
import { WorkflowContext, WorkflowExecutor, type ExecutionResult, type WorkflowTemplate } from "../../src/index.js";
import { makeDag } from "../dags.js";
import { assertCompleted } from "./check.js";

const kind = process.argv[2];
if (kind !== "sync" && kind !== "async") throw new Error(`usage: memory-child.ts sync|async [steps], got ${kind}`);
const n = Number(process.argv[3] ?? 100_000);
const gc = globalThis.gc;
if (!gc) throw new Error("run with --expose-gc");

interface Peak {
  rss: number;
  heapUsed: number;
  external: number;
  samples: number;
}
const peak: Record<"timer" | "tool" | "after", Peak> = {
  timer: { rss: 0, heapUsed: 0, external: 0, samples: 0 },
  tool: { rss: 0, heapUsed: 0, external: 0, samples: 0 },
  after: { rss: 0, heapUsed: 0, external: 0, samples: 0 },
};
function sample(source: keyof typeof peak): void {
  const m = process.memoryUsage();
  const p = peak[source];
  p.rss = Math.max(p.rss, m.rss);
  p.heapUsed = Math.max(p.heapUsed, m.heapUsed);
  p.external = Math.max(p.external, m.external + m.arrayBuffers);
  p.samples++;
}

// The no-op tool, plus a memory sample every 1,024th call: a run of no-op tools never yields to the event loop
// (sync tools finish inside one call, async ones inside one microtask drain), so an interval timer cannot fire
// during it; this in-run sampler can.
let calls = 0;
let sampling = false;
const tool =
  kind === "sync"
    ? () => {
        if ((++calls & 1023) === 0 && sampling) sample("tool");
        return undefined;
      }
    : async () => {
        if ((++calls & 1023) === 0 && sampling) sample("tool");
        return undefined;
      };

// Every run happens inside its own async function and what is kept lives in `held`, so no interpreter register of
// this module's top-level code keeps a result alive after it has been dropped.
const held: { result?: ExecutionResult; context?: WorkflowContext; template?: WorkflowTemplate } = {};
const executor = new WorkflowExecutor({ tools: { noop: tool } });

async function run(label: string): Promise<number> {
  held.context = new WorkflowContext();
  const t0 = performance.now();
  held.result = await executor.execute(held.template!, held.context);
  const ms = performance.now() - t0;
  assertCompleted(held.result, held.template!, `memory ${kind} ${label}`);
  return ms;
}

function build(): void {
  held.template = makeDag("random", n, "noop", 42);
}

gc();
const atStart = process.memoryUsage();
build();
gc();
const withTemplate = process.memoryUsage();

// The measured run: the first run of the template (includes its analysis).
gc();
const beforeRun = process.memoryUsage();
const timer = setInterval(() => sample("timer"), 5);
timer.unref();
sampling = true;
const runMs = await run("run 1");
sampling = false;
sample("after");
clearInterval(timer);
const afterRunNoGc = process.memoryUsage();
if (calls !== n) throw new Error(`memory ${kind}: ${calls} tool calls, expected ${n}`);

// Retained sizes. The analysis stays cached on the live template; the first result and context are dropped.
held.result = undefined;
held.context = undefined;
gc();
const withAnalysis = process.memoryUsage();
await run("run 2");
gc();
const withResultAndContext = process.memoryUsage();
held.context = undefined;
gc();
const withResultOnly = process.memoryUsage();
const completed = held.result!.completedSteps.length;
held.result = undefined;
gc();
const afterDrop = process.memoryUsage();
held.template = undefined;
gc();
const afterTemplateDropped = process.memoryUsage();

const maxRssBytes = process.resourceUsage().maxRSS * 1024;
process.stdout.write(
  `${JSON.stringify({
    kind,
    n,
    runMs,
    completed,
    atStart,
    withTemplate,
    beforeRun,
    afterRunNoGc,
    withAnalysis,
    withResultAndContext,
    withResultOnly,
    afterDrop,
    afterTemplateDropped,
    peak,
    maxRssBytes,
  })}\n`,
);

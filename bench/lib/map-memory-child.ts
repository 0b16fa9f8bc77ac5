/**
 * Memory of one map step over N items, in a fresh process so its peak belongs to this measurement alone; or, with
 * `baseline`, of the same process holding the list and a results array of its length (what the step's result must
 * hold anyway). Spawned by map-steps.bench.ts; prints one JSON line { rss, heapUsed, ms }.
 * usage: node --expose-gc --import tsx bench/lib/map-memory-child.ts map|baseline [items]
 */
import { WorkflowContext, WorkflowExecutor, WorkflowTemplate } from "../../src/index.js";

const mode = process.argv[2];
if (mode !== "map" && mode !== "baseline") throw new Error(`usage: map-memory-child.ts map|baseline [items], got ${mode}`);
const n = Number(process.argv[3] ?? 1_000_000);
const gc = globalThis.gc;
if (!gc) throw new Error("run with --expose-gc");

const peak = { rss: 0, heapUsed: 0 };
function sample(): void {
  const m = process.memoryUsage();
  peak.rss = Math.max(peak.rss, m.rss);
  peak.heapUsed = Math.max(peak.heapUsed, m.heapUsed);
}

const xs = Array.from({ length: n }, (_, i) => i);
let calls = 0;
// a sample every 4,096th call: a run of sync tools never yields to the event loop, so a timer could not sample it
const tool = (params: Record<string, unknown>) => {
  if ((++calls & 4095) === 0) sample();
  return params.x;
};

gc();
const t0 = performance.now();
if (mode === "baseline") {
  const results = new Array(n).fill(null);
  for (let i = 0; i < n; i++) results[i] = xs[i];
  sample();
  if (results.length !== n) throw new Error("unreachable");
} else {
  const template = new WorkflowTemplate({
    name: "big_map",
    steps: [{ id: "each", toolName: "t", forEach: "{{xs}}", parameters: { x: "{{item}}" } }],
  });
  const result = await new WorkflowExecutor({ tools: { t: tool } }).execute(template, new WorkflowContext({ xs }));
  sample();
  const out = result.status === "completed" ? (result.outputs ?? {}) : undefined;
  if (result.status !== "completed" || calls !== n) throw new Error(`big_map: ${result.status} after ${calls} calls ${result.error ?? ""}`);
  void out;
}
const ms = performance.now() - t0;
process.stdout.write(`${JSON.stringify({ ...peak, ms })}\n`);

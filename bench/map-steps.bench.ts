/**
 * Map-step benchmark (issue 16): what an item of a map step costs against what a step costs, and the memory of a map
 * step over a list of 1,000,000 items. Prints a Markdown report and writes it to bench/results/map-steps.md.
 *
 * - Per item vs per step: one map step of N items against N independent steps (the baseline), with the same no-op tool,
 *   sync and async, interleaved in this process, median of REPS runs each. Each step reads one parameter from a
 *   variable as each item reads its item. The figure is the ratio per item ÷ per step.
 * - Memory: in a fresh process each (bench/lib/map-memory-child.ts), the peak RSS and heap of a run of one map step
 *   over 1,000,000 items against the same process holding the list and a results array of the same length (what the
 *   step's result must be anyway): the difference is what pending items cost.
 *
 * A report, not a test: no timing is asserted, but every run must complete with every item's result (or it throws).
 *
 * npm run bench:map   (node --expose-gc --import tsx bench/map-steps.bench.ts)
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { WorkflowContext, WorkflowExecutor, WorkflowTemplate, type ExecutionResult } from "../src/index.js";
import { mb, median, num, table } from "./lib/stats.js";

const gc = globalThis.gc;
if (!gc) throw new Error("run with node --expose-gc (npm run bench:map)");

const SIZES = [1_000, 10_000] as const;
const REPS = 7;
const BIG = 1_000_000;
const loadAtStart = os.loadavg()[0]!;
const started = performance.now();
const log = (msg: string): void => void process.stderr.write(`[bench:map ${((performance.now() - started) / 1000).toFixed(1)}s] ${msg}\n`);

type Kind = "sync" | "async";
const executor = new WorkflowExecutor({ tools: { noop_sync: () => 1, noop_async: async () => 1 } });

/** The baseline: N independent steps, each with one parameter read from a variable, as each item reads its item. */
const steps = (n: number, kind: Kind): WorkflowTemplate =>
  new WorkflowTemplate({
    name: `steps_${n}`,
    steps: Array.from({ length: n }, (_, i) => ({ id: `s${i}`, toolName: `noop_${kind}`, parameters: { x: "{{v}}" } })),
  });
const map = (kind: Kind): WorkflowTemplate =>
  new WorkflowTemplate({
    name: "map",
    steps: [{ id: "each", toolName: `noop_${kind}`, forEach: "{{xs}}", parameters: { x: "{{item}}" } }],
  });

async function timed(
  template: WorkflowTemplate,
  variables: Record<string, unknown>,
  check: (r: ExecutionResult) => boolean,
): Promise<number> {
  gc!();
  const t0 = performance.now();
  const result = await executor.execute(template, new WorkflowContext(variables));
  const ms = performance.now() - t0;
  if (result.status !== "completed" || !check(result)) throw new Error(`${template.name}: ${result.status} ${result.error ?? ""}`);
  return ms;
}

interface Row {
  n: number;
  kind: Kind;
  stepUs: number;
  itemUs: number;
}

async function perItem(): Promise<Row[]> {
  const rows: Row[] = [];
  for (const n of SIZES) {
    for (const kind of ["sync", "async"] as const) {
      const xs = Array.from({ length: n }, (_, i) => i);
      const template = steps(n, kind);
      const mapped = map(kind);
      const check = (r: ExecutionResult) => r.completedSteps.length === 1 && r.completedSteps[0]!.attempts === n;
      // one unmeasured run of each, so both are compiled by V8 before the measured ones
      await timed(template, { v: 1 }, (r) => r.completedSteps.length === n);
      await timed(mapped, { xs }, check);
      const a: number[] = [];
      const b: number[] = [];
      for (let rep = 0; rep < REPS; rep++) {
        // alternating which runs first, so neither always follows the other
        if (rep % 2 === 0) {
          a.push(await timed(template, { v: 1 }, (r) => r.completedSteps.length === n));
          b.push(await timed(mapped, { xs }, check));
        } else {
          b.push(await timed(mapped, { xs }, check));
          a.push(await timed(template, { v: 1 }, (r) => r.completedSteps.length === n));
        }
      }
      rows.push({ n, kind, stepUs: (median(a) * 1000) / n, itemUs: (median(b) * 1000) / n });
      log(`${n} ${kind}: ${num((median(a) * 1000) / n)} µs per step, ${num((median(b) * 1000) / n)} µs per item`);
    }
  }
  return rows;
}

interface Memory {
  rss: number;
  heapUsed: number;
  ms: number;
}

function memory(mode: "map" | "baseline"): Memory {
  const child = fileURLToPath(new URL("./lib/map-memory-child.ts", import.meta.url));
  const out = execFileSync(process.execPath, ["--expose-gc", "--import", "tsx", child, mode, String(BIG)], { encoding: "utf8" });
  return JSON.parse(out.trim().split("\n").at(-1)!) as Memory;
}

async function main(): Promise<void> {
  const rows = await perItem();
  const base = memory("baseline");
  log(`baseline memory: ${mb(base.rss)} RSS`);
  const mapped = memory("map");
  log(`map memory: ${mb(mapped.rss)} RSS in ${num(mapped.ms / 1000)} s`);
  const report = [
    "# toolweave map-step benchmark",
    "",
    `Node ${process.version}, ${os.cpus()[0]?.model ?? "unknown CPU"}, ${os.cpus().length} cores; load average ${num(loadAtStart)} at start. Median of ${REPS} runs, interleaved.`,
    "",
    "## An item of a map step against a step",
    "",
    "One map step of N items against N independent steps, the same no-op tool. Ratio: per item ÷ per step.",
    "",
    table(
      ["N", "tool", "per step", "per item", "item ÷ step"],
      rows.map((r) => [r.n.toLocaleString("en-US"), r.kind, `${num(r.stepUs)} µs`, `${num(r.itemUs)} µs`, num(r.itemUs / r.stepUs)]),
    ),
    "",
    `## Memory of a map step over ${BIG.toLocaleString("en-US")} items`,
    "",
    "Peak RSS and heap (sampled every 4,096 items, and after), each in a fresh process: the run, against the same process holding the list and a results array of its length.",
    "",
    table(
      ["", "peak RSS", "peak heap", "time"],
      [
        ["list + results array held (baseline)", mb(base.rss), mb(base.heapUsed), "–"],
        ["map step run", mb(mapped.rss), mb(mapped.heapUsed), `${num(mapped.ms / 1000)} s`],
        ["difference", mb(mapped.rss - base.rss), mb(mapped.heapUsed - base.heapUsed), ""],
      ],
    ),
    "",
  ].join("\n");
  process.stdout.write(`${report}\n`);
  const dir = fileURLToPath(new URL("./results/", import.meta.url));
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}map-steps.md`, `${report}\n`);
  log("wrote bench/results/map-steps.md");
}

await main();

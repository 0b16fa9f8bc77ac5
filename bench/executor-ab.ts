/**
 * A/B of the executor: the workloads of bench/executor.bench.ts (wide, chain and random DAGs of no-op sync and async
 * tools; first runs on a freshly built template, repeat runs on the same one) on another checkout of toolweave (A,
 * say a worktree of the commit before a change) and on this one (B), alternately run by run in one process, so both
 * see the same machine load. Prints B ÷ A per workload: the median over rounds of (median µs/step of B ÷ median
 * µs/step of A). No forced GC between runs, as the main figures of the benchmark.
 *
 * git worktree add /tmp/before <commit> && ln -s "$PWD/node_modules" /tmp/before/node_modules
 * npm run bench:executor-ab -- /tmp/before [rounds=7] [B: another checkout instead of this one]
 *
 * Two copies of the same commit as A and B show what the method's own noise is.
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import * as here from "../src/index.js";
import { makeDag as makeDagHere, type Shape } from "./dags.js";
import { median } from "./lib/stats.js";

type Kind = "sync" | "async";
type Index = typeof here;
type MakeDag = typeof makeDagHere;

const [dirA, roundsArg, dirB] = process.argv.slice(2);
if (!dirA) throw new Error("usage: node --expose-gc --import tsx bench/executor-ab.ts <other checkout> [rounds]");
const ROUNDS = Number(roundsArg ?? 7);
const REPS = 7;
const gc = globalThis.gc;
if (!gc) throw new Error("run with node --expose-gc");

const load = async (dir: string): Promise<[Index, MakeDag]> => [
  (await import(pathToFileURL(resolve(dir, "src/index.ts")).href)) as Index,
  ((await import(pathToFileURL(resolve(dir, "bench/dags.ts")).href)) as { makeDag: MakeDag }).makeDag,
];
const [A, makeDagA] = await load(dirA);
const [B, makeDagB] = dirB === undefined ? [here, makeDagHere] : await load(dirB);

const syncNoop = (): undefined => undefined;
const asyncNoop = async (): Promise<undefined> => undefined;
const tools = { noop_sync: syncNoop, noop_async: asyncNoop };
const engines = [
  { name: "A", executor: new A.WorkflowExecutor({ tools }), makeDag: makeDagA, Context: A.WorkflowContext },
  { name: "B", executor: new B.WorkflowExecutor({ tools }), makeDag: makeDagB, Context: B.WorkflowContext },
] as const;
type Engine = (typeof engines)[number];

async function timed(engine: Engine, template: unknown, n: number): Promise<number> {
  const context = new engine.Context();
  const t0 = performance.now();
  const result = await engine.executor.execute(template as never, context);
  const ms = performance.now() - t0;
  if (result.status !== "completed" || result.completedSteps.length !== n)
    throw new Error(`${engine.name}: ${result.status} ${result.error ?? ""}`);
  return (ms * 1000) / n;
}

/** µs/step of both engines, each repetition running A and B back to to back (in alternating order). */
async function measure(shape: Shape, n: number, kind: Kind, reps: number): Promise<Record<"first" | "repeat", [number, number]>> {
  const first: [number[], number[]] = [[], []];
  const repeat: [number[], number[]] = [[], []];
  const templates: unknown[] = [undefined, undefined];
  for (let r = 0; r < reps; r++) {
    for (const e of r % 2 === 0 ? [0, 1] : [1, 0]) {
      templates[e] = engines[e]!.makeDag(shape, n, `noop_${kind}`, 42);
      first[e]!.push(await timed(engines[e]!, templates[e], n));
    }
  }
  for (let r = 0; r < reps; r++) for (const e of r % 2 === 0 ? [0, 1] : [1, 0]) repeat[e]!.push(await timed(engines[e]!, templates[e], n));
  return { first: [median(first[0]), median(first[1])], repeat: [median(repeat[0]), median(repeat[1])] };
}

const CASES = [
  ["wide", 10_000],
  ["chain", 10_000],
  ["random", 10_000],
  ["random", 100_000],
] as const;
const KINDS: readonly Kind[] = ["sync", "async"];

process.stderr.write("JIT warm-up\n");
for (let r = 0; r < 10; r++)
  for (const kind of KINDS) for (const shape of ["random", "wide", "chain"] as const) await measure(shape, 2_000, kind, 1);

const rows = new Map<string, { a: number[]; b: number[]; ratio: number[] }>();
for (let round = 0; round < ROUNDS; round++) {
  gc();
  for (const [shape, n] of CASES) {
    for (const kind of KINDS) {
      const m = await measure(shape, n, kind, REPS);
      for (const which of ["first", "repeat"] as const) {
        const key = `${shape} ${n.toLocaleString("en-US")} ${kind} ${which}`;
        const row = rows.get(key) ?? { a: [], b: [], ratio: [] };
        rows.set(key, row);
        row.a.push(m[which][0]);
        row.b.push(m[which][1]);
        row.ratio.push(m[which][1] / m[which][0]);
      }
    }
  }
  process.stderr.write(`round ${round + 1}/${ROUNDS}\n`);
}

console.log(
  `A: ${resolve(dirA)}, B: ${dirB === undefined ? "this checkout" : resolve(dirB)}. Medians of ${REPS} runs per round, ${ROUNDS} rounds.\n`,
);
console.log("| workload | A µs/step | B µs/step | B ÷ A, median of rounds (min–max) |");
console.log("| --- | ---: | ---: | ---: |");
const medians: number[] = [];
for (const [key, row] of rows) {
  const ratio = median(row.ratio);
  medians.push(ratio);
  console.log(
    `| ${key} | ${median(row.a).toFixed(2)} | ${median(row.b).toFixed(2)} | ${ratio.toFixed(3)} (${Math.min(...row.ratio).toFixed(2)}–${Math.max(...row.ratio).toFixed(2)}) |`,
  );
}
console.log(`\nGeometric mean of the ratios: ${Math.exp(medians.reduce((s, r) => s + Math.log(r), 0) / medians.length).toFixed(3)}`);

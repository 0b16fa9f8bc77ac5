/**
 * Pattern-mining benchmark: time to mine 10,000 / 100,000 / 1,000,000 tool-call records at maxSequenceLength 5,
 * against the straightforward string-key implementation (bench/lib/naive-miner.ts) and the original Python system's
 * figure; memory of a 1,000,000-record run in fresh processes; and reading + mining a JSONL log as `weave mine` does.
 * Prints a Markdown report and writes it to bench/results/patterns.md. A report, not a test: no timing is asserted,
 * but the miner's result must equal the baseline's (or the benchmark throws).
 *
 * npm run bench:patterns   (node --expose-gc --import tsx bench/patterns.bench.ts)
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync, openSync, writeSync, closeSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PatternMiner, type ToolSequence } from "../src/patterns/index.js";
import { naiveMine, type NaiveResult } from "./lib/naive-miner.js";
import { mb, median, num, spread, table } from "./lib/stats.js";
import { generateToolLog, recordAt, records, saveToolLog, type ToolLog } from "./lib/tool-log.js";

const TARGET_100K_MS = 150;
const TARGET_1M_MS = 2000;
const PYTHON_100K_MS = 1470;
const SEED = 42;
const SIZES = [10_000, 100_000, 1_000_000] as const;
const REPS: Record<number, number> = { 10000: 9, 100000: 9, 1000000: 5 };
const NAIVE_REPS: Record<number, number> = { 10000: 7, 100000: 7, 1000000: 3 };
const JSONL_RECORDS = 200_000;

const started = performance.now();
const log = (msg: string): void => void process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(1)}s] ${msg}\n`);
const out: string[] = [];
const p = (line = ""): void => void out.push(line);
const summary: string[] = [];
const pass = (value: number, target: number): string => (value <= target ? "PASS" : "FAIL");
const fmt = (n: number): string => n.toLocaleString("en-US");

// ---------------------------------------------------------------------------------------------------------------
// Measurement primitives: each run makes the records one at a time from the log's columns, as a reader would.

function mineFast(l: ToolLog, sampleSize: number): { ms: number; result: ToolSequence[] } {
  const t0 = performance.now();
  const miner = new PatternMiner({ maxSequenceLength: 5, sampleSize });
  for (let i = 0; i < l.n; i++) miner.add(recordAt(l, i));
  const result = miner.result();
  return { ms: performance.now() - t0, result };
}

function mineNaive(l: ToolLog): { ms: number; result: NaiveResult[] } {
  const t0 = performance.now();
  const result = naiveMine(records(l), 5, 3, 0.7);
  return { ms: performance.now() - t0, result };
}

/** Making the records alone (each kept a moment in a ring, so the allocation is not optimised away). */
function materialize(l: ToolLog): number {
  const ring = new Array<unknown>(1024);
  const t0 = performance.now();
  for (let i = 0; i < l.n; i++) ring[i & 1023] = recordAt(l, i);
  const ms = performance.now() - t0;
  if (ring[0] === undefined) throw new Error("materialize: nothing made");
  return ms;
}

function sameResult(fast: readonly ToolSequence[], naive: readonly NaiveResult[], label: string): void {
  const a = fast.map((s) => `${s.tools.join(">")} ${s.frequency} ${s.successCount}`);
  const b = naive.map((s) => `${s.tools.join(">")} ${s.frequency} ${s.successCount}`);
  if (a.length !== b.length || a.some((x, i) => x !== b[i]))
    throw new Error(
      `${label}: the miner and the baseline disagree (${a.length} vs ${b.length} sequences; first difference ${a.find((x, i) => x !== b[i])})`,
    );
}

// ---------------------------------------------------------------------------------------------------------------

const cpus = os.cpus();
p("# toolweave pattern-mining benchmark");
p();
const loadAtStart = os.loadavg()[0]!;
p(
  `Environment: Node ${process.version} (V8 ${process.versions.v8}), ${cpus[0]?.model ?? "unknown CPU"}, ${cpus.length} cores, ${os.platform()} ${os.release()}, ${mb(os.totalmem())} RAM`,
);
const LOAD_AT = out.length;
p();
p(
  `Generated ${new Date().toISOString()} by \`npm run bench:patterns\`. Logs from \`bench/lib/tool-log.ts\` (\`generateToolLog(n, ${SEED})\`).`,
);
p();

log("generating logs");
const logs = new Map<number, ToolLog>(SIZES.map((n) => [n, generateToolLog(n, SEED)]));
const warm = generateToolLog(20_000, 7);

log("warm-up");
for (let i = 0; i < 5; i++) {
  mineFast(warm, 20);
  mineFast(warm, 0);
  mineNaive(warm);
  materialize(warm);
}

interface Row {
  n: number;
  fast: number[];
  fast0: number[];
  naive: number[];
  make: number[];
  patterns: number;
  distinct: number;
  sessions: number;
}
const rows: Row[] = [];
for (const n of SIZES) {
  const l = logs.get(n)!;
  const row: Row = { n, fast: [], fast0: [], naive: [], make: [], patterns: 0, distinct: 0, sessions: 0 };
  log(`mining ${fmt(n)} records`);
  for (let r = 0; r < REPS[n]!; r++) {
    const f = mineFast(l, 20);
    row.fast.push(f.ms);
    row.patterns = f.result.length;
    row.fast0.push(mineFast(l, 0).ms);
    row.make.push(materialize(l));
  }
  const stats = new PatternMiner({ sampleSize: 0 }).addAll(records(l));
  stats.result();
  row.distinct = stats.stats.distinctSequences;
  row.sessions = stats.stats.sessions;
  for (let r = 0; r < NAIVE_REPS[n]!; r++) {
    const naive = mineNaive(l);
    row.naive.push(naive.ms);
    if (r === 0) sameResult(mineFast(l, 0).result, naive.result, `${fmt(n)} records`);
  }
  rows.push(row);
}

p("## Summary against targets");
p();
const SUMMARY_AT = out.length;
p("## 1. Mining time");
p();
p(
  `Median of ${REPS[100_000]} runs (min–max), ${REPS[1_000_000]} for a million; ms per run, after a JIT warm-up, with no forced GC between runs (the steady state of a process that keeps mining; GC work a run causes is counted in it). A run makes each record (a fresh object with small \`parameters\` and \`result\`, ` +
    "as a JSONL reader would) and adds it to a new `PatternMiner` (maxSequenceLength 5, minFrequency 3, minSuccessRate 0.7), then takes `result()`. " +
    "**samples 20** is the default (each sequence keeps its first 20 occurrences with their parameters and results, for `suggestWorkflow`); **no samples** is `sampleSize: 0` (`weave mine` without `--emit`). " +
    "**Baseline**: the straightforward implementation (every record kept, per-session arrays, a `Map` keyed by the joined tool names), with the same semantics; the two results are checked equal. " +
    `**Python**: the original system's ${fmt(PYTHON_100K_MS)} ms per 100,000 records, scaled linearly. **Making records**: the cost of making the record objects alone, included in every other column.`,
);
p();
p(
  table(
    [
      "Records",
      "Miner, samples 20",
      "Miner, no samples",
      "µs/record (samples 20)",
      "Baseline (string keys)",
      "Baseline ÷ miner",
      "Python ÷ miner",
      "Making records",
      "Patterns",
      "Distinct sequences",
      "Sessions",
    ],
    rows.map((r) => [
      fmt(r.n),
      spread(r.fast, 1),
      spread(r.fast0, 1),
      num((median(r.fast) * 1000) / r.n, 3),
      spread(r.naive, 1),
      `${num(median(r.naive) / median(r.fast), 2)}× / ${num(median(r.naive) / median(r.fast0), 2)}×`,
      `${num((PYTHON_100K_MS * r.n) / 100_000 / median(r.fast), 1)}×`,
      spread(r.make, 1),
      fmt(r.patterns),
      fmt(r.distinct),
      fmt(r.sessions),
    ]),
  ),
);
p();
p("Baseline ÷ miner: with samples / without. The baseline keeps no samples.");
p();
const at = (n: number) => rows.find((r) => r.n === n)!;
summary.push(
  `- 100,000 records: ${num(median(at(100_000).fast), 1)} ms with samples, ${num(median(at(100_000).fast0), 1)} ms without (target ≤ ${TARGET_100K_MS} ms) ${pass(median(at(100_000).fast), TARGET_100K_MS)}; baseline ${num(median(at(100_000).naive), 1)} ms; Python ${fmt(PYTHON_100K_MS)} ms (${num(PYTHON_100K_MS / median(at(100_000).fast), 1)}× slower)`,
);
summary.push(
  `- 1,000,000 records: ${num(median(at(1_000_000).fast), 0)} ms with samples, ${num(median(at(1_000_000).fast0), 0)} ms without (target ≤ ${TARGET_1M_MS} ms) ${pass(median(at(1_000_000).fast), TARGET_1M_MS)}; baseline ${num(median(at(1_000_000).naive), 0)} ms`,
);

// ---------------------------------------------------------------------------------------------------------------
// Memory, in fresh processes

log("memory: child processes");
const temp = mkdtempSync(path.join(os.tmpdir(), "toolweave-patterns-bench-"));
const child = fileURLToPath(new URL("./lib/patterns-memory-child.ts", import.meta.url));
interface Memory {
  kind: string;
  n: number;
  sampleSize: number;
  ms: number;
  patterns: number;
  heapBefore: number;
  heapPeak: number;
  retainedPeak: number;
  heapAfter: number;
  maxRss: number;
}
const runChild = (args: string[]): Memory =>
  JSON.parse(
    execFileSync(process.execPath, ["--expose-gc", "--import", "tsx", child, ...args], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    }),
  ) as Memory;
try {
  for (const n of [100_000, 1_000_000]) saveToolLog(logs.get(n)!, path.join(temp, `log-${n}`));
  const base = (n: number) => path.join(temp, `log-${n}`);
  const loads = new Map([100_000, 1_000_000].map((n) => [n, runChild(["load", base(n)])]));
  const load = loads.get(1_000_000)!;
  const runs: [string, Memory][] = [
    ["miner, samples 20", runChild(["miner", base(100_000), "20"])],
    ["miner, samples 20", runChild(["miner", base(1_000_000), "20"])],
    ["miner, no samples", runChild(["miner", base(100_000), "0"])],
    ["miner, no samples", runChild(["miner", base(1_000_000), "0"])],
    ["baseline", runChild(["naive", base(100_000)])],
    ["baseline", runChild(["naive", base(1_000_000)])],
  ];
  p("## 2. Memory");
  p();
  p(
    "Each run in a fresh child process (`bench/lib/patterns-memory-child.ts`), which loads the generated log's columns (typed arrays) and makes the records one at a time: nothing outside the miner keeps them. " +
      "**Retained**: the largest heap after a full GC, taken every 100,000 records, minus the heap before mining (what the run really holds: open sessions, distinct sequences, samples). " +
      "**Heap peak**: the largest heap seen (garbage included) minus the same. **Peak RSS**: the kernel's maximum resident set of the process (`resourceUsage().maxRSS`); " +
      `loading the log alone (Node, tsx, the columns) peaks at ${mb(loads.get(100_000)!.maxRss)} for 100,000 records and ${mb(load.maxRss)} for a million. Time excludes the checkpoint GCs.`,
  );
  p();
  p(
    table(
      ["Run", "Records", "Time ms", "Retained", "Heap peak", "Peak RSS", "Peak RSS − loading"],
      runs.map(([label, m]) => [
        label,
        fmt(m.n),
        num(m.ms, 0),
        mb(m.retainedPeak - m.heapBefore),
        mb(m.heapPeak - m.heapBefore),
        mb(m.maxRss),
        mb(m.maxRss - loads.get(m.n)!.maxRss),
      ]),
    ),
  );
  p();
  p(
    "The miner holds the open sessions (at most `maxOpenSessions`, default 20,000) and one entry per distinct sequence (plus, with samples, up to 20 occurrences each): " +
      "its memory depends on those, not on the number of records. The baseline holds every record.",
  );
  p();
  const m1 = runs[1]![1];
  const m0 = runs[3]![1];
  const n1 = runs[5]![1];
  summary.push(
    `- memory, 1,000,000 records: retained ${mb(m1.retainedPeak - m1.heapBefore)} with samples, ${mb(m0.retainedPeak - m0.heapBefore)} without (100,000 records: ${mb(runs[0]![1].retainedPeak - runs[0]![1].heapBefore)} / ${mb(runs[2]![1].retainedPeak - runs[2]![1].heapBefore)}); peak RSS ${mb(m1.maxRss)} / ${mb(m0.maxRss)} (loading alone ${mb(load.maxRss)}); baseline retained ${mb(n1.retainedPeak - n1.heapBefore)}, peak RSS ${mb(n1.maxRss)}`,
  );

  // -------------------------------------------------------------------------------------------------------------
  log("JSONL: writing a log file");
  const file = path.join(temp, "calls.jsonl");
  const l = generateToolLog(JSONL_RECORDS, 11);
  const fd = openSync(file, "w");
  let chunk = "";
  for (let i = 0; i < l.n; i++) {
    chunk += `${JSON.stringify(recordAt(l, i))}\n`;
    if (chunk.length > 1 << 20) {
      writeSync(fd, chunk);
      chunk = "";
    }
  }
  writeSync(fd, chunk);
  closeSync(fd);
  const bytes = statSync(file).size;
  log("JSONL: reading and mining");
  const jsonl = [runChild(["jsonl", file, "0"]), runChild(["jsonl", file, "0"]), runChild(["jsonl", file, "0"])];
  const jsonl20 = runChild(["jsonl", file, "20"]);
  const ms = median(jsonl.map((j) => j.ms));
  p("## 3. Reading and mining a JSONL log (what `weave mine` does)");
  p();
  p(
    `A ${fmt(JSONL_RECORDS)}-line log (${mb(bytes)}, ${num(bytes / JSONL_RECORDS, 0)} bytes a line) read with \`streamToolCallLogBatches\` (64 KiB chunks, \`JSON.parse\` and a record check per line) and mined, in a fresh process. Median of 3.`,
  );
  p();
  p(
    table(
      ["Samples", "Time ms", "Records/s", "MB/s", "Retained", "Peak RSS"],
      [
        [
          "0",
          num(ms, 0),
          fmt(Math.round((JSONL_RECORDS / ms) * 1000)),
          num(bytes / 2 ** 20 / (ms / 1000), 1),
          mb(jsonl[0]!.retainedPeak - jsonl[0]!.heapBefore),
          mb(jsonl[0]!.maxRss),
        ],
        [
          "20",
          num(jsonl20.ms, 0),
          fmt(Math.round((JSONL_RECORDS / jsonl20.ms) * 1000)),
          num(bytes / 2 ** 20 / (jsonl20.ms / 1000), 1),
          mb(jsonl20.retainedPeak - jsonl20.heapBefore),
          mb(jsonl20.maxRss),
        ],
      ],
    ),
  );
  p();
  p("Reading dominates (JSON.parse of every line): mining is the smaller part of the time.");
  p();
  summary.push(
    `- JSONL: ${fmt(JSONL_RECORDS)} lines (${mb(bytes)}) read and mined in ${num(ms, 0)} ms (${fmt(Math.round((JSONL_RECORDS / ms) * 1000))} records/s), peak RSS ${mb(jsonl[0]!.maxRss)}`,
  );
} finally {
  rmSync(temp, { recursive: true, force: true });
}

const total = (performance.now() - started) / 1000;
out.splice(
  SUMMARY_AT,
  0,
  `Targets: 100,000 records ≤ ${TARGET_100K_MS} ms, 1,000,000 ≤ ${TARGET_1M_MS} ms, memory bounded (not growing with the records).`,
  "",
  ...summary,
  "",
  `Benchmark wall time: ${total.toFixed(1)} s.`,
  "",
);
out.splice(
  LOAD_AT,
  0,
  "",
  `Load average (1 min) at the start: ${num(loadAtStart, 2)}, at the end: ${num(os.loadavg()[0]!, 2)} (other processes on the machine slow every figure down).`,
);
const report = `${out.join("\n")}\n`;
process.stdout.write(report);
const resultsDir = new URL("./results/", import.meta.url);
mkdirSync(resultsDir, { recursive: true });
writeFileSync(new URL("patterns.md", resultsDir), report);
log(`wrote ${fileURLToPath(new URL("patterns.md", resultsDir))}`);

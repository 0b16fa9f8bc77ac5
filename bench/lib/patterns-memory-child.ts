/**
 * Memory of one mining run, in a fresh process so `resourceUsage().maxRSS` (the kernel's peak RSS) belongs to it.
 * Spawned by patterns.bench.ts; prints one JSON line.
 * usage: node --expose-gc --import tsx bench/lib/patterns-memory-child.ts load|miner|naive <log base> [sampleSize]
 *        node --expose-gc --import tsx bench/lib/patterns-memory-child.ts jsonl <file.jsonl> [sampleSize]
 *   load:  only load the generated log's columns (saved by saveToolLog): the baseline the others are compared with
 *   miner: PatternMiner over its records, made one at a time (none kept by the caller)
 *   naive: the string-key baseline over the same records (it keeps them all, as the original did)
 *   jsonl: read the file with streamToolCallLogBatches and mine it (what `weave mine` does)
 */
import { streamToolCallLogBatches } from "../../src/monitor/read-log.js";
import { PatternMiner } from "../../src/patterns/index.js";
import { naiveMine } from "./naive-miner.js";
import { loadToolLog, recordAt, records } from "./tool-log.js";

const [kind, source, sampleText] = process.argv.slice(2);
const sampleSize = Number(sampleText ?? 20);
const gc = globalThis.gc;
if (!gc) throw new Error("run with --expose-gc");
if (kind !== "load" && kind !== "miner" && kind !== "naive" && kind !== "jsonl") throw new Error(`unknown kind ${kind}`);

const log = kind === "jsonl" ? undefined : loadToolLog(source!);
gc();
const before = process.memoryUsage();
const rssBefore = process.resourceUsage().maxRSS * 1024;
/** Heap after a full GC at checkpoints: what the run really holds, without garbage. */
let retainedPeak = 0;
let heapPeak = 0;
const checkpoint = (full: boolean): void => {
  if (full) gc();
  const used = process.memoryUsage().heapUsed;
  if (full) retainedPeak = Math.max(retainedPeak, used);
  heapPeak = Math.max(heapPeak, used);
};

const t0 = performance.now();
let patterns = 0;
let records_ = 0;
let gcMs = 0;
if (kind === "load") {
  records_ = log!.n;
} else if (kind === "miner") {
  const miner = new PatternMiner({ sampleSize });
  for (let i = 0; i < log!.n; i++) {
    miner.add(recordAt(log!, i));
    if ((i & 16383) === 16383) checkpoint(false);
    if (i % 100_000 === 99_999) {
      const g = performance.now();
      checkpoint(true);
      gcMs += performance.now() - g;
    }
  }
  patterns = miner.result().length;
  records_ = miner.stats.records;
} else if (kind === "naive") {
  // the baseline keeps every record; checkpoints are taken while it groups them
  let i = 0;
  const counting = (function* () {
    for (const r of records(log!)) {
      if ((++i & 16383) === 0) checkpoint(false);
      if (i % 100_000 === 0) {
        const g = performance.now();
        checkpoint(true);
        gcMs += performance.now() - g;
      }
      yield r;
    }
  })();
  patterns = naiveMine(counting, 5, 3, 0.7).length;
  records_ = i;
} else {
  const miner = new PatternMiner({ sampleSize });
  let batches = 0;
  for await (const batch of streamToolCallLogBatches(source!)) {
    for (const r of batch) miner.add(r);
    if ((++batches & 15) === 0) checkpoint(false);
    if (batches % 200 === 0) {
      const g = performance.now();
      checkpoint(true);
      gcMs += performance.now() - g;
    }
  }
  patterns = miner.result().length;
  records_ = miner.stats.records;
}
const ms = performance.now() - t0 - gcMs;
checkpoint(false);
gc();
const after = process.memoryUsage();
process.stdout.write(
  `${JSON.stringify({
    kind,
    n: records_,
    sampleSize,
    ms,
    patterns,
    heapBefore: before.heapUsed,
    heapPeak,
    retainedPeak,
    heapAfter: after.heapUsed,
    rssBefore,
    maxRss: process.resourceUsage().maxRSS * 1024,
  })}\n`,
);

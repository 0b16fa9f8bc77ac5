/**
 * @module What `PatternMiner.result()` reports from the counted table: the sequences that pass the thresholds (closed
 * patterns only unless `closed: false`), best first, as rows that expand their compact samples into occurrences only
 * when first read, since the samples of most rows are never read.
 */
import type { ResolvedOptions } from "./options.js";
import type { SequenceTable } from "./sequence-table.js";
import type { OccurrenceCall, PatternOccurrence, ToolCallRecord, ToolSequence } from "./types.js";

/**
 * A sampled occurrence as the counter keeps it: `[executionId, ...records]` when its calls are the records themselves
 * (no array of call objects is made for the many sequences that are never reported), else the occurrence itself.
 */
export type RawSample = PatternOccurrence | (string | ToolCallRecord)[];

/**
 * The sequences of `table` that pass the thresholds of `options`, best first (see `compareSequences`).
 * @param toolNames by tool id
 * @param samples by sequence index
 */
export function minedSequences(
  table: SequenceTable,
  options: Readonly<ResolvedOptions>,
  toolNames: readonly string[],
  samples: readonly (RawSample[] | undefined)[],
): ToolSequence[] {
  const { minFrequency, minSuccessRate, closed } = options;
  const t = table;
  const passing: number[] = [];
  for (let i = 0; i < t.size; i++) if (t.count[i]! >= minFrequency && t.success[i]! / t.count[i]! >= minSuccessRate) passing.push(i);
  let kept = passing;
  if (closed) {
    // a sequence counted as often as a longer passing one that extends it by a call has no occurrence of its own:
    // checking the two one call shorter is enough, as each of those covers its own sub-sequences in turn
    const covered = new Uint8Array(t.size);
    for (const i of passing) {
      if (t.lengthOf(i) < 3) continue;
      const ids = t.idsOf(i);
      for (const sub of [t.find(ids.slice(0, -1)), t.find(ids.slice(1))]) if (sub >= 0 && t.count[sub] === t.count[i]) covered[sub] = 1;
    }
    kept = passing.filter((i) => covered[i] === 0);
  }
  const out = kept.map(
    (i): ToolSequence =>
      new MinedSequence(
        t.idsOf(i).map((id) => toolNames[id]!),
        t.count[i]!,
        t.success[i]!,
        t.duration[i]!,
        samples[i],
      ),
  );
  out.sort(compareSequences);
  return out;
}

/** A result row; its samples are made into occurrence objects when first read. */
class MinedSequence implements ToolSequence {
  readonly successRate: number;
  readonly avgDurationMs: number;
  #raw: readonly RawSample[] | undefined;
  #samples: readonly PatternOccurrence[] | undefined;

  constructor(
    readonly tools: readonly string[],
    readonly frequency: number,
    readonly successCount: number,
    totalDurationMs: number,
    raw: readonly RawSample[] | undefined,
  ) {
    this.successRate = successCount / frequency;
    this.avgDurationMs = totalDurationMs / frequency;
    this.#raw = raw;
  }

  get samples(): readonly PatternOccurrence[] {
    if (this.#samples === undefined) {
      this.#samples = Object.freeze((this.#raw ?? []).map(expand));
      this.#raw = undefined;
    }
    return this.#samples;
  }

  /** The figures without the samples (which hold whole parameters and results). */
  toJSON(): Omit<ToolSequence, "samples"> {
    return {
      tools: this.tools,
      frequency: this.frequency,
      successCount: this.successCount,
      successRate: this.successRate,
      avgDurationMs: this.avgDurationMs,
    };
  }
}

function expand(sample: RawSample): PatternOccurrence {
  if (!Array.isArray(sample)) return sample;
  const calls: OccurrenceCall[] = [];
  for (let k = 1; k < sample.length; k++) {
    const r = sample[k] as ToolCallRecord;
    calls.push({
      toolName: r.toolName,
      stepId: r.stepId ?? "",
      timestamp: r.timestamp,
      durationMs: r.durationMs,
      success: r.success,
      attempts: 1,
      parameters: r.parameters,
      result: r.result,
    });
  }
  return { executionId: sample[0] as string, calls };
}

/** Best first: successful occurrences, then longer, then tool names in code-unit order. */
export function compareSequences(a: ToolSequence, b: ToolSequence): number {
  if (a.successCount !== b.successCount) return b.successCount - a.successCount;
  if (a.tools.length !== b.tools.length) return b.tools.length - a.tools.length;
  for (let i = 0; i < a.tools.length; i++) {
    const x = a.tools[i]!;
    const y = b.tools[i]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

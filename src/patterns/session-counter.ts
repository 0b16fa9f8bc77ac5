/**
 * @module Counting the windows of one session's calls (or of one batch of a long session) into the `SequenceTable`,
 * without allocating per call: the calls are laid out in typed arrays reused from batch to batch.
 *
 * Calls without an execution id are split into sessions where a call starts more than `idleGapMs` after the latest
 * end before it. A record with `attempt` > 1 is merged into the latest earlier call of its step id: one call whose
 * success is the last attempt's and whose duration is the attempts' sum. The first `sampleSize` occurrences of each
 * sequence are kept for `suggestWorkflow`.
 */
import type { RawSample } from "./mined-sequences.js";
import type { ResolvedOptions } from "./options.js";
import type { Session } from "./open-sessions.js";
import type { SequenceTable } from "./sequence-table.js";
import type { OccurrenceCall, ToolCallRecord } from "./types.js";

/** A call at the end of a counted batch, kept for the windows that span into the next batch. */
export interface CarriedCall {
  id: number;
  ok: number;
  dur: number;
  start: number;
  attempts: number;
  record: ToolCallRecord;
}

export const NO_CARRY: readonly CarriedCall[] = Object.freeze([]);

export class SessionCounter {
  /** Sessions counted so far (a session counted in batches counts once). */
  sessions = 0;
  /** By tool id; id 0 is never given out. */
  readonly toolNames: string[] = [""];
  /** By sequence index: its sampled occurrences. */
  readonly samples: (RawSample[] | undefined)[] = [];
  readonly #options: Readonly<ResolvedOptions>;
  readonly #table: SequenceTable;
  readonly #toolIds = new Map<string, number>();
  // Reused per batch: the calls of the batch being counted.
  #ids = new Int32Array(256);
  #ok = new Uint8Array(256);
  #dur = new Float64Array(256);
  #start = new Float64Array(256);
  #attempts = new Int32Array(256);
  #calls: ToolCallRecord[] = [];
  #sessionKey = "";
  readonly #byStep = new Map<string, number>();
  readonly #sampler: (index: number, start: number, length: number) => void;

  constructor(options: Readonly<ResolvedOptions>, table: SequenceTable) {
    this.#options = options;
    this.#table = table;
    this.#sampler = (index, start, length) => this.#sample(index, start, length);
  }

  /** Counts `records` (sorted) of session `s`; an anonymous session is split at idle gaps first. */
  count(s: Session, records: readonly ToolCallRecord[], final: boolean): void {
    this.#sessionKey = s.key;
    if (s.key !== "") {
      this.#countSegment(s, records, 0, records.length, true, final);
      return;
    }
    const gap = this.#options.idleGapMs;
    let from = 0;
    let end = s.carryEnd;
    let continues = true;
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      if (r.timestamp - end > gap) {
        if (i > from) this.#countSegment(s, records, from, i, continues, true);
        continues = false;
        from = i;
        end = -Infinity;
      }
      if (r.timestamp + r.durationMs > end) end = r.timestamp + r.durationMs;
    }
    if (records.length > from) this.#countSegment(s, records, from, records.length, continues, final);
    else if (!continues) s.carry = NO_CARRY;
    s.carryEnd = end;
  }

  /** Builds the calls of `records[from..to)` (after the carried calls when `continues`), then counts their windows. */
  #countSegment(s: Session, records: readonly ToolCallRecord[], from: number, to: number, continues: boolean, final: boolean): void {
    const carry = continues ? s.carry : NO_CARRY;
    if (!continues || !s.counted) this.sessions++;
    s.counted = true;
    this.#reserve(carry.length + (to - from));
    let n = 0;
    for (const c of carry) this.#setCall(n++, c.id, c.ok, c.dur, c.start, c.attempts, c.record);
    const counted = n;
    let retries = false;
    for (let i = from; i < to && !retries; i++) retries = (records[i]!.attempt ?? 1) > 1;
    const byStep = this.#byStep;
    for (let i = from; i < to; i++) {
      const r = records[i]!;
      if (retries) {
        const stepId = r.stepId;
        if (stepId) {
          const merged = (r.attempt ?? 1) > 1 ? byStep.get(stepId) : undefined;
          if (merged !== undefined && this.#calls[merged]!.toolName === r.toolName) {
            this.#ok[merged] = r.success ? 1 : 0;
            this.#dur[merged]! += r.durationMs;
            this.#attempts[merged]!++;
            this.#calls[merged] = r;
            continue;
          }
          byStep.set(stepId, n);
        }
      }
      this.#setCall(n++, this.#toolId(r.toolName), r.success ? 1 : 0, r.durationMs, r.timestamp, 1, r);
    }
    if (retries) byStep.clear();
    const { sampleSize } = this.#options;
    this.#table.countWindows(this.#ids, this.#ok, this.#dur, n, counted, sampleSize, sampleSize > 0 ? this.#sampler : undefined);
    if (final) {
      s.carry = NO_CARRY;
      return;
    }
    const next: CarriedCall[] = [];
    for (let k = Math.max(0, n - this.#options.maxSequenceLength + 1); k < n; k++) {
      next.push({
        id: this.#ids[k]!,
        ok: this.#ok[k]!,
        dur: this.#dur[k]!,
        start: this.#start[k]!,
        attempts: this.#attempts[k]!,
        record: this.#calls[k]!,
      });
    }
    s.carry = next;
  }

  #setCall(k: number, id: number, ok: number, dur: number, start: number, attempts: number, record: ToolCallRecord): void {
    this.#ids[k] = id;
    this.#ok[k] = ok;
    this.#dur[k] = dur;
    this.#start[k] = start;
    this.#attempts[k] = attempts;
    this.#calls[k] = record;
  }

  #reserve(n: number): void {
    if (n <= this.#ids.length) return;
    let size = this.#ids.length;
    while (size < n) size *= 2;
    this.#ids = new Int32Array(size);
    this.#ok = new Uint8Array(size);
    this.#dur = new Float64Array(size);
    this.#start = new Float64Array(size);
    this.#attempts = new Int32Array(size);
  }

  #toolId(name: string): number {
    let id = this.#toolIds.get(name);
    if (id === undefined) {
      id = this.toolNames.length;
      this.toolNames.push(name);
      this.#toolIds.set(name, id);
      this.#table.ensureId(id);
    }
    return id;
  }

  /**
   * Keeps an occurrence. Usually as one array, `[executionId, ...records]` (its calls are the records themselves),
   * expanded only for the sequences `result()` returns; with a merged retry in it, as the occurrence itself.
   */
  #sample(index: number, start: number, length: number): void {
    let merged = false;
    for (let k = start; k < start + length; k++) if (this.#attempts[k] !== 1) merged = true;
    let sample: RawSample;
    if (merged) {
      const calls: OccurrenceCall[] = [];
      for (let k = start; k < start + length; k++) {
        const r = this.#calls[k]!;
        calls.push({
          toolName: r.toolName,
          stepId: r.stepId ?? "",
          timestamp: this.#start[k]!,
          durationMs: this.#dur[k]!,
          success: this.#ok[k] === 1,
          attempts: this.#attempts[k]!,
          parameters: r.parameters,
          result: r.result,
        });
      }
      sample = { executionId: this.#sessionKey, calls };
    } else {
      const raw: (string | ToolCallRecord)[] = new Array(length + 1);
      raw[0] = this.#sessionKey;
      for (let k = 0; k < length; k++) raw[k + 1] = this.#calls[start + k]!;
      sample = raw;
    }
    const list = this.samples[index];
    if (list) list.push(sample);
    else this.samples[index] = [sample];
  }
}

/**
 * @module `PatternMiner`: counts contiguous tool sequences one record at a time, in memory proportional to the
 * distinct sequences and the open sessions, never to the number of records.
 *
 * Sessions: the calls of one execution id; calls without one are split where a call starts more than `idleGapMs`
 * after the latest end before it. Within a session calls are ordered by start time (stable: ties keep log order),
 * and a record with `attempt` > 1 is merged into the latest earlier call of its step id: one call whose success is
 * the last attempt's and whose duration is the attempts' sum. A session is counted when it closes: at `result()`,
 * when the log's clock passes its last call by `sessionTimeoutMs`, or when more than `maxOpenSessions` are open.
 * A session that grows past 4,096 records is counted in batches (the last calls of a batch carry over, so no
 * window is lost; ordering and retry merging then work within a batch and the 512 records that follow it).
 */
import { normaliseToolCall, type AnyToolCallRecord } from "../monitor/log-record.js";
import { resolveOptions, type MinerOptions, type ResolvedOptions } from "./options.js";
import { SequenceTable } from "./sequence-table.js";
import type { OccurrenceCall, PatternOccurrence, ToolCallRecord, ToolSequence } from "./types.js";

const BATCH = 4096;
const MARGIN = 512;
const NO_CARRY: readonly CarriedCall[] = Object.freeze([]);

interface Session {
  readonly key: string;
  records: ToolCallRecord[];
  sorted: boolean;
  lastStart: number;
  lastEnd: number;
  prev: Session | undefined;
  next: Session | undefined;
  /** The last calls of the batches counted so far (at most maxLength - 1), for the windows that span batches. */
  carry: readonly CarriedCall[];
  /** The latest end among the calls counted so far (calls without an execution id: where an idle gap starts). */
  carryEnd: number;
  /** Whether a batch of it has been counted (and the session counted in the stats). */
  counted: boolean;
}

interface CarriedCall {
  id: number;
  ok: number;
  dur: number;
  start: number;
  attempts: number;
  record: ToolCallRecord;
}

export interface MinerStats {
  /** Records added. */
  readonly records: number;
  /** Sessions counted so far (a session counted in batches counts once). */
  readonly sessions: number;
  /** Sessions still open. */
  readonly openSessions: number;
  /** Distinct sequences of 2..maxSequenceLength calls seen. */
  readonly distinctSequences: number;
  /** Distinct tool names seen. */
  readonly tools: number;
}

/**
 * Mines frequent tool sequences from a stream of tool-call records.
 * @example
 * const miner = new PatternMiner({ minFrequency: 3, maxSequenceLength: 4 });
 * for await (const record of streamToolCallLog("calls.jsonl")) miner.add(record);
 * const patterns = miner.result();
 */
export class PatternMiner {
  readonly options: Readonly<ResolvedOptions>;
  readonly #table: SequenceTable;
  readonly #samples: (RawSample[] | undefined)[] = [];
  readonly #toolIds = new Map<string, number>();
  readonly #toolNames: string[] = [""];
  readonly #open = new Map<string, Session>();
  #head: Session | undefined;
  #tail: Session | undefined;
  #clock = -Infinity;
  #records = 0;
  #sessions = 0;
  #result: ToolSequence[] | undefined;
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

  constructor(options: MinerOptions = {}) {
    this.options = Object.freeze(resolveOptions(options));
    this.#table = new SequenceTable(this.options.maxSequenceLength);
    this.#sampler = (index, start, length) => this.#sample(index, start, length);
  }

  /**
   * Adds one record: toolweave's (`timestamp` in ms or ISO-8601; `stepId`, `executionId`, `attempt` optional) or the
   * original system's (`tool_name`, `latency` in seconds), see monitor/log-record.ts.
   * @throws TypeError naming the record's number and every field that keeps it from being a tool call
   */
  add(input: ToolCallRecord | AnyToolCallRecord): void {
    if (this.#result) throw new Error("this PatternMiner has returned its result: create a new one to mine more records");
    this.#records++;
    const record = toRecord(input, this.#records);
    const key = typeof record.executionId === "string" ? record.executionId : "";
    let session = this.#open.get(key);
    if (session === undefined) {
      session = {
        key,
        records: [],
        sorted: true,
        lastStart: -Infinity,
        lastEnd: -Infinity,
        prev: undefined,
        next: undefined,
        carry: NO_CARRY,
        carryEnd: -Infinity,
        counted: false,
      };
      this.#open.set(key, session);
      this.#append(session);
    } else if (session !== this.#tail) {
      this.#unlink(session);
      this.#append(session);
    }
    const start = record.timestamp;
    if (start < session.lastStart) session.sorted = false;
    else session.lastStart = start;
    if (start + record.durationMs > session.lastEnd) session.lastEnd = start + record.durationMs;
    session.records.push(record);
    if (session.records.length >= BATCH) this.#countBatch(session);
    if (start > this.#clock) this.#clock = start;
    const { sessionTimeoutMs, maxOpenSessions } = this.options;
    for (
      let s = this.#head;
      s !== undefined && (s.lastEnd + sessionTimeoutMs < this.#clock || this.#open.size > maxOpenSessions);
      s = this.#head
    )
      this.#close(s);
  }

  /** Adds every record of `records`. */
  addAll(records: Iterable<ToolCallRecord | AnyToolCallRecord>): this {
    for (const r of records) this.add(r);
    return this;
  }

  get stats(): MinerStats {
    return {
      records: this.#records,
      sessions: this.#sessions,
      openSessions: this.#open.size,
      distinctSequences: this.#table.size,
      tools: this.#toolNames.length - 1,
    };
  }

  /**
   * Counts the open sessions and returns the sequences that pass the thresholds, best first: by successful
   * occurrences (frequency × success rate), then longer first, then tool names in code-unit order. Later calls
   * return the same array; `add` then throws.
   */
  result(): ToolSequence[] {
    if (this.#result) return this.#result;
    while (this.#head) this.#close(this.#head);
    const { minFrequency, minSuccessRate, closed } = this.options;
    const t = this.#table;
    const passing: number[] = [];
    for (let i = 0; i < t.size; i++) if (t.count[i]! >= minFrequency && t.success[i]! / t.count[i]! >= minSuccessRate) passing.push(i);
    let kept = passing;
    if (closed) {
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
          t.idsOf(i).map((id) => this.#toolNames[id]!),
          t.count[i]!,
          t.success[i]!,
          t.duration[i]!,
          this.#samples[i],
        ),
    );
    out.sort(compareSequences);
    this.#result = out;
    return out;
  }

  #append(s: Session): void {
    s.prev = this.#tail;
    s.next = undefined;
    if (this.#tail) this.#tail.next = s;
    else this.#head = s;
    this.#tail = s;
  }

  #unlink(s: Session): void {
    if (s.prev) s.prev.next = s.next;
    else this.#head = s.next;
    if (s.next) s.next.prev = s.prev;
    else this.#tail = s.prev;
    s.prev = s.next = undefined;
  }

  #close(s: Session): void {
    this.#unlink(s);
    this.#open.delete(s.key);
    if (!s.sorted) sortByStart(s.records);
    this.#count(s, s.records, true);
  }

  /** A long session: counts all but its last MARGIN records now. */
  #countBatch(s: Session): void {
    if (!s.sorted) sortByStart(s.records);
    const keep = s.records.splice(s.records.length - MARGIN, MARGIN);
    this.#count(s, s.records, false);
    s.records = keep;
    s.sorted = true;
    s.lastStart = -Infinity;
    for (const r of keep) {
      if (r.timestamp < s.lastStart) s.sorted = false;
      else s.lastStart = r.timestamp;
    }
  }

  /** Counts `records` (sorted) of session `s`; an anonymous session is split at idle gaps first. */
  #count(s: Session, records: readonly ToolCallRecord[], final: boolean): void {
    this.#sessionKey = s.key;
    if (s.key !== "") {
      this.#countSegment(s, records, 0, records.length, true, final);
      return;
    }
    const gap = this.options.idleGapMs;
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
    if (!continues || !s.counted) this.#sessions++;
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
    const { sampleSize } = this.options;
    this.#table.countWindows(this.#ids, this.#ok, this.#dur, n, counted, sampleSize, sampleSize > 0 ? this.#sampler : undefined);
    if (final) {
      s.carry = NO_CARRY;
      return;
    }
    const next: CarriedCall[] = [];
    for (let k = Math.max(0, n - this.options.maxSequenceLength + 1); k < n; k++) {
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
      id = this.#toolNames.length;
      this.#toolNames.push(name);
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
    const list = this.#samples[index];
    if (list) list.push(sample);
    else this.#samples[index] = [sample];
  }
}

type RawSample = PatternOccurrence | (string | ToolCallRecord)[];

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

function sortByStart(records: ToolCallRecord[]): void {
  records.sort((a, b) => a.timestamp - b.timestamp);
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

/** `r` when it is a record the miner reads as it is (the monitor's), else `r` normalised (see monitor/log-record.ts). */
function toRecord(r: ToolCallRecord | AnyToolCallRecord, n: number): ToolCallRecord {
  const o = r as Partial<ToolCallRecord> | null;
  if (
    o !== null &&
    typeof o === "object" &&
    typeof o.toolName === "string" &&
    typeof o.timestamp === "number" &&
    Number.isFinite(o.timestamp) &&
    typeof o.durationMs === "number" &&
    o.durationMs >= 0 &&
    o.durationMs !== Infinity &&
    typeof o.success === "boolean" &&
    (o.executionId === undefined || o.executionId === null || typeof o.executionId === "string")
  ) {
    return r as ToolCallRecord;
  }
  const normalised = normaliseToolCall(r);
  if (normalised.ok) return normalised.record;
  const tool =
    o !== null && typeof o === "object"
      ? ((o as { toolName?: unknown; tool_name?: unknown }).toolName ?? (o as { tool_name?: unknown }).tool_name)
      : undefined;
  throw new TypeError(`record ${n}${typeof tool === "string" ? ` (tool "${tool}")` : ""}: ${normalised.problem}`);
}

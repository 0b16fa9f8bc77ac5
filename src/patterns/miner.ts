/**
 * @module `PatternMiner`: counts contiguous tool sequences one record at a time, in memory proportional to the
 * distinct sequences and the open sessions, never to the number of records. It checks each record and hands it to
 * the open sessions (open-sessions.ts), whose closed sessions and batches the counter counts (session-counter.ts)
 * into the sequence table (sequence-table.ts); the result is read from that table (mined-sequences.ts).
 */
import { normaliseToolCall, type AnyToolCallRecord } from "../monitor/log-record.js";
import { minedSequences } from "./mined-sequences.js";
import { OpenSessions } from "./open-sessions.js";
import { resolveOptions, type MinerOptions, type ResolvedOptions } from "./options.js";
import { SequenceTable } from "./sequence-table.js";
import { SessionCounter } from "./session-counter.js";
import type { ToolCallRecord, ToolSequence } from "./types.js";

export { compareSequences } from "./mined-sequences.js";

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
  readonly #counter: SessionCounter;
  readonly #open: OpenSessions;
  #records = 0;
  #result: ToolSequence[] | undefined;

  constructor(options: MinerOptions = {}) {
    this.options = Object.freeze(resolveOptions(options));
    this.#table = new SequenceTable(this.options.maxSequenceLength);
    this.#counter = new SessionCounter(this.options, this.#table);
    this.#open = new OpenSessions(this.options, this.#counter);
  }

  /**
   * Adds one record: toolweave's (`timestamp` in ms or ISO-8601; `stepId`, `executionId`, `attempt` optional) or the
   * original system's (`tool_name`, `latency` in seconds), see monitor/log-record.ts.
   * @throws TypeError naming the record's number and every field that keeps it from being a tool call
   */
  add(input: ToolCallRecord | AnyToolCallRecord): void {
    if (this.#result) throw new Error("this PatternMiner has returned its result: create a new one to mine more records");
    this.#records++;
    this.#open.add(toRecord(input, this.#records));
  }

  /** Adds every record of `records`. */
  addAll(records: Iterable<ToolCallRecord | AnyToolCallRecord>): this {
    for (const r of records) this.add(r);
    return this;
  }

  get stats(): MinerStats {
    return {
      records: this.#records,
      sessions: this.#counter.sessions,
      openSessions: this.#open.size,
      distinctSequences: this.#table.size,
      tools: this.#counter.toolNames.length - 1,
    };
  }

  /**
   * Counts the open sessions and returns the sequences that pass the thresholds, best first: by successful
   * occurrences (frequency × success rate), then longer first, then tool names in code-unit order. Later calls
   * return the same array; `add` then throws.
   */
  result(): ToolSequence[] {
    if (this.#result) return this.#result;
    this.#open.closeAll();
    this.#result = minedSequences(this.#table, this.options, this.#counter.toolNames, this.#counter.samples);
    return this.#result;
  }
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

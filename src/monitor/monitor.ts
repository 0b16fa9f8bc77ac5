/**
 * @module The tool-call monitor: an in-memory log, running statistics and an optional JSONL file.
 */
import { JsonlSink } from "./jsonl-sink.js";
import { normaliseMetric, toJsonLine } from "./metric.js";
import type { ToolCallMetric } from "./metric.js";
import { MONITOR_MAX_VALUES, redactionKeys, redactWith } from "./redact.js";
import { thrownReason } from "../util/safe-json.js";

export interface MonitorOptions {
  /** Append every metric as one JSON line to this file (created with its directories if missing). */
  logFile?: string;
  /** Parameter/result field names whose values are replaced by "[REDACTED]" at any depth (case-insensitive match on the key). */
  redact?: readonly string[];
  /** Keep parameters / results in the records at all. @default true */
  recordParameters?: boolean;
  recordResults?: boolean;
  /** Max records kept in memory (`toolCallLog`); oldest dropped first. @default 100_000 */
  maxInMemory?: number;
}

export interface ToolCallStats {
  calls: number;
  failures: number;
  totalDurationMs: number;
  avgDurationMs: number;
}

export interface MonitorStats {
  calls: number;
  failures: number;
  byTool: Record<string, ToolCallStats>;
}

export interface Monitor {
  /** The most recent records (at most `maxInMemory`), oldest first. A live view: it changes as calls are recorded. */
  readonly toolCallLog: readonly ToolCallMetric[];
  /**
   * Synchronous and cheap: applies redaction, appends to memory and queues the line for the file. Whatever the
   * parameters and result hold (cycles, BigInts, values thousands of levels deep, getters or Proxies that throw),
   * it never throws for them: what cannot be copied or written becomes a marker string (see `redact`), and past
   * 100,000 values in one call's parameters (or result) the rest is left out of the record and the log line.
   * Throws only after `close()`.
   */
  record(metric: ToolCallMetric): void;
  /** Counts every call recorded since creation, including those already dropped from `toolCallLog`. */
  stats(): MonitorStats;
  /** Resolves when every queued line is in the file; rejects with the first write error (naming the file). */
  flush(): Promise<void>;
  /** Flushes and closes the file; later `record` calls throw. */
  close(): Promise<void>;
}

export function createMonitor(options: MonitorOptions = {}): Monitor {
  return new ToolCallMonitor(options);
}

/** Dropped records are only spliced out once this many have piled up (or on read), keeping `record` O(1). */
const COMPACT_AFTER = 1024;

class ToolCallMonitor implements Monitor {
  readonly #keys: ReadonlySet<string>;
  readonly #recordParameters: boolean;
  readonly #recordResults: boolean;
  readonly #maxInMemory: number;
  readonly #sink: JsonlSink | undefined;
  /** `#entries.slice(#dropped)` is the log; the prefix is waiting to be spliced out. */
  #entries: ToolCallMetric[] = [];
  #dropped = 0;
  readonly #byTool = new Map<string, { calls: number; failures: number; totalDurationMs: number }>();
  #calls = 0;
  #failures = 0;
  #closed = false;

  constructor(options: MonitorOptions) {
    const max = options.maxInMemory ?? 100_000;
    if (!(Number.isInteger(max) || max === Infinity) || max < 0) {
      throw new RangeError(`maxInMemory must be a non-negative integer, got ${String(max)}`);
    }
    this.#maxInMemory = max;
    this.#keys = redactionKeys(options.redact ?? []);
    this.#recordParameters = options.recordParameters ?? true;
    this.#recordResults = options.recordResults ?? true;
    this.#sink = options.logFile === undefined ? undefined : new JsonlSink(options.logFile);
  }

  get toolCallLog(): readonly ToolCallMetric[] {
    this.#compact();
    return this.#entries;
  }

  record(metric: ToolCallMetric): void {
    if (this.#closed) {
      throw new Error(`Monitor is closed: cannot record the call of tool "${metric.toolName}" (step "${metric.stepId}")`);
    }
    const record = normaliseMetric(
      metric,
      this.#recordParameters ? this.#redact(metric.parameters) : undefined,
      this.#recordResults ? this.#redact(metric.result) : undefined,
    );

    this.#entries.push(record);
    if (this.#entries.length - this.#dropped > this.#maxInMemory) {
      this.#dropped++;
      if (this.#dropped >= COMPACT_AFTER) this.#compact();
    }

    this.#calls++;
    if (!record.success) this.#failures++;
    let tool = this.#byTool.get(record.toolName);
    if (tool === undefined) {
      tool = { calls: 0, failures: 0, totalDurationMs: 0 };
      this.#byTool.set(record.toolName, tool);
    }
    tool.calls++;
    if (!record.success) tool.failures++;
    tool.totalDurationMs += record.durationMs;

    // Serialised now, not at write time, so the line is a snapshot even if the caller later mutates its values.
    this.#sink?.write(lineOf(record));
  }

  stats(): MonitorStats {
    const byTool = Object.fromEntries(
      [...this.#byTool].map(([name, { calls, failures, totalDurationMs }]) => [
        name,
        { calls, failures, totalDurationMs, avgDurationMs: calls === 0 ? 0 : totalDurationMs / calls },
      ]),
    );
    return { calls: this.#calls, failures: this.#failures, byTool };
  }

  flush(): Promise<void> {
    return this.#sink?.flush() ?? Promise.resolve();
  }

  close(): Promise<void> {
    this.#closed = true;
    return this.#sink?.close() ?? Promise.resolve();
  }

  #redact(value: unknown): unknown {
    if (this.#keys.size === 0 || value === undefined) return value;
    try {
      return redactWith(value, this.#keys, MONITOR_MAX_VALUES);
    } catch (error) {
      // redactWith does not throw; should it ever, the call is still recorded and the run goes on
      return `[Unreadable: ${thrownReason(error)}]`;
    }
  }

  #compact(): void {
    if (this.#dropped > 0) {
      this.#entries.splice(0, this.#dropped);
      this.#dropped = 0;
    }
  }
}

/** The record's log line; a record whose values still cannot be written keeps its facts and says why. */
function lineOf(record: ToolCallMetric): string {
  try {
    return toJsonLine(record);
  } catch (error) {
    const why = `[Unserializable: ${thrownReason(error)}]`;
    return toJsonLine({
      ...record,
      ...(record.parameters !== undefined && { parameters: why }),
      ...(record.result !== undefined && { result: why }),
    });
  }
}

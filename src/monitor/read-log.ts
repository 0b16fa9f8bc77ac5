/**
 * @module Reading a tool-call JSONL log back, line by line, tolerating damaged lines: all at once
 * (`readToolCallLog`), or streamed in bounded memory (`streamToolCallLog`, `streamToolCallLogBatches`).
 */
import { createReadStream } from "node:fs";
import { StringDecoder } from "node:string_decoder";
import { normaliseToolCall } from "./log-record.js";
import type { ToolCallMetric } from "./metric.js";

export interface LogProblem {
  /** 1-based line number in the file. */
  line: number;
  message: string;
}

export interface ToolCallLog {
  records: ToolCallMetric[];
  problems: LogProblem[];
}

export interface StreamLogOptions {
  /** Called for each line that is not JSON or not a valid record (the line is skipped). */
  onProblem?: (problem: LogProblem) => void;
  /** Called after each chunk with the number of bytes read so far. */
  onProgress?: (bytesRead: number) => void;
}

/** A file path, or the chunks of a stream (`process.stdin`). */
export type LogSource = string | AsyncIterable<Buffer | string>;

/**
 * Reads a log written by the monitor, by another program (ISO-8601 timestamps, no step ids or attempts) or by the
 * original system's monitor (`tool_name`, `latency` in seconds): every record becomes a `ToolCallMetric` (see
 * log-record.ts). Lines that are not JSON, or not a valid record, are reported in `problems` with why, and skipped;
 * blank lines are ignored. Only failing to read the file itself rejects.
 */
export async function readToolCallLog(file: LogSource): Promise<ToolCallLog> {
  const records: ToolCallMetric[] = [];
  const problems: LogProblem[] = [];
  for await (const batch of streamToolCallLogBatches(file, { onProblem: (p) => problems.push(p) })) for (const r of batch) records.push(r);
  return { records, problems };
}

/**
 * The records of a log one at a time, reading the file in 64 KiB chunks: memory stays bounded however long the log.
 * @example for await (const record of streamToolCallLog("calls.jsonl", { onProblem: console.warn })) miner.add(record);
 */
export async function* streamToolCallLog(source: LogSource, options: StreamLogOptions = {}): AsyncGenerator<ToolCallMetric> {
  for await (const batch of streamToolCallLogBatches(source, options)) yield* batch;
}

/** The records of a log, one array per chunk read (cheaper than one promise per record for very long logs). */
export async function* streamToolCallLogBatches(source: LogSource, options: StreamLogOptions = {}): AsyncGenerator<ToolCallMetric[]> {
  const { onProblem, onProgress } = options;
  const input = typeof source === "string" ? createReadStream(source, { highWaterMark: 1 << 16 }) : source;
  const decoder = new StringDecoder("utf8");
  let pending = "";
  let line = 0;
  let bytes = 0;
  let first = true;
  const parse = (text: string, batch: ToolCallMetric[]): void => {
    line++;
    const end = text.endsWith("\r") ? text.length - 1 : text.length;
    const body = end === text.length ? text : text.slice(0, end);
    if (body.trim() === "") return;
    const problem = parseLine(body, batch);
    if (problem !== undefined) onProblem?.({ line, message: problem });
  };
  for await (const chunk of input) {
    let text = typeof chunk === "string" ? chunk : decoder.write(chunk);
    bytes += typeof chunk === "string" ? Buffer.byteLength(chunk) : chunk.length;
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    const batch: ToolCallMetric[] = [];
    let from = 0;
    for (let nl = text.indexOf("\n"); nl >= 0; nl = text.indexOf("\n", from)) {
      parse(from === 0 && pending !== "" ? pending + text.slice(0, nl) : text.slice(from, nl), batch);
      if (from === 0) pending = "";
      from = nl + 1;
    }
    pending = from === 0 ? pending + text : text.slice(from);
    onProgress?.(bytes);
    if (batch.length > 0) yield batch;
  }
  const rest = pending + decoder.end();
  const batch: ToolCallMetric[] = [];
  if (rest !== "") parse(rest, batch);
  if (batch.length > 0) yield batch;
}

/** Parses one line into `batch`; returns the problem instead when it is not a valid record. */
function parseLine(text: string, batch: ToolCallMetric[]): string | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return `invalid JSON: ${error instanceof Error ? error.message : String(error)}`;
  }
  const fast = plainRecord(json);
  if (fast) {
    batch.push(fast);
    return undefined;
  }
  const normalised = normaliseToolCall(json);
  if (normalised.ok) {
    batch.push(normalised.record);
    return undefined;
  }
  return `invalid tool-call record: ${normalised.problem}`;
}

const finite = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

/**
 * The record `normaliseToolCall` would return for a complete record of the monitor, checked by hand (several times
 * faster on long logs); undefined when the line needs the full check. Accepts a subset of what that accepts.
 */
function plainRecord(json: unknown): ToolCallMetric | undefined {
  if (json === null || typeof json !== "object" || Array.isArray(json)) return undefined;
  const o = json as Record<string, unknown>;
  const { toolName, stepId, executionId, workflowName, attempt, timestamp, durationMs, success, error } = o;
  if (typeof toolName !== "string" || typeof stepId !== "string" || typeof executionId !== "string" || typeof success !== "boolean")
    return undefined;
  if (!finite(attempt) || !Number.isInteger(attempt) || attempt < 1 || !finite(timestamp) || !finite(durationMs) || durationMs < 0)
    return undefined;
  if ((workflowName !== undefined && typeof workflowName !== "string") || (error !== undefined && typeof error !== "string"))
    return undefined;
  // keys in the interface's order, as the schema returns them (and the monitor writes them)
  const record: ToolCallMetric =
    workflowName === undefined
      ? { toolName, stepId, executionId, attempt, timestamp, durationMs, success }
      : { toolName, stepId, executionId, workflowName, attempt, timestamp, durationMs, success };
  if (error !== undefined) record.error = error;
  if (Object.hasOwn(o, "parameters")) record.parameters = o.parameters;
  if (Object.hasOwn(o, "result")) record.result = o.result;
  return record;
}

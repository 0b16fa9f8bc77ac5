/**
 * @module One logged tool call from anywhere, made into a {@link ToolCallMetric}: the one place where the formats a
 * log may hold are told apart, checked and converted. Read by `readToolCallLog` (so `weave mine`) and by the pattern
 * miner (so `analyzeLogs`).
 *
 * - toolweave's records: `toolName`, `success`, `durationMs`, and `timestamp` in ms since the epoch or as an ISO-8601
 *   string; `stepId`, `executionId` and `attempt` are optional (a log written by another tool may lack them).
 * - the original (Python) system's records, `dataclasses.asdict(ToolCallMetric)`: `tool_name`, `success`, `latency`
 *   in seconds, `timestamp` (ISO-8601, written when the call ended), and optionally `execution_id`, `error`,
 *   `parameters` and `result`.
 */
import type { ToolCallMetric } from "./metric.js";

/** A tool call as the original system's monitor logged it. */
export interface OriginalToolCallRecord {
  readonly tool_name: string;
  readonly success: boolean;
  /** Duration in seconds. */
  readonly latency: number;
  /**
   * When the call was logged, that is when it ended: ISO-8601 (`2025-01-15T10:30:00.123456+00:00`; without an offset,
   * UTC), or seconds since the epoch. The call's start is this minus `latency`.
   */
  readonly timestamp: string | number;
  readonly execution_id?: string | null;
  readonly error?: string | null;
  readonly parameters?: unknown;
  readonly result?: unknown;
}

/** A toolweave record whose `timestamp` is an ISO-8601 string (a log written by another program). */
export interface IsoTimestampToolCall extends Omit<LoggedToolCall, "timestamp"> {
  readonly timestamp: string;
}

/** toolweave's record, with only what a log from elsewhere must have required. */
export interface LoggedToolCall {
  readonly toolName: string;
  readonly stepId?: string | undefined;
  readonly executionId?: string | null | undefined;
  readonly workflowName?: string | undefined;
  /** 1-based. @default 1 */
  readonly attempt?: number | undefined;
  /** Start of the call: ms since the epoch. */
  readonly timestamp: number;
  readonly durationMs: number;
  readonly success: boolean;
  readonly error?: string | null | undefined;
  readonly parameters?: unknown;
  readonly result?: unknown;
}

/** Any record {@link normaliseToolCall} reads. */
export type AnyToolCallRecord = LoggedToolCall | IsoTimestampToolCall | OriginalToolCallRecord;

export type NormalisedToolCall = { readonly ok: true; readonly record: ToolCallMetric } | { readonly ok: false; readonly problem: string };

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
const finite = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const has = (o: object, key: string): boolean => Object.hasOwn(o, key);

/** `"yes"`, `3`, `null`, `an array`, `an object`: a value as a problem quotes it. */
function show(v: unknown): string {
  if (v === undefined) return "nothing";
  if (Array.isArray(v)) return "an array";
  if (isObject(v)) return "an object";
  const text = typeof v === "number" && !Number.isFinite(v) ? String(v) : JSON.stringify(v);
  return text.length > 40 ? `${text.slice(0, 37)}..."` : text;
}

/**
 * The record as a {@link ToolCallMetric} (keys in the monitor's order; `stepId` and `executionId` `""` and `attempt`
 * 1 when the record has none), or the problem that keeps it from being one: every wrong field, named.
 */
export function normaliseToolCall(value: unknown): NormalisedToolCall {
  if (!isObject(value)) return { ok: false, problem: `expecting a JSON object, got ${show(value)}` };
  if (!has(value, "toolName") && has(value, "tool_name")) return original(value);
  if (!has(value, "toolName")) {
    const keys = Object.keys(value);
    const listed =
      keys.length === 0
        ? "it has no keys"
        : `its keys are ${keys
            .slice(0, 8)
            .map((k) => JSON.stringify(k))
            .join(", ")}${keys.length > 8 ? ", ..." : ""}`;
    return {
      ok: false,
      problem: `neither "toolName" (toolweave's records) nor "tool_name" (the original system's): not a tool call. ${listed}`,
    };
  }
  return ours(value);
}

function ours(o: Record<string, unknown>): NormalisedToolCall {
  const problems: string[] = [];
  const { toolName, stepId, executionId, workflowName, attempt, timestamp, durationMs, success, error } = o;
  if (typeof toolName !== "string") problems.push(`"toolName" must be a string, got ${show(toolName)}`);
  if (stepId !== undefined && typeof stepId !== "string") problems.push(`"stepId" must be a string, got ${show(stepId)}`);
  if (executionId !== undefined && executionId !== null && typeof executionId !== "string")
    problems.push(`"executionId" must be a string, got ${show(executionId)}`);
  if (workflowName !== undefined && typeof workflowName !== "string")
    problems.push(`"workflowName" must be a string, got ${show(workflowName)}`);
  if (attempt !== undefined && !(finite(attempt) && Number.isInteger(attempt) && attempt >= 1))
    problems.push(`"attempt" must be an integer of 1 or more, got ${show(attempt)}`);
  const start = typeof timestamp === "string" ? parseIsoTimestamp(timestamp) : finite(timestamp) ? timestamp : undefined;
  if (start === undefined) problems.push(`"timestamp" must be ms since the epoch or an ISO-8601 date and time, got ${show(timestamp)}`);
  if (!(finite(durationMs) && durationMs >= 0)) {
    problems.push(
      `"durationMs" must be a number of 0 or more, got ${show(durationMs)}${durationMs === undefined && has(o, "latency") ? ' ("latency", in seconds, goes with "tool_name": the original system\'s records)' : ""}`,
    );
  }
  if (typeof success !== "boolean") problems.push(`"success" must be true or false, got ${show(success)}`);
  if (error !== undefined && error !== null && typeof error !== "string") problems.push(`"error" must be a string, got ${show(error)}`);
  if (problems.length > 0) return { ok: false, problem: problems.join("; ") };
  return {
    ok: true,
    record: metric(o, {
      toolName: toolName as string,
      stepId: (stepId as string | undefined) ?? "",
      executionId: (executionId as string | null | undefined) ?? "",
      workflowName: workflowName as string | undefined,
      attempt: (attempt as number | undefined) ?? 1,
      timestamp: start!,
      durationMs: durationMs as number,
      success: success as boolean,
      error: error as string | null | undefined,
    }),
  };
}

function original(o: Record<string, unknown>): NormalisedToolCall {
  const problems: string[] = [];
  const { tool_name: toolName, execution_id: executionId, timestamp, latency, success, error } = o;
  if (typeof toolName !== "string") problems.push(`"tool_name" must be a string, got ${show(toolName)}`);
  if (executionId !== undefined && executionId !== null && typeof executionId !== "string")
    problems.push(`"execution_id" must be a string or null, got ${show(executionId)}`);
  const end = typeof timestamp === "string" ? parseIsoTimestamp(timestamp) : finite(timestamp) ? timestamp * 1000 : undefined;
  if (end === undefined)
    problems.push(`"timestamp" must be an ISO-8601 date and time (or seconds since the epoch), got ${show(timestamp)}`);
  if (!(finite(latency) && latency >= 0)) problems.push(`"latency" must be a number of seconds, 0 or more, got ${show(latency)}`);
  if (typeof success !== "boolean") problems.push(`"success" must be true or false, got ${show(success)}`);
  if (error !== undefined && error !== null && typeof error !== "string")
    problems.push(`"error" must be a string or null, got ${show(error)}`);
  if (problems.length > 0) return { ok: false, problem: `${problems.join("; ")} (a record of the original system)` };
  const durationMs = (latency as number) * 1000;
  return {
    ok: true,
    record: metric(o, {
      toolName: toolName as string,
      stepId: "",
      executionId: (executionId as string | null | undefined) ?? "",
      workflowName: undefined,
      attempt: 1,
      // the original logged a call when it ended
      timestamp: end! - durationMs,
      durationMs,
      success: success as boolean,
      error: error as string | null | undefined,
    }),
  };
}

interface Fields {
  toolName: string;
  stepId: string;
  executionId: string;
  workflowName: string | undefined;
  attempt: number;
  timestamp: number;
  durationMs: number;
  success: boolean;
  error: string | null | undefined;
}

/** The metric, keys in the monitor's order (see metric.ts), `parameters` and `result` when the record has them. */
function metric(o: Record<string, unknown>, f: Fields): ToolCallMetric {
  const record: ToolCallMetric =
    f.workflowName === undefined
      ? {
          toolName: f.toolName,
          stepId: f.stepId,
          executionId: f.executionId,
          attempt: f.attempt,
          timestamp: f.timestamp,
          durationMs: f.durationMs,
          success: f.success,
        }
      : {
          toolName: f.toolName,
          stepId: f.stepId,
          executionId: f.executionId,
          workflowName: f.workflowName,
          attempt: f.attempt,
          timestamp: f.timestamp,
          durationMs: f.durationMs,
          success: f.success,
        };
  if (typeof f.error === "string") record.error = f.error;
  if (has(o, "parameters")) record.parameters = o.parameters;
  if (has(o, "result")) record.result = o.result;
  return record;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * Milliseconds since the epoch of an ISO-8601 date and time (`2025-01-15T10:30:00.123456+00:00`, `...Z`, a space for
 * the `T` as Python's `str(datetime)` writes it), keeping fractions of a millisecond; without an offset, UTC (so a log
 * reads the same on every machine). Undefined when the text is not one, or names a day or time that does not exist.
 */
export function parseIsoTimestamp(text: string): number | undefined {
  const m = ISO.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s = "0", fraction = "", zone = "Z"] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day); // not Date.UTC, which maps years 0-99 to 1900-1999
  if (date.getUTCDate() !== day || date.getUTCMonth() !== month - 1) return undefined;
  date.setUTCHours(hour, minute, second, 0);
  let offsetMinutes = 0;
  if (zone !== "Z" && zone !== "z") {
    const digits = zone.slice(1).replace(":", "");
    const oh = Number(digits.slice(0, 2));
    const om = digits.length > 2 ? Number(digits.slice(2)) : 0;
    if (oh > 23 || om > 59) return undefined;
    offsetMinutes = (zone.startsWith("-") ? -1 : 1) * (oh * 60 + om);
  }
  const ms = fraction === "" ? 0 : Number(`0.${fraction}`) * 1000;
  return date.getTime() + ms - offsetMinutes * 60_000;
}

/**
 * @module One recorded tool call, and the schema its JSONL line is read back with.
 *
 * The field order of `ToolCallMetric` is the key order of every log line, so the format is stable:
 * add new optional fields at the end and keep `toolCallMetricSchema` in step.
 */
import { z } from "zod";
import { safeCopy } from "../util/safe-json.js";

export interface ToolCallMetric {
  toolName: string;
  stepId: string;
  /** The run id. */
  executionId: string;
  workflowName?: string;
  /** 1-based. */
  attempt: number;
  /** For a call of a map step's item: the item's index in the step's list. */
  item?: number;
  /** Start of the call, ms since epoch (`Date.now()`). */
  timestamp: number;
  /** High-resolution duration of the call, in ms. */
  durationMs: number;
  success: boolean;
  error?: string;
  /** After redaction. */
  parameters?: unknown;
  /** After redaction. */
  result?: unknown;
}

/** Validates one parsed log line. Unknown keys are dropped, so newer logs stay readable. */
export const toolCallMetricSchema = z.object({
  toolName: z.string(),
  stepId: z.string(),
  executionId: z.string(),
  workflowName: z.string().optional(),
  attempt: z.number().int().min(1),
  item: z.number().int().min(0).optional(),
  timestamp: z.number(),
  durationMs: z.number().min(0),
  success: z.boolean(),
  error: z.string().optional(),
  parameters: z.unknown().optional(),
  result: z.unknown().optional(),
});

// Compile-time check that the schema and the interface describe the same record (fields and their types).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type SchemaOutput = z.infer<typeof toolCallMetricSchema>;
const schemaMatchesInterface: Same<SchemaOutput, ToolCallMetric> & Same<keyof SchemaOutput, keyof ToolCallMetric> = true;
void schemaMatchesInterface;

/**
 * Copies `metric` with its keys in interface order and undefined fields omitted, so the log line does not
 * depend on how the caller built the object (and extra properties a caller attached do not leak into the log).
 * `parameters` and `result` replace the metric's own (already redacted, or undefined to leave them out).
 */
export function normaliseMetric(metric: ToolCallMetric, parameters: unknown, result: unknown): ToolCallMetric {
  return {
    toolName: metric.toolName,
    stepId: metric.stepId,
    executionId: metric.executionId,
    ...(metric.workflowName !== undefined && { workflowName: metric.workflowName }),
    attempt: metric.attempt,
    ...(metric.item !== undefined && { item: metric.item }),
    timestamp: metric.timestamp,
    durationMs: metric.durationMs,
    success: metric.success,
    ...(metric.error !== undefined && { error: metric.error }),
    ...(parameters !== undefined && { parameters }),
    ...(result !== undefined && { result }),
  };
}

/**
 * `JSON.stringify(metric)`, except that values JSON cannot represent become placeholder strings instead of
 * throwing: a BigInt becomes `"[BigInt: 12]"`, a cycle `"[Circular]"`, a container nested more than 256 levels
 * deep `"[too deep]"`, a value whose `toJSON` throws `"[Unserializable: …]"`, one whose getter (or Proxy trap)
 * throws `"[Unreadable: …]"`, and past 100,000 values the rest is left out. Never throws, never recurses, and its
 * work is bounded (see util/safe-json.ts). Always through the bounded copy, not `JSON.stringify` first: that one
 * does not throw on every hostile value, it can also take forever (a shared object reached 2^40 ways, a sparse
 * array 4 billion long), and it would run a throwing getter's side effects twice.
 */
export function toJsonLine(metric: ToolCallMetric): string {
  return JSON.stringify({ ...metric, parameters: jsonSafe(metric.parameters), result: jsonSafe(metric.result) });
}

const bigintMarker = (value: bigint): string => `[BigInt: ${value.toString()}]`;

/** At most this many values of one call's parameters (or result) are written (see MONITOR_MAX_VALUES). */
const LINE_MAX_VALUES = 100_000;

function jsonSafe(value: unknown): unknown {
  return safeCopy(value, { mode: "json", bigint: bigintMarker, maxListed: 0, maxValues: LINE_MAX_VALUES }).value;
}

/**
 * @module One recorded tool call, and the schema its JSONL line is read back with.
 *
 * The field order of `ToolCallMetric` is the key order of every log line, so the format is stable:
 * add new optional fields at the end and keep `toolCallMetricSchema` in step.
 */
import { z } from "zod";

export interface ToolCallMetric {
  toolName: string;
  stepId: string;
  /** The run id. */
  executionId: string;
  workflowName?: string;
  /** 1-based. */
  attempt: number;
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
 * throwing: a BigInt becomes `"[BigInt: 12]"`, a cycle `"[Circular]"`, anything else that throws (a failing
 * `toJSON`, a throwing getter) turns the whole `parameters` / `result` field into `"[Unserializable: …]"`.
 */
export function toJsonLine(metric: ToolCallMetric): string {
  try {
    return JSON.stringify(metric);
  } catch {
    // Rare path: fall through to the placeholder-producing serialisation.
  }
  return JSON.stringify({ ...metric, parameters: jsonSafe(metric.parameters), result: jsonSafe(metric.result) });
}

function jsonSafe(value: unknown): unknown {
  try {
    const text = JSON.stringify(value, safeReplacer());
    return text === undefined ? undefined : (JSON.parse(text) as unknown);
  } catch (error) {
    return `[Unserializable: ${error instanceof Error ? error.message : String(error)}]`;
  }
}

/** A replacer that tracks the current path of ancestors, so shared (non-cyclic) references are not flagged. */
function safeReplacer(): (this: unknown, key: string, value: unknown) => unknown {
  const ancestors: unknown[] = [];
  return function (this: unknown, _key: string, value: unknown): unknown {
    if (typeof value === "bigint") return `[BigInt: ${value.toString()}]`;
    if (typeof value !== "object" || value === null) return value;
    while (ancestors.length > 0 && ancestors.at(-1) !== this) ancestors.pop();
    if (ancestors.includes(value)) return "[Circular]";
    ancestors.push(value);
    return value;
  };
}

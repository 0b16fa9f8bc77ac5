/**
 * @module Reading a tool-call JSONL log back, line by line, tolerating damaged lines.
 */
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { toolCallMetricSchema } from "./metric.js";
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

/**
 * Reads a log written by the monitor. Lines that are not JSON, or not a valid record, are reported in
 * `problems` and skipped; blank lines are ignored. Only failing to read the file itself rejects.
 * Streams the file, so large logs are not held in memory as one string.
 */
export async function readToolCallLog(file: string): Promise<ToolCallLog> {
  const records: ToolCallMetric[] = [];
  const problems: LogProblem[] = [];
  const lines = createInterface({ input: createReadStream(file, { encoding: "utf8" }), crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) {
    line++;
    if (text.trim() === "") continue;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      problems.push({ line, message: `invalid JSON: ${error instanceof Error ? error.message : String(error)}` });
      continue;
    }
    const parsed = toolCallMetricSchema.safeParse(json);
    if (parsed.success) {
      records.push(parsed.data);
    } else {
      const issues = parsed.error.issues.map((issue) =>
        issue.path.length === 0 ? issue.message : `${issue.path.map(String).join(".")}: ${issue.message}`,
      );
      problems.push({ line, message: `invalid tool-call record: ${issues.join("; ")}` });
    }
  }
  return { records, problems };
}

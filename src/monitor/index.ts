/**
 * @module Recording tool calls: in memory, as statistics and as a JSONL log for the pattern detector.
 */
export type { ToolCallMetric } from "./metric.js";
export { createMonitor } from "./monitor.js";
export type { Monitor, MonitorOptions, MonitorStats, ToolCallStats } from "./monitor.js";
export { redact } from "./redact.js";
export { readToolCallLog, streamToolCallLog, streamToolCallLogBatches } from "./read-log.js";
export { normaliseToolCall, parseIsoTimestamp } from "./log-record.js";
export type { AnyToolCallRecord, IsoTimestampToolCall, LoggedToolCall, NormalisedToolCall, OriginalToolCallRecord } from "./log-record.js";
export type { LogProblem, LogSource, StreamLogOptions, ToolCallLog } from "./read-log.js";

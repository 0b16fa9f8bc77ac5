/**
 * @module What the pattern detector reads (tool calls) and what it reports (tool sequences with a bounded sample
 * of their occurrences).
 */

/**
 * One tool call as the detector reads it. A `ToolCallMetric` from the monitor is one; only `toolName`,
 * `timestamp`, `durationMs` and `success` are required, so logs from elsewhere can be mined too.
 */
export interface ToolCallRecord {
  readonly toolName: string;
  /** Calls of one execution form one session. Missing or "": split into sessions by idle gaps instead. */
  readonly executionId?: string | undefined;
  /** Attempts (`attempt` > 1) of one step id are merged into that step's call. */
  readonly stepId?: string | undefined;
  /** 1-based. @default 1 */
  readonly attempt?: number | undefined;
  /** Start of the call, ms since epoch. */
  readonly timestamp: number;
  readonly durationMs: number;
  readonly success: boolean;
  readonly parameters?: unknown;
  readonly result?: unknown;
}

/** One call of a sampled occurrence: the step's attempts merged (success of the last, durations summed). */
export interface OccurrenceCall {
  readonly toolName: string;
  readonly stepId: string;
  /** Start of the first attempt. */
  readonly timestamp: number;
  /** Summed over the attempts. */
  readonly durationMs: number;
  /** The last attempt's. */
  readonly success: boolean;
  readonly attempts: number;
  /** The last attempt's parameters. */
  readonly parameters: unknown;
  /** The last attempt's result. */
  readonly result: unknown;
}

/** One occurrence of a sequence in a session. */
export interface PatternOccurrence {
  /** The session's execution id; "" for calls without one. */
  readonly executionId: string;
  readonly calls: readonly OccurrenceCall[];
}

/** A contiguous sequence of tool calls and how it fared, as `analyzeLogs` reports it. */
export interface ToolSequence {
  /** Tool names, in call order (2 or more). */
  readonly tools: readonly string[];
  /** Number of occurrences (contiguous, possibly overlapping) in all sessions. */
  readonly frequency: number;
  /** Occurrences in which every call succeeded. */
  readonly successCount: number;
  /** `successCount / frequency`. */
  readonly successRate: number;
  /** Mean over the occurrences of the summed durations of their calls, in ms. */
  readonly avgDurationMs: number;
  /** The first occurrences (at most `sampleSize`), with their parameters and results: what `suggestWorkflow` reads. */
  readonly samples: readonly PatternOccurrence[];
}

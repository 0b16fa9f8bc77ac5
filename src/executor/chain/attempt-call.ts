/**
 * @module One attempt of a step's tool call, as the run hands it to its chain, and what its tool is told of it (the
 * {@link ToolContext}): which run, step and attempt it is, the signal that aborts it, and the key that stays the same
 * across attempts and sessions, for tools whose effect must happen once.
 */
import type { ItemOf, ToolContext, ToolFunction, ToolProgress } from "../types.js";
import type { ChainCall } from "./compose.js";

export interface AttemptCall extends ChainCall {
  readonly toolName: string;
  /** When this attempt started (`performance.now()`); the first attempt's is its step's start. */
  readonly startedAt: number;
  /** When the step's first attempt started: the step's duration counts from it, retries included. */
  readonly stepStartedAt: number;
  /** For an item of a map step in a durable run: the hash of the item's value, journaled with its result. */
  readonly itemKey?: string;
}

/** What every attempt of a run shares: made once per run, so an attempt reads it instead of the run's settings. */
export interface AttemptRun {
  readonly runId: string;
  readonly workflowName: string;
  /** The run's signal, aborted when the run is cancelled. */
  readonly signal: AbortSignal;
  /** Reports a tool's progress as an event: set when the run has a listener. */
  readonly progress?: (stepId: string, attempt: number, update: ToolProgress, item?: ItemOf) => void;
}

/** What a tool's `progress` is when nobody listens. */
const IGNORE_PROGRESS = (): void => {};

/** The step's fields an attempt of it needs. */
export interface AttemptStep {
  readonly id: string;
  readonly toolName: string;
  readonly timeoutMs: number | null;
}

/**
 * @param startedAt when this attempt starts (`performance.now()`)
 * @param stepStartedAt when the step's first attempt started (an item's: the item's first attempt)
 * @param item for an item of a map step: which
 */
export function attemptCall(
  run: AttemptRun,
  step: AttemptStep,
  tool: ToolFunction,
  params: Record<string, unknown>,
  attempt: number,
  startedAt: number,
  stepStartedAt: number,
  item?: ItemOf,
): AttemptCall {
  const { runId } = run;
  const report = run.progress;
  const progress = report ? (update: ToolProgress) => report(step.id, attempt, update, item) : IGNORE_PROGRESS;
  const context: ToolContext =
    item === undefined
      ? {
          signal: run.signal,
          stepId: step.id,
          attempt,
          runId,
          workflowName: run.workflowName,
          idempotencyKey: `${runId}:${step.id}`,
          progress,
        }
      : {
          signal: run.signal,
          stepId: step.id,
          attempt,
          runId,
          workflowName: run.workflowName,
          idempotencyKey: `${runId}:${step.id}[${item.index}]`,
          item: item.index,
          progress,
        };
  return {
    toolName: step.toolName,
    tool,
    params,
    context,
    timeoutMs: step.timeoutMs,
    startedAt,
    stepStartedAt,
  };
}

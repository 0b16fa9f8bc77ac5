/**
 * @module What a step job is, shared by the coordinator ({@link BullmqInvoker}) and the workers: its deterministic id,
 * its data, how a result travels back (JSON, `undefined` kept apart from `null`) and how a failure does (the tool's
 * message as BullMQ's `failedReason`, its error name and non-retryable flag in the job's data).
 */
import type { CallScopeEntry, ToolCall } from "../executor/types.js";

/** Default BullMQ key prefix: every key of toolweave's queues starts with `toolweave:`. */
export const DEFAULT_PREFIX = "toolweave";
/** Default queue of step jobs. */
export const DEFAULT_QUEUE = "steps";

/** The data of one step job: one attempt of one step's tool call. */
export interface StepJobData {
  /** The run of the step (a sub-workflow run's id is `<runId>/<step>`), as the tool's context has it. */
  readonly runId: string;
  readonly stepId: string;
  /** 1-based attempt number of the step, as the coordinator counts them. */
  readonly attempt: number;
  readonly toolName: string;
  readonly params: Record<string, unknown>;
  /** The worker aborts the tool's signal and fails the job after this long (null: no limit). */
  readonly timeoutMs: number | null;
  /** `<runId>:<stepId>`: the same for every attempt and every process; tools make their effects idempotent with it. */
  readonly idempotencyKey: string;
  readonly workflowName: string;
  /** Set by the worker when the tool failed: what the coordinator needs beside the message. */
  failure?: StepJobFailure;
}

export interface StepJobFailure {
  /** The error's name (`NonRetryableError`, `TypeError`, ...). */
  readonly name: string;
  /** The coordinator must not retry it (`NonRetryableError`, or any error with `nonRetryable: true`). */
  readonly nonRetryable: boolean;
}

/** A job's return value: `{}` when the tool returned `undefined`, so it comes back as `undefined`, not `null`. */
export interface StepJobResult {
  readonly value?: unknown;
}

/** Job ids may not contain `:` (BullMQ) and are joined with `|` here: every part is percent-encoded. */
const part = (text: string): string => encodeURIComponent(text);

/** `<step>.<attempt>` of each `execute_workflow` step on the way to a sub-workflow run, joined with `/`. */
export function scopeKey(scope: readonly CallScopeEntry[]): string {
  return scope.map((s) => `${part(s.stepId)}.${s.attempt}`).join("/");
}

/**
 * The deterministic id of a step attempt's job: `tw|<run>|<scope>|<step>|<attempt>`. The same attempt of the same
 * step of the same run always has the same id, in every process: a coordinator that restarts finds the jobs its
 * earlier session submitted. The scope names the attempt of each `execute_workflow` step that led to a sub-workflow's
 * step, so a retried sub-workflow runs its steps again, as in-process.
 */
export function stepJobId(rootRunId: string, scope: readonly CallScopeEntry[], stepId: string, attempt: number): string {
  return `tw|${part(rootRunId)}|${scopeKey(scope)}|${part(stepId)}|${attempt}`;
}

export function callJobId(call: ToolCall, attempt = call.context.attempt): string {
  return stepJobId(call.rootRunId, call.scope, call.context.stepId, attempt);
}

export function jobData(call: ToolCall): StepJobData {
  const ctx = call.context;
  return {
    runId: ctx.runId,
    stepId: ctx.stepId,
    attempt: ctx.attempt,
    toolName: call.toolName,
    params: call.params,
    timeoutMs: call.timeoutMs,
    idempotencyKey: ctx.idempotencyKey,
    workflowName: ctx.workflowName,
  };
}

/** A tool's failure on a worker, as the coordinator sees it: the same message, name and retry semantics. */
export class RemoteToolError extends Error {
  override readonly name: string;
  /** Read by the executor's retry logic (like `NonRetryableError`'s). */
  readonly nonRetryable: boolean;

  constructor(
    message: string,
    failure: StepJobFailure | undefined,
    /** The job that failed. */
    readonly jobId: string,
  ) {
    super(message);
    this.name = failure?.name ?? "Error";
    this.nonRetryable = failure?.nonRetryable ?? false;
  }
}

/** The name and retry flag of anything a tool threw. */
export function describeFailure(error: unknown): StepJobFailure {
  const nonRetryable = typeof error === "object" && error !== null && (error as { nonRetryable?: unknown }).nonRetryable === true;
  const name = error instanceof Error ? error.name : typeof error === "object" && error !== null && typeof (error as { name?: unknown }).name === "string" ? (error as { name: string }).name : "Error";
  return { name, nonRetryable };
}

export function unwrapResult(returnvalue: unknown): unknown {
  return returnvalue !== null && typeof returnvalue === "object" ? (returnvalue as StepJobResult).value : undefined;
}

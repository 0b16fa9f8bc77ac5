/**
 * @module What a step job is, shared by the coordinator ({@link BullmqInvoker}) and the workers: its deterministic id,
 * its data, how a result travels back (JSON, `undefined` kept apart from `null`) and how a failure does (the tool's
 * message as BullMQ's `failedReason`, its error name, non-retryable flag and a `ToolError`'s partial result in the job's
 * data). With a payload key, the parameters (with the run's secret inputs), the result and a failure's partial result
 * travel sealed (see `payload-seal.ts`).
 */
import { errorMessage, failureResult, markCarriesResult, NonRetryableError } from "../../src/executor/errors.js";
import type { LineageStep, ToolCall } from "../../src/executor/types.js";
import { PAYLOAD_KEY_ENV, PayloadOpenError, type PayloadSeal } from "./payload-seal.js";

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
  /** For an item of a map step: its index in the step's list. */
  readonly item?: number;
  readonly toolName: string;
  /** The tool's parameters, in clear: a job of a coordinator without a payload key (else `sealed`). */
  readonly params?: Record<string, unknown>;
  /**
   * With a payload key, in place of `params`: `v1.<iv>.<tag>.<ciphertext>`, the {@link StepJobPayload} sealed with the
   * job's id as additional authenticated data.
   */
  readonly sealed?: string;
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
  /** The partial result the tool failed with (a `ToolError`'s), as JSON, in clear: a job of a coordinator without a payload key. */
  readonly result?: unknown;
  /**
   * With a payload key, in place of `result`: `{ failureResult: <result> }` sealed with the job's id (a shape that no
   * job payload or return value has, so none can be copied over it).
   */
  readonly sealedResult?: string;
}

/** What a sealed job carries: the tool's parameters, and the run's secret inputs (for the worker to mask them). */
export interface StepJobPayload {
  readonly params: Record<string, unknown>;
  readonly secrets: Record<string, unknown>;
}

/**
 * A job's return value: `{}` when the tool returned `undefined`, so it comes back as `undefined`, not `null`. For a
 * sealed job, `{ sealed }` instead: that object (`{}` or `{ value }`) sealed with the job's id.
 */
export interface StepJobResult {
  readonly value?: unknown;
  readonly sealed?: string;
}

/** Job ids may not contain `:` (BullMQ) and are joined with `|` here: every part is percent-encoded. */
const part = (text: string): string => encodeURIComponent(text);

/** `<step>.<attempt>` (`<step>[<item>].<attempt>` for a map step's item) of each `execute_workflow` step on the way. */
export function scopeKey(scope: readonly LineageStep[]): string {
  return scope.map((s) => `${stepKey(s.stepId, s.item)}.${s.attempt}`).join("/");
}

/** A step's id, percent-encoded, and for a map step's item its index: `deploy[3]` (a step id's own `[` is encoded). */
const stepKey = (stepId: string, item: number | undefined): string => (item === undefined ? part(stepId) : `${part(stepId)}[${item}]`);

/**
 * The deterministic id of a step attempt's job: `tw|<run>|<scope>|<step>|<attempt>`, `<step>[<item>]` for an item of a
 * map step. The same attempt of the same
 * step of the same run always has the same id, in every process: a coordinator that restarts finds the jobs its
 * earlier session submitted. The scope names the attempt of each `execute_workflow` step that led to a sub-workflow's
 * step, so a retried sub-workflow runs its steps again, as in-process.
 */
export function stepJobId(rootRunId: string, scope: readonly LineageStep[], stepId: string, attempt: number, item?: number): string {
  return `tw|${part(rootRunId)}|${scopeKey(scope)}|${stepKey(stepId, item)}|${attempt}`;
}

export function callJobId(call: ToolCall, attempt = call.context.attempt): string {
  return stepJobId(call.rootRunId, call.scope, call.context.stepId, attempt, call.context.item);
}

/** The job's data; with `sealing`, the parameters and the run's secrets sealed for that job id in place of `params`. */
export function jobData(call: ToolCall, sealing?: { readonly seal: PayloadSeal; readonly jobId: string }): StepJobData {
  const ctx = call.context;
  const payload: StepJobPayload = { params: call.params, secrets: { ...(call.secrets ?? {}) } };
  return {
    runId: ctx.runId,
    stepId: ctx.stepId,
    attempt: ctx.attempt,
    ...(ctx.item === undefined ? {} : { item: ctx.item }),
    toolName: call.toolName,
    ...(sealing ? { sealed: sealing.seal.seal(payload, sealing.jobId) } : { params: call.params }),
    timeoutMs: call.timeoutMs,
    idempotencyKey: ctx.idempotencyKey,
    workflowName: ctx.workflowName,
  };
}

/**
 * A tool's failure on a worker, as the coordinator sees it: the same message, name and retry semantics, and the partial
 * result of a `ToolError` (`result`), which the executor gives the failed step as it would in-process.
 */
export class RemoteToolError extends Error {
  override readonly name: string;
  /** Read by the executor's retry logic (like `NonRetryableError`'s). */
  readonly nonRetryable: boolean;
  /** The partial result the tool failed with (a `ToolError`'s); undefined when it gave none. */
  readonly result: unknown;

  constructor(
    message: string,
    failure: StepJobFailure | undefined,
    /** The job that failed. */
    readonly jobId: string,
    /** Opens a sealed `failure.sealedResult`. */
    seal?: PayloadSeal,
  ) {
    const opened = openFailureResult(failure, jobId, seal);
    super(opened.note === undefined ? message : `${message} (${opened.note})`);
    this.name = failure?.name ?? "Error";
    this.nonRetryable = failure?.nonRetryable ?? false;
    this.result = opened.value;
  }
}
// the executor reads `result` of a RemoteToolError as it reads a ToolError's
markCarriesResult(RemoteToolError.prototype);

/** The partial result of a failure, opened when sealed; a note instead when it cannot be (the failure itself still counts). */
function openFailureResult(
  failure: StepJobFailure | undefined,
  jobId: string,
  seal: PayloadSeal | undefined,
): { value?: unknown; note?: string } {
  if (failure === undefined) return {};
  if (failure.sealedResult === undefined) return { value: failure.result };
  if (!seal) return { note: `its partial result is encrypted and this coordinator has no ${PAYLOAD_KEY_ENV} to open it` };
  let opened: unknown;
  try {
    opened = seal.open(failure.sealedResult, jobId);
  } catch (error) {
    const why =
      error instanceof PayloadOpenError && error.reason === "authentication"
        ? `the coordinator's ${PAYLOAD_KEY_ENV} differs from the worker's`
        : errorMessage(error);
    return { note: `its partial result cannot be opened: ${why}` };
  }
  if (!isRecord(opened) || Object.keys(opened).some((k) => k !== "failureResult"))
    return { note: "its partial result cannot be opened: what it holds is not a failure's result" };
  return { value: opened.failureResult };
}

/**
 * The name and retry flag of anything a tool threw, and the partial result of a `ToolError` (as JSON): sealed for the
 * job with `sealing`, else in clear.
 */
export function describeFailure(error: unknown, sealing?: { readonly seal: PayloadSeal; readonly jobId: string }): StepJobFailure {
  let nonRetryable = false;
  let name = "Error";
  try {
    nonRetryable = typeof error === "object" && error !== null && (error as { nonRetryable?: unknown }).nonRetryable === true;
    name =
      error instanceof Error
        ? error.name
        : typeof error === "object" && error !== null && typeof (error as { name?: unknown }).name === "string"
          ? (error as { name: string }).name
          : "Error";
  } catch {
    // a Proxy or a throwing getter: a plain, retryable error
  }
  if (typeof name !== "string") name = "Error";
  const partial = failureResult(error);
  if (partial === undefined) return { name, nonRetryable };
  if (sealing) return { name, nonRetryable, sealedResult: sealing.seal.seal({ failureResult: partial.value }, sealing.jobId) };
  return { name, nonRetryable, result: partial.value };
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The tool's result from a job's return value, opened when it is sealed (with the id of the job that returned it).
 * @throws NonRetryableError when it is sealed and there is no key, or it does not open with this one
 */
export function unwrapResult(returnvalue: unknown, jobId: string, seal: PayloadSeal | undefined): unknown {
  if (!isRecord(returnvalue)) return undefined;
  const sealed = returnvalue.sealed;
  if (sealed === undefined) return returnvalue.value;
  if (!seal) {
    throw new NonRetryableError(
      `the result of job ${jobId} is encrypted (its worker had a payload key), and this coordinator has none to open it: set ${PAYLOAD_KEY_ENV} to the key of the run's workers (from code: BullmqInvoker's payloadKey)`,
    );
  }
  let opened: unknown;
  try {
    opened = seal.open(String(sealed), jobId);
  } catch (error) {
    if (!(error instanceof PayloadOpenError) || error.reason !== "authentication")
      throw new NonRetryableError(`cannot open the result of job ${jobId}: ${errorMessage(error)}`);
    throw new NonRetryableError(
      `cannot open the result of job ${jobId}: the coordinator's ${PAYLOAD_KEY_ENV} differs from the key of the worker that ran it (or the result was altered in Redis). set ${PAYLOAD_KEY_ENV} to the workers' key`,
    );
  }
  // a job's own payload copied over its result authenticates too: it has params
  if (!isRecord(opened) || Object.keys(opened).some((k) => k !== "value")) {
    throw new NonRetryableError(
      `cannot open the result of job ${jobId}: what it holds is not a job result (was the job's data copied over it?)`,
    );
  }
  return opened.value;
}

/**
 * The parameters and secret inputs of a job, as a worker runs it: `params` of a job in clear (no secrets: a coordinator
 * without a key refuses to send a run that has some), or its sealed payload opened with `seal`.
 * @throws NonRetryableError saying what is wrong and how to fix it: a sealed job and no key, or another key
 */
export function openJobPayload(data: StepJobData, jobId: string, seal: PayloadSeal | undefined): StepJobPayload {
  if (data.sealed === undefined) return { params: data.params ?? {}, secrets: {} };
  if (!seal) {
    throw new NonRetryableError(
      `the payload of job ${jobId} is encrypted (the coordinator has a payload key), and this worker has none to open it: start weave worker with ${PAYLOAD_KEY_ENV} set, the same as the coordinator's (from code: StepWorker's payloadKey)`,
    );
  }
  let opened: unknown;
  try {
    opened = seal.open(data.sealed, jobId);
  } catch (error) {
    if (!(error instanceof PayloadOpenError) || error.reason !== "authentication")
      throw new NonRetryableError(`cannot open the payload of job ${jobId}: ${errorMessage(error)}`);
    throw new NonRetryableError(
      `cannot open the payload of job ${jobId}: the worker's ${PAYLOAD_KEY_ENV} differs from the coordinator's (or the job's data was altered in Redis, or copied from another job). start every worker with the coordinator's ${PAYLOAD_KEY_ENV}`,
    );
  }
  if (!isRecord(opened) || !isRecord(opened.params) || !isRecord(opened.secrets)) {
    throw new NonRetryableError(
      `cannot open the payload of job ${jobId}: what it holds is not a job's parameters (was a result copied over it?)`,
    );
  }
  return { params: opened.params, secrets: opened.secrets };
}

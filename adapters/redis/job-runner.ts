/**
 * @module How a worker runs one step job: the tool called the way the executor would call it in-process (same
 * parameters, same `ToolContext`, the tool's signal aborted at the step's `timeoutMs` or when the coordinator cancels
 * the job), and the job ended in Redis with its result, its failure, or, when the worker released it, back in the
 * queue unfinished.
 *
 * Sealed jobs (a coordinator with a `payloadKey`) are opened with the worker's own `payloadKey` and their results sealed
 * back; the run's secret inputs they carry are masked in the failure reported back (BullMQ's `failedReason` and stack
 * trace) and in the events this worker reports (`onJob`). A sealed job this worker cannot open (no key, another key)
 * fails, not retried, saying why.
 *
 * The jobs running are kept here, by id, because the worker's lifecycle (`worker.ts`) acts on them: a cancellation
 * names one, and `release` and `stop` abort them all.
 */
import type { Job } from "bullmq";
import { abortable } from "../../src/executor/chain/abortable.js";
import { callTool, compose, type ChainCall } from "../../src/executor/chain/compose.js";
import { timeout } from "../../src/executor/chain/timeout.js";
import { errorMessage, NonRetryableError } from "../../src/executor/errors.js";
import type { ToolContext, ToolFunction, Tools } from "../../src/executor/types.js";
import { SecretMask } from "../../src/secrets/mask.js";
import { describeFailure, openJobPayload, type StepJobData, type StepJobResult } from "./job.js";
import type { PayloadSeal } from "./payload-seal.js";
import type { WorkerJobEvent } from "./worker.js";

/** A job this worker runs now. */
export interface Running {
  readonly controller: AbortController;
  readonly job: StepJobData;
  readonly started: number;
  /** Given back to the queue by `release`: ends as BullMQ's WaitingError, not as a failure. */
  released: boolean;
  /** Left to BullMQ's stalled-job check by a worker that stopped while Redis was unreachable. */
  abandoned: boolean;
}

export interface JobRunnerOptions {
  /** The worker's name, for messages. */
  readonly name: string;
  readonly tools: Tools;
  /** Opens sealed jobs and seals their results, with `payloadKey`. */
  readonly seal: PayloadSeal | undefined;
  readonly onJob: ((event: WorkerJobEvent) => void) | undefined;
  readonly onError: (error: Error) => void;
  /** What a released job throws so BullMQ leaves it in the queue (bullmq's `WaitingError`, loaded with the worker). */
  readonly waitingError: () => Error;
}

/**
 * How a job's tool is called: the pieces of the executor's chain that apply on a worker. The job ends when its signal
 * aborts (released, abandoned, cancelled by the coordinator: a tool that ignores its signal does not hold the job),
 * and at the step's `timeoutMs`.
 */
const runTool = compose<ChainCall>([abortable, timeout], callTool);

export class JobRunner {
  /** The jobs running now, by id. */
  readonly running = new Map<string, Running>();

  constructor(private readonly options: JobRunnerOptions) {}

  /** BullMQ's processor: the job's result, or a throw that BullMQ records (a failure, or the job given back). */
  async run(job: Job<StepJobData, StepJobResult>, token: string | undefined, cancelled: AbortSignal | undefined): Promise<StepJobResult> {
    const { tools, seal, onJob, onError } = this.options;
    const data = job.data;
    const jobId = job.id!;
    const started = performance.now();
    const running: Running = { controller: new AbortController(), job: data, started, released: false, abandoned: false };
    const { signal } = running.controller;
    this.running.set(jobId, running);
    const onCancelled = (): void => running.controller.abort(new Error(errorMessage(cancelled!.reason ?? "cancelled by the coordinator")));
    cancelled?.addEventListener("abort", onCancelled, { once: true });
    // the run's secrets, once the job's payload is open: masked in all that is reported of the job
    let mask = SecretMask.none;
    onJob?.({ type: "started", jobId, job: data, time: Date.now() });
    try {
      const payload = openJobPayload(data, jobId, seal);
      mask = SecretMask.of(payload.secrets);
      const tool = Object.hasOwn(tools, data.toolName) ? (tools[data.toolName] as ToolFunction) : undefined;
      if (!tool) {
        const known =
          Object.keys(tools)
            .sort()
            .map((t) => `'${t}'`)
            .join(", ") || "none";
        throw new NonRetryableError(`unknown tool '${data.toolName}' on worker ${this.options.name}. its tools are ${known}`);
      }
      const ctx: ToolContext = {
        signal,
        stepId: data.stepId,
        attempt: data.attempt,
        runId: data.runId,
        workflowName: data.workflowName,
        idempotencyKey: data.idempotencyKey,
        ...(data.item === undefined ? {} : { item: data.item }),
      };
      const value = await runTool({ tool, params: payload.params, context: ctx, timeoutMs: data.timeoutMs });
      const result: StepJobResult = value === undefined ? {} : { value };
      checkJson(result, data.toolName);
      // a sealed job's result goes back sealed, for the same job
      const sent: StepJobResult = data.sealed === undefined ? result : { sealed: seal!.seal(result, jobId) };
      onJob?.({ type: "completed", jobId, job: data, durationMs: performance.now() - started, time: Date.now() });
      return sent;
    } catch (error) {
      // the worker stopped while Redis was unreachable: nothing can be told to Redis; BullMQ finds the job stalled
      if (running.abandoned) throw error;
      if (running.released && token !== undefined) {
        await job.moveToWait(token);
        onJob?.({ type: "released", jobId, job: data, durationMs: performance.now() - started, time: Date.now() });
        throw this.options.waitingError();
      }
      // a ToolError's partial result goes back with the failure, sealed for a sealed job
      const described = describeFailure(error, data.sealed === undefined || !seal ? undefined : { seal, jobId });
      const failure = { ...described, name: mask.text(described.name) };
      // (a job that vanished with Redis's data cannot keep it: the failure is still told)
      await job
        .updateData({ ...data, failure })
        .catch((cause: unknown) => onError(cause instanceof Error ? cause : new Error(String(cause))));
      // BullMQ keeps the message (failedReason) and the stack in Redis, and the coordinator reports the message: masked
      const message = mask.text(errorMessage(error));
      onJob?.({ type: "failed", jobId, job: data, durationMs: performance.now() - started, error: message, time: Date.now() });
      const thrown = new Error(message);
      const stack = error instanceof Error ? safeStack(error) : undefined;
      if (stack) thrown.stack = mask.text(stack);
      throw thrown;
    } finally {
      cancelled?.removeEventListener("abort", onCancelled);
      this.running.delete(jobId);
    }
  }
}

/** An error's stack, when it is a string that can be read. */
function safeStack(error: Error): string | undefined {
  try {
    return typeof error.stack === "string" ? error.stack : undefined;
  } catch {
    return undefined;
  }
}

/** A result goes back to the coordinator as JSON: refuse one that would not survive the trip. */
function checkJson(result: StepJobResult, toolName: string): void {
  try {
    JSON.stringify(result);
  } catch (error) {
    throw new NonRetryableError(
      `the result of tool "${toolName}" cannot be sent to the coordinator: ${errorMessage(error)}. a distributed run keeps JSON values only`,
    );
  }
}

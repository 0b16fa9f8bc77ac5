/**
 * @module A worker of the distributed engine: a BullMQ `Worker` that runs step jobs with the functions of a tools
 * map, the way the executor would call them in-process (same parameters, same `ToolContext`, the tool's signal
 * aborted at the step's `timeoutMs` or when the coordinator cancels the job).
 *
 * A job is taken under a lock the worker renews; a worker that dies (SIGKILL, OOM, a lost machine) stops renewing it,
 * and another worker's stalled-job check puts the job back in the queue: at least once, so tools get
 * `ctx.idempotencyKey`. Stopping gracefully (`stop`) takes no new jobs and lets running ones finish; those still
 * running after the grace period, or at `release()`, have their tool's signal aborted and go back to the queue at
 * once for another worker (not failed, not retried: the step's attempt count is unchanged).
 */
import { hostname } from "node:os";
import type { Job, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { errorMessage, NonRetryableError } from "../executor/errors.js";
import type { ToolContext, ToolFunction, Tools } from "../executor/types.js";
import { bullConnection, cancelChannel, redisClient, type CancelMessage } from "./connection.js";
import { loadBullmq, type BullMQ } from "./deps.js";
import { DEFAULT_PREFIX, DEFAULT_QUEUE, describeFailure, type StepJobData, type StepJobResult } from "./job.js";

export interface StepWorkerOptions {
  /** Redis URL: `redis://[user:password@]host:port[/db]`. */
  redis: string;
  /** Tool functions by name, as `WorkflowExecutor({ tools })` takes them. */
  tools: Tools;
  /** @default "steps" */
  queue?: string;
  /** @default "toolweave" */
  prefix?: string;
  /** Jobs run at once by this worker. @default 1 */
  concurrency?: number;
  /**
   * How long a job's lock lasts without renewal (renewed every half of it): a dead worker's job is taken over
   * by another worker between `lockDurationMs` and `lockDurationMs + stalledIntervalMs` after it died. @default 30000
   */
  lockDurationMs?: number;
  /** How often this worker looks for jobs whose worker died. @default 30000 */
  stalledIntervalMs?: number;
  /** A job whose workers died more often than this fails (the coordinator may retry it). @default 1 */
  maxStalledCount?: number;
  /** Told about every job this worker takes and finishes (a line per job in `weave worker`). */
  onJob?: (event: WorkerJobEvent) => void;
  /** Connection errors and the like (the clients retry). @default process.emitWarning, once per message */
  onError?: (error: Error) => void;
}

export type WorkerJobEvent =
  | { type: "started"; jobId: string; job: StepJobData; time: number }
  | { type: "completed"; jobId: string; job: StepJobData; durationMs: number; time: number }
  | { type: "failed"; jobId: string; job: StepJobData; durationMs: number; error: string; time: number }
  /** Given back to the queue unfinished (the worker is stopping). */
  | { type: "released"; jobId: string; job: StepJobData; durationMs: number; time: number }
  /** A job whose worker died, found by this worker and put back in the queue. */
  | { type: "stalled"; jobId: string; time: number };

interface Running {
  readonly controller: AbortController;
  released: boolean;
}

interface Started {
  readonly worker: Worker<StepJobData, StepJobResult>;
  readonly subscriber: Redis;
  readonly bullmq: BullMQ;
}

export class StepWorker {
  readonly queueName: string;
  readonly prefix: string;
  /** `<host>:<pid>`, as BullMQ shows the worker. */
  readonly name = `${hostname()}:${process.pid}`;
  readonly #tools: Tools;
  readonly #running = new Map<string, Running>();
  readonly #onJob: ((event: WorkerJobEvent) => void) | undefined;
  readonly #onError: (error: Error) => void;
  /** The BullMQ worker and the cancellation subscriber, once bullmq has loaded and they are connected. */
  readonly #ready: Promise<Started>;
  #started: Started | undefined;
  #stopped: Promise<void> | undefined;

  constructor(options: StepWorkerOptions) {
    this.queueName = options.queue ?? DEFAULT_QUEUE;
    this.prefix = options.prefix ?? DEFAULT_PREFIX;
    this.#tools = options.tools;
    this.#onJob = options.onJob;
    const warned = new Set<string>();
    this.#onError =
      options.onError ??
      ((error) => {
        if (warned.has(error.message)) return;
        warned.add(error.message);
        process.emitWarning(`weave worker: ${error.message}`, "ToolweaveWarning");
      });
    const concurrency = options.concurrency ?? 1;
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new TypeError(`worker concurrency must be a positive integer, got ${String(concurrency)}`);
    this.#ready = this.#start(options, concurrency);
    this.#ready.catch(() => undefined);
  }

  async #start(options: StepWorkerOptions, concurrency: number): Promise<Started> {
    const connection = bullConnection(options.redis);
    const bullmq = await loadBullmq();
    // subscribed before taking jobs, so no cancellation of a job it runs can be missed
    const subscriber = await redisClient(options.redis, "toolweave-worker-cancel");
    subscriber.on("error", this.#onError);
    subscriber.on("message", (_channel: string, text: string) => this.#onCancel(text));
    await subscriber.subscribe(cancelChannel(this.prefix, this.queueName));
    const worker = new bullmq.Worker<StepJobData, StepJobResult>(this.queueName, (job, token, signal) => this.#process(job, token, signal), {
      connection,
      prefix: this.prefix,
      concurrency,
      name: this.name,
      lockDuration: options.lockDurationMs ?? 30_000,
      stalledInterval: options.stalledIntervalMs ?? 30_000,
      maxStalledCount: options.maxStalledCount ?? 1,
    });
    worker.on("error", this.#onError);
    worker.on("stalled", (jobId) => this.#onJob?.({ type: "stalled", jobId, time: Date.now() }));
    this.#started = { worker, subscriber, bullmq };
    await worker.waitUntilReady();
    return this.#started;
  }

  /** Resolves once the worker is connected, listening for cancellations and taking jobs. */
  async waitUntilReady(): Promise<void> {
    await this.#ready;
  }

  /** The BullMQ worker (its events, options), once started. */
  get worker(): Worker<StepJobData, StepJobResult> | undefined {
    return this.#started?.worker;
  }

  /** Jobs running now. */
  get running(): number {
    return this.#running.size;
  }

  #onCancel(text: string): void {
    let message: CancelMessage;
    try {
      message = JSON.parse(text) as CancelMessage;
    } catch {
      return;
    }
    if (typeof message.jobId === "string" && this.#running.has(message.jobId)) this.#started?.worker.cancelJob(message.jobId, String(message.reason));
  }

  async #process(job: Job<StepJobData, StepJobResult>, token: string | undefined, cancelled: AbortSignal | undefined): Promise<StepJobResult> {
    const data = job.data;
    const jobId = job.id!;
    const started = performance.now();
    const running: Running = { controller: new AbortController(), released: false };
    const { signal } = running.controller;
    this.#running.set(jobId, running);
    const onCancelled = (): void => running.controller.abort(new Error(errorMessage(cancelled!.reason ?? "cancelled by the coordinator")));
    cancelled?.addEventListener("abort", onCancelled, { once: true });
    let timer: ReturnType<typeof setTimeout> | undefined;
    this.#onJob?.({ type: "started", jobId, job: data, time: Date.now() });
    try {
      const tool = Object.prototype.hasOwnProperty.call(this.#tools, data.toolName) ? (this.#tools[data.toolName] as ToolFunction) : undefined;
      if (!tool) {
        const known = Object.keys(this.#tools).sort().map((t) => `'${t}'`).join(", ") || "none";
        throw new NonRetryableError(`unknown tool '${data.toolName}' on worker ${this.name}. its tools are ${known}`);
      }
      const ctx: ToolContext = { signal, stepId: data.stepId, attempt: data.attempt, runId: data.runId, workflowName: data.workflowName, idempotencyKey: data.idempotencyKey };
      const stopped = new Promise<never>((_, reject) => {
        // a tool that ignores its signal does not hold the job: its outcome no longer counts
        signal.addEventListener("abort", () => reject(signal.reason), { once: true });
        if (data.timeoutMs !== null) {
          timer = setTimeout(() => running.controller.abort(new Error(`timed out after ${data.timeoutMs} ms`)), data.timeoutMs);
        }
      });
      stopped.catch(() => undefined);
      const value = await Promise.race([Promise.resolve().then(() => tool(data.params, ctx)), stopped]);
      const result: StepJobResult = value === undefined ? {} : { value };
      checkJson(result, data.toolName);
      this.#onJob?.({ type: "completed", jobId, job: data, durationMs: performance.now() - started, time: Date.now() });
      return result;
    } catch (error) {
      if (running.released && token !== undefined) {
        await job.moveToWait(token);
        this.#onJob?.({ type: "released", jobId, job: data, durationMs: performance.now() - started, time: Date.now() });
        throw new this.#started!.bullmq.WaitingError();
      }
      const failure = describeFailure(error);
      await job.updateData({ ...data, failure });
      const message = errorMessage(error);
      this.#onJob?.({ type: "failed", jobId, job: data, durationMs: performance.now() - started, error: message, time: Date.now() });
      const thrown = new Error(message);
      if (error instanceof Error && error.stack) thrown.stack = error.stack;
      throw thrown;
    } finally {
      clearTimeout(timer);
      cancelled?.removeEventListener("abort", onCancelled);
      this.#running.delete(jobId);
    }
  }

  /**
   * Aborts the tools of the running jobs and puts those jobs back in the queue, for another worker to take at once.
   */
  release(reason = "the worker is stopping"): void {
    for (const running of this.#running.values()) {
      running.released = true;
      running.controller.abort(new Error(reason));
    }
  }

  /**
   * Takes no new jobs; waits for the running ones to finish, up to `graceMs`, then releases the rest; closes the
   * connections. Idempotent (a second call returns the same promise; call `release()` to cut the wait short).
   * @param graceMs how long running jobs may take to finish @default Infinity
   */
  stop(graceMs = Infinity): Promise<void> {
    this.#stopped ??= (async () => {
      const started = await this.#ready.catch(() => undefined);
      if (!started) return;
      const closing = started.worker.close();
      let timer: ReturnType<typeof setTimeout> | undefined;
      if (Number.isFinite(graceMs)) timer = setTimeout(() => this.release(`the worker is stopping (its ${graceMs} ms grace period ended)`), graceMs);
      try {
        await closing;
      } finally {
        clearTimeout(timer);
        started.subscriber.disconnect();
      }
    })();
    return this.#stopped;
  }
}

/** A result goes back to the coordinator as JSON: refuse one that would not survive the trip. */
function checkJson(result: StepJobResult, toolName: string): void {
  try {
    JSON.stringify(result);
  } catch (error) {
    throw new NonRetryableError(`the result of tool "${toolName}" cannot be sent to the coordinator: ${errorMessage(error)}. a distributed run keeps JSON values only`);
  }
}

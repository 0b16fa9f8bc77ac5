/**
 * @module A worker of the distributed engine, and its lifecycle: a BullMQ `Worker` that runs step jobs with the
 * functions of a tools map (see `job-runner.ts` for how one job runs), started once it listens for the coordinators'
 * cancellations, stopped without losing the jobs it runs.
 *
 * A job is taken under a lock the worker renews; a worker that dies (SIGKILL, OOM, a lost machine) stops renewing it,
 * and another worker's stalled-job check puts the job back in the queue: at least once, so tools get
 * `ctx.idempotencyKey`. Stopping gracefully (`stop`) takes no new jobs and lets running ones finish; those still
 * running after the grace period, or at `release()`, have their tool's signal aborted and go back to the queue at
 * once for another worker (not failed, not retried: the step's attempt count is unchanged).
 *
 * Redis. Starting waits for it at most `redisTimeoutMs` (then `waitUntilReady` rejects with a `RedisUnavailableError`
 * naming the URL). A running worker rides out an outage (it reconnects when Redis is back), but `stop` does not wait
 * for a Redis that is unreachable: the running jobs are abandoned (their tools' signals aborted), and BullMQ finds them
 * stalled once Redis is back, like those of a worker that died.
 */
import { hostname } from "node:os";
import type { Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { Tools } from "../../src/executor/types.js";
import {
  bullConnection,
  cancelChannel,
  checkRedisTimeout,
  connectRedis,
  DEFAULT_REDIS_TIMEOUT_MS,
  readyWithin,
  type CancelMessage,
  type RedisHealth,
} from "./connection.js";
import { loadBullmq, type BullMQ } from "./deps.js";
import { DEFAULT_PREFIX, DEFAULT_QUEUE, type StepJobData, type StepJobResult } from "./job.js";
import { JobRunner } from "./job-runner.js";
import { PayloadSeal } from "./payload-seal.js";

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
  /**
   * How long starting keeps trying to reach Redis (then `waitUntilReady` rejects with a `RedisUnavailableError`
   * naming the URL). @default 10000
   */
  redisTimeoutMs?: number;
  /** Told when the connection to Redis is lost (with the reason) and when it is back. */
  onConnection?: (event: { up: boolean; url: string; reason?: string }) => void;
  /**
   * The passphrase the coordinator seals job payloads with (its `payloadKey`; `WEAVE_PAYLOAD_KEY` for the CLI): sealed
   * jobs are opened with it, and their results sealed back. Jobs in clear are still run.
   * @default none: a sealed job fails, not retried, saying the worker needs the key
   */
  payloadKey?: string;
}

/** What `stop` did. */
export interface StopOutcome {
  /**
   * Jobs left running because Redis was unreachable (or did not answer within `redisTimeoutMs` after the grace
   * period): their tools' signals were aborted; BullMQ finds them stalled once Redis is back.
   */
  readonly abandoned: number;
}

export type WorkerJobEvent =
  | { type: "started"; jobId: string; job: StepJobData; time: number }
  | { type: "completed"; jobId: string; job: StepJobData; durationMs: number; time: number }
  /** `error`: the tool's message, the run's secret inputs masked in it. */
  | { type: "failed"; jobId: string; job: StepJobData; durationMs: number; error: string; time: number }
  /** Given back to the queue unfinished (the worker is stopping). */
  | { type: "released"; jobId: string; job: StepJobData; durationMs: number; time: number }
  /** Left unfinished by a worker that stopped while Redis was unreachable: found stalled once Redis is back. */
  | { type: "abandoned"; jobId: string; job: StepJobData; durationMs: number; time: number }
  /** A job whose worker died, found by this worker and put back in the queue. */
  | { type: "stalled"; jobId: string; time: number };

interface Started {
  readonly worker: Worker<StepJobData, StepJobResult>;
  readonly subscriber: Redis;
  readonly bullmq: BullMQ;
  /** The subscriber's connection: whether Redis is reachable now. */
  readonly health: RedisHealth;
}

/** A Redis down this long while stopping is taken as down: the running jobs are abandoned rather than waited for. */
const DOWN_WHILE_STOPPING_MS = 1_000;

export class StepWorker {
  readonly queueName: string;
  readonly prefix: string;
  /** `<host>:<pid>`, as BullMQ shows the worker. */
  readonly name = `${hostname()}:${process.pid}`;
  /** Runs the jobs, and keeps those running. */
  readonly #jobs: JobRunner;
  readonly #onJob: ((event: WorkerJobEvent) => void) | undefined;
  readonly #onError: (error: Error) => void;
  /** The BullMQ worker and the cancellation subscriber, once bullmq has loaded and they are connected. */
  readonly #ready: Promise<Started>;
  #started: Started | undefined;
  #stopped: Promise<StopOutcome> | undefined;
  readonly #timeoutMs: number;
  /** Aborted by `stop` during the start: no reason to keep trying to connect. */
  readonly #starting = new AbortController();
  /** Errors before the worker is ready are the start's (its RedisUnavailableError says what went wrong). */
  #isReady = false;
  /** When `release` was first called during `stop`: the jobs then have `redisTimeoutMs` to go back to the queue. */
  #releasedAt: number | undefined;
  /** Opens sealed jobs and seals their results, with `payloadKey`. */
  readonly #seal: PayloadSeal | undefined;

  constructor(options: StepWorkerOptions) {
    this.queueName = options.queue ?? DEFAULT_QUEUE;
    this.prefix = options.prefix ?? DEFAULT_PREFIX;
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
    if (!Number.isInteger(concurrency) || concurrency < 1)
      throw new TypeError(`worker concurrency must be a positive integer, got ${String(concurrency)}`);
    this.#timeoutMs = checkRedisTimeout(options.redisTimeoutMs ?? DEFAULT_REDIS_TIMEOUT_MS);
    this.#seal = options.payloadKey === undefined ? undefined : new PayloadSeal(options.payloadKey);
    this.#jobs = new JobRunner({
      name: this.name,
      tools: options.tools,
      seal: this.#seal,
      onJob: this.#onJob,
      onError: this.#onError,
      waitingError: () => new this.#started!.bullmq.WaitingError(),
    });
    this.#ready = this.#start(options, concurrency);
    this.#ready.catch(() => undefined);
  }

  async #start(options: StepWorkerOptions, concurrency: number): Promise<Started> {
    const connection = bullConnection(options.redis);
    const signal = this.#starting.signal;
    const bullmq = await loadBullmq();
    // subscribed before taking jobs, so no cancellation of a job it runs can be missed
    const { client: subscriber, health } = await connectRedis(options.redis, "toolweave-worker-cancel", {
      timeoutMs: this.#timeoutMs,
      signal,
    });
    subscriber.on("error", (error: Error) => this.#error(error, health));
    subscriber.on("message", (_channel: string, text: string) => this.#onCancel(text));
    let worker: Worker<StepJobData, StepJobResult> | undefined;
    try {
      await readyWithin(subscriber.subscribe(cancelChannel(this.prefix, this.queueName)), this.#timeoutMs, health, signal);
      worker = new bullmq.Worker<StepJobData, StepJobResult>(
        this.queueName,
        (job, token, cancelled) => this.#jobs.run(job, token, cancelled),
        {
          connection,
          prefix: this.prefix,
          concurrency,
          name: this.name,
          lockDuration: options.lockDurationMs ?? 30_000,
          stalledInterval: options.stalledIntervalMs ?? 30_000,
          maxStalledCount: options.maxStalledCount ?? 1,
        },
      );
      worker.on("error", (error) => this.#error(error, health));
      worker.on("stalled", (jobId) => this.#onJob?.({ type: "stalled", jobId, time: Date.now() }));
      await readyWithin(worker.waitUntilReady(), this.#timeoutMs, health, signal);
    } catch (error) {
      void worker?.disconnect().catch(() => undefined);
      subscriber.disconnect();
      throw health.commandError(error, this.#timeoutMs);
    }
    const onConnection = options.onConnection;
    if (onConnection)
      health.onChange((up) => onConnection(up ? { up, url: health.url } : { up, url: health.url, reason: health.reason() }));
    this.#started = { worker, subscriber, bullmq, health };
    this.#isReady = true;
    return this.#started;
  }

  /**
   * Errors of the clients once started (before, the start's own error says it all); connection errors while Redis is
   * down are what `onConnection` reports already.
   */
  #error(error: Error, health: RedisHealth): void {
    if (!this.#isReady) return;
    if (
      !health.up &&
      /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|Connection is closed/.test(error.message)
    )
      return;
    this.#onError(error);
  }

  /** Resolves once the worker is connected, listening for cancellations and taking jobs. */
  async waitUntilReady(): Promise<void> {
    await this.#ready;
  }

  /** The BullMQ worker (its events, options), once started. */
  get worker(): Worker<StepJobData, StepJobResult> | undefined {
    return this.#started?.worker;
  }

  /** Connected to Redis now (false before the worker started, and while the connection is down). */
  get redisReachable(): boolean {
    return this.#started?.health.up ?? false;
  }

  /** Whether this worker can open sealed jobs (a `payloadKey` was given). */
  get opensPayloads(): boolean {
    return this.#seal !== undefined;
  }

  /** Jobs running now. */
  get running(): number {
    return this.#jobs.running.size;
  }

  #onCancel(text: string): void {
    let message: CancelMessage;
    try {
      message = JSON.parse(text) as CancelMessage;
    } catch {
      return;
    }
    if (typeof message.jobId === "string" && this.#jobs.running.has(message.jobId))
      this.#started?.worker.cancelJob(message.jobId, String(message.reason));
  }

  /**
   * Aborts the tools of the running jobs and puts those jobs back in the queue, for another worker to take at once.
   */
  release(reason = "the worker is stopping"): void {
    this.#releasedAt ??= performance.now();
    for (const running of this.#jobs.running.values()) {
      running.released = true;
      running.controller.abort(new Error(reason));
    }
  }

  /**
   * Takes no new jobs; waits for the running ones to finish, up to `graceMs`, then releases the rest; closes the
   * connections. Never waits for an unreachable Redis: when it is down (at the call, or for a second while waiting),
   * or does not answer within `redisTimeoutMs` once the jobs were released, the running jobs are abandoned (their
   * tools' signals aborted; BullMQ finds them stalled once Redis is back) and the connections dropped. Idempotent (a
   * second call returns the same promise; call `release()` to cut the wait short).
   * @param graceMs how long running jobs may take to finish @default Infinity
   */
  stop(graceMs = Infinity): Promise<StopOutcome> {
    this.#stopped ??= (async () => {
      // still connecting: stop trying
      if (!this.#started) this.#starting.abort(new Error("the worker was stopped while connecting to Redis"));
      const started = await this.#ready.catch(() => undefined);
      if (!started) return { abandoned: 0 };
      this.#releasedAt = undefined;
      const closing = started.worker.close().then(
        () => "closed" as const,
        () => "closed" as const,
      );
      let grace: ReturnType<typeof setTimeout> | undefined;
      let watch: ReturnType<typeof setInterval> | undefined;
      const unreachable = new Promise<"abandon">((resolve) => {
        if (Number.isFinite(graceMs))
          grace = setTimeout(() => this.release(`the worker is stopping (its ${graceMs} ms grace period ended)`), graceMs);
        watch = setInterval(() => {
          const down = started.health.downForMs() >= DOWN_WHILE_STOPPING_MS;
          const stuck = this.#releasedAt !== undefined && performance.now() - this.#releasedAt >= this.#timeoutMs;
          if (down || stuck) resolve("abandon");
        }, 100);
      });
      const outcome = await Promise.race([closing, unreachable]);
      clearTimeout(grace);
      clearInterval(watch);
      let abandoned = 0;
      if (outcome === "abandon") {
        for (const [jobId, running] of this.#jobs.running) {
          if (running.abandoned) continue;
          abandoned++;
          running.abandoned = true;
          running.controller.abort(new Error(`the worker stopped while Redis at ${started.health.url} was unreachable`));
          this.#onJob?.({ type: "abandoned", jobId, job: running.job, durationMs: performance.now() - running.started, time: Date.now() });
        }
        // drop the connections without waiting for Redis (BullMQ's close would)
        void started.worker.disconnect().catch(() => undefined);
      }
      started.subscriber.disconnect();
      return { abandoned };
    })();
    return this.#stopped;
  }
}

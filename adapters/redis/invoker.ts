/**
 * @module The coordinator's side of the distributed engine: a {@link ToolInvoker} that turns each attempt of a step
 * into a BullMQ job and awaits its outcome. `new WorkflowExecutor({ invoker: new BullmqInvoker({ redis }) })` runs
 * workflows exactly as in-process (conditions, retries with backoff, timeouts, failure handlers, sub-workflows,
 * events, the monitor and the journal stay in the executor); only the tool calls run on `weave worker` processes.
 *
 * - One job per attempt, added when the attempt starts, with a deterministic id (see `stepJobId`) and BullMQ
 *   `attempts: 1`: the executor retries, so retry semantics are the executor's.
 * - Outcomes come from one `QueueEvents` stream read from the moment the invoker started (`lastEventId`), so no event
 *   is missed between adding a job and listening for it.
 * - A job of the same id that already exists was submitted by an earlier session of the run (a coordinator that
 *   restarted): completed, its result is taken instead of running the step again; still waiting or running, it is
 *   awaited; failed, it is run again. At attempt 1, the later attempts of that earlier session are looked at too.
 * - When the attempt's signal aborts (its timeout, the run's cancellation, `failFast`), the invoker stops waiting and
 *   the job is removed if no worker has taken it yet, or the workers are asked, on a Redis channel, to abort its tool's
 *   signal (a tool that ignores its signal runs on; its outcome is then ignored).
 * - No wait on Redis is unbounded (`redisTimeoutMs`): connecting (a {@link RedisUnavailableError} naming the URL); a
 *   connection lost for longer than that fails every attempt awaited, and every new one until it is back (also a
 *   RedisUnavailableError); and every `checkIntervalMs` the jobs awaited are checked to still exist: a job that is gone
 *   (Redis restarted without its data, or flushed) fails its attempt with a {@link RedisDataLostError}. Both errors
 *   are not retried.
 * - With `payloadKey`, a job's data holds no parameters in clear: they travel sealed with the run's secret inputs, and
 *   the result comes back sealed (see `payload-seal.ts`). Without one, a run that has secret inputs is refused (each
 *   attempt fails, not retried): BullMQ would keep them in clear in Redis.
 *
 * This module holds the invoker's options and the life of one `invoke`; the connections are in `coordinator-clients.ts`,
 * adding and cancelling jobs in `job-submission.ts`, and the waits for their outcomes in `awaited-jobs.ts`.
 */
import { errorMessage, NonRetryableError } from "../../src/executor/errors.js";
import type { ToolCall, ToolInvoker } from "../../src/executor/types.js";
import { AwaitedJobs, type Pending } from "./awaited-jobs.js";
import { bullConnection, checkRedisTimeout, DEFAULT_REDIS_TIMEOUT_MS } from "./connection.js";
import { closeCoordinator, connectCoordinator, type CoordinatorClients } from "./coordinator-clients.js";
import { callJobId, DEFAULT_PREFIX, DEFAULT_QUEUE } from "./job.js";
import { JobSubmitter } from "./job-submission.js";
import { PAYLOAD_KEY_ENV, PayloadSeal } from "./payload-seal.js";

export interface BullmqInvokerOptions {
  /** Redis URL: `redis://[user:password@]host:port[/db]`. */
  redis: string;
  /** The queue of step jobs (workers must consume the same one). @default "steps" */
  queue?: string;
  /** BullMQ key prefix. @default "toolweave" */
  prefix?: string;
  /**
   * How long finished jobs are kept, in seconds: a coordinator that restarts within this time collects the results of
   * jobs that finished while it was down. @default 86400 (a day)
   */
  keepJobsSeconds?: number;
  /** Connection errors and the like (they are retried by the clients). @default process.emitWarning, once per message */
  onError?: (error: Error) => void;
  /**
   * The longest wait on an unreachable Redis: connecting (then `waitUntilReady` and every `invoke` reject with a
   * `RedisUnavailableError` naming the URL), and a lost connection coming back (then the attempts awaited fail, and new
   * ones fail at once until it is back). @default 10000
   */
  redisTimeoutMs?: number;
  /**
   * How often the jobs awaited are checked to still exist: one that is gone twice in a row (Redis restarted without
   * its data, or flushed) fails its attempt with a `RedisDataLostError` instead of being awaited forever. @default 2000
   */
  checkIntervalMs?: number;
  /**
   * A passphrase shared with the workers (their `payloadKey`; `WEAVE_PAYLOAD_KEY` for the CLI): each job's parameters
   * and the run's secret inputs travel sealed with it (AES-256-GCM, bound to the job's id), and so do the results, so
   * Redis keeps none of them in clear. Required for runs that have secret inputs: without it, their attempts fail.
   * @default none: parameters and results travel in clear
   */
  payloadKey?: string;
}

/** Counters, for tests and diagnostics. */
export interface InvokerStats {
  /** Jobs added. */
  submitted: number;
  /** Attempts answered by a job an earlier session had submitted (completed, or awaited while it ran). */
  collected: number;
  /** Attempts given up on because their signal aborted (timeouts, cancellation). */
  abandoned: number;
  /** Attempts failed because Redis was unreachable for longer than `redisTimeoutMs`, or lost their job. */
  lost: number;
}

export class BullmqInvoker implements ToolInvoker {
  readonly queueName: string;
  readonly prefix: string;
  /** The attempts awaited, and how each wait ends. */
  readonly #awaited: AwaitedJobs;
  readonly #jobs: JobSubmitter;
  readonly #onError: (error: Error) => void;
  /** Connected and listening (the clients are made once bullmq and ioredis have loaded). */
  readonly #ready: Promise<CoordinatorClients>;
  #clients: CoordinatorClients | undefined;
  #closed: Promise<void> | undefined;
  readonly stats: InvokerStats = { submitted: 0, collected: 0, abandoned: 0, lost: 0 };
  readonly #timeoutMs: number;
  readonly #checkIntervalMs: number;
  #watchdog: ReturnType<typeof setInterval> | undefined;
  /** Seals job payloads and opens results, with `payloadKey`. */
  readonly #seal: PayloadSeal | undefined;

  constructor(options: BullmqInvokerOptions) {
    this.queueName = options.queue ?? DEFAULT_QUEUE;
    this.prefix = options.prefix ?? DEFAULT_PREFIX;
    const keep = options.keepJobsSeconds ?? 86_400;
    this.#timeoutMs = checkRedisTimeout(options.redisTimeoutMs ?? DEFAULT_REDIS_TIMEOUT_MS);
    this.#checkIntervalMs = checkRedisTimeout(options.checkIntervalMs ?? 2_000, "checkIntervalMs");
    this.#seal = options.payloadKey === undefined ? undefined : new PayloadSeal(options.payloadKey);
    const connection = bullConnection(options.redis);
    const warned = new Set<string>();
    this.#onError =
      options.onError ??
      ((error) => {
        if (warned.has(error.message)) return;
        warned.add(error.message);
        process.emitWarning(`distributed engine: ${error.message}`, "ToolweaveWarning");
      });
    const { queueName, prefix } = this;
    this.#awaited = new AwaitedJobs({
      queueName,
      prefix,
      timeoutMs: this.#timeoutMs,
      seal: this.#seal,
      stats: this.stats,
      onError: this.#onError,
      clients: () => this.#clients,
    });
    this.#ready = this.#connect(connection, keep, options.redis);
    // a failure here is reported by every invoke that awaits it
    this.#ready.catch(() => undefined);
    this.#jobs = new JobSubmitter({
      queueName,
      prefix,
      ready: this.#ready,
      awaited: this.#awaited,
      timeoutMs: this.#timeoutMs,
      seal: this.#seal,
      stats: this.stats,
      onError: this.#onError,
    });
  }

  /** Connects, then starts the watchdog of the attempts awaited (unless closed meanwhile). */
  async #connect(connection: ReturnType<typeof bullConnection>, keep: number, url: string): Promise<CoordinatorClients> {
    this.#clients = await connectCoordinator({
      url,
      connection,
      queueName: this.queueName,
      prefix: this.prefix,
      keepJobsSeconds: keep,
      timeoutMs: this.#timeoutMs,
      onError: this.#onError,
      onCompleted: (jobId, returnvalue) => this.#awaited.completed(jobId, returnvalue),
      onFailed: (jobId, failedReason) => this.#awaited.failed(jobId, failedReason),
    });
    if (!this.#closed) {
      this.#watchdog = setInterval(() => this.#awaited.check(), this.#checkIntervalMs);
      this.#watchdog.unref();
    }
    return this.#clients;
  }

  /** How many BullMQ workers are connected to the queue now (BullMQ's count, from Redis's client list). */
  async workerCount(): Promise<number> {
    const { queue } = await this.#ready;
    return queue.getWorkersCount();
  }

  /** Waits until the invoker is connected and listening (invoke waits for it too). */
  async waitUntilReady(): Promise<void> {
    await this.#ready;
  }

  /** Whether job payloads travel sealed (a `payloadKey` was given). */
  get sealsPayloads(): boolean {
    return this.#seal !== undefined;
  }

  invoke(call: ToolCall): Promise<unknown> {
    const { signal } = call.context;
    if (signal.aborted) return Promise.reject(signal.reason);
    if (this.#closed) return Promise.reject(new Error("the distributed engine is closed"));
    const secrets = Object.keys(call.secrets ?? {});
    if (secrets.length > 0 && !this.#seal) {
      const names = secrets.map((n) => `"${n}"`).join(", ");
      return Promise.reject(
        new NonRetryableError(
          `workflow "${call.context.workflowName}", step "${call.context.stepId}": not sent to a worker: the run has secret input${secrets.length === 1 ? "" : "s"} ${names}, which the parameters may hold, and the queue would keep them in clear in Redis. set ${PAYLOAD_KEY_ENV} (the same for the coordinator and every worker) to send job payloads encrypted; from code, give BullmqInvoker and StepWorker the same payloadKey`,
        ),
      );
    }
    return new Promise((resolve, reject) => {
      const pending: Pending = {
        jobId: callJobId(call),
        done: false,
        submitted: false,
        missing: 0,
        signal,
        resolve,
        reject,
        onAbort: () => {
          if (!this.#awaited.finish(pending)) return;
          this.stats.abandoned++;
          this.#jobs.cancel(pending.jobId, errorMessage(signal.reason));
          reject(signal.reason);
        },
      };
      if (!this.#awaited.add(pending)) {
        return reject(new Error(`job ${pending.jobId} is awaited already: is another run with the same id running in this process?`));
      }
      this.#jobs.submit(call, pending).catch((error: unknown) => {
        if (this.#awaited.finish(pending)) reject(error);
      });
    });
  }

  /**
   * Stops waiting (attempts still awaited fail) and closes the connections: gracefully within `redisTimeoutMs`, at
   * once when Redis is unreachable. Idempotent.
   */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      clearInterval(this.#watchdog);
      this.#awaited.rejectAll(() => new Error("the distributed engine was closed while the step was running"));
      const clients = await this.#ready.catch(() => undefined);
      if (!clients) return;
      clearInterval(this.#watchdog);
      await closeCoordinator(clients, this.#timeoutMs);
    })();
    return this.#closed;
  }
}

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
 */
import type { Queue, QueueEvents } from "bullmq";
import type { Redis } from "ioredis";
import { errorMessage, NonRetryableError } from "../../src/executor/errors.js";
import type { ToolCall, ToolInvoker } from "../../src/executor/types.js";
import {
  bullConnection,
  cancelChannel,
  checkRedisTimeout,
  connectRedis,
  DEFAULT_REDIS_TIMEOUT_MS,
  readyWithin,
  RedisDataLostError,
  type CancelMessage,
  type RedisHealth,
} from "./connection.js";
import { loadBullmq } from "./deps.js";
import { callJobId, DEFAULT_PREFIX, DEFAULT_QUEUE, jobData, RemoteToolError, unwrapResult, type StepJobData } from "./job.js";
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

interface Pending {
  /** The job awaited (it may change from the attempt's own id to an earlier session's job of the step). */
  jobId: string;
  done: boolean;
  /** Its job is known to be in Redis (added, or found): from then on it must stay there until it finishes. */
  submitted: boolean;
  /** Consecutive checks that found its job gone. */
  missing: number;
  readonly signal: AbortSignal;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  readonly onAbort: () => void;
}

type JobStateName = Awaited<ReturnType<Queue["getJobState"]>>;

interface Clients {
  readonly queue: Queue<StepJobData>;
  readonly events: QueueEvents;
  /** Plain commands: the events stream's end, publishing cancellations, checking that the jobs awaited exist. */
  readonly client: Redis;
  /** The plain client's connection: how long Redis has been unreachable. */
  readonly health: RedisHealth;
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
  readonly #waiters = new Map<string, Pending>();
  /** One abort listener per signal (steps without a timeout share their run's), not one per attempt. */
  readonly #bySignal = new WeakMap<AbortSignal, Set<Pending>>();
  readonly #onError: (error: Error) => void;
  /** Connected and listening (the clients are made once bullmq and ioredis have loaded). */
  readonly #ready: Promise<Clients>;
  #clients: Clients | undefined;
  #closed: Promise<void> | undefined;
  readonly stats: InvokerStats = { submitted: 0, collected: 0, abandoned: 0, lost: 0 };
  readonly #timeoutMs: number;
  readonly #checkIntervalMs: number;
  #watchdog: ReturnType<typeof setInterval> | undefined;
  #checking = false;
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
    this.#ready = this.#connect(connection, keep, options.redis);
    // a failure here is reported by every invoke that awaits it
    this.#ready.catch(() => undefined);
  }

  /**
   * Connects (within `redisTimeoutMs`), starts reading the queue's events from the current end of its stream, and
   * starts watching the jobs awaited.
   */
  async #connect(connection: ReturnType<typeof bullConnection>, keep: number, url: string): Promise<Clients> {
    const { Queue, QueueEvents } = await loadBullmq();
    // the queue connects while the plain client does
    const queue = new Queue<StepJobData>(this.queueName, {
      connection,
      prefix: this.prefix,
      defaultJobOptions: { attempts: 1, removeOnComplete: { age: keep }, removeOnFail: { age: keep } },
    });
    queue.on("error", this.#onError);
    let connected: Awaited<ReturnType<typeof connectRedis>>;
    try {
      connected = await connectRedis(url, "toolweave-coordinator", { timeoutMs: this.#timeoutMs, commandTimeoutMs: this.#timeoutMs });
    } catch (error) {
      void queue.disconnect().catch(() => undefined);
      throw error;
    }
    const { client, health } = connected;
    client.on("error", this.#onError);
    let events: QueueEvents | undefined;
    try {
      await readyWithin(queue.waitUntilReady(), this.#timeoutMs, health);
      const last = (await client.xrevrange(queue.keys.events!, "+", "-", "COUNT", 1)) as [string, string[]][];
      events = new QueueEvents(this.queueName, { connection, prefix: this.prefix, lastEventId: last[0]?.[0] ?? "0-0" });
      events.on("error", this.#onError);
      events.on("completed", ({ jobId, returnvalue }) => {
        const pending = this.#waiters.get(jobId);
        if (pending) this.#resolveWithResult(pending, jobId, returnvalue);
      });
      events.on("failed", ({ jobId, failedReason }) => {
        const pending = this.#waiters.get(jobId);
        if (pending) void this.#rejectWithFailure(pending, jobId, failedReason);
      });
      await readyWithin(events.waitUntilReady(), this.#timeoutMs, health);
    } catch (error) {
      void queue.disconnect().catch(() => undefined);
      void events?.disconnect().catch(() => undefined);
      client.disconnect();
      throw health.commandError(error, this.#timeoutMs);
    }
    this.#clients = { queue, events, client, health };
    if (!this.#closed) {
      this.#watchdog = setInterval(() => this.#check(), this.#checkIntervalMs);
      this.#watchdog.unref();
    }
    return this.#clients;
  }

  /**
   * Bounds the waits of the attempts awaited: all fail once Redis has been unreachable for `redisTimeoutMs`; one whose
   * job is gone (found so twice in a row, since a job finishing with `keepJobsSeconds: 0` is removed before its event
   * arrives) fails with a RedisDataLostError.
   */
  #check(): void {
    const clients = this.#clients;
    if (!clients || this.#waiters.size === 0) return;
    const { health, client, queue } = clients;
    if (health.downForMs() >= this.#timeoutMs) {
      const error = health.unavailable("the step's job can no longer be followed");
      error.message += ". the run can be resumed once Redis is back, if it kept its data";
      for (const pending of [...this.#waiters.values()]) {
        if (!this.#finish(pending)) continue;
        this.stats.lost++;
        pending.reject(error);
      }
      return;
    }
    if (!health.up || this.#checking) return;
    const watched = [...this.#waiters.values()].filter((p) => p.submitted).map((p) => ({ pending: p, jobId: p.jobId }));
    if (watched.length === 0) return;
    this.#checking = true;
    const pipeline = client.pipeline();
    for (const { jobId } of watched) pipeline.exists(queue.toKey(jobId));
    pipeline
      .exec()
      .then(
        (replies) => {
          replies?.forEach(([error, exists], i) => {
            const { pending, jobId } = watched[i]!;
            if (error || pending.done || pending.jobId !== jobId) return;
            if (exists === 1) {
              pending.missing = 0;
              return;
            }
            if (++pending.missing < 2 || !this.#finish(pending)) return;
            this.stats.lost++;
            const lost = new RedisDataLostError(
              health.url,
              `job ${jobId} is no longer in Redis at ${health.url} (queue "${this.queueName}"): Redis was restarted without its data, or flushed, so the step's attempt is lost and the run cannot go on`,
            );
            pending.reject(lost);
            // a worker may still run its tool: it is asked to stop (best effort), as for a cancelled attempt
            const message: CancelMessage = { jobId, reason: lost.message };
            client.publish(cancelChannel(this.prefix, this.queueName), JSON.stringify(message)).catch(() => undefined);
          });
        },
        () => undefined,
      )
      .finally(() => {
        this.#checking = false;
      });
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
          if (!this.#finish(pending)) return;
          this.stats.abandoned++;
          this.#cancel(pending.jobId, errorMessage(signal.reason));
          reject(signal.reason);
        },
      };
      if (this.#waiters.has(pending.jobId)) {
        return reject(new Error(`job ${pending.jobId} is awaited already: is another run with the same id running in this process?`));
      }
      this.#waiters.set(pending.jobId, pending);
      this.#watchSignal(pending);
      this.#submit(call, pending).catch((error: unknown) => {
        if (this.#finish(pending)) reject(error);
      });
    });
  }

  /** Settles nothing itself: marks `pending` done (false if it was already) and stops watching for it. */
  #finish(pending: Pending): boolean {
    if (pending.done) return false;
    pending.done = true;
    if (this.#waiters.get(pending.jobId) === pending) this.#waiters.delete(pending.jobId);
    this.#bySignal.get(pending.signal)?.delete(pending);
    return true;
  }

  #watchSignal(pending: Pending): void {
    let watched = this.#bySignal.get(pending.signal);
    if (!watched) {
      const set = (watched = new Set());
      this.#bySignal.set(pending.signal, set);
      pending.signal.addEventListener(
        "abort",
        () => {
          for (const p of [...set]) p.onAbort();
        },
        { once: true },
      );
    }
    watched.add(pending);
  }

  #rekey(pending: Pending, jobId: string): void {
    if (pending.jobId === jobId) return;
    if (this.#waiters.get(pending.jobId) === pending) this.#waiters.delete(pending.jobId);
    pending.jobId = jobId;
    this.#waiters.set(jobId, pending);
  }

  async #submit(call: ToolCall, pending: Pending): Promise<void> {
    const { queue, health } = await this.#ready;
    // Redis gone for longer than the bound: fail now rather than wait for the next check
    if (health.downForMs() >= this.#timeoutMs) {
      this.stats.lost++;
      throw health.unavailable("the step's job cannot be submitted");
    }
    const own = pending.jobId;
    const found = await this.#earlierJobs(queue, call);
    // (an earlier session's job may have settled `pending` already, through its events: still counted as collected)
    if (found.length > 0) {
      // an earlier session's job: take its result, or wait for it, rather than run the step again
      const target = found.find((f) => f.state === "completed") ?? lastUnfinished(found);
      if (target) {
        this.#rekey(pending, target.id);
        // read again now that its events are watched: it may have finished in between
        const state = target.state === "completed" ? "completed" : await queue.getJobState(target.id);
        if (state !== "failed" && state !== "unknown") {
          // completed: its result; still to finish: its events (it may have finished already, settling `pending`)
          this.stats.collected++;
          pending.submitted = true;
          if (state === "completed" && !pending.done) await this.#collect(queue, pending, target.id);
          return;
        }
        if (pending.done) return;
        this.#rekey(pending, own);
      }
      // it failed (or is gone): this attempt runs afresh
      if (pending.done) return;
      await queue.remove(own);
      if (pending.done) return;
    }
    if (pending.done) return;
    await queue.add(call.toolName, jobData(call, this.#seal && { seal: this.#seal, jobId: own }), { jobId: own });
    pending.submitted = true;
    this.stats.submitted++;
  }

  /**
   * The jobs of this attempt that exist already, with their states; at attempt 1 also those of the later attempts
   * (an earlier session of the run may have been retrying the step when it stopped).
   */
  async #earlierJobs(queue: Queue<StepJobData>, call: ToolCall): Promise<{ id: string; state: JobStateName }[]> {
    const found: { id: string; state: JobStateName }[] = [];
    const first = call.context.attempt;
    for (let attempt = first; ; attempt++) {
      const id = callJobId(call, attempt);
      const state = await queue.getJobState(id);
      if (state === "unknown") break;
      found.push({ id, state });
      if (first !== 1) break;
    }
    return found;
  }

  async #collect(queue: Queue<StepJobData>, pending: Pending, jobId: string): Promise<void> {
    const job = await queue.getJob(jobId);
    this.#resolveWithResult(pending, jobId, job?.returnvalue);
  }

  /** Settles `pending` with the tool's result from its job's return value (opened when sealed), or with why it cannot be read. */
  #resolveWithResult(pending: Pending, jobId: string, returnvalue: unknown): void {
    let value: unknown;
    try {
      value = unwrapResult(returnvalue, jobId, this.#seal);
    } catch (error) {
      if (this.#finish(pending)) pending.reject(error);
      return;
    }
    if (this.#finish(pending)) pending.resolve(value);
  }

  async #rejectWithFailure(pending: Pending, jobId: string, failedReason: string): Promise<void> {
    let failure: StepJobData["failure"];
    try {
      failure = (await this.#clients!.queue.getJob(jobId))?.data.failure;
    } catch (error) {
      this.#onError(error instanceof Error ? error : new Error(String(error)));
    }
    if (this.#finish(pending)) pending.reject(new RemoteToolError(failedReason, failure, jobId, this.#seal));
  }

  /** Removes a job no worker has taken yet; asks the workers to abort it otherwise. Best effort. */
  #cancel(jobId: string, reason: string): void {
    const message: CancelMessage = { jobId, reason };
    void (async () => {
      const { queue, client } = await this.#ready;
      const removed = await queue.remove(jobId);
      if (removed === 0) await client.publish(cancelChannel(this.prefix, this.queueName), JSON.stringify(message));
    })().catch((error: unknown) => this.#onError(error instanceof Error ? error : new Error(String(error))));
  }

  /**
   * Stops waiting (attempts still awaited fail) and closes the connections: gracefully within `redisTimeoutMs`, at
   * once when Redis is unreachable. Idempotent.
   */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      clearInterval(this.#watchdog);
      for (const pending of [...this.#waiters.values()]) {
        if (this.#finish(pending)) pending.reject(new Error("the distributed engine was closed while the step was running"));
      }
      const clients = await this.#ready.catch(() => undefined);
      if (!clients) return;
      clearInterval(this.#watchdog);
      const closing = Promise.allSettled([clients.events.close(), clients.queue.close()]);
      if (clients.health.up) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([closing, new Promise((resolve) => (timer = setTimeout(resolve, this.#timeoutMs)))]);
        clearTimeout(timer);
      }
      // not awaited: BullMQ waits for an "end" that ioredis never emits for a client between reconnection attempts
      // (its disconnect stops those attempts all the same); no-ops for connections that closed
      void clients.events.disconnect().catch(() => undefined);
      void clients.queue.disconnect().catch(() => undefined);
      clients.client.disconnect();
    })();
    return this.#closed;
  }
}

function lastUnfinished(found: readonly { id: string; state: JobStateName }[]): { id: string; state: JobStateName } | undefined {
  for (let i = found.length - 1; i >= 0; i--) if (found[i]!.state !== "failed" && found[i]!.state !== "completed") return found[i];
  return undefined;
}

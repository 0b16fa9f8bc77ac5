/**
 * @module The attempts a coordinator awaits, by the id of the job that answers each one, and every way such a wait
 * ends: the job's outcome from the events stream (its result, opened when sealed, or its failure), the attempt's
 * signal aborting, or the watchdog. The watchdog is there because BullMQ's events alone would leave an attempt waiting
 * forever when Redis stays unreachable or loses the job: every `checkIntervalMs` it fails the attempts awaited once
 * Redis has been unreachable for `redisTimeoutMs` (a {@link RedisUnavailableError}), and an attempt whose job is gone
 * (Redis restarted without its data, or flushed) with a {@link RedisDataLostError}.
 *
 * Each attempt settles once: whichever way comes first takes it out of the map, and the others find it gone.
 */
import { cancelChannel, RedisDataLostError, type CancelMessage } from "./connection.js";
import type { CoordinatorClients } from "./coordinator-clients.js";
import { RemoteToolError, unwrapResult, type StepJobData } from "./job.js";
import type { PayloadSeal } from "./payload-seal.js";

/** One attempt awaited. */
export interface Pending {
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

export interface AwaitedJobsOptions {
  readonly queueName: string;
  readonly prefix: string;
  readonly timeoutMs: number;
  /** Opens sealed results and failures, with `payloadKey`. */
  readonly seal: PayloadSeal | undefined;
  /** The invoker's counters: attempts failed by the watchdog count as lost. */
  readonly stats: { lost: number };
  readonly onError: (error: Error) => void;
  /** The coordinator's connections, once made. */
  readonly clients: () => CoordinatorClients | undefined;
}

export class AwaitedJobs {
  readonly #byJob = new Map<string, Pending>();
  /** One abort listener per signal (steps without a timeout share their run's), not one per attempt. */
  readonly #bySignal = new WeakMap<AbortSignal, Set<Pending>>();
  #checking = false;

  constructor(private readonly options: AwaitedJobsOptions) {}

  /** Awaits `pending`'s job: false, and nothing done, when that job is awaited already. */
  add(pending: Pending): boolean {
    if (this.#byJob.has(pending.jobId)) return false;
    this.#byJob.set(pending.jobId, pending);
    this.#watchSignal(pending);
    return true;
  }

  /** Settles nothing itself: marks `pending` done (false if it was already) and stops watching for it. */
  finish(pending: Pending): boolean {
    if (pending.done) return false;
    pending.done = true;
    if (this.#byJob.get(pending.jobId) === pending) this.#byJob.delete(pending.jobId);
    this.#bySignal.get(pending.signal)?.delete(pending);
    return true;
  }

  /** Awaits another job for `pending` (an earlier session's, or its own again). */
  rekey(pending: Pending, jobId: string): void {
    if (pending.jobId === jobId) return;
    if (this.#byJob.get(pending.jobId) === pending) this.#byJob.delete(pending.jobId);
    pending.jobId = jobId;
    this.#byJob.set(jobId, pending);
  }

  /** Fails every attempt still awaited, each with an error of its own. */
  rejectAll(error: () => Error): void {
    for (const pending of [...this.#byJob.values()]) {
      if (this.finish(pending)) pending.reject(error());
    }
  }

  /** A job completed (from the events stream). */
  completed(jobId: string, returnvalue: unknown): void {
    const pending = this.#byJob.get(jobId);
    if (pending) this.resolveWithResult(pending, jobId, returnvalue);
  }

  /** A job failed (from the events stream). */
  failed(jobId: string, failedReason: string): void {
    const pending = this.#byJob.get(jobId);
    if (pending) void this.#rejectWithFailure(pending, jobId, failedReason);
  }

  /** Settles `pending` with the tool's result from its job's return value (opened when sealed), or with why it cannot be read. */
  resolveWithResult(pending: Pending, jobId: string, returnvalue: unknown): void {
    let value: unknown;
    try {
      value = unwrapResult(returnvalue, jobId, this.options.seal);
    } catch (error) {
      if (this.finish(pending)) pending.reject(error);
      return;
    }
    if (this.finish(pending)) pending.resolve(value);
  }

  async #rejectWithFailure(pending: Pending, jobId: string, failedReason: string): Promise<void> {
    let failure: StepJobData["failure"];
    try {
      failure = (await this.options.clients()!.queue.getJob(jobId))?.data.failure;
    } catch (error) {
      this.options.onError(error instanceof Error ? error : new Error(String(error)));
    }
    if (this.finish(pending)) pending.reject(new RemoteToolError(failedReason, failure, jobId, this.options.seal));
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

  /**
   * The watchdog's round. A job is taken as gone when found so twice in a row, since a job finishing with
   * `keepJobsSeconds: 0` is removed before its event arrives.
   */
  check(): void {
    const clients = this.options.clients();
    if (!clients || this.#byJob.size === 0) return;
    const { health, client, queue } = clients;
    const { queueName, prefix, timeoutMs, stats } = this.options;
    if (health.downForMs() >= timeoutMs) {
      const error = health.unavailable("the step's job can no longer be followed");
      error.message += ". the run can be resumed once Redis is back, if it kept its data";
      for (const pending of [...this.#byJob.values()]) {
        if (!this.finish(pending)) continue;
        stats.lost++;
        pending.reject(error);
      }
      return;
    }
    if (!health.up || this.#checking) return;
    const watched = [...this.#byJob.values()].filter((p) => p.submitted).map((p) => ({ pending: p, jobId: p.jobId }));
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
            if (++pending.missing < 2 || !this.finish(pending)) return;
            stats.lost++;
            const lost = new RedisDataLostError(
              health.url,
              `job ${jobId} is no longer in Redis at ${health.url} (queue "${queueName}"): Redis was restarted without its data, or flushed, so the step's attempt is lost and the run cannot go on`,
            );
            pending.reject(lost);
            // a worker may still run its tool: it is asked to stop (best effort), as for a cancelled attempt
            const message: CancelMessage = { jobId, reason: lost.message };
            client.publish(cancelChannel(prefix, queueName), JSON.stringify(message)).catch(() => undefined);
          });
        },
        () => undefined,
      )
      .finally(() => {
        this.#checking = false;
      });
  }
}

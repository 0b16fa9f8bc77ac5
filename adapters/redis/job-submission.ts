/**
 * @module Putting an attempt's job in the queue, and taking it back. A coordinator that restarted must not run a step
 * again when its earlier session already did, so a job of the same id that already exists is used: completed, its
 * result is taken; still waiting or running, it is awaited; failed, the attempt runs afresh. At attempt 1, the later
 * attempts of that earlier session are looked at too, since it may have been retrying the step when it stopped.
 * Taking a job back (its attempt's signal aborted) removes it if no worker has taken it yet, or else asks the workers,
 * on a Redis channel, to abort its tool's signal.
 */
import type { Queue } from "bullmq";
import type { ToolCall } from "../../src/executor/types.js";
import { cancelChannel, type CancelMessage } from "./connection.js";
import type { AwaitedJobs, Pending } from "./awaited-jobs.js";
import type { CoordinatorClients } from "./coordinator-clients.js";
import { callJobId, jobData, type StepJobData } from "./job.js";
import type { PayloadSeal } from "./payload-seal.js";

type JobStateName = Awaited<ReturnType<Queue["getJobState"]>>;

export interface JobSubmitterOptions {
  readonly queueName: string;
  readonly prefix: string;
  /** The coordinator's connections, once made. */
  readonly ready: Promise<CoordinatorClients>;
  readonly awaited: AwaitedJobs;
  readonly timeoutMs: number;
  /** Seals job payloads, with `payloadKey`. */
  readonly seal: PayloadSeal | undefined;
  /** The invoker's counters. */
  readonly stats: { submitted: number; collected: number; lost: number };
  readonly onError: (error: Error) => void;
}

export class JobSubmitter {
  constructor(private readonly options: JobSubmitterOptions) {}

  /** Adds the job of `call`'s attempt, or points `pending` at the job of an earlier session that answers it. */
  async submit(call: ToolCall, pending: Pending): Promise<void> {
    const { awaited, stats, timeoutMs, seal } = this.options;
    const { queue, health } = await this.options.ready;
    // Redis gone for longer than the bound: fail now rather than wait for the next check
    if (health.downForMs() >= timeoutMs) {
      stats.lost++;
      throw health.unavailable("the step's job cannot be submitted");
    }
    const own = pending.jobId;
    const found = await earlierJobs(queue, call);
    // (an earlier session's job may have settled `pending` already, through its events: still counted as collected)
    if (found.length > 0) {
      // an earlier session's job: take its result, or wait for it, rather than run the step again
      const target = found.find((f) => f.state === "completed") ?? lastUnfinished(found);
      if (target) {
        awaited.rekey(pending, target.id);
        // read again now that its events are watched: it may have finished in between
        const state = target.state === "completed" ? "completed" : await queue.getJobState(target.id);
        if (state !== "failed" && state !== "unknown") {
          // completed: its result; still to finish: its events (it may have finished already, settling `pending`)
          stats.collected++;
          pending.submitted = true;
          if (state === "completed" && !pending.done) await this.#collect(queue, pending, target.id);
          return;
        }
        if (pending.done) return;
        awaited.rekey(pending, own);
      }
      // it failed (or is gone): this attempt runs afresh
      if (pending.done) return;
      await queue.remove(own);
      if (pending.done) return;
    }
    if (pending.done) return;
    await queue.add(call.toolName, jobData(call, seal && { seal, jobId: own }), { jobId: own });
    pending.submitted = true;
    stats.submitted++;
  }

  async #collect(queue: Queue<StepJobData>, pending: Pending, jobId: string): Promise<void> {
    const job = await queue.getJob(jobId);
    this.options.awaited.resolveWithResult(pending, jobId, job?.returnvalue);
  }

  /** Removes a job no worker has taken yet; asks the workers to abort it otherwise. Best effort. */
  cancel(jobId: string, reason: string): void {
    const { queueName, prefix, onError } = this.options;
    const message: CancelMessage = { jobId, reason };
    void (async () => {
      const { queue, client } = await this.options.ready;
      const removed = await queue.remove(jobId);
      if (removed === 0) await client.publish(cancelChannel(prefix, queueName), JSON.stringify(message));
    })().catch((error: unknown) => onError(error instanceof Error ? error : new Error(String(error))));
  }
}

/**
 * The jobs of this attempt that exist already, with their states; at attempt 1 also those of the later attempts
 * (an earlier session of the run may have been retrying the step when it stopped).
 */
async function earlierJobs(queue: Queue<StepJobData>, call: ToolCall): Promise<{ id: string; state: JobStateName }[]> {
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

function lastUnfinished(found: readonly { id: string; state: JobStateName }[]): { id: string; state: JobStateName } | undefined {
  for (let i = found.length - 1; i >= 0; i--) if (found[i]!.state !== "failed" && found[i]!.state !== "completed") return found[i];
  return undefined;
}

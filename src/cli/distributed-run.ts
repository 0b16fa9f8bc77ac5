/**
 * @module `weave run <file> --redis <url>` and `weave resume <id> --redis <url>`: the process is the coordinator of a
 * distributed run. It runs the workflow with the same executor as ever, but each step's tool call is a job that
 * `weave worker` processes take from the queue; and the run is always durable, journaled in Redis, so that a
 * coordinator that stops can be resumed from any machine (`weave resume <id> --redis <url>`), collecting the jobs that
 * finished meanwhile.
 */
import { randomUUID } from "node:crypto";
import { checkRedisUrl, redactRedisUrl } from "../distributed/connection.js";
import { BullmqInvoker } from "../distributed/invoker.js";
import { DEFAULT_QUEUE } from "../distributed/job.js";
import type { ToolInvoker } from "../executor/types.js";
import { RedisJournalStore } from "../journal/redis-store.js";
import { UserError } from "./errors.js";

export interface DistributedOptions {
  /** Redis URL: run as the coordinator of a distributed run. */
  redis?: string;
  /** The queue of step jobs. @default "steps" */
  queue?: string;
  /** Redis key prefix of the queue and the journal. @default "toolweave" */
  prefix?: string;
}

/** commander parser of `--redis`. */
export function parseRedisUrl(text: string): string {
  try {
    return checkRedisUrl(text);
  } catch (error) {
    throw new UserError(`--redis: ${(error as Error).message}`);
  }
}

/** commander parser of `--queue`. */
export function parseQueueName(text: string): string {
  if (!/^[A-Za-z0-9._-]{1,100}$/.test(text)) throw new UserError(`--queue: "${text}" cannot name a queue: use letters, digits, ".", "_" and "-"`);
  return text;
}

/**
 * A distributed run is journaled (in Redis): it gets a run id when `--run-id` gave none, and the user is told how to
 * resume it. Other runs are returned as they are.
 */
export function withDistributedRunId<T extends DistributedOptions & { runId?: string; resume?: boolean }>(options: T): T {
  if (options.redis === undefined || options.resume) return options;
  const runId = options.runId ?? `run-${new Date().toISOString().slice(0, 10)}-${randomUUID().slice(0, 8)}`;
  process.stderr.write(
    `weave: distributed run "${runId}": weave worker processes run its steps (queue "${options.queue ?? DEFAULT_QUEUE}" on ${redactRedisUrl(options.redis)}); if this process stops, weave resume ${runId} --redis <url> finishes it\n`,
  );
  return { ...options, runId };
}

/** The journal store of a distributed run: Redis, under the run's prefix. */
export function distributedJournalStore(options: DistributedOptions): RedisJournalStore | undefined {
  if (options.redis === undefined) return undefined;
  return new RedisJournalStore({ redis: options.redis, ...(options.prefix === undefined ? {} : { prefix: options.prefix }) });
}

const invokers = new Map<string, BullmqInvoker>();

/** Executor options that make tool calls jobs for `weave worker` processes; none for a run without `--redis`. */
export function distributedEngine(options: DistributedOptions): { invoker?: ToolInvoker } {
  if (options.redis === undefined) return {};
  const key = JSON.stringify([options.redis, options.queue, options.prefix]);
  let invoker = invokers.get(key);
  if (!invoker) {
    invoker = new BullmqInvoker({
      redis: options.redis,
      ...(options.queue === undefined ? {} : { queue: options.queue }),
      ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
      onError: warnOnce(),
    });
    invokers.set(key, invoker);
    const queue = options.queue ?? DEFAULT_QUEUE;
    invoker.workerCount().then(
      (n) => {
        if (n === 0) process.stderr.write(`weave: warning: no weave worker takes jobs from queue "${queue}" on ${redactRedisUrl(options.redis!)} yet: steps wait until one starts (weave worker --redis <url> --tools <module>)\n`);
      },
      () => undefined,
    );
  }
  return { invoker };
}

function warnOnce(): (error: Error) => void {
  const said = new Set<string>();
  return (error) => {
    if (said.has(error.message)) return;
    said.add(error.message);
    process.stderr.write(`weave: warning: ${error.message}\n`);
  };
}

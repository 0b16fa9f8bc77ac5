/**
 * @module The coordinator's connections to Redis: the BullMQ queue step jobs are added to, the `QueueEvents` stream
 * their outcomes are read from, and a plain client for the rest. Opening and closing them are bounded by
 * `redisTimeoutMs`, like every other wait on Redis, so a coordinator never hangs on an unreachable Redis.
 */
import type { Queue, QueueEvents } from "bullmq";
import type { Redis } from "ioredis";
import { type bullConnection, connectRedis, readyWithin, type RedisHealth } from "./connection.js";
import { loadBullmq } from "./deps.js";
import type { StepJobData } from "./job.js";

export interface CoordinatorClients {
  readonly queue: Queue<StepJobData>;
  readonly events: QueueEvents;
  /** Plain commands: the events stream's end, publishing cancellations, checking that the jobs awaited exist. */
  readonly client: Redis;
  /** The plain client's connection: how long Redis has been unreachable. */
  readonly health: RedisHealth;
}

export interface CoordinatorConnectOptions {
  readonly url: string;
  /** From `bullConnection(url)`, made by the caller so that a bad URL throws before anything is attempted. */
  readonly connection: ReturnType<typeof bullConnection>;
  readonly queueName: string;
  readonly prefix: string;
  readonly keepJobsSeconds: number;
  readonly timeoutMs: number;
  readonly onError: (error: Error) => void;
  /** A job's outcome, from the events stream. */
  readonly onCompleted: (jobId: string, returnvalue: unknown) => void;
  readonly onFailed: (jobId: string, failedReason: string) => void;
}

/**
 * Connects (within `timeoutMs`) and starts reading the queue's events from the current end of their stream, so no
 * outcome of a job added from now on can be missed.
 * @throws RedisUnavailableError naming the URL
 */
export async function connectCoordinator(options: CoordinatorConnectOptions): Promise<CoordinatorClients> {
  const { connection, queueName, prefix, timeoutMs, onError } = options;
  const keep = options.keepJobsSeconds;
  const { Queue, QueueEvents } = await loadBullmq();
  // the queue connects while the plain client does
  const queue = new Queue<StepJobData>(queueName, {
    connection,
    prefix,
    defaultJobOptions: { attempts: 1, removeOnComplete: { age: keep }, removeOnFail: { age: keep } },
  });
  queue.on("error", onError);
  let connected: Awaited<ReturnType<typeof connectRedis>>;
  try {
    connected = await connectRedis(options.url, "toolweave-coordinator", { timeoutMs, commandTimeoutMs: timeoutMs });
  } catch (error) {
    void queue.disconnect().catch(() => undefined);
    throw error;
  }
  const { client, health } = connected;
  client.on("error", onError);
  let events: QueueEvents | undefined;
  try {
    await readyWithin(queue.waitUntilReady(), timeoutMs, health);
    const last = (await client.xrevrange(queue.keys.events!, "+", "-", "COUNT", 1)) as [string, string[]][];
    events = new QueueEvents(queueName, { connection, prefix, lastEventId: last[0]?.[0] ?? "0-0" });
    events.on("error", onError);
    events.on("completed", ({ jobId, returnvalue }) => options.onCompleted(jobId, returnvalue));
    events.on("failed", ({ jobId, failedReason }) => options.onFailed(jobId, failedReason));
    await readyWithin(events.waitUntilReady(), timeoutMs, health);
  } catch (error) {
    void queue.disconnect().catch(() => undefined);
    void events?.disconnect().catch(() => undefined);
    client.disconnect();
    throw health.commandError(error, timeoutMs);
  }
  return { queue, events, client, health };
}

/** Closes the connections: gracefully within `timeoutMs`, at once when Redis is unreachable. */
export async function closeCoordinator(clients: CoordinatorClients, timeoutMs: number): Promise<void> {
  const closing = Promise.allSettled([clients.events.close(), clients.queue.close()]);
  if (clients.health.up) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([closing, new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
  }
  // not awaited: BullMQ waits for an "end" that ioredis never emits for a client between reconnection attempts
  // (its disconnect stops those attempts all the same); no-ops for connections that closed
  void clients.events.disconnect().catch(() => undefined);
  void clients.queue.disconnect().catch(() => undefined);
  clients.client.disconnect();
}

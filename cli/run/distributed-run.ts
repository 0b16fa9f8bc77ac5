/**
 * @module `weave run <file> --redis <url>` and `weave resume <id> --redis <url>`: the process is the coordinator of a
 * distributed run. It runs the workflow with the same executor as ever, but each step's tool call is a job that
 * `weave worker` processes take from the queue; and the run is always durable, journaled in Redis, so that a
 * coordinator that stops can be resumed from any machine (`weave resume <id> --redis <url>`), collecting the jobs that
 * finished meanwhile.
 *
 * No wait on Redis is unbounded (`--redis-timeout`, default 10 s): a Redis unreachable at start is the user's error
 * (exit 2, naming the URL); one lost mid-run for longer, or restarted without its data, fails the run's steps and its
 * journal, so the run fails with a message naming the URL.
 *
 * Secrets. With `WEAVE_PAYLOAD_KEY` set (the same for the coordinator and every worker), step jobs carry their
 * parameters and the run's secret inputs sealed, and results come back sealed. A run that has secret inputs is refused
 * without it, before it starts: BullMQ would keep them in clear in Redis. The key is read from the environment only,
 * never from a flag (a command line is visible to the other users of the machine).
 */
import { randomUUID } from "node:crypto";
import { checkRedisUrl, DEFAULT_REDIS_TIMEOUT_MS, redactRedisUrl, RedisUnavailableError } from "../../adapters/redis/connection.js";
import { BullmqInvoker } from "../../adapters/redis/invoker.js";
import { DEFAULT_QUEUE } from "../../adapters/redis/job.js";
import { PAYLOAD_KEY_ENV } from "../../adapters/redis/payload-seal.js";
import type { ToolInvoker } from "../../src/executor/types.js";
import { RedisJournalStore, type RedisJournalStoreOptions } from "../../adapters/redis/journal-store.js";
import type { JournalContents, JournalHeader, RunJournal } from "../../src/journal/types.js";
import type { SecretMask } from "../../src/secrets/mask.js";
import { UserError } from "../../src/util/user-error.js";

export interface DistributedOptions {
  /** Redis URL: run as the coordinator of a distributed run. */
  redis?: string;
  /** The queue of step jobs. @default "steps" */
  queue?: string;
  /** Redis key prefix of the queue and the journal. @default "toolweave" */
  prefix?: string;
  /** The longest wait on an unreachable Redis, in ms: at start, and for a connection lost mid-run. @default 10000 */
  redisTimeout?: number;
}

/** commander parser of `--redis`. */
export function parseRedisUrl(text: string): string {
  try {
    return checkRedisUrl(text);
  } catch (error) {
    throw new UserError(`--redis: ${(error as Error).message}`);
  }
}

/** commander parser of `--redis-timeout`. */
export function parseRedisTimeout(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 100)
    throw new UserError(`--redis-timeout must be a number of milliseconds of at least 100, got "${text}"`);
  return n;
}

/** The help of `--redis-timeout`, the same for run, resume and worker. */
export const REDIS_TIMEOUT_HELP = `how long to wait for an unreachable Redis before failing: at start, and for a connection lost mid-run (default: ${DEFAULT_REDIS_TIMEOUT_MS})`;

/** What to do about a Redis that cannot be reached (the message names its URL). */
export function redisUnavailableHints(): string[] {
  return [
    "start Redis there (or pass the URL of one that runs: --redis redis://host:port), then run this again",
    "to wait longer for it: --redis-timeout <ms>",
  ];
}

/**
 * The passphrase job payloads are sealed with: `WEAVE_PAYLOAD_KEY`, or undefined when it is not set.
 * @throws UserError when it is set but empty (a variable meant to hold the key, expanded from nothing)
 */
export function payloadKeyFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const key = env[PAYLOAD_KEY_ENV];
  if (key === undefined) return undefined;
  if (key === "") {
    throw new UserError(`${PAYLOAD_KEY_ENV} is set but empty: it must be the passphrase that job payloads are encrypted with`, [
      `set it to the same passphrase for the coordinator (weave run/resume --redis) and every weave worker (e.g. one made with: openssl rand -base64 32), or unset it`,
    ]);
  }
  return key;
}

/**
 * A distributed run that has secret inputs needs a payload key: without one, its step jobs would keep the secrets in
 * clear in Redis. Refused before the run starts (exit 2), saying how to fix it; so is an empty `WEAVE_PAYLOAD_KEY`.
 */
export function checkSecretsCanTravel(options: DistributedOptions, mask: SecretMask): void {
  if (options.redis === undefined) return;
  // (an empty key is refused here too, before the run starts)
  const key = payloadKeyFromEnv();
  const names = mask.names;
  if (names.length === 0 || key !== undefined) return;
  const list = names.map((n) => `"${n}"`).join(", ");
  throw new UserError(
    `the run has secret input${names.length === 1 ? "" : "s"} ${list}, and a distributed run (--redis) sends each step's parameters to its workers as job data, which Redis would keep in clear`,
    [
      `set ${PAYLOAD_KEY_ENV} to a passphrase, the same for this process and every weave worker of the queue: job payloads then travel encrypted`,
    ],
  );
}

/** commander parser of `--queue`. */
export function parseQueueName(text: string): string {
  if (!/^[A-Za-z0-9._-]{1,100}$/.test(text))
    throw new UserError(`--queue: "${text}" cannot name a queue: use letters, digits, ".", "_" and "-"`);
  return text;
}

/**
 * A distributed run is journaled (in Redis): it gets a run id when `--run-id` gave none. The user is told how to
 * resume it once its journal exists (see {@link distributedJournalStore}). Other runs are returned as they are.
 */
export function withDistributedRunId<T extends DistributedOptions & { runId?: string; resume?: boolean }>(options: T): T {
  if (options.redis === undefined || options.resume) return options;
  const runId = options.runId ?? `run-${new Date().toISOString().slice(0, 10)}-${randomUUID().slice(0, 8)}`;
  return { ...options, runId };
}

/**
 * The journal store of the CLI's distributed runs: a Redis that cannot be reached is the user's error (exit 2, naming
 * the URL and what to do), not an internal one; and a new run says how to resume it once its journal exists.
 */
class CliRedisJournalStore extends RedisJournalStore {
  readonly #url: string;
  readonly #queue: string;

  constructor(options: RedisJournalStoreOptions & { queue: string }) {
    const { queue, ...store } = options;
    super(store);
    this.#url = options.redis;
    this.#queue = queue;
  }

  override async create(header: JournalHeader): Promise<RunJournal> {
    const journal = await this.#userErrors(super.create(header));
    process.stderr.write(
      `weave: distributed run "${header.runId}": weave worker processes run its steps (queue "${this.#queue}" on ${redactRedisUrl(this.#url)}); if this process stops, weave resume ${header.runId} --redis <url> finishes it\n`,
    );
    return journal;
  }

  override open(runId: string): Promise<RunJournal> {
    return this.#userErrors(super.open(runId));
  }

  override read(runId: string): Promise<JournalContents> {
    return this.#userErrors(super.read(runId));
  }

  override holder(runId: string): Promise<string | undefined> {
    return this.#userErrors(super.holder(runId));
  }

  async #userErrors<T>(promise: Promise<T>): Promise<T> {
    try {
      return await promise;
    } catch (error) {
      if (error instanceof RedisUnavailableError) throw new UserError(error.message, redisUnavailableHints());
      throw error;
    }
  }
}

/** The journal store of a distributed run: Redis, under the run's prefix. */
export function distributedJournalStore(options: DistributedOptions): RedisJournalStore | undefined {
  if (options.redis === undefined) return undefined;
  return new CliRedisJournalStore({
    redis: options.redis,
    queue: options.queue ?? DEFAULT_QUEUE,
    ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
    ...(options.redisTimeout === undefined ? {} : { redisTimeoutMs: options.redisTimeout }),
  });
}

const invokers = new Map<string, BullmqInvoker>();

/** Executor options that make tool calls jobs for `weave worker` processes; none for a run without `--redis`. */
export function distributedEngine(options: DistributedOptions): { invoker?: ToolInvoker } {
  if (options.redis === undefined) return {};
  const key = JSON.stringify([options.redis, options.queue, options.prefix, options.redisTimeout]);
  let invoker = invokers.get(key);
  if (!invoker) {
    const payloadKey = payloadKeyFromEnv();
    invoker = new BullmqInvoker({
      redis: options.redis,
      ...(options.queue === undefined ? {} : { queue: options.queue }),
      ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
      ...(options.redisTimeout === undefined ? {} : { redisTimeoutMs: options.redisTimeout }),
      ...(payloadKey === undefined ? {} : { payloadKey }),
      onError: warnOnce(),
    });
    invokers.set(key, invoker);
    const queue = options.queue ?? DEFAULT_QUEUE;
    invoker.workerCount().then(
      (n) => {
        if (n === 0)
          process.stderr.write(
            `weave: warning: no weave worker takes jobs from queue "${queue}" on ${redactRedisUrl(options.redis!)} yet: steps wait until one starts (weave worker --redis <url> --tools <module>)\n`,
          );
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

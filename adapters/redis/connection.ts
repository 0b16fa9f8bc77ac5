/**
 * @module Redis connections of the distributed engine: one URL (`redis://[user:password@]host:port[/db]`,
 * `rediss://` for TLS) for BullMQ and for the plain ioredis clients (the cancellation channel, the journal store).
 *
 * Every wait on Redis is bounded by one setting, `redisTimeoutMs` (`--redis-timeout`, default 10 s): connecting at
 * start (each client; then a {@link RedisUnavailableError} naming the URL), a lost connection coming back, a command's
 * reply.
 */
import type { Redis } from "ioredis";
import { loadIoredis } from "./deps.js";

/** How long any wait on an unreachable Redis lasts, by default: to connect, for a lost connection, for a reply. */
export const DEFAULT_REDIS_TIMEOUT_MS = 10_000;

/** The URL without its password, for messages and journal locations. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString().replace(/\/$/, "");
  } catch {
    return "redis (unparsable URL)";
  }
}

/**
 * @throws TypeError naming what is wrong, before any connection is attempted
 */
export function checkRedisUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`"${url}" is not a Redis URL: expecting redis://host:port (or rediss:// for TLS)`);
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") {
    throw new TypeError(`"${redactRedisUrl(url)}" is not a Redis URL: expecting redis://host:port (or rediss:// for TLS)`);
  }
  return url;
}

/** @throws TypeError unless `ms` is an integer of at least 100 */
export function checkRedisTimeout(ms: number, name = "redisTimeoutMs"): number {
  if (!Number.isInteger(ms) || ms < 100)
    throw new TypeError(`${name} must be an integer of at least 100 (milliseconds), got ${String(ms)}`);
  return ms;
}

/** Reconnection delays: soon after a blip, then every second (BullMQ's own default grows to 20 s). */
function reconnectDelay(times: number): number {
  return Math.min(times * 100, 1000);
}

/** BullMQ connection options for a URL (BullMQ makes its own clients from them). */
export function bullConnection(url: string): { url: string; retryStrategy: (times: number) => number } {
  return { url: checkRedisUrl(url), retryStrategy: reconnectDelay };
}

const seconds = (ms: number): string => (ms < 1000 ? `${Math.round(ms)} ms` : `${Number((ms / 1000).toFixed(1))} s`);

/**
 * Redis cannot be reached: at start (nothing answered within `redisTimeoutMs`, or it refused the credentials), or the
 * connection was lost for longer than that. `nonRetryable`: an attempt that failed with it is not retried.
 */
export class RedisUnavailableError extends Error {
  override readonly name = "RedisUnavailableError";
  readonly code = "REDIS_UNAVAILABLE";
  readonly nonRetryable = true;
  constructor(
    /** The URL without its password. */
    readonly url: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Redis no longer has what it had: the jobs awaited (or a run's journal) are gone, because Redis was restarted without
 * its data (no persistence) or flushed. Not retried: the run cannot go on.
 */
export class RedisDataLostError extends Error {
  override readonly name = "RedisDataLostError";
  readonly code = "REDIS_DATA_LOST";
  readonly nonRetryable = true;
  constructor(
    readonly url: string,
    message: string,
  ) {
    super(message);
  }
}

/** Errors that say the credentials (or the database) are wrong: retrying does not help. */
const REFUSED = /WRONGPASS|NOAUTH|NOPERM|invalid password|invalid username|ERR AUTH|ERR DB index/i;

/**
 * Whether a client reaches Redis, and since when it does not: kept from the client's events (`ready`, `close`,
 * `error`), so asking costs nothing.
 */
export class RedisHealth {
  /** The URL without its password. */
  readonly url: string;
  #downSince: number | undefined = performance.now();
  #lastError: Error | undefined;
  readonly #listeners = new Set<(up: boolean) => void>();

  constructor(client: Redis, url: string) {
    this.url = redactRedisUrl(url);
    client.on("ready", () => {
      if (this.#downSince === undefined) return;
      this.#downSince = undefined;
      for (const listener of this.#listeners) listener(true);
    });
    client.on("error", (error: Error) => {
      this.#lastError = error;
    });
    client.on("close", () => {
      if (this.#downSince !== undefined) return;
      this.#downSince = performance.now();
      // until the reconnection attempts say more (ECONNREFUSED, ...)
      this.#lastError = new Error("the connection closed");
      for (const listener of this.#listeners) listener(false);
    });
  }

  /** Connected (and past the handshake) now. */
  get up(): boolean {
    return this.#downSince === undefined;
  }

  /** How long the connection has been down (0 while it is up; since the client was made, before it first connected). */
  downForMs(): number {
    return this.#downSince === undefined ? 0 : performance.now() - this.#downSince;
  }

  /** The last connection error, as a reason: `connect ECONNREFUSED 127.0.0.1:6379`. */
  reason(): string {
    return this.#lastError?.message ?? "no answer";
  }

  /** Told when the connection is lost (`false`) and when it is back (`true`). */
  onChange(listener: (up: boolean) => void): void {
    this.#listeners.add(listener);
  }

  /** The error for a connection down for `downForMs()`: names the URL, the reason and what to do. */
  unavailable(what: string): RedisUnavailableError {
    return new RedisUnavailableError(
      this.url,
      `${what}: Redis at ${this.url} has been unreachable for ${seconds(this.downForMs())} (${this.reason()})`,
    );
  }

  /**
   * An error of a command, as the caller should see it: Redis's own replies (`ReplyError`) as they are; a reply that
   * did not come within the command timeout, or a connection that closed under it, as a {@link RedisUnavailableError}.
   */
  commandError(error: unknown, timeoutMs: number): unknown {
    if (!(error instanceof Error) || error.name === "ReplyError") return error;
    if (error.message === "Command timed out") {
      return new RedisUnavailableError(
        this.url,
        `Redis at ${this.url} did not answer within ${seconds(timeoutMs)}${this.up ? "" : ` (${this.reason()})`}`,
        { cause: error },
      );
    }
    if (/Connection is closed|max retries per request|Stream isn't writeable/i.test(error.message)) {
      return new RedisUnavailableError(
        this.url,
        `lost the connection to Redis at ${this.url} (${this.up ? error.message : this.reason()})`,
        { cause: error },
      );
    }
    return error;
  }
}

export interface ConnectOptions {
  /** Give up connecting after this long (a {@link RedisUnavailableError}). */
  readonly timeoutMs: number;
  /**
   * Each command waits this long for its reply, including for a lost connection to come back (commands wait for
   * the reconnection instead of failing at once). @default no limit (a subscriber: it only subscribes once connected)
   */
  readonly commandTimeoutMs?: number;
  /** Stops trying to connect (the promise rejects with the signal's reason). */
  readonly signal?: AbortSignal;
}

/**
 * A plain ioredis client, connected: resolves once Redis answered (past AUTH and SELECT), within `timeoutMs`.
 * @throws RedisUnavailableError naming the URL and the last connection error: nothing answered within `timeoutMs`,
 * or Redis refused the credentials (at once: retrying would not help)
 */
export async function connectRedis(url: string, name: string, options: ConnectOptions): Promise<{ client: Redis; health: RedisHealth }> {
  checkRedisUrl(url);
  const { Redis } = await loadIoredis();
  options.signal?.throwIfAborted();
  const client = new Redis(url, {
    connectionName: name,
    maxRetriesPerRequest: null,
    connectTimeout: Math.min(options.timeoutMs, 10_000),
    retryStrategy: reconnectDelay,
    ...(options.commandTimeoutMs === undefined ? {} : { commandTimeout: options.commandTimeoutMs }),
  });
  const health = new RedisHealth(client, url);
  try {
    await untilReady(client, health, options.timeoutMs, options.signal);
  } catch (error) {
    client.disconnect();
    throw error;
  }
  return { client, health };
}

function untilReady(client: Redis, health: RedisHealth, timeoutMs: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (error?: unknown): void => {
      clearTimeout(timer);
      client.off("ready", onReady);
      client.off("error", onError);
      signal?.removeEventListener("abort", onAbort);
      if (error === undefined) resolve();
      else reject(error);
    };
    const onReady = (): void => done();
    const onError = (error: Error): void => {
      if (REFUSED.test(error.message))
        done(new RedisUnavailableError(health.url, `cannot connect to Redis at ${health.url}: ${error.message}`, { cause: error }));
    };
    const onAbort = (): void => done(signal!.reason);
    const timer = setTimeout(
      () =>
        done(
          new RedisUnavailableError(
            health.url,
            `cannot connect to Redis at ${health.url}: ${health.reason()} (kept trying for ${seconds(timeoutMs)})`,
          ),
        ),
      timeoutMs,
    );
    client.on("ready", onReady);
    client.on("error", onError);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * `promise` (a BullMQ client's `waitUntilReady`, which waits as long as it takes), or a {@link RedisUnavailableError}
 * after `timeoutMs`, saying whether Redis is unreachable (from `health`, a plain client's connection) or answers but
 * the BullMQ client was still not ready.
 */
export function readyWithin<T>(promise: Promise<T>, timeoutMs: number, health: RedisHealth, signal?: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => finish(() => reject(signal!.reason));
    const finish = (settle: () => void): void => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      settle();
    };
    const timer = setTimeout(() => {
      const why = health.up
        ? `it answers, but BullMQ's connection was not ready within ${seconds(timeoutMs)}`
        : `${health.reason()} (kept trying for ${seconds(timeoutMs)})`;
      finish(() => reject(new RedisUnavailableError(health.url, `cannot connect to Redis at ${health.url}: ${why}`)));
    }, timeoutMs);
    signal?.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => finish(() => resolve(value)),
      (error: unknown) => finish(() => reject(error)),
    );
  });
}

/** The channel on which coordinators ask workers to abort a running job: `<prefix>:<queue>:cancel`. */
export function cancelChannel(prefix: string, queue: string): string {
  return `${prefix}:${queue}:cancel`;
}

export interface CancelMessage {
  readonly jobId: string;
  readonly reason: string;
}

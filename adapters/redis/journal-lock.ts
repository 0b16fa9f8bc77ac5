/**
 * @module The lock on a run while a coordinator has its journal open in Redis: `<prefix>:journal:{<runId>}:lock` holds
 * `{token, pid, host, since}`, set with SET NX PX and kept alive by a heartbeat (PEXPIRE every third of `lockTtlMs`,
 * only while it still holds that owner's token), so two coordinators never run the same run.
 *
 * A lock whose owner is gone is taken over at once when the owner ran on this host and its pid no longer names a live
 * process (a coordinator killed with SIGKILL and restarted here); from another host, once its TTL lapses.
 */
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { RunLockedError } from "../../src/journal/errors.js";
import { processAlive } from "../../src/journal/run-lock.js";
import { journalGone, type JournalConnection } from "./journal-scripts.js";

interface Holder {
  readonly token: string;
  readonly pid: number;
  readonly host: string;
  readonly since: string;
}

const LAPSED = "the run's lock lapsed and another process may have taken the run";

/**
 * Takes the lock `key` of `runId` for this process.
 * @throws RunLockedError when a live owner holds the run
 */
export async function acquireRunLock(
  connection: JournalConnection,
  runId: string,
  key: string,
  headerKey: string,
  ttlMs: number,
): Promise<RedisLock> {
  const { redis } = connection;
  const me: Holder = { token: randomBytes(12).toString("hex"), pid: process.pid, host: hostname(), since: new Date().toISOString() };
  const mine = JSON.stringify(me);
  for (let tries = 0; tries < 5; tries++) {
    if ((await redis.set(key, mine, "PX", ttlMs, "NX")) === "OK") return new RedisLock(connection, key, headerKey, mine, ttlMs);
    const seen = await redis.get(key);
    if (seen === null) continue; // released or lapsed meanwhile
    const holder = parseHolder(seen);
    if (holder && !ownerGone(holder)) throw new RunLockedError(runId, describeHolder(holder), key);
    // its owner died on this host (or the lock is unreadable): take it, unless someone else just did
    if ((await redis.twTakeOver(key, seen, mine, ttlMs)) === 1) return new RedisLock(connection, key, headerKey, mine, ttlMs);
  }
  throw new RunLockedError(runId, "another process (the lock kept changing hands)", key);
}

/** Who a lock's value names, if that owner may still be alive: a look, not a lock. */
export function liveHolder(text: string | null): string | undefined {
  const holder = text === null ? undefined : parseHolder(text);
  if (!holder || ownerGone(holder)) return undefined;
  return describeHolder(holder);
}

/** The run's lock while a journal is open: renewed in the background, released on close. */
export class RedisLock {
  #timer: ReturnType<typeof setInterval> | undefined;
  #released: Promise<void> | undefined;
  /** Set when a renewal found the lock taken, or the journal gone: appends fail from then on. */
  lost: string | undefined;

  constructor(
    readonly connection: JournalConnection,
    readonly key: string,
    readonly headerKey: string,
    readonly holder: string,
    ttl: number,
  ) {
    const { redis, health } = connection;
    this.#timer = setInterval(
      () => {
        // (a renewal waits for Redis at most redisTimeoutMs; while it is down, the lock lapses in Redis's time, and the
        // fenced appends find that out when it is back)
        if (!health.up) return;
        redis.twRenew(key, headerKey, holder, ttl).then(
          (renewed) => {
            if (renewed <= 0 && this.#timer !== undefined) this.lost ??= renewed < 0 ? journalGone(health.url) : LAPSED;
          },
          () => undefined,
        );
      },
      Math.max(30, Math.floor(ttl / 3)),
    );
    this.#timer.unref();
  }

  release(): Promise<void> {
    this.#released ??= (async () => {
      clearInterval(this.#timer);
      this.#timer = undefined;
      // nothing to release in a Redis that has been gone for the whole bound (the lock lapses by itself)
      if (this.connection.health.downForMs() >= this.connection.timeoutMs) return;
      await this.connection.redis.twRelease(this.key, this.holder).catch(() => undefined);
    })();
    return this.#released;
  }
}

function parseHolder(text: string): Holder | undefined {
  try {
    const value = JSON.parse(text) as Partial<Holder>;
    if (typeof value.token === "string" && typeof value.pid === "number" && typeof value.host === "string") return value as Holder;
  } catch {
    // not ours
  }
  return undefined;
}

/** An owner on this host whose process is gone (another host's owner is gone when its lock lapses). */
function ownerGone(holder: Holder): boolean {
  return holder.host === hostname() && !processAlive(holder.pid);
}

function describeHolder(holder: Holder): string {
  if (holder.pid === process.pid && holder.host === hostname()) return `this process (pid ${holder.pid}, since ${holder.since})`;
  return `process ${holder.pid} on host ${holder.host} (since ${holder.since})`;
}

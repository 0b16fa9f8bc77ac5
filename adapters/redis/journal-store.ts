/**
 * @module A run journal store in Redis, for distributed runs: a coordinator that dies can be restarted anywhere that
 * reaches Redis and resume its runs. Per run (`{runId}` is a hash tag, so all of a run's keys live in one cluster slot):
 *
 * - `<prefix>:journal:{<runId>}:header`: the header, as JSON (created with SET NX: a run id is taken once);
 * - `<prefix>:journal:{<runId>}:records`: the records, one JSON string per list element (RPUSH);
 * - `<prefix>:journal:{<runId>}:lock`: who runs it now: `{token, pid, host, since}`, set with SET NX PX and kept
 *   alive by a heartbeat (PEXPIRE every third of `lockTtlMs`, only while it still holds that owner's token).
 *
 * A lock whose owner is gone is taken over at once when the owner ran on this host and its pid no longer names a live
 * process (a coordinator killed with SIGKILL and restarted here); from another host, once its TTL lapses. Appends are
 * fenced: a Lua script appends a batch only while the lock still holds this owner's token, so a coordinator that lost
 * its lock (paused past the TTL, then taken over) cannot write into a run another one is now running.
 *
 * Durability. Records appended in the same tick go out as one script call; `append` resolves once Redis has them.
 * They then survive the coordinator (a crash, SIGKILL, a lost machine); whether they survive Redis itself depends on
 * its persistence (`appendonly yes`, `appendfsync everysec` or `always`) and replication.
 *
 * Bounded waits (`redisTimeoutMs`, default 10 s). The first command connects, or fails with a `RedisUnavailableError`
 * naming the URL. Later, a command waits for a lost connection to come back up to that long; an append that cannot be
 * written within it fails the journal (`JournalWriteError`, naming the URL), which stops the run, and once the
 * connection has been down that long, appends fail at once. A journal whose keys vanished (Redis restarted without
 * its data, or flushed) is said to be gone, not taken by another process.
 */
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { Redis } from "ioredis";
import { checkRedisTimeout, connectRedis, DEFAULT_REDIS_TIMEOUT_MS, redactRedisUrl, type RedisHealth } from "./connection.js";
import { JournalChain, parseJournal } from "../../src/journal/codec.js";
import { JournalExistsError, JournalNotFoundError, JournalWriteError, RunLockedError } from "../../src/journal/errors.js";
import { checkRunId } from "../../src/journal/file-store.js";
import { processAlive } from "../../src/journal/run-lock.js";
import type { JournalContents, JournalHeader, JournalRecord, JournalStore, RunJournal } from "../../src/journal/types.js";

export interface RedisJournalStoreOptions {
  /** Redis URL: `redis://[user:password@]host:port[/db]`. */
  redis: string;
  /** Key prefix. @default "toolweave" */
  prefix?: string;
  /** A run's lock lapses this long after its owner stopped renewing it (a dead coordinator on another host). @default 30000 */
  lockTtlMs?: number;
  /**
   * The longest wait on an unreachable Redis: connecting (then a `RedisUnavailableError` naming the URL), and each
   * command, including for a lost connection to come back (an append that is not written within it fails the
   * journal, which stops the run). @default 10000
   */
  redisTimeoutMs?: number;
}

interface Holder {
  readonly token: string;
  readonly pid: number;
  readonly host: string;
  readonly since: string;
}

/** Most records per script call (Lua's unpack has a limit on arguments). */
const CHUNK = 1000;

const APPEND = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  if redis.call('EXISTS', KEYS[3]) == 0 then return redis.error_reply('TOOLWEAVE_JOURNAL_GONE') end
  return redis.error_reply('TOOLWEAVE_LOCK_LOST')
end
for i = 2, #ARGV, ${CHUNK} do
  redis.call('RPUSH', KEYS[2], unpack(ARGV, i, math.min(i + ${CHUNK} - 1, #ARGV)))
end
return 1`;
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if redis.call('EXISTS', KEYS[2]) == 0 then return -1 end return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const TAKE_OVER = `if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) return 1 end return 0`;

interface Scripts {
  twAppend(lock: string, records: string, header: string, holder: string, ...lines: string[]): Promise<number>;
  twRenew(lock: string, header: string, holder: string, ttl: number): Promise<number>;
  twRelease(lock: string, holder: string): Promise<number>;
  twTakeOver(lock: string, seen: string, holder: string, ttl: number): Promise<number>;
}

type Client = Redis & Scripts;

interface Connection {
  readonly redis: Client;
  readonly health: RedisHealth;
  readonly timeoutMs: number;
}

export class RedisJournalStore implements JournalStore {
  readonly prefix: string;
  readonly lockTtlMs: number;
  /** The Redis URL without its password: where the journals are, for messages. */
  readonly where: string;
  /** The longest wait on an unreachable Redis. */
  readonly redisTimeoutMs: number;
  readonly #url: string;
  #client: Promise<Connection> | undefined;

  constructor(options: RedisJournalStoreOptions) {
    this.#url = options.redis;
    this.prefix = options.prefix ?? "toolweave";
    this.lockTtlMs = options.lockTtlMs ?? 30_000;
    if (!Number.isInteger(this.lockTtlMs) || this.lockTtlMs < 100)
      throw new TypeError(`lockTtlMs must be an integer of at least 100, got ${String(options.lockTtlMs)}`);
    this.redisTimeoutMs = checkRedisTimeout(options.redisTimeoutMs ?? DEFAULT_REDIS_TIMEOUT_MS);
    this.where = `${redactRedisUrl(options.redis)} (keys ${this.prefix}:journal:*)`;
  }

  /** Where journals are, as the CLI names a store's place (FileJournalStore's `dir`). */
  get dir(): string {
    return this.where;
  }

  #key(runId: string, part: "header" | "records" | "lock"): string {
    return `${this.prefix}:journal:{${checkRunId(runId)}}:${part}`;
  }

  locate(runId: string): string {
    return `${redactRedisUrl(this.#url)} ${this.#key(runId, "records")}`;
  }

  /**
   * One connection per store, made on first use (within `redisTimeoutMs`; a failed attempt is not kept, so the next
   * call tries again).
   * @throws RedisUnavailableError
   */
  #connection(): Promise<Connection> {
    this.#client ??= (async () => {
      const { client, health } = await connectRedis(this.#url, "toolweave-journal", {
        timeoutMs: this.redisTimeoutMs,
        commandTimeoutMs: this.redisTimeoutMs,
      });
      const redis = client as Client;
      redis.on("error", () => undefined);
      redis.defineCommand("twAppend", { numberOfKeys: 3, lua: APPEND });
      redis.defineCommand("twRenew", { numberOfKeys: 2, lua: RENEW });
      redis.defineCommand("twRelease", { numberOfKeys: 1, lua: RELEASE });
      redis.defineCommand("twTakeOver", { numberOfKeys: 1, lua: TAKE_OVER });
      return { redis, health, timeoutMs: this.redisTimeoutMs };
    })();
    const connecting = this.#client;
    connecting.catch(() => {
      if (this.#client === connecting) this.#client = undefined;
    });
    return connecting;
  }

  /** `use` with the connection; a reply that did not come in time, or a lost connection, as a RedisUnavailableError. */
  async #with<T>(use: (connection: Connection) => Promise<T>): Promise<T> {
    const connection = await this.#connection();
    try {
      return await use(connection);
    } catch (error) {
      throw connection.health.commandError(error, connection.timeoutMs);
    }
  }

  async create(header: JournalHeader): Promise<RunJournal> {
    const runId = header.runId;
    const chain = new JournalChain();
    const text = chain.encode(header).slice(0, -1);
    return this.#with(async (connection) => {
      const { redis } = connection;
      const lock = await this.#acquire(connection, runId);
      try {
        if ((await redis.set(this.#key(runId, "header"), text, "NX")) !== "OK") throw new JournalExistsError(runId, this.locate(runId));
        return new RedisRunJournal(
          this.locate(runId),
          connection,
          this.#key(runId, "records"),
          lock,
          { runId, header, records: [], warnings: [] },
          chain,
        );
      } catch (error) {
        await lock.release();
        throw error;
      }
    });
  }

  async open(runId: string): Promise<RunJournal> {
    return this.#with(async (connection) => {
      // no lock for a run that does not exist
      if ((await connection.redis.exists(this.#key(runId, "header"))) === 0) throw new JournalNotFoundError(runId, this.locate(runId));
      const lock = await this.#acquire(connection, runId);
      try {
        const contents = await this.#load(connection.redis, runId);
        return new RedisRunJournal(
          this.locate(runId),
          connection,
          this.#key(runId, "records"),
          lock,
          contents,
          new JournalChain(contents.lastCheck),
        );
      } catch (error) {
        await lock.release();
        throw error;
      }
    });
  }

  async read(runId: string): Promise<JournalContents> {
    const { lastCheck: _lastCheck, ...contents } = await this.#with(({ redis }) => this.#load(redis, runId));
    return { ...contents, location: this.locate(runId) };
  }

  /** Who runs `runId` now, if a live owner does: a look, not a lock. */
  async holder(runId: string): Promise<string | undefined> {
    const text = await this.#with(({ redis }) => redis.get(this.#key(runId, "lock")));
    const holder = text === null ? undefined : parseHolder(text);
    if (!holder || ownerGone(holder)) return undefined;
    return describeHolder(holder);
  }

  /** Run ids with a journal under this prefix (SCAN: fine for thousands, not a query language). */
  async list(): Promise<string[]> {
    return this.#with(async ({ redis }) => {
      const ids: string[] = [];
      const pattern = `${this.prefix}:journal:{*}:header`;
      let cursor = "0";
      do {
        const [next, keys] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 500);
        cursor = next;
        for (const key of keys) ids.push(key.slice(key.indexOf("{") + 1, key.lastIndexOf("}")));
      } while (cursor !== "0");
      return ids.sort();
    });
  }

  /** Deletes a run's journal (and its lock). */
  async delete(runId: string): Promise<void> {
    await this.#with(({ redis }) => redis.del(this.#key(runId, "header"), this.#key(runId, "records"), this.#key(runId, "lock")));
  }

  /** Closes the connection (journals still open stop working). Idempotent. */
  async close(): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
    if (client) (await client.catch(() => undefined))?.redis.disconnect();
  }

  async #load(redis: Client, runId: string): Promise<Omit<JournalContents, "location"> & { lastCheck: string }> {
    const replies = await redis.multi().get(this.#key(runId, "header")).lrange(this.#key(runId, "records"), 0, -1).exec();
    const [[headerError, header], [recordsError, records]] = replies as [[Error | null, string | null], [Error | null, string[]]];
    if (headerError || recordsError) throw headerError ?? recordsError;
    if (header === null) throw new JournalNotFoundError(runId, this.locate(runId));
    const parsed = parseJournal(`${[header, ...records].join("\n")}\n`, this.locate(runId));
    return { runId, header: parsed.header, records: parsed.records, warnings: parsed.warnings, lastCheck: parsed.lastCheck };
  }

  /** @throws RunLockedError when a live owner holds the run */
  async #acquire(connection: Connection, runId: string): Promise<RedisLock> {
    const { redis } = connection;
    const key = this.#key(runId, "lock");
    const headerKey = this.#key(runId, "header");
    const me: Holder = { token: randomBytes(12).toString("hex"), pid: process.pid, host: hostname(), since: new Date().toISOString() };
    const mine = JSON.stringify(me);
    for (let tries = 0; tries < 5; tries++) {
      if ((await redis.set(key, mine, "PX", this.lockTtlMs, "NX")) === "OK")
        return new RedisLock(connection, key, headerKey, mine, this.lockTtlMs);
      const seen = await redis.get(key);
      if (seen === null) continue; // released or lapsed meanwhile
      const holder = parseHolder(seen);
      if (holder && !ownerGone(holder)) throw new RunLockedError(runId, describeHolder(holder), key);
      // its owner died on this host (or the lock is unreadable): take it, unless someone else just did
      if ((await redis.twTakeOver(key, seen, mine, this.lockTtlMs)) === 1)
        return new RedisLock(connection, key, headerKey, mine, this.lockTtlMs);
    }
    throw new RunLockedError(runId, "another process (the lock kept changing hands)", key);
  }
}

const LAPSED = "the run's lock lapsed and another process may have taken the run";

/** The journal's keys vanished: said instead of "another process has the run", which would send the user looking for it. */
function journalGone(url: string): string {
  return `the run's journal is no longer in Redis at ${url}: Redis was restarted without its data (no persistence), or flushed. the run cannot go on, nor be resumed`;
}

/** The run's lock while a journal is open: renewed in the background, released on close. */
class RedisLock {
  #timer: ReturnType<typeof setInterval> | undefined;
  #released: Promise<void> | undefined;
  /** Set when a renewal found the lock taken, or the journal gone: appends fail from then on. */
  lost: string | undefined;

  constructor(
    readonly connection: Connection,
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

interface Batch {
  readonly lines: string[];
  readonly promise: Promise<void>;
  resolve(): void;
  reject(error: Error): void;
}

class RedisRunJournal implements RunJournal {
  readonly runId: string;
  readonly header: JournalHeader;
  readonly records: readonly JournalRecord[];
  readonly warnings: readonly string[];
  #batch: Batch | undefined;
  /** The last batch sent: `close` waits for it (batches go out in order on one connection). */
  #inFlight: Promise<void> = Promise.resolve();
  #failure: JournalWriteError | undefined;
  #closed: Promise<void> | undefined;

  constructor(
    readonly location: string,
    private readonly connection: Connection,
    private readonly recordsKey: string,
    private readonly lock: RedisLock,
    contents: Omit<JournalContents, "location">,
    private readonly chain: JournalChain,
  ) {
    this.runId = contents.runId;
    this.header = contents.header;
    this.records = contents.records;
    this.warnings = contents.warnings;
  }

  append(record: JournalRecord): Promise<void> {
    if (this.#closed) throw new Error(`journal ${this.location} is closed`);
    const line = this.chain.encode(record).slice(0, -1);
    if (this.#failure) return Promise.reject(this.#failure);
    if (!this.#batch) {
      let resolve!: () => void;
      let reject!: (error: Error) => void;
      const promise = new Promise<void>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      // a failure is reported to whoever awaits; a record nobody awaits must not crash the process
      promise.catch(() => undefined);
      this.#batch = { lines: [], promise, resolve, reject };
      queueMicrotask(this.#flush);
    }
    this.#batch.lines.push(line);
    return this.#batch.promise;
  }

  readonly #flush = (): void => {
    const batch = this.#batch;
    if (!batch) return;
    this.#batch = undefined;
    if (this.lock.lost) return this.#fail(new Error(this.lock.lost), batch);
    const { redis, health, timeoutMs } = this.connection;
    // gone for the whole bound already: fail now rather than wait once more
    if (health.downForMs() >= timeoutMs) return this.#fail(health.unavailable("the record was not written"), batch);
    const sent = redis.twAppend(this.lock.key, this.recordsKey, this.lock.headerKey, this.lock.holder, ...batch.lines).then(
      () => batch.resolve(),
      (error: unknown) => {
        const text = String(error);
        if (/TOOLWEAVE_JOURNAL_GONE/.test(text)) return this.#fail(new Error(journalGone(health.url)), batch);
        if (/TOOLWEAVE_LOCK_LOST/.test(text)) return this.#fail(new Error("the run's lock is held by another process now"), batch);
        this.#fail(health.commandError(error, timeoutMs), batch);
      },
    );
    this.#inFlight = sent;
  };

  #fail(error: unknown, batch: Batch): void {
    this.#failure ??= new JournalWriteError(this.location, error instanceof Error ? error.message : String(error), { cause: error });
    batch.reject(this.#failure);
  }

  close(): Promise<void> {
    this.#closed ??= (async () => {
      // a batch scheduled in this tick goes out first
      await Promise.resolve();
      this.#flush();
      await this.#inFlight.catch(() => undefined);
      await this.lock.release();
    })();
    return this.#closed;
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

/**
 * @module A run journal store in Redis, for distributed runs: a coordinator that dies can be restarted anywhere that
 * reaches Redis and resume its runs. Per run (`{runId}` is a hash tag, so all of a run's keys live in one cluster slot):
 *
 * - `<prefix>:journal:{<runId>}:header`: the header, as JSON (created with SET NX: a run id is taken once);
 * - `<prefix>:journal:{<runId>}:records`: the records, one JSON string per list element (see `journal-writer.ts`);
 * - `<prefix>:journal:{<runId>}:lock`: who runs it now (see `journal-lock.ts`).
 *
 * Bounded waits (`redisTimeoutMs`, default 10 s). The first command connects, or fails with a `RedisUnavailableError`
 * naming the URL. Later, a command waits for a lost connection to come back up to that long; an append that cannot be
 * written within it fails the journal, which stops the run. A journal whose keys vanished (Redis restarted without its
 * data, or flushed) is said to be gone, not taken by another process.
 */
import { checkRedisTimeout, connectRedis, DEFAULT_REDIS_TIMEOUT_MS, redactRedisUrl } from "./connection.js";
import { JournalChain, parseJournal } from "../../src/journal/codec.js";
import { JournalExistsError, JournalNotFoundError } from "../../src/journal/errors.js";
import { checkRunId } from "../../src/journal/file-store.js";
import type { JournalContents, JournalHeader, JournalStore, RunJournal } from "../../src/journal/types.js";
import { acquireRunLock, liveHolder, type RedisLock } from "./journal-lock.js";
import { withJournalScripts, type JournalClient, type JournalConnection } from "./journal-scripts.js";
import { RedisRunJournal } from "./journal-writer.js";

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

export class RedisJournalStore implements JournalStore {
  readonly prefix: string;
  readonly lockTtlMs: number;
  /** The Redis URL without its password: where the journals are, for messages. */
  readonly where: string;
  /** The longest wait on an unreachable Redis. */
  readonly redisTimeoutMs: number;
  readonly #url: string;
  #client: Promise<JournalConnection> | undefined;

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
  #connection(): Promise<JournalConnection> {
    this.#client ??= (async () => {
      const { client, health } = await connectRedis(this.#url, "toolweave-journal", {
        timeoutMs: this.redisTimeoutMs,
        commandTimeoutMs: this.redisTimeoutMs,
      });
      client.on("error", () => undefined);
      return { redis: withJournalScripts(client), health, timeoutMs: this.redisTimeoutMs };
    })();
    const connecting = this.#client;
    connecting.catch(() => {
      if (this.#client === connecting) this.#client = undefined;
    });
    return connecting;
  }

  /** `use` with the connection; a reply that did not come in time, or a lost connection, as a RedisUnavailableError. */
  async #with<T>(use: (connection: JournalConnection) => Promise<T>): Promise<T> {
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
    return liveHolder(await this.#with(({ redis }) => redis.get(this.#key(runId, "lock"))));
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

  async #load(redis: JournalClient, runId: string): Promise<Omit<JournalContents, "location"> & { lastCheck: string }> {
    const replies = await redis.multi().get(this.#key(runId, "header")).lrange(this.#key(runId, "records"), 0, -1).exec();
    const [[headerError, header], [recordsError, records]] = replies as [[Error | null, string | null], [Error | null, string[]]];
    if (headerError || recordsError) throw headerError ?? recordsError;
    if (header === null) throw new JournalNotFoundError(runId, this.locate(runId));
    const parsed = parseJournal(`${[header, ...records].join("\n")}\n`, this.locate(runId));
    return { runId, header: parsed.header, records: parsed.records, warnings: parsed.warnings, lastCheck: parsed.lastCheck };
  }

  /** @throws RunLockedError when a live owner holds the run */
  #acquire(connection: JournalConnection, runId: string): Promise<RedisLock> {
    return acquireRunLock(connection, runId, this.#key(runId, "lock"), this.#key(runId, "header"), this.lockTtlMs);
  }
}

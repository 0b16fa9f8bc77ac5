/**
 * @module A run's journal open in Redis: the records read when it was opened, and the appends of the run, one JSON
 * string per element of `<prefix>:journal:{<runId>}:records`.
 *
 * Appends are fenced: the script appends a batch only while the run's lock still holds this owner's token, so a
 * coordinator that lost its lock (paused past the TTL, then taken over) cannot write into a run another one is now
 * running. Records appended in the same tick go out as one script call, so a step that writes several records pays
 * for one round trip; `append` resolves once Redis has them. They then survive the coordinator (a crash, SIGKILL, a
 * lost machine); whether they survive Redis itself depends on its persistence (`appendonly yes`, `appendfsync
 * everysec` or `always`) and replication.
 *
 * An append that cannot be written within `redisTimeoutMs` fails the journal (`JournalWriteError`, naming the URL),
 * which stops the run, and once the connection has been down that long, appends fail at once.
 */
import type { JournalChain } from "../../src/journal/codec.js";
import { JournalWriteError } from "../../src/journal/errors.js";
import type { JournalContents, JournalHeader, JournalRecord, RunJournal } from "../../src/journal/types.js";
import type { RedisLock } from "./journal-lock.js";
import { journalGone, type JournalConnection } from "./journal-scripts.js";

interface Batch {
  readonly lines: string[];
  readonly promise: Promise<void>;
  resolve(): void;
  reject(error: Error): void;
}

export class RedisRunJournal implements RunJournal {
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
    private readonly connection: JournalConnection,
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

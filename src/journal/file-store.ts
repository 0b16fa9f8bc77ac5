/**
 * @module The embedded journal store: one JSONL file per run, `<dir>/<runId>.jsonl` (default dir `.weave/runs`),
 * locked by `<dir>/<runId>.lock` while a process runs it.
 *
 * Durability. Records appended in the same tick are joined and written with one `write(2)` on an `O_APPEND`
 * descriptor (a synchronous write of a few hundred bytes into the page cache: microseconds); the promise of
 * `append` resolves after it. Data in the OS page cache survives the process being killed (SIGKILL, OOM, a crash):
 * only a power loss or kernel crash can lose it. With `fsync: true`, each batch is also `fdatasync`ed before its
 * promises resolve (group commit: records appended while a sync is in flight go out together with the next one), which
 * survives power loss too at the price of a disk flush per batch. The header is written to a temporary file, fsynced
 * and renamed into place, so a journal either does not exist or has its whole header.
 */
import { closeSync, fdatasync, openSync, writeSync } from "node:fs";
import { mkdir, readFile, stat, truncate } from "node:fs/promises";
import { join, resolve } from "node:path";
import { writeFileAtomic } from "../util/atomic-write.js";
import { stripBom } from "../util/text-file.js";
import { JournalChain, parseJournal, type ParsedJournal } from "./codec.js";
import { JournalExistsError, JournalNotFoundError, JournalWriteError } from "./errors.js";
import { acquireRunLock, lockHolder, type RunLock, type RunLockOptions } from "./run-lock.js";
import type { JournalContents, JournalHeader, JournalRecord, JournalStore, RunJournal } from "./types.js";

export interface FileJournalStoreOptions {
  /** Directory of the journals. @default ".weave/runs" (from the current directory) */
  dir?: string;
  /** `fdatasync` every batch of records: survives power loss, not only a killed process. @default false */
  fsync?: boolean;
  lock?: RunLockOptions;
}

/** Run ids name files: letters, digits, `.`, `_` and `-`, not starting with a dot, at most 200. */
const RUN_ID = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}$/;

export function checkRunId(runId: string): string {
  if (typeof runId !== "string" || !RUN_ID.test(runId)) {
    throw new TypeError(
      `run id ${JSON.stringify(runId)} cannot name a journal: use letters, digits, ".", "_" and "-" (at most 200, not starting with ".")`,
    );
  }
  return runId;
}

export class FileJournalStore implements JournalStore {
  readonly dir: string;
  readonly fsync: boolean;
  readonly #lock: RunLockOptions;

  constructor(options: FileJournalStoreOptions = {}) {
    this.dir = resolve(options.dir ?? join(".weave", "runs"));
    this.fsync = options.fsync ?? false;
    this.#lock = options.lock ?? {};
  }

  locate(runId: string): string {
    return join(this.dir, `${checkRunId(runId)}.jsonl`);
  }

  #lockFile(runId: string): string {
    return join(this.dir, `${checkRunId(runId)}.lock`);
  }

  /** Who runs `runId` now, if a live process does: a look, not a lock (see `open`). */
  async holder(runId: string): Promise<string | undefined> {
    return lockHolder(this.#lockFile(runId), this.#lock);
  }

  async create(header: JournalHeader): Promise<RunJournal> {
    const file = this.locate(header.runId);
    const chain = new JournalChain();
    const text = chain.encode(header);
    await mkdir(this.dir, { recursive: true });
    const lock = await acquireRunLock(this.#lockFile(header.runId), header.runId, this.#lock);
    try {
      if (await exists(file)) throw new JournalExistsError(header.runId, file);
      await writeFileAtomic(file, text);
      const parsed: ParsedJournal = {
        header,
        records: [],
        warnings: [],
        goodBytes: Buffer.byteLength(text),
        missingNewline: false,
        torn: false,
        lastCheck: "",
      };
      return new FileRunJournal(file, openSync(file, "a"), lock, parsed, this.fsync, chain);
    } catch (error) {
      await lock.release();
      throw error;
    }
  }

  async open(runId: string): Promise<RunJournal> {
    const file = this.locate(runId);
    // no lock (nor lock file) for a run that does not exist
    if (!(await exists(file))) throw new JournalNotFoundError(runId, file);
    const lock = await acquireRunLock(this.#lockFile(runId), runId, this.#lock);
    try {
      const { text, offset } = await readJournal(runId, file);
      const parsed = parseJournal(text, file);
      if (parsed.torn) await truncate(file, offset + parsed.goodBytes);
      const fd = openSync(file, "a");
      if (parsed.missingNewline) writeSync(fd, "\n");
      return new FileRunJournal(file, fd, lock, parsed, this.fsync, new JournalChain(parsed.lastCheck));
    } catch (error) {
      await lock.release();
      throw error;
    }
  }

  async read(runId: string): Promise<JournalContents> {
    const file = this.locate(runId);
    const parsed = parseJournal((await readJournal(runId, file)).text, file);
    return { runId, header: parsed.header, records: parsed.records, warnings: parsed.warnings, location: file };
  }
}

/** The journal's text without a leading byte order mark (an editor's), and where that text starts in the file, in bytes. */
async function readJournal(runId: string, file: string): Promise<{ text: string; offset: number }> {
  try {
    const raw = await readFile(file, "utf8");
    const text = stripBom(raw);
    return { text, offset: text.length < raw.length ? 3 : 0 }; // the mark is 3 bytes in UTF-8
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new JournalNotFoundError(runId, file);
    throw error;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}

interface Batch {
  readonly promise: Promise<void>;
  resolve(): void;
  reject(error: Error): void;
}

function batch(): Batch {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // a failure is reported to whoever awaits; a record nobody awaits must not crash the process
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

class FileRunJournal implements RunJournal {
  readonly runId: string;
  readonly header: JournalHeader;
  readonly records: readonly JournalRecord[];
  readonly warnings: readonly string[];
  readonly #fd: number;
  readonly #lock: RunLock;
  readonly #fsync: boolean;
  readonly #chain: JournalChain;
  #pending: string[] = [];
  #batch: Batch | undefined;
  #scheduled = false;
  #syncing = false;
  #failure: JournalWriteError | undefined;
  #closed: Promise<void> | undefined;

  constructor(
    readonly location: string,
    fd: number,
    lock: RunLock,
    parsed: ParsedJournal,
    fsync: boolean,
    chain: JournalChain,
  ) {
    this.header = parsed.header;
    this.runId = parsed.header.runId;
    this.records = parsed.records;
    this.warnings = parsed.warnings;
    this.#fd = fd;
    this.#lock = lock;
    this.#fsync = fsync;
    this.#chain = chain;
  }

  append(record: JournalRecord): Promise<void> {
    if (this.#closed) throw new Error(`journal ${this.location} is closed`);
    const line = this.#chain.encode(record);
    if (this.#failure) return Promise.reject(this.#failure);
    this.#pending.push(line);
    const current = (this.#batch ??= batch());
    this.#schedule();
    return current.promise;
  }

  #schedule(): void {
    if (this.#scheduled || this.#syncing) return;
    this.#scheduled = true;
    queueMicrotask(this.#flush);
  }

  readonly #flush = (): void => {
    this.#scheduled = false;
    const current = this.#batch;
    if (!current) return;
    this.#batch = undefined;
    const chunk = Buffer.from(this.#pending.join(""), "utf8");
    this.#pending = [];
    try {
      for (let written = 0; written < chunk.length; ) written += writeSync(this.#fd, chunk, written);
    } catch (error) {
      return this.#fail(error, current);
    }
    if (!this.#fsync) return current.resolve();
    this.#syncing = true;
    fdatasync(this.#fd, (error) => {
      this.#syncing = false;
      if (error) return this.#fail(error, current);
      current.resolve();
      if (this.#batch) this.#schedule();
    });
  };

  #fail(error: unknown, current: Batch): void {
    this.#failure ??= new JournalWriteError(this.location, error instanceof Error ? error.message : String(error), { cause: error });
    current.reject(this.#failure);
    this.#batch?.reject(this.#failure);
    this.#batch = undefined;
    this.#pending = [];
  }

  close(): Promise<void> {
    this.#closed ??= this.#close();
    return this.#closed;
  }

  async #close(): Promise<void> {
    while (this.#batch || this.#syncing) await (this.#batch?.promise ?? new Promise((r) => setTimeout(r, 1))).catch(() => undefined);
    try {
      closeSync(this.#fd);
    } finally {
      await this.#lock.release();
    }
  }
}

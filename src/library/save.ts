/**
 * @module Saving custom workflows to a library file shared by several processes. Under an exclusive lock
 * (proper-lockfile: a `<file>.lock` directory, refreshed while held, taken over when stale), the file is read again
 * and merged with this library's workflows (a 3-way merge on content hashes, the base being what this library last
 * read from or wrote to the file), then replaced atomically (temp file, fsync, rename, fsync of the directory).
 * A crash at any point leaves the old file or the new one; a conflict writes nothing.
 */
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import type { WorkflowTemplate } from "../model/template.js";
import { removeStaleTempFiles, writeFileAtomic } from "../util/atomic-write.js";
import { readTextFile } from "../util/text-file.js";
import { LibraryConflictError, LibraryFileError, LibraryLockError, type LibraryConflict } from "./errors.js";
import { fsIssue } from "./fs-issue.js";
import { contentHash, parseLibraryFile, serializeLibrary } from "./library-file.js";

export interface LockOptions {
  /**
   * A lock not refreshed for this long is taken to belong to a crashed process and taken over. Milliseconds, at
   * least 2000. @default 10000
   */
  staleMs?: number;
  /** Attempts after the first while another process holds the lock. @default 60 */
  retries?: number;
  /** First wait between attempts, growing by half each time up to `maxWaitMs`, with jitter. Milliseconds. @default 25 */
  minWaitMs?: number;
  /** @default 500 */
  maxWaitMs?: number;
}

export interface SaveOptions {
  /**
   * What to do with a workflow changed both in the file (since this library last read or wrote it) and in this
   * library: `"error"` throws {@link LibraryConflictError} and writes nothing, `"ours"` writes this library's
   * version, `"theirs"` keeps the file's and takes it into this library. @default "error"
   */
  onConflict?: "error" | "ours" | "theirs";
  lock?: LockOptions;
}

/** A workflow with the hash of its content. */
export interface Hashed {
  readonly template: WorkflowTemplate;
  readonly hash: string;
}

export interface SaveRequest {
  /** Absolute path of the library file. */
  readonly file: string;
  /** This library's custom workflows, by name. */
  readonly ours: ReadonlyMap<string, Hashed>;
  /** Hash of each workflow as this library last read it from, or wrote it to, the file. */
  readonly base: ReadonlyMap<string, string>;
  readonly options: SaveOptions;
}

export interface SaveOutcome {
  /** Everything the file now holds, by name. */
  readonly written: ReadonlyMap<string, Hashed>;
  /** The file's versions this library should take: workflows it did not have, and ones changed only in the file. */
  readonly taken: readonly WorkflowTemplate[];
}

/** Reads the file's workflows with their hashes; a missing file has none. @throws LibraryFileError for a bad file */
async function readCurrent(file: string): Promise<Map<string, Hashed>> {
  let text: string;
  try {
    text = await readTextFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return new Map();
    throw new LibraryFileError(file, [await fsIssue(file, error, "read")], { operation: "save", cause: error });
  }
  const parsed = await parseLibraryFile(text);
  if (!parsed.ok) throw new LibraryFileError(file, parsed.issues, { operation: "save" });
  return new Map(parsed.workflows.map((w) => [w.name, { template: w, hash: contentHash(w) }]));
}

/** The 3-way merge of the file's workflows (`disk`) and this library's (`ours`) against `base`. */
export function mergeLibraries(
  disk: ReadonlyMap<string, Hashed>,
  ours: ReadonlyMap<string, Hashed>,
  base: ReadonlyMap<string, string>,
  onConflict: SaveOptions["onConflict"] = "error",
) {
  const result = new Map(disk);
  const taken: WorkflowTemplate[] = [];
  const conflicts: LibraryConflict[] = [];
  for (const [name, mine] of ours) {
    const theirs = disk.get(name);
    if (!theirs || theirs.hash === mine.hash) {
      result.set(name, mine);
      continue;
    }
    const was = base.get(name);
    if (was === theirs.hash)
      result.set(name, mine); // only we changed it
    else if (was === mine.hash)
      taken.push(theirs.template); // only the file changed it
    else if (onConflict === "ours") result.set(name, mine);
    else if (onConflict === "theirs") taken.push(theirs.template);
    else conflicts.push({ name, reason: was === undefined ? "unknown_base" : "both_changed" });
  }
  for (const [name, theirs] of disk) if (!ours.has(name)) taken.push(theirs.template);
  conflicts.sort((a, b) => (a.name < b.name ? -1 : 1));
  return { result, taken, conflicts };
}

/** A file system error, as opposed to a bug or a lock held by another process. */
const FS_CODES = new Set([
  "ENOSPC",
  "EDQUOT",
  "ENOTDIR",
  "EEXIST",
  "EISDIR",
  "EACCES",
  "EPERM",
  "EROFS",
  "EMFILE",
  "ENFILE",
  "EIO",
  "ENOENT",
]);
const isFsError = (error: unknown): boolean => FS_CODES.has(String((error as { code?: unknown } | null)?.code));

async function writeError(file: string, error: unknown): Promise<LibraryFileError> {
  return new LibraryFileError(file, [await fsIssue(file, error, "write")], { operation: "save", cause: error });
}

/**
 * Locks, merges and writes.
 * @throws LibraryConflictError; LibraryFileError: the file is not a valid library, or cannot be written (a full disk,
 * a parent path that is a file, no permission: `issues[0].fsCode` says which; the file is unchanged); LibraryLockError
 */
export async function saveLibraryFile(request: SaveRequest): Promise<SaveOutcome> {
  const { file, options } = request;
  try {
    await mkdir(dirname(file), { recursive: true });
  } catch (error) {
    throw await writeError(file, error);
  }
  let compromised: Error | undefined;
  let release: () => Promise<void>;
  const lockOptions = options.lock ?? {};
  try {
    // loaded on the first save, not when toolweave is imported
    const { lock } = await import("proper-lockfile");
    release = await lock(file, {
      realpath: false,
      stale: lockOptions.staleMs ?? 10_000,
      retries: {
        retries: lockOptions.retries ?? 60,
        factor: 1.5,
        minTimeout: lockOptions.minWaitMs ?? 25,
        maxTimeout: lockOptions.maxWaitMs ?? 500,
        randomize: true,
      },
      onCompromised: (error) => void (compromised = error),
    });
  } catch (error) {
    const busy = (error as NodeJS.ErrnoException).code === "ELOCKED";
    // the lock is a directory beside the file: a full disk or a read-only one stops it first
    if (!busy && isFsError(error)) throw await writeError(file, error);
    throw new LibraryLockError(
      file,
      busy
        ? `cannot save workflow library "${file}": another process holds its lock (${file}.lock) and did not release it in time. try again`
        : `cannot lock workflow library "${file}": ${(error as Error).message}`,
      { cause: error },
    );
  }
  try {
    // a saver killed between writing its temp file and renaming it left the temp file: nobody else writes now
    await removeStaleTempFiles(file);
    const disk = await readCurrent(file);
    const { result, taken, conflicts } = mergeLibraries(disk, request.ours, request.base, options.onConflict);
    if (conflicts.length > 0) throw new LibraryConflictError(file, conflicts);
    if (compromised)
      throw new LibraryLockError(
        file,
        `lost the lock of workflow library "${file}" while saving (${compromised.message}); nothing was written`,
        { cause: compromised },
      );
    try {
      await writeFileAtomic(file, serializeLibrary([...result.values()].map((h) => h.template)), { syncDirectory: true });
    } catch (error) {
      throw await writeError(file, error);
    }
    return { written: result, taken };
  } finally {
    await release().catch(() => undefined);
  }
}

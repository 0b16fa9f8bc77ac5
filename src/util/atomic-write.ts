import { randomBytes } from "node:crypto";
import { type FileHandle, open, readdir, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

export interface AtomicWriteOptions {
  /**
   * Also fsync the directory after the rename, so the new directory entry itself survives a power loss (POSIX;
   * skipped where directories cannot be opened, e.g. Windows). @default false
   */
  syncDirectory?: boolean;
}

/**
 * Writes `content` to `path` so that readers see the old file or the new one, never a half-written one:
 * write a temp file beside it, fsync, then rename over the target.
 */
export async function writeFileAtomic(path: string, content: string, options: AtomicWriteOptions = {}): Promise<void> {
  const temp = tempPathFor(path);
  const handle = await open(temp, "w");
  try {
    await handle.writeFile(content, "utf8");
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  if (options.syncDirectory) await syncDirectory(dirname(path));
}

/**
 * The temp file `writeFileAtomic` writes before renaming it over `path`: `<path>.<pid>.<8 hex digits>.tmp`, beside
 * it, so the rename stays on one file system and the writer's process id says whose it is.
 */
export function tempPathFor(path: string): string {
  return `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
}

/** A temp file this old is stale even when a process with its id runs (the id was reused, or is another host's). */
export const STALE_TEMP_AGE_MS = 10 * 60_000;

export interface StaleTempOptions {
  /** A temp file older than this is stale even when a process with its id is running (the id was reused). @default 10 minutes */
  olderThanMs?: number;
  /** Whether a process id is running. @default a signal-0 probe (same host) */
  isRunning?: (pid: number) => boolean;
}

/** Whether a process with this id runs on this host (EPERM: it does, as another user). */
export function processIsRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Removes the temp files `writeFileAtomic` left beside `path` when its writer was killed between writing and
 * renaming: only files named as {@link tempPathFor} names them for this very `path`, and of those only the ones
 * whose process is no longer running, or that are older than `olderThanMs` (this process's own recent ones are
 * kept: they may be in flight). Call it while holding the lock that serialises writers of `path`.
 * Never throws; @returns the paths removed
 */
export async function removeStaleTempFiles(path: string, options: StaleTempOptions = {}): Promise<string[]> {
  const dir = dirname(path);
  const pattern = new RegExp(`^${escapeRegExp(basename(path))}\\.(\\d+)\\.[0-9a-f]{8}\\.tmp$`);
  const olderThanMs = options.olderThanMs ?? STALE_TEMP_AGE_MS;
  const isRunning = options.isRunning ?? processIsRunning;
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const match = pattern.exec(name);
    if (!match) continue;
    const temp = join(dir, name);
    const pid = Number(match[1]);
    try {
      const gone = pid !== process.pid && !isRunning(pid);
      const old = !gone && Date.now() - (await stat(temp)).mtimeMs > olderThanMs;
      if (!gone && !old) continue;
      await rm(temp, { force: true });
      removed.push(temp);
    } catch {
      // removed meanwhile, or not ours to remove: left as it is
    }
  }
  return removed;
}

/** fsyncs a directory; a platform that cannot open directories (EISDIR, EPERM on Windows) is left as it is. */
async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle;
  try {
    handle = await open(dir, "r");
  } catch {
    return;
  }
  try {
    await handle.sync();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "EINVAL" && code !== "EPERM" && code !== "EISDIR" && code !== "ENOTSUP") throw error;
  } finally {
    await handle.close();
  }
}

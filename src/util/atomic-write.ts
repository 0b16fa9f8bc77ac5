import { randomBytes } from "node:crypto";
import { open, rename, rm } from "node:fs/promises";
import { dirname } from "node:path";

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
  const temp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
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

/** fsyncs a directory; a platform that cannot open directories (EISDIR, EPERM on Windows) is left as it is. */
async function syncDirectory(dir: string): Promise<void> {
  let handle;
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

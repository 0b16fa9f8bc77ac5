/** @module Writing a file the user asked for (`--out`, `--report`): its directory created, the file written atomically. */
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { writeFileAtomic } from "../../src/util/atomic-write.js";
import { UserError } from "../../src/util/user-error.js";

/** @throws UserError naming the file and the reason */
export async function writeOutputFile(file: string, content: string): Promise<void> {
  try {
    await mkdir(dirname(file), { recursive: true });
    await writeFileAtomic(file, content);
  } catch (error) {
    throw new UserError(`cannot write "${file}": ${describeWriteError(error)}`);
  }
}

function describeWriteError(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (code === "EEXIST" || code === "ENOTDIR") return "part of its path is a file, not a directory";
  if (code === "EISDIR") return "it is a directory";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "EROFS") return "read-only file system";
  return error instanceof Error ? error.message : String(error);
}

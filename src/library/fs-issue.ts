/**
 * @module File system errors of a library file as issues a person can act on: what went wrong, where, and how to
 * fix it, instead of a raw `ENOSPC: no space left on device, write`.
 */
import { stat } from "node:fs/promises";
import { dirname } from "node:path";
import type { LibraryFileIssue } from "./errors.js";

/** The first of `path`'s parent directories that exists but is not a directory (so nothing can be made below it). */
async function fileInTheWay(path: string): Promise<string | undefined> {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    try {
      if (!(await stat(dir)).isDirectory()) return dir;
    } catch {
      // missing: look further up
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * The issue of a file system error met while reading (`"read"`) or writing (`"write"`) the library file `file`.
 * @param error the error as Node threw it (its `code` decides the message)
 */
export async function fsIssue(file: string, error: unknown, doing: "read" | "write"): Promise<LibraryFileIssue> {
  const code = typeof (error as { code?: unknown } | null)?.code === "string" ? (error as { code: string }).code : undefined;
  const raw = error instanceof Error ? error.message : String(error);
  const issue = (message: string): LibraryFileIssue => ({
    code: doing === "read" ? "unreadable" : "unwritable",
    path: [],
    message,
    ...(code === undefined ? {} : { fsCode: code }),
  });
  const unchanged = doing === "write" ? "the library file was not changed. " : "";
  switch (code) {
    case "ENOSPC":
      return issue(
        `no space left on the device (ENOSPC). ${unchanged}free some space on that disk, or save the library to a file on another one`,
      );
    case "EDQUOT":
      return issue(
        `the disk quota is used up (EDQUOT). ${unchanged}free some of your space there, or save the library to a file elsewhere`,
      );
    case "ENOTDIR":
    case "EEXIST": {
      const blocker = await fileInTheWay(file);
      if (blocker !== undefined) {
        return issue(
          `"${blocker}" is a file, not a directory, so the library file cannot be ${doing === "read" ? "read" : "made"} below it (${code}). choose a path whose directories are directories, or move that file away`,
        );
      }
      break;
    }
    case "EISDIR":
      return issue(`it is a directory (EISDIR). give the path of a file, e.g. "${file}/library.json"`);
    case "EACCES":
    case "EPERM":
      return issue(
        `permission denied (${code}): this user cannot ${doing} "${doing === "read" ? file : dirname(file)}". change its permissions, or use a library file you can ${doing}`,
      );
    case "EROFS":
      return issue(`the file system is read-only (EROFS). ${unchanged}save the library to a file on a writable disk`);
    case "EMFILE":
    case "ENFILE":
      return issue(`too many open files (${code}). close some files (or raise the limit: ulimit -n) and try again`);
    case "EIO":
      return issue(`input/output error (EIO): the disk or the network file system failed. check the disk, then try again`);
  }
  return issue(`cannot ${doing} the file: ${raw}`);
}

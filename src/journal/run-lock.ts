/**
 * @module One process at a time per run. The lock is a file (`<runId>.lock`) created exclusively (`O_EXCL`), holding
 * its owner's pid, host and a random token. A lock whose owner is gone is taken over at once, so a run killed with
 * SIGKILL can be resumed right away: on the same host the owner is gone when its pid no longer names a live process;
 * a lock from another host (a shared disk) is gone when its owner has not refreshed it for `staleMs`.
 * Taking over is done under a short second lock (proper-lockfile's `<lock>.break` directory) and only when the file
 * still holds the owner that was found gone, so two processes cannot both take the run.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { open, readFile, stat, unlink, utimes } from "node:fs/promises";
import { hostname } from "node:os";
import { RunLockedError } from "./errors.js";

export interface RunLockOptions {
  /** A lock from another host not refreshed for this long is taken over. Milliseconds. @default 30000 */
  staleMs?: number;
}

interface Holder {
  pid: number;
  host: string;
  token: string;
  since: string;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class RunLock {
  #timer: ReturnType<typeof setInterval> | undefined;
  #released: Promise<void> | undefined;

  constructor(
    readonly file: string,
    readonly token: string,
    refreshMs: number,
  ) {
    this.#timer = setInterval(() => void utimes(file, new Date(), new Date()).catch(() => undefined), refreshMs);
    this.#timer.unref();
  }

  /** Removes the lock file if it is still ours. Idempotent. */
  release(): Promise<void> {
    this.#released ??= this.#release();
    return this.#released;
  }

  async #release(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    const holder = await readHolder(this.file);
    if (holder?.token === this.token) await unlink(this.file).catch(() => undefined);
  }
}

/**
 * Takes the lock of run `runId` at `file`.
 * @throws RunLockedError when a live process holds it
 */
export async function acquireRunLock(file: string, runId: string, options: RunLockOptions = {}): Promise<RunLock> {
  const staleMs = options.staleMs ?? 30_000;
  const me: Holder = { pid: process.pid, host: hostname(), token: randomBytes(12).toString("hex"), since: new Date().toISOString() };
  for (let tries = 0; ; tries++) {
    try {
      const handle = await open(file, "wx");
      try {
        await handle.writeFile(JSON.stringify(me));
      } finally {
        await handle.close();
      }
      return new RunLock(file, me.token, Math.max(250, Math.floor(staleMs / 3)));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const found = await inspect(file, staleMs);
    if (found.kind === "gone") continue;
    if (found.kind === "being-written") {
      // another process created the file and is writing its owner into it
      if (tries > 200) throw new RunLockedError(runId, "another process (its lock file has no owner yet)", file);
      await sleep(10);
      continue;
    }
    if (found.kind === "held") throw new RunLockedError(runId, describeHolder(found.holder), file);
    await breakStaleLock(file, found.text);
  }
}

/**
 * Who holds the lock at `file`, if a live process does (for a message before trying to take it); undefined when it is
 * free or its holder is gone.
 */
export async function lockHolder(file: string, options: RunLockOptions = {}): Promise<string | undefined> {
  const found = await inspect(file, options.staleMs ?? 30_000);
  return found.kind === "held"
    ? describeHolder(found.holder)
    : found.kind === "being-written"
      ? "another process (its lock file has no owner yet)"
      : undefined;
}

type Found = { kind: "gone" } | { kind: "being-written" } | { kind: "held"; holder: Holder } | { kind: "stale"; text: string };

async function inspect(file: string, staleMs: number): Promise<Found> {
  let text: string;
  let mtimeMs: number;
  try {
    [text, { mtimeMs }] = await Promise.all([readFile(file, "utf8"), stat(file)]);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { kind: "gone" };
    throw error;
  }
  const holder = parseHolder(text);
  const age = Date.now() - mtimeMs;
  if (!holder) return age < 2000 ? { kind: "being-written" } : { kind: "stale", text };
  const alive = holder.host === hostname() ? processAlive(holder.pid) : age < staleMs;
  return alive ? { kind: "held", holder } : { kind: "stale", text };
}

/** Removes the lock file if it still holds `seen`, under the short `<file>.break` lock. */
async function breakStaleLock(file: string, seen: string): Promise<void> {
  // loaded here, not at import: only breaking a stale lock needs it (and it loads graceful-fs, retry, signal-exit)
  const { lock: properLock } = await import("proper-lockfile");
  const releaseGuard = await properLock(file, {
    lockfilePath: `${file}.break`,
    realpath: false,
    stale: 5000,
    retries: { retries: 60, minTimeout: 10, maxTimeout: 200 },
    onCompromised: () => undefined,
  });
  try {
    const now = await readFile(file, "utf8").catch(() => undefined);
    if (now === seen) await unlink(file).catch(() => undefined);
  } finally {
    await releaseGuard();
  }
}

async function readHolder(file: string): Promise<Holder | undefined> {
  try {
    return parseHolder(await readFile(file, "utf8"));
  } catch {
    return undefined;
  }
}

function parseHolder(text: string): Holder | undefined {
  try {
    const value = JSON.parse(text) as Partial<Holder>;
    if (typeof value.pid === "number" && typeof value.host === "string" && typeof value.token === "string") return value as Holder;
  } catch {
    // not (yet) written
  }
  return undefined;
}

function describeHolder(holder: Holder): string {
  if (holder.pid === process.pid && holder.host === hostname()) return `this process (pid ${holder.pid}, since ${holder.since})`;
  return `process ${holder.pid} on host ${holder.host} (since ${holder.since})`;
}

/** Whether `pid` is a live process on this host (a zombie, killed but not yet reaped, is not). */
export function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    if (state === "Z" || state === "X") return false;
  } catch {
    // not Linux, or gone meanwhile: kill(0) said it was alive
  }
  return true;
}

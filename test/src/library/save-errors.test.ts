/**
 * Saving a library where the file system says no (issue 12, item 15): a full disk, a parent path that is a file.
 * Each is a LibraryFileError that says what went wrong, with which file, and how to fix it (not a raw fs error),
 * and leaves the file as it was. And the temp file of a saver killed between writing and renaming is removed by
 * the next save (only temp files of that library file whose writer is gone, or that are old).
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LibraryFileError, WorkflowLibrary, WorkflowTemplate } from "toolweave";
import { STACK, weave } from "../../cli/weave-process.js";

const ROOT = resolve(import.meta.dirname, "../../..");
const SAVE_WORKER = resolve(import.meta.dirname, "fixtures/save-worker.ts");
const FULL_DISK_WORKER = resolve(import.meta.dirname, "fixtures/full-disk-worker.ts");

let dir = "";
beforeAll(async () => void (dir = await mkdtemp(join(tmpdir(), "weave-save-errors-"))));
afterAll(() => rm(dir, { recursive: true, force: true }));

const wf = (name: string, description = ""): WorkflowTemplate =>
  new WorkflowTemplate({ name, description, steps: [{ id: "a", toolName: "t" }] });

/** A real ENOSPC: what Node throws for a write to /dev/full (Linux). */
async function enospc(): Promise<NodeJS.ErrnoException> {
  return (await writeFile("/dev/full", "x").then(
    () => undefined,
    (e: unknown) => e,
  )) as NodeJS.ErrnoException;
}

/** Whether this machine lets an unprivileged user mount a tmpfs in a user namespace (a real full disk). */
const canMountTmpfs = ((): boolean => {
  if (process.platform !== "linux") return false;
  const probe = spawnSync(
    "unshare",
    ["--user", "--map-root-user", "--mount", "sh", "-c", 'mount -t tmpfs -o size=64k tmpfs "$0"', tmpdir()],
    { timeout: 5_000 },
  );
  return probe.status === 0;
})();
if (!canMountTmpfs)
  console.warn(
    "save errors: cannot mount a tmpfs in a user namespace here; the real full-disk tests are skipped (the /dev/full ones still run)",
  );

/** Runs `command` in a new user+mount namespace with a 64 KiB tmpfs mounted at `mountPoint` ("$0" in the command). */
function onTinyDisk(mountPoint: string, command: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(
      "unshare",
      ["--user", "--map-root-user", "--mount", "sh", "-c", `mount -t tmpfs -o size=64k tmpfs "$0" && ${command}`, mountPoint],
      { cwd: ROOT, env: { ...process.env, WEAVE_DEBUG: "" } },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => done({ code, stdout, stderr }));
  });
}

describe("a full disk (ENOSPC)", () => {
  it.skipIf(!existsSync("/dev/full"))(
    "a real ENOSPC error (a write to /dev/full) becomes an issue saying what, and how to fix it",
    async () => {
      const error = await enospc();
      expect(error.code).toBe("ENOSPC");
      const { fsIssue } = await import("../../../src/library/fs-issue.js");
      const issue = await fsIssue("/srv/lib.json", error, "write");
      expect(issue).toEqual({
        code: "unwritable",
        path: [],
        fsCode: "ENOSPC",
        message:
          "no space left on the device (ENOSPC). the library file was not changed. free some space on that disk, or save the library to a file on another one",
      });
      const thrown = new LibraryFileError("/srv/lib.json", [issue], { operation: "save", cause: error });
      expect(thrown.message).toBe(
        `cannot save workflow library "/srv/lib.json" (1 problem); nothing was written:\n  /srv/lib.json: ${issue.message}`,
      );
      expect(thrown.cause).toBe(error);
    },
  );

  it.skipIf(!canMountTmpfs)(
    "saveToDisk on a real full disk (a 64 KiB tmpfs): LibraryFileError naming ENOSPC, file unchanged, no temp file, lock released",
    async () => {
      const mountPoint = join(dir, "tiny-api");
      await mkdir(mountPoint);
      const { code, stdout, stderr } = await onTinyDisk(
        mountPoint,
        `exec "${process.execPath}" --import tsx "${FULL_DISK_WORKER}" "$0/lib.json"`,
      );
      expect(stderr).toBe("");
      expect(code).toBe(0);
      const report = JSON.parse(stdout) as Record<string, unknown>;
      expect(report).toMatchObject({
        isLibraryFileError: true,
        operation: "save",
        causeCode: "ENOSPC",
        unchanged: true,
        leftovers: [],
        savedAfter: true,
      });
      expect(report.issues).toEqual([expect.objectContaining({ code: "unwritable", fsCode: "ENOSPC" })]);
      expect(report.message).toMatch(
        /^cannot save workflow library ".*\/lib\.json" \(1 problem\); nothing was written:\n {2}.*: no space left on the device \(ENOSPC\)\. the library file was not changed\. free some space/,
      );
    },
  );

  it.skipIf(!canMountTmpfs)(
    "weave library add on a real full disk: a clear message, exit 2, no stack trace",
    async () => {
      const mountPoint = join(dir, "tiny-cli");
      await mkdir(mountPoint);
      const template = join(dir, "big.workflow.json");
      await writeFile(template, JSON.stringify({ name: "big", description: "x".repeat(200_000), steps: [{ id: "a", toolName: "t" }] }));
      const { code, stderr } = await onTinyDisk(
        mountPoint,
        `exec "${process.execPath}" bin/weave.js library add "${template}" --library "$0/lib.json"`,
      );
      expect(stderr).not.toContain("internal error");
      expect(stderr).not.toMatch(STACK);
      expect(stderr).toContain(
        `weave: cannot save workflow library "${mountPoint}/lib.json" (1 problem):\n  ${mountPoint}/lib.json: no space left on the device (ENOSPC).`,
      );
      expect(code).toBe(2);
    },
    60_000,
  );
});

describe("a parent path that is a file", () => {
  it("saveToDisk: LibraryFileError naming the file in the way; nothing is created", async () => {
    const blocker = join(dir, "not-a-dir.txt");
    await writeFile(blocker, "I am a file");
    for (const target of [join(blocker, "lib.json"), join(blocker, "sub", "lib.json")]) {
      const library = new WorkflowLibrary({ builtins: false });
      library.register(wf("a"));
      const error = await library.saveToDisk(target).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LibraryFileError);
      const { operation, issues, file, message } = error as LibraryFileError;
      expect(operation).toBe("save");
      expect(file).toBe(target);
      expect(issues).toHaveLength(1);
      expect(issues[0]).toMatchObject({ code: "unwritable", path: [] });
      expect(["ENOTDIR", "EEXIST"]).toContain(issues[0]!.fsCode);
      expect(issues[0]!.message).toBe(
        `"${blocker}" is a file, not a directory, so the library file cannot be made below it (${issues[0]!.fsCode}). choose a path whose directories are directories, or move that file away`,
      );
      expect(message).toMatch(/^cannot save workflow library ".*" \(1 problem\); nothing was written:/);
    }
    expect(await readFile(blocker, "utf8")).toBe("I am a file");
  });

  it("loadFromDisk: LibraryFileError naming the file in the way", async () => {
    const blocker = join(dir, "also-a-file.txt");
    await writeFile(blocker, "");
    const error = await new WorkflowLibrary().loadFromDisk(join(blocker, "lib.json"), { missingOk: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LibraryFileError);
    expect((error as LibraryFileError).issues[0]).toMatchObject({ code: "unreadable", fsCode: "ENOTDIR" });
    expect((error as LibraryFileError).issues[0]!.message).toContain(
      `"${blocker}" is a file, not a directory, so the library file cannot be read below it (ENOTDIR)`,
    );
  });

  it("weave library add --library <a file>/lib.json: the same message, exit 2, no stack trace", async () => {
    const blocker = join(dir, "cli-blocker.txt");
    await writeFile(blocker, "");
    const { code, stderr } = await weave(["library", "add", "test/cli/fixtures/deploy.json", "--library", join(blocker, "lib.json")]);
    expect(stderr).not.toContain("internal error");
    expect(stderr).not.toMatch(STACK);
    expect(stderr).toContain(`"${blocker}" is a file, not a directory`);
    expect(code).toBe(2);
  });
});

describe("temp files of killed savers", () => {
  /** The pid of a process that has exited. */
  const deadPid = (): number => spawnSync(process.execPath, ["-e", "0"]).pid!;

  it("the next save removes the temp files of that library file whose writer is gone or that are old, and only those", async () => {
    const sub = join(dir, "temps");
    await mkdir(sub);
    const file = join(sub, "lib.json");
    const dead = deadPid();
    const hourAgo = new Date(Date.now() - 60 * 60_000);
    const names = {
      deadWriter: `lib.json.${dead}.0123abcd.tmp`,
      oldLiveWriter: `lib.json.1.89abcdef.tmp`, // pid 1 runs, but an hour-old temp file is no write in flight
      freshLiveWriter: `lib.json.1.fedcba98.tmp`,
      ownFresh: `lib.json.${process.pid}.00aa11bb.tmp`,
      otherFile: `other.json.${dead}.0123abcd.tmp`,
      notOurs: `lib.json.${dead}.not-hex.tmp`,
      backup: "lib.json.bak",
    };
    for (const name of Object.values(names)) await writeFile(join(sub, name), "partial");
    await utimes(join(sub, names.oldLiveWriter), hourAgo, hourAgo);
    const library = new WorkflowLibrary({ builtins: false });
    library.register(wf("a"));
    await library.saveToDisk(file);
    const left = new Set(await readdir(sub));
    expect(left.has(names.deadWriter)).toBe(false);
    expect(left.has(names.oldLiveWriter)).toBe(false);
    for (const kept of [names.freshLiveWriter, names.ownFresh, names.otherFile, names.notOurs, names.backup])
      expect(left.has(kept), kept).toBe(true);
    expect(JSON.parse(await readFile(file, "utf8"))).toMatchObject({ workflows: [{ name: "a" }] });
  });

  it("a saver process killed between writing its temp file and renaming it: its temp file is left, and the next save removes it", async () => {
    const sub = join(dir, "killed");
    await mkdir(sub);
    const file = join(sub, "lib.json");
    const temps = async (): Promise<string[]> => (await readdir(sub)).filter((f) => /^lib\.json\.\d+\.[0-9a-f]{8}\.tmp$/.test(f));
    // kill a saver while its temp file exists; a kill that lands just after the rename leaves none: try again
    let left: string[] = [];
    for (let attempt = 0; attempt < 10 && left.length === 0; attempt++) {
      const child = spawn(process.execPath, ["--import", "tsx", SAVE_WORKER, file, "loop", "300"], { stdio: ["ignore", "pipe", "pipe"] });
      const closed = new Promise((r) => child.on("close", r));
      await new Promise<void>((done, fail) => {
        child.on("exit", (code) => (code !== null ? fail(new Error(`worker exited with ${code}`)) : undefined));
        const poll = setInterval(() => {
          void temps().then((found) => {
            if (found.length === 0 || child.killed) return;
            clearInterval(poll);
            child.kill("SIGKILL");
            done();
          });
        }, 1);
      });
      await closed;
      left = await temps();
    }
    expect(left).toHaveLength(1);
    expect(basename(left[0]!)).toMatch(/^lib\.json\.\d+\.[0-9a-f]{8}\.tmp$/);
    const library = new WorkflowLibrary({ builtins: false });
    library.register(wf("after_crash"));
    // the killed saver's lock is stale after 2 s
    await library.saveToDisk(file, { onConflict: "ours", lock: { staleMs: 2000, retries: 100, maxWaitMs: 200 } });
    expect(await temps()).toEqual([]);
    expect((JSON.parse(await readFile(file, "utf8")) as { workflows: { name: string }[] }).workflows.map((w) => w.name)).toContain(
      "after_crash",
    );
  }, 60_000);
});

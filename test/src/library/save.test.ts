/** saveToDisk: custom workflows only, atomic, locked, and merged with what other libraries and processes wrote. */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readdir, readFile, writeFile } from "node:fs/promises";
import * as fsPromises from "node:fs/promises";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { lock } from "proper-lockfile";
import { LibraryConflictError, LibraryFileError, LibraryLockError, WorkflowLibrary, WorkflowTemplate } from "toolweave";

vi.mock("node:fs/promises", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:fs/promises")>();
  return { ...actual, open: vi.fn(actual.open) };
});

const WORKER = resolve(import.meta.dirname, "fixtures/save-worker.ts");
let dir = "";
beforeAll(async () => void (dir = await fsPromises.mkdtemp(join((await import("node:os")).tmpdir(), "weave-save-"))));
afterAll(() => fsPromises.rm(dir, { recursive: true, force: true }));

let counter = 0;
const freshFile = (): string => join(dir, `library-${++counter}.json`);

const wf = (name: string, toolName = "noop", description = ""): WorkflowTemplate =>
  new WorkflowTemplate({ name, description, steps: [{ id: "a", toolName }] });
const fileNames = async (file: string): Promise<string[]> =>
  (JSON.parse(await readFile(file, "utf8")) as { workflows: { name: string }[] }).workflows.map((w) => w.name);
const toolOf = (library: WorkflowLibrary, name: string): string | undefined => library.get(name)?.steps[0]?.toolName;

describe("save and load", () => {
  it("writes the custom workflows only, sorted, as { version: 1, workflows }; a new library loads the same", async () => {
    const file = freshFile();
    const library = new WorkflowLibrary();
    library.register(wf("zeta", "z"));
    library.register(wf("alpha", "a", "first"));
    await library.saveToDisk(file);
    const json = JSON.parse(await readFile(file, "utf8")) as { version: number; workflows: unknown[] };
    expect(json.version).toBe(1);
    expect(json.workflows).toEqual([wf("alpha", "a", "first").toJSON(), wf("zeta", "z").toJSON()]);
    const other = new WorkflowLibrary();
    await other.loadFromDisk(file);
    expect(other.listAll().map((w) => w.toJSON())).toEqual(library.listAll().map((w) => w.toJSON()));
    expect(other.isBuiltin("alpha")).toBe(false);
  });

  it("saves into a directory that does not exist yet, with no temp files left", async () => {
    const file = join(dir, "nested", "deeper", "library.json");
    const library = new WorkflowLibrary({ builtins: false });
    library.register(wf("a"));
    await library.saveToDisk(file);
    expect(await readdir(join(dir, "nested", "deeper"))).toEqual(["library.json"]);
  });

  it("round-trips a file in the original format: loaded, then saved in the current one", async () => {
    const file = freshFile();
    await writeFile(
      file,
      JSON.stringify([{ name: "old", metadata: { category: "ops" }, steps: [{ step_id: "s", tool_name: "t", retry_delay: 2 }] }]),
    );
    const library = new WorkflowLibrary();
    await library.loadFromDisk(file);
    await library.saveToDisk(file);
    const json = JSON.parse(await readFile(file, "utf8")) as {
      workflows: { category: string; steps: { id: string; retryDelayMs: number }[] }[];
    };
    expect(json.workflows[0]).toMatchObject({ category: "ops", steps: [{ id: "s", retryDelayMs: 2000 }] });
  });
});

describe("merging with the file", () => {
  it("keeps workflows other libraries saved, and takes them in", async () => {
    const file = freshFile();
    const a = new WorkflowLibrary({ builtins: false });
    const b = new WorkflowLibrary({ builtins: false });
    a.register(wf("from_a"));
    b.register(wf("from_b"));
    await a.saveToDisk(file);
    await b.saveToDisk(file);
    expect(await fileNames(file)).toEqual(["from_a", "from_b"]);
    expect(b.get("from_a")).toBeDefined();
  });

  it("takes a workflow changed only in the file, and writes one changed only here", async () => {
    const file = freshFile();
    const seed = new WorkflowLibrary({ builtins: false });
    seed.register(wf("shared", "v1"));
    seed.register(wf("mine", "v1"));
    await seed.saveToDisk(file);
    const a = new WorkflowLibrary({ builtins: false });
    const b = new WorkflowLibrary({ builtins: false });
    await a.loadFromDisk(file);
    await b.loadFromDisk(file);
    b.register(wf("shared", "v2 by b"), { replace: true });
    await b.saveToDisk(file);
    a.register(wf("mine", "v2 by a"), { replace: true });
    await a.saveToDisk(file);
    expect(toolOf(a, "shared")).toBe("v2 by b");
    const check = new WorkflowLibrary({ builtins: false });
    await check.loadFromDisk(file);
    expect([toolOf(check, "shared"), toolOf(check, "mine")]).toEqual(["v2 by b", "v2 by a"]);
  });

  it("a workflow changed on both sides is a conflict: typed error naming it, nothing written", async () => {
    const file = freshFile();
    const seed = new WorkflowLibrary({ builtins: false });
    seed.register(wf("shared", "v1"));
    seed.register(wf("other", "v1"));
    await seed.saveToDisk(file);
    const a = new WorkflowLibrary({ builtins: false });
    const b = new WorkflowLibrary({ builtins: false });
    await a.loadFromDisk(file);
    await b.loadFromDisk(file);
    a.register(wf("shared", "by a"), { replace: true });
    await a.saveToDisk(file);
    const before = await readFile(file, "utf8");
    b.register(wf("shared", "by b"), { replace: true });
    b.register(wf("new_in_b"));
    const error = await b.saveToDisk(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LibraryConflictError);
    expect(error).toMatchObject({ file, conflicts: [{ name: "shared", reason: "both_changed" }] });
    expect((error as Error).message).toMatch(/"shared" changed in the file since this library last read or wrote it.*nothing was written/);
    expect(await readFile(file, "utf8")).toBe(before);
    expect(toolOf(b, "shared")).toBe("by b");

    await b.saveToDisk(file, { onConflict: "theirs" });
    expect(toolOf(b, "shared")).toBe("by a");
    expect(await fileNames(file)).toEqual(["new_in_b", "other", "shared"]);
    b.register(wf("shared", "by b again"), { replace: true });
    a.register(wf("shared", "by a again"), { replace: true });
    await a.saveToDisk(file);
    await b.saveToDisk(file, { onConflict: "ours" });
    const check = new WorkflowLibrary({ builtins: false });
    await check.loadFromDisk(file);
    expect(toolOf(check, "shared")).toBe("by b again");
  });

  it("a library that never read the file conflicts with a different workflow of the same name, not an equal one", async () => {
    const file = freshFile();
    const a = new WorkflowLibrary({ builtins: false });
    a.register(wf("x", "from a"));
    await a.saveToDisk(file);
    const same = new WorkflowLibrary({ builtins: false });
    same.register(wf("x", "from a"));
    await same.saveToDisk(file);
    const different = new WorkflowLibrary({ builtins: false });
    different.register(wf("x", "different"));
    await expect(different.saveToDisk(file)).rejects.toMatchObject({ conflicts: [{ name: "x", reason: "unknown_base" }] });
  });

  it("refuses to overwrite a file that is not a valid library", async () => {
    const file = freshFile();
    await writeFile(file, "{ not json");
    const library = new WorkflowLibrary({ builtins: false });
    library.register(wf("a"));
    await expect(library.saveToDisk(file)).rejects.toBeInstanceOf(LibraryFileError);
    expect(await readFile(file, "utf8")).toBe("{ not json");
  });

  it("keeps a file workflow named like a built-in in the file, without taking it", async () => {
    const file = freshFile();
    const shadowing = new WorkflowLibrary();
    shadowing.register(wf("deploy_to_staging", "mine"), { shadowBuiltin: true });
    await shadowing.saveToDisk(file);
    const plain = new WorkflowLibrary();
    plain.register(wf("other"));
    await plain.saveToDisk(file);
    expect(plain.isBuiltin("deploy_to_staging")).toBe(true);
    expect(await fileNames(file)).toEqual(["deploy_to_staging", "other"]);
  });
});

describe("crash safety", () => {
  it("a write that fails half-way leaves the old file intact, no temp file, and the lock released", async () => {
    const file = freshFile();
    const library = new WorkflowLibrary({ builtins: false });
    library.register(wf("kept"));
    await library.saveToDisk(file);
    const before = await readFile(file, "utf8");
    const actualOpen = vi.mocked(fsPromises.open).getMockImplementation()!;
    vi.mocked(fsPromises.open).mockImplementationOnce(async (path, flags) => {
      const handle = await actualOpen(path, flags);
      return Object.assign(Object.create(handle) as typeof handle, {
        writeFile: async (content: string) => {
          await handle.write(content.slice(0, content.length / 2));
          throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
        },
        close: () => handle.close(),
      });
    });
    library.register(wf("lost", "x".repeat(10_000)));
    await expect(library.saveToDisk(file)).rejects.toThrow(/ENOSPC/);
    expect(await readFile(file, "utf8")).toBe(before);
    expect((await readdir(dir)).filter((f) => f.startsWith(file.split("/").pop()!) && f !== file.split("/").pop())).toEqual([]);
    await library.saveToDisk(file); // the lock was released
    expect(await fileNames(file)).toEqual(["kept", "lost"]);
  });

  it("a process killed while saving leaves a valid file, and its stale lock is taken over", async () => {
    const file = freshFile();
    const child = spawn(process.execPath, ["--import", "tsx", WORKER, file, "loop", "300"], { stdio: ["ignore", "pipe", "pipe"] });
    const lockDir = `${file}.lock`;
    await new Promise<void>((done, fail) => {
      child.on("exit", (code) => (code !== null ? fail(new Error(`worker exited with ${code}`)) : undefined));
      child.stdout.once("data", () => {
        // after a first complete save, kill the worker while it holds the lock, i.e. in the middle of a save
        const poll = setInterval(() => {
          if (!existsSync(lockDir)) return;
          clearInterval(poll);
          child.kill("SIGKILL");
          done();
        }, 1);
      });
    });
    await new Promise((r) => child.on("close", r));
    expect(existsSync(lockDir)).toBe(true); // left behind by the killed process
    const library = new WorkflowLibrary({ builtins: false });
    const loaded = await library.loadFromDisk(file);
    expect(loaded).toHaveLength(300);
    library.register(wf("after_crash"));
    await library.saveToDisk(file, { onConflict: "ours", lock: { staleMs: 2000, retries: 100, maxWaitMs: 200 } });
    expect(await fileNames(file)).toContain("after_crash");
  }, 30_000);
});

describe("the lock", () => {
  it("a lock another process holds and keeps fresh is a typed error once the retries run out; nothing written", async () => {
    const file = freshFile();
    await writeFile(file, '{ "version": 1, "workflows": [] }\n');
    const release = await lock(file, { realpath: false });
    try {
      const library = new WorkflowLibrary({ builtins: false });
      library.register(wf("a"));
      const error = await library.saveToDisk(file, { lock: { retries: 2, minWaitMs: 10, maxWaitMs: 20 } }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LibraryLockError);
      expect((error as Error).message).toMatch(/another process holds its lock/);
      expect(await readFile(file, "utf8")).toBe('{ "version": 1, "workflows": [] }\n');
    } finally {
      await release();
    }
  });
});

describe("several processes saving at once", () => {
  it("lose nothing: the file holds every workflow of every process and is valid JSON", async () => {
    const file = freshFile();
    const go = join(dir, `go-${counter}`);
    const workers = ["p1", "p2", "p3", "p4"];
    const ready: Promise<void>[] = [];
    const runs = workers.map((prefix) => {
      const child = spawn(process.execPath, ["--import", "tsx", WORKER, file, prefix, "5", go], { stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      ready.push(
        new Promise<void>((r) =>
          child.stdout.on("data", (chunk: Buffer) => ((stdout += chunk.toString()), stdout.startsWith("ready\n") && r())),
        ),
      );
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      return new Promise<string>((done, fail) =>
        child.on("close", (code) => (code === 0 ? done(stdout) : fail(new Error(`${prefix} exited with ${code}: ${stderr}`)))),
      );
    });
    await Promise.all(ready); // every worker is loaded and waiting: they all start saving now
    await writeFile(go, "");
    const outputs = await Promise.all(runs);
    expect(outputs.every((o) => /^ready\ndone \d+\n$/.test(o))).toBe(true);
    const names = await fileNames(file);
    expect(names).toEqual(workers.flatMap((p) => Array.from({ length: 5 }, (_, i) => `${p}_${i}`)).sort());
    const library = new WorkflowLibrary({ builtins: false });
    await library.loadFromDisk(file);
    expect(library.get("p3_4")?.description).toBe("written by p3");
  }, 60_000);
});

import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  FileJournalStore,
  JournalCorruptError,
  JournalEncodeError,
  JournalExistsError,
  JournalNotFoundError,
  JournalVersionError,
  JOURNAL_FORMAT,
  JournalChain,
  RunLockedError,
  type JournalRecord,
} from "../../../src/journal/index.js";
import { done, header } from "../../helpers/journal-records.js";

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "weave-journal-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Journal lines as the store writes them (each chained to the one before); a string is a raw line, outside the chain. */
const lines = (...values: unknown[]): string => {
  const chain = new JournalChain();
  return values.map((v) => (typeof v === "string" ? v : chain.encode(v as JournalRecord).slice(0, -1))).join("\n");
};

/** Lines chained by the documented check alone, with no normalising of records: what another writer could write. */
const rawLines = (...values: unknown[]): string => {
  let previous = "";
  return values
    .map((v) => {
      const text = JSON.stringify(v);
      previous = createHash("sha256").update(previous).update("\n").update(text).digest("hex").slice(0, 16);
      return `${text.slice(0, -1)},"chk":"${previous}"}`;
    })
    .join("\n");
};

describe("FileJournalStore", () => {
  it("creates a journal with its header, appends records in order, and reads them back", async () => {
    const store = new FileJournalStore({ dir });
    const journal = await store.create(header("basic"));
    expect(journal.location).toBe(join(dir, "basic.jsonl"));
    const a = journal.append({ type: "start", step: "a", attempt: 1, at: 1 });
    const b = journal.append(done("a"));
    await Promise.all([a, b]);
    // once append resolved, the record is in the file (the OS has it: a killed process cannot lose it)
    expect(readFileSync(journal.location, "utf8").trim().split("\n")).toHaveLength(3);
    await journal.append({ type: "skipped", scope: ["sub"], step: "c", reason: "no", at: 2 });
    await journal.close();
    const read = await store.read("basic");
    expect(read.header).toEqual(header("basic"));
    expect(read.records.map((r) => r.type)).toEqual(["start", "done", "skipped"]);
    expect(read.warnings).toEqual([]);
    expect(existsSync(join(dir, "basic.lock"))).toBe(false);
  });

  it("refuses a second journal for the same run id, and a run id that cannot name a file", async () => {
    const store = new FileJournalStore({ dir });
    await (await store.create(header("twice"))).close();
    await expect(store.create(header("twice"))).rejects.toBeInstanceOf(JournalExistsError);
    await expect(store.create(header("../escape"))).rejects.toThrow(/cannot name a journal/);
    expect(() => store.locate(".hidden")).toThrow(TypeError);
  });

  it("throws synchronously for a record that is not JSON, and the journal stays usable", async () => {
    const journal = await new FileJournalStore({ dir }).create(header("encode"));
    expect(() => journal.append(done("a", { n: 1n }))).toThrow(JournalEncodeError);
    expect(() => journal.append(done("a", { n: 1n }))).toThrow(/the result of step "a" cannot be journaled/);
    await journal.append(done("b"));
    await journal.close();
    expect((await new FileJournalStore({ dir }).read("encode")).records).toHaveLength(1);
  });

  it("with fsync, appends resolve after the data is flushed (group commit of concurrent appends)", async () => {
    const journal = await new FileJournalStore({ dir, fsync: true }).create(header("fsync"));
    await Promise.all(Array.from({ length: 20 }, (_, i) => journal.append(done(`s${i}`))));
    await journal.append(done("last"));
    await journal.close();
    expect((await new FileJournalStore({ dir }).read("fsync")).records.map((r) => (r as { step: string }).step)).toEqual([
      ...Array.from({ length: 20 }, (_, i) => `s${i}`),
      "last",
    ]);
  });

  it("recovers a torn last line up to the last good record, warns with the file and line, and cuts the tail off", async () => {
    const file = join(dir, "torn.jsonl");
    await writeFile(file, `${lines(header("torn"), done("a"), done("b"))}\n{"type":"done","step":"c","atte`);
    const store = new FileJournalStore({ dir });
    const read = await store.read("torn");
    expect(read.records).toHaveLength(2);
    expect(read.warnings).toEqual([
      `journal ${file}: line 4 is incomplete (a write cut short, e.g. by a crash); recovered the run up to line 3`,
    ]);
    // read() changes nothing; open() repairs
    expect(await readFile(file, "utf8")).toMatch(/atte$/);
    const journal = await store.open("torn");
    expect(journal.warnings).toEqual(read.warnings);
    await journal.append(done("c"));
    await journal.close();
    const text = await readFile(file, "utf8");
    // the torn line is gone and "c" continues the chain from "b"
    expect(text).toBe(`${lines(header("torn"), done("a"), done("b"), done("c"))}\n`);
    expect((await store.read("torn")).warnings).toEqual([]);
  });

  it("keeps a complete last record whose newline was not written, and adds the newline", async () => {
    const file = join(dir, "no-newline.jsonl");
    await writeFile(file, lines(header("no-newline"), done("a")));
    const journal = await new FileJournalStore({ dir }).open("no-newline");
    expect(journal.records).toHaveLength(1);
    expect(journal.warnings).toEqual([]);
    await journal.append(done("b"));
    await journal.close();
    expect((await new FileJournalStore({ dir }).read("no-newline")).records).toHaveLength(2);
  });

  it("a torn tail of NUL bytes (a power loss on some file systems) is recovered too", async () => {
    await writeFile(join(dir, "nul.jsonl"), `${lines(header("nul"), done("a"))}\n\u0000\u0000\u0000`);
    const read = await new FileJournalStore({ dir }).read("nul");
    expect(read.records).toHaveLength(1);
    expect(read.warnings[0]).toMatch(/line 3 is incomplete/);
  });

  it("corruption in the middle is an error naming the line", async () => {
    await writeFile(join(dir, "middle.jsonl"), `${lines(header("middle"), done("a"), "{garbage", done("b"))}\n`);
    const store = new FileJournalStore({ dir });
    const error = await store.open("middle").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JournalCorruptError);
    expect((error as JournalCorruptError).line).toBe(3);
    expect((error as Error).message).toMatch(new RegExp(`^journal ${join(dir, "middle.jsonl")} is corrupt at line 3: not JSON`));
    // the failed open released the run
    expect(existsSync(join(dir, "middle.lock"))).toBe(false);
    // a complete line with an unknown or malformed record is corruption too, even at the end
    await writeFile(join(dir, "middle2.jsonl"), `${lines(header("middle2"), { type: "done", step: "a" })}\n`);
    await expect(store.read("middle2")).rejects.toThrow(/line 2: a "done" record with a bad or missing "attempts"/);
    await writeFile(join(dir, "middle3.jsonl"), `${lines(header("middle3"), { type: "teleport", at: 1 })}\n`);
    await expect(store.read("middle3")).rejects.toThrow(/line 2: unknown record type "teleport"/);
  });

  it("refuses a bad header and a journal of another format", async () => {
    const store = new FileJournalStore({ dir });
    await writeFile(join(dir, "headless.jsonl"), `${lines(done("a"))}\n`);
    await expect(store.read("headless")).rejects.toThrow(/corrupt at line 1: the first line must be the run's header/);
    await writeFile(join(dir, "future.jsonl"), `${lines({ ...header("future"), format: JOURNAL_FORMAT + 1 }, done("a"))}\n`);
    const error = await store.open("future").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JournalVersionError);
    expect((error as Error).message).toMatch(
      /is in format 5, which this version of toolweave does not read \(it writes format 4 and reads formats 2 to 4\)/,
    );
    // format 1 had no integrity checks: its lines are plain JSON
    await writeFile(join(dir, "old.jsonl"), `${[{ ...header("old"), format: 1 }, done("a")].map((v) => JSON.stringify(v)).join("\n")}\n`);
    await expect(store.open("old")).rejects.toThrow(
      /is in format 1, which this version of toolweave does not read \(it writes format 4 and reads formats 2 to 4\)/,
    );
    await writeFile(join(dir, "empty.jsonl"), "");
    await expect(store.read("empty")).rejects.toThrow(/corrupt at line 1: the journal is empty/);
  });

  it("a done record says void when the tool returned nothing: one without result or void is refused (format 2 read as before)", async () => {
    const store = new FileJournalStore({ dir });
    const journal = await store.create(header("void"));
    await journal.append({ type: "done", step: "a", attempts: 1, durationMs: 1, result: undefined, at: 1 });
    await expect(() => journal.append({ type: "done", step: "f", attempts: 1, durationMs: 1, result: (() => 1) as never, at: 1 })).toThrow(
      /the result of step "f" cannot be journaled: it is a function/,
    );
    await journal.close();
    expect((await readFile(store.locate("void"), "utf8")).split("\n")[1]).toMatch(/"void":true/);
    expect((await store.read("void")).records).toEqual([{ type: "done", step: "a", attempts: 1, durationMs: 1, void: true, at: 1 }]);

    const bare = { type: "done", step: "a", attempts: 1, durationMs: 1, at: 1 };
    await writeFile(join(dir, "bare.jsonl"), `${rawLines(header("bare"), bare)}\n`);
    await expect(store.read("bare")).rejects.toThrow(/line 2: a "done" record with neither "result" nor "void": true/);
    await writeFile(join(dir, "both.jsonl"), `${rawLines(header("both"), { ...bare, result: 1, void: true })}\n`);
    await expect(store.read("both")).rejects.toThrow(/line 2: a "done" record with both "result" and "void"/);
    // format 2 wrote a tool's undefined as a done record without result
    await writeFile(join(dir, "v2.jsonl"), `${rawLines({ ...header("v2"), format: 2 }, bare)}\n`);
    expect((await store.read("v2")).records).toEqual([bare]);
  });

  it("a missing journal is JournalNotFoundError, naming where it looked", async () => {
    const error = await new FileJournalStore({ dir }).open("nope").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JournalNotFoundError);
    expect((error as Error).message).toBe(`no journal for run "nope" (looked for ${join(dir, "nope.jsonl")})`);
    expect(existsSync(join(dir, "nope.lock"))).toBe(false);
  });

  it("one holder at a time: a second open is refused while the first is open, and allowed after close", async () => {
    const store = new FileJournalStore({ dir });
    await (await store.create(header("locked"))).close();
    const first = await store.open("locked");
    const second = await Promise.allSettled([store.open("locked"), store.open("locked")]);
    for (const s of second) {
      expect(s.status).toBe("rejected");
      expect((s as PromiseRejectedResult).reason).toBeInstanceOf(RunLockedError);
      expect(String((s as PromiseRejectedResult).reason.message)).toMatch(/^run "locked" is already being run by this process \(pid \d+/);
    }
    await first.close();
    await (await store.open("locked")).close();
  });

  it("takes over the lock of a process that is gone (killed: no wait for staleness)", async () => {
    const store = new FileJournalStore({ dir });
    await (await store.create(header("orphan"))).close();
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
    const { hostname } = await import("node:os");
    await writeFile(join(dir, "orphan.lock"), JSON.stringify({ pid: Number(dead.stdout), host: hostname(), token: "x", since: "then" }));
    const journal = await store.open("orphan");
    expect(JSON.parse(await readFile(join(dir, "orphan.lock"), "utf8")).pid).toBe(process.pid);
    await journal.close();
    // a live holder on this host (the parent of this process, say) is respected
    await writeFile(join(dir, "orphan.lock"), JSON.stringify({ pid: process.ppid, host: hostname(), token: "y", since: "then" }));
    await expect(store.open("orphan")).rejects.toThrow(new RegExp(`already being run by process ${process.ppid} on host`));
    // another host's lock: honoured while fresh, taken over once not refreshed for staleMs
    await writeFile(join(dir, "orphan.lock"), JSON.stringify({ pid: 1, host: "elsewhere", token: "z", since: "then" }));
    await expect(store.open("orphan")).rejects.toBeInstanceOf(RunLockedError);
    await new Promise((r) => setTimeout(r, 60));
    await (await new FileJournalStore({ dir, lock: { staleMs: 50 } }).open("orphan")).close();
    expect(existsSync(join(dir, "orphan.lock"))).toBe(false);
  });
});

/**
 * RedisJournalStore on a real redis-server: the JournalStore contract (as FileJournalStore keeps it), its run lock
 * (a dead owner on this host is taken over at once, a live one refuses, another host's after its TTL), fenced
 * appends, and durable runs that resume from it on both engines.
 */
import { spawnSync } from "node:child_process";
import { hostname } from "node:os";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { NonRetryableError, WorkflowContext, WorkflowTemplate, type ToolContext } from "toolweave";
import {
  JournalEncodeError,
  JournalExistsError,
  JournalNotFoundError,
  JournalWriteError,
  RunLockedError,
} from "../../../src/journal/index.js";
import { RedisJournalStore } from "../../../adapters/redis/journal-store.js";
import { inProcess, type Engine } from "../../helpers/engines.js";
import { distributed } from "./engines.js";
import { describeWithRedis, startRedis, type RedisServer } from "./redis-server.js";
import { done, header } from "../../helpers/journal-records.js";

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(child.stdout);
}

describeWithRedis("RedisJournalStore", () => {
  let redis: RedisServer | undefined;
  let raw: Redis;
  const stores: RedisJournalStore[] = [];
  let prefixes = 0;
  const store = (options: { lockTtlMs?: number; prefix?: string } = {}): RedisJournalStore => {
    const s = new RedisJournalStore({
      redis: redis!.url,
      prefix: options.prefix ?? `tw-journal-${++prefixes}`,
      ...(options.lockTtlMs ? { lockTtlMs: options.lockTtlMs } : {}),
    });
    stores.push(s);
    return s;
  };

  beforeAll(async () => {
    redis = await startRedis();
    raw = new Redis(redis.url);
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
  });
  afterAll(async () => {
    raw?.disconnect();
    await redis?.stop();
  });

  it("creates a journal with its header, appends records in order, and reads them back", async () => {
    const s = store();
    const journal = await s.create(header("basic"));
    expect(journal.location).toBe(`${redis!.url} ${s.prefix}:journal:{basic}:records`);
    const a = journal.append({ type: "start", step: "a", attempt: 1, at: 1 });
    const b = journal.append(done("a"));
    await Promise.all([a, b]);
    // once append resolved, Redis has the record
    expect(await raw.llen(`${s.prefix}:journal:{basic}:records`)).toBe(2);
    await journal.append({ type: "skipped", scope: ["sub"], step: "c", reason: "no", at: 2 });
    await journal.close();
    const read = await s.read("basic");
    expect(read.header).toEqual(header("basic"));
    expect(read.records.map((r) => r.type)).toEqual(["start", "done", "skipped"]);
    expect(read.warnings).toEqual([]);
    expect(await raw.exists(`${s.prefix}:journal:{basic}:lock`)).toBe(0);
    expect(await s.list()).toEqual(["basic"]);
  });

  it("keeps the order of thousands of records appended at once", async () => {
    const s = store();
    const journal = await s.create(header("many"));
    await Promise.all(Array.from({ length: 5000 }, (_, i) => journal.append(done(`s${i}`))));
    await journal.close();
    const read = await s.read("many");
    expect(read.records.map((r) => (r as { step: string }).step)).toEqual(Array.from({ length: 5000 }, (_, i) => `s${i}`));
  });

  it("refuses a second journal for the same run id, a missing run, and a record that is not JSON", async () => {
    const s = store();
    await (await s.create(header("twice"))).close();
    await expect(s.create(header("twice"))).rejects.toBeInstanceOf(JournalExistsError);
    await expect(s.open("nope")).rejects.toBeInstanceOf(JournalNotFoundError);
    await expect(s.read("nope")).rejects.toBeInstanceOf(JournalNotFoundError);
    expect(() => s.locate("../x")).toThrow(/cannot name a journal/);
    const journal = await s.open("twice");
    expect(() => journal.append(done("a", { n: 1n }))).toThrow(JournalEncodeError);
    await journal.append(done("b"));
    await journal.close();
    expect((await s.read("twice")).records).toHaveLength(1);
  });

  it("holds the run while a journal is open: a second open is refused, naming the holder", async () => {
    const s = store();
    const journal = await s.create(header("held"));
    await expect(s.open("held")).rejects.toBeInstanceOf(RunLockedError);
    await expect(s.open("held")).rejects.toThrow(/is already being run by this process \(pid \d+/);
    expect(await s.holder("held")).toMatch(/^this process/);
    await journal.close();
    expect(await s.holder("held")).toBeUndefined();
    await (await s.open("held")).close();
  });

  it("takes over at once the lock of a dead owner on this host (a coordinator killed and restarted)", async () => {
    const s = store();
    await (await s.create(header("dead"))).close();
    const key = `${s.prefix}:journal:{dead}:lock`;
    await raw.set(key, JSON.stringify({ token: "t", pid: deadPid(), host: hostname(), since: "then" }), "PX", 60_000);
    expect(await s.holder("dead")).toBeUndefined();
    const journal = await s.open("dead");
    expect(JSON.parse((await raw.get(key))!)).toMatchObject({ pid: process.pid });
    await journal.close();
  });

  it("waits out the lock of another host's owner: refused while it lives, taken once its TTL lapses", async () => {
    const s = store({ lockTtlMs: 300 });
    await (await s.create(header("remote"))).close();
    const key = `${s.prefix}:journal:{remote}:lock`;
    await raw.set(key, JSON.stringify({ token: "t", pid: 1, host: "elsewhere", since: "then" }), "PX", 300);
    await expect(s.open("remote")).rejects.toThrow(/process 1 on host elsewhere/);
    await new Promise((r) => setTimeout(r, 350));
    await (await s.open("remote")).close();
  });

  it("renews its lock while open, and fences appends: a journal whose lock was taken writes nothing", async () => {
    const s = store({ lockTtlMs: 200 });
    const journal = await s.create(header("fenced"));
    await new Promise((r) => setTimeout(r, 500));
    // still held after more than two TTLs
    await expect(s.open("fenced")).rejects.toBeInstanceOf(RunLockedError);
    await journal.append(done("a"));
    // another process takes the run (as after a pause longer than the TTL)
    await raw.set(`${s.prefix}:journal:{fenced}:lock`, JSON.stringify({ token: "other", pid: 1, host: "elsewhere", since: "now" }));
    const refused = journal.append(done("b"));
    await expect(refused).rejects.toBeInstanceOf(JournalWriteError);
    await expect(refused).rejects.toThrow(/the run's lock is held by another process now/);
    await expect(journal.append(done("c"))).rejects.toBeInstanceOf(JournalWriteError);
    await journal.close();
    expect((await s.read("fenced")).records.map((r) => (r as { step: string }).step)).toEqual(["a"]);
    // closing did not release the other owner's lock
    expect(JSON.parse((await raw.get(`${s.prefix}:journal:{fenced}:lock`))!)).toMatchObject({ token: "other" });
  });

  const engines: [string, Engine][] = [
    ["in-process", inProcess],
    ["distributed", distributed(() => redis!.url)],
  ];
  describe.each(engines)("durable runs journaled in Redis (%s)", (_name, engine) => {
    const engineOf = (): Engine => engine;
    afterEach(() => engine.cleanup());

    it("resume restores completed steps from the journal and retries the failed one", async () => {
      const calls: string[] = [];
      let failing = true;
      const tool = (_p: unknown, ctx: ToolContext) => {
        calls.push(ctx.stepId);
        if (ctx.stepId === "b" && failing) throw new NonRetryableError("b is not ready");
        return { step: ctx.stepId, n: calls.length };
      };
      const template = new WorkflowTemplate({
        name: "w",
        steps: [
          { id: "a", toolName: "t" },
          { id: "b", toolName: "t", dependsOn: ["a"], parameters: { from: "{{a.step}}" } },
          { id: "c", toolName: "t", dependsOn: ["b"] },
        ],
        outputs: { a: "{{a.n}}", c: "{{c.step}}" },
      });
      const journal = store();
      const executor = engineOf().executor({ tools: { t: tool }, journal });
      const first = await executor.execute(template, new WorkflowContext({ v: 1 }), undefined, { runId: "durable-1" });
      expect(first.status).toBe("failed");
      expect(first.journal).toEqual({ location: journal.locate("durable-1"), session: 1, restored: 0, rerun: [] });
      failing = false;
      const second = await executor.resume("durable-1");
      expect(second.status).toBe("completed");
      expect(second.journal).toMatchObject({ session: 2, restored: 1 });
      expect(second.completedSteps).toMatchObject([{ id: "a", restored: true }, { id: "b" }, { id: "c" }]);
      expect(second.outputs).toEqual({ a: 1, c: "c" });
      expect(calls).toEqual(["a", "b", "b", "c"]);
      const records = (await journal.read("durable-1")).records.map((r) => `${r.type}${"step" in r ? ` ${r.step}` : ""}`);
      expect(records).toEqual([
        "session",
        "start a",
        "done a",
        "start b",
        "failed b",
        "skipped c",
        "end",
        "session",
        "start b",
        "done b",
        "start c",
        "done c",
        "end",
      ]);
    });
  });
});

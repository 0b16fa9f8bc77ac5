import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createMonitor, readToolCallLog } from "../../../src/monitor/index.js";
import type { ToolCallMetric } from "../../../src/monitor/index.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "toolweave-monitor-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function metric(toolName: string, n: number, extra: Partial<ToolCallMetric> = {}): ToolCallMetric {
  return {
    toolName,
    stepId: `step-${n}`,
    executionId: "run-1",
    workflowName: "wf",
    attempt: 1,
    timestamp: 1_700_000_000_000 + n,
    durationMs: n,
    success: true,
    ...extra,
  };
}

async function fileLines(file: string): Promise<string[]> {
  return (await readFile(file, "utf8")).split("\n").filter((line) => line !== "");
}

describe("createMonitor", () => {
  it("keeps records in memory, in order", () => {
    const monitor = createMonitor();
    monitor.record(metric("a", 1));
    monitor.record(metric("b", 2, { parameters: { x: 1 }, result: "ok" }));
    expect(monitor.toolCallLog.map((m) => m.stepId)).toEqual(["step-1", "step-2"]);
    expect(monitor.toolCallLog[1]).toEqual(metric("b", 2, { parameters: { x: 1 }, result: "ok" }));
  });

  it("computes stats over every recorded call", () => {
    const monitor = createMonitor({ maxInMemory: 1 });
    monitor.record(metric("a", 2));
    monitor.record(metric("a", 4, { success: false, error: "boom" }));
    monitor.record(metric("b", 3));
    expect(monitor.stats()).toEqual({
      calls: 3,
      failures: 1,
      byTool: {
        a: { calls: 2, failures: 1, totalDurationMs: 6, avgDurationMs: 3 },
        b: { calls: 1, failures: 0, totalDurationMs: 3, avgDurationMs: 3 },
      },
    });
    expect(createMonitor().stats()).toEqual({ calls: 0, failures: 0, byTool: {} });
  });

  it("drops the oldest records beyond maxInMemory", () => {
    const monitor = createMonitor({ maxInMemory: 3 });
    for (let n = 1; n <= 5; n++) monitor.record(metric("t", n));
    expect(monitor.toolCallLog.map((m) => m.durationMs)).toEqual([3, 4, 5]);
    for (let n = 6; n <= 3000; n++) monitor.record(metric("t", n));
    expect(monitor.toolCallLog.map((m) => m.durationMs)).toEqual([2998, 2999, 3000]);

    const none = createMonitor({ maxInMemory: 0 });
    none.record(metric("t", 1));
    expect(none.toolCallLog).toEqual([]);
    expect(() => createMonitor({ maxInMemory: -1 })).toThrow(RangeError);
    expect(() => createMonitor({ maxInMemory: 1.5 })).toThrow(RangeError);
  });

  it("writes one line per record, in order, that reads back equal to the in-memory log", async () => {
    const file = join(dir, "nested", "deeper", "calls.jsonl");
    const monitor = createMonitor({ logFile: file, redact: ["token"] });
    for (let n = 1; n <= 500; n++) {
      monitor.record(metric(`tool-${n % 7}`, n, { parameters: { n, token: "t" }, result: { items: [n] } }));
      if (n % 97 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await monitor.flush();

    const lines = await fileLines(file);
    expect(lines).toHaveLength(500);
    expect(lines).toEqual(monitor.toolCallLog.map((m) => JSON.stringify(m)));
    const { records, problems } = await readToolCallLog(file);
    expect(problems).toEqual([]);
    expect(records).toStrictEqual(monitor.toolCallLog);
    await monitor.close();
  });

  it("writes keys in interface order, omits undefined fields and drops unknown ones", async () => {
    const file = join(dir, "calls.jsonl");
    const monitor = createMonitor({ logFile: file });
    const scrambled = {
      result: 1,
      success: false,
      error: "e",
      durationMs: 2,
      timestamp: 3,
      attempt: 2,
      workflowName: undefined,
      executionId: "r",
      stepId: "s",
      toolName: "t",
      extra: "not part of the format",
    };
    monitor.record(scrambled);
    await monitor.close();
    expect(await fileLines(file)).toEqual([
      '{"toolName":"t","stepId":"s","executionId":"r","attempt":2,"timestamp":3,"durationMs":2,"success":false,"error":"e","result":1}',
    ]);
    expect(Object.keys(monitor.toolCallLog[0] ?? {})).not.toContain("workflowName");
  });

  it("appends to an existing log", async () => {
    const file = join(dir, "calls.jsonl");
    await writeFile(file, `${JSON.stringify(metric("old", 0))}\n`);
    const monitor = createMonitor({ logFile: file });
    monitor.record(metric("new", 1));
    await monitor.close();
    expect((await readToolCallLog(file)).records.map((m) => m.toolName)).toEqual(["old", "new"]);
  });

  it("redacts parameters and results in memory and in the file, without touching the caller's values", async () => {
    const file = join(dir, "calls.jsonl");
    const monitor = createMonitor({ logFile: file, redact: ["Password", "apikey"] });
    const parameters = { db: { password: "p", host: "h" }, list: [{ ApiKey: "k" }] };
    const result = { nested: { PASSWORD: "p2" }, toolName: "kept" };
    monitor.record(metric("a", 1, { parameters, result, error: "password wrong" }));
    await monitor.flush();

    const expected = metric("a", 1, {
      error: "password wrong",
      parameters: { db: { password: "[REDACTED]", host: "h" }, list: [{ ApiKey: "[REDACTED]" }] },
      result: { nested: { PASSWORD: "[REDACTED]" }, toolName: "kept" },
    });
    expect(monitor.toolCallLog).toEqual([expected]);
    expect((await readToolCallLog(file)).records).toEqual([expected]);
    expect(parameters.db.password).toBe("p");
    expect(result.nested.PASSWORD).toBe("p2");
    await monitor.close();
  });

  it("leaves parameters and results out when asked to", () => {
    const monitor = createMonitor({ recordParameters: false, recordResults: false });
    monitor.record(metric("a", 1, { parameters: { x: 1 }, result: 2 }));
    expect(monitor.toolCallLog[0]).toStrictEqual(metric("a", 1));
  });

  it("snapshots the line at record time", async () => {
    const file = join(dir, "calls.jsonl");
    const monitor = createMonitor({ logFile: file });
    const parameters = { value: "before" };
    monitor.record(metric("a", 1, { parameters }));
    parameters.value = "after";
    await monitor.close();
    expect(await fileLines(file)).toEqual([JSON.stringify(metric("a", 1, { parameters: { value: "before" } }))]);
  });

  it("writes placeholders for values JSON cannot represent", async () => {
    const file = join(dir, "calls.jsonl");
    const monitor = createMonitor({ logFile: file });
    const cyclic: Record<string, unknown> = { name: "c" };
    cyclic.self = cyclic;
    const shared = { s: 1 };
    const throwing = {
      toJSON(): never {
        throw new Error("no JSON for you");
      },
    };
    expect(() => monitor.record(metric("a", 1, { parameters: { big: 10n, cyclic, shared, again: shared } }))).not.toThrow();
    expect(() => monitor.record(metric("b", 2, { parameters: { ok: 1 }, result: throwing }))).not.toThrow();
    await monitor.close();

    const { records, problems } = await readToolCallLog(file);
    expect(problems).toEqual([]);
    expect(records[0]?.parameters).toEqual({
      big: "[BigInt: 10]",
      cyclic: { name: "c", self: "[Circular]" },
      shared: { s: 1 },
      again: { s: 1 },
    });
    expect(records[1]?.parameters).toEqual({ ok: 1 });
    expect(records[1]?.result).toBe("[Unserializable: no JSON for you]");
  });

  it("throws a clear error when recording after close; close is idempotent", async () => {
    const file = join(dir, "calls.jsonl");
    const monitor = createMonitor({ logFile: file });
    monitor.record(metric("a", 1));
    await monitor.close();
    await monitor.close();
    expect(() => monitor.record(metric("late", 2))).toThrow(/closed.*"late"/);
    expect(await fileLines(file)).toHaveLength(1);

    const memoryOnly = createMonitor();
    await memoryOnly.flush();
    await memoryOnly.close();
    expect(() => memoryOnly.record(metric("late", 2))).toThrow(/closed/);
  });

  it("surfaces a write error from flush() and close() without crashing", async () => {
    const blocker = join(dir, "regular-file");
    await writeFile(blocker, "not a directory");
    const file = join(blocker, "calls.jsonl");
    const monitor = createMonitor({ logFile: file });
    monitor.record(metric("a", 1));
    // Give the background write time to fail; an unhandled rejection would fail this test run.
    await new Promise((resolve) => setTimeout(resolve, 50));
    monitor.record(metric("b", 2));

    const error: unknown = await monitor.flush().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain(file);
    await expect(monitor.flush()).rejects.toBe(error);
    await expect(monitor.close()).rejects.toBe(error);
    expect(monitor.toolCallLog).toHaveLength(2);
  });
});

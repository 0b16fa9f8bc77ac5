/**
 * A monitor that redacts (issue 12, item 10), fed what tools really return: a result 5,000 levels deep, getters
 * and Proxies that throw, BigInts, cycles, values too big to walk. The run settles (the monitor must never throw
 * into it: a throw from `record` used to escape the executor's promise callbacks and leave the run hanging), the
 * in-memory record and the log line hold markers where a value cannot be copied, and secrets stay redacted.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WorkflowContext, WorkflowExecutor, WorkflowTemplate, type ExecutionResult, type JsonValue } from "toolweave";
import { createMonitor, readToolCallLog, redact } from "../../../src/monitor/index.js";
import { toJsonLine } from "../../../src/monitor/metric.js";
import { HOSTILE } from "./hostile.js";

let dir = "";
beforeAll(async () => void (dir = await mkdtemp(join(tmpdir(), "weave-monitor-hostile-"))));
afterAll(() => rm(dir, { recursive: true, force: true }));

let counter = 0;

/** Runs one step returning `result` (and taking `parameters`) under a redacting monitor with a log file; fails fast instead of hanging. */
async function runWith(result: () => unknown, parameters: Record<string, JsonValue> = { token: "secret-token", image: "app:1" }) {
  const logFile = join(dir, `calls-${++counter}.jsonl`);
  const monitor = createMonitor({ redact: ["token", "password"], logFile });
  const template = new WorkflowTemplate({
    name: "hostile",
    steps: [
      { id: "make", toolName: "make", parameters },
      { id: "after", toolName: "ok", dependsOn: ["make"] },
    ],
  });
  const executor = new WorkflowExecutor({ tools: { make: () => result(), ok: () => ({ ok: true }) }, monitor });
  let settled: ExecutionResult | undefined;
  void executor.execute(template, new WorkflowContext()).then((r) => (settled = r));
  await expect.poll(() => settled, { timeout: 10_000, interval: 20 }).toBeDefined();
  await monitor.close();
  return { result: settled!, monitor, logFile };
}

describe("a redacting monitor and hostile results: the run settles, the record says what could not be copied", () => {
  it('a result 5,000 levels deep: copied down to 256 levels, then "[too deep]"; the secret below stays redacted', async () => {
    const { result, monitor, logFile } = await runWith(HOSTILE["an object 5,000 levels deep"]!);
    expect(result.status).toBe("completed");
    expect(result.completedSteps.map((s) => s.id)).toEqual(["make", "after"]);
    let at = monitor.toolCallLog[0]!.result;
    let levels = 0;
    while (at !== null && typeof at === "object") {
      at = (at as { d: unknown }).d;
      levels++;
    }
    expect([levels, at]).toEqual([256, "[too deep]"]);
    expect(monitor.toolCallLog[0]!.parameters).toEqual({ token: "[REDACTED]", image: "app:1" });
    const { records, problems } = await readToolCallLog(logFile);
    expect(problems).toEqual([]);
    expect(records.map((r) => r.stepId)).toEqual(["make", "after"]);
    expect(JSON.stringify(records[0]!.result)).toContain('"[too deep]"');
  });

  it('an object whose getter throws: that field is "[Unreadable: …]", the others are kept', async () => {
    const { result, monitor, logFile } = await runWith(() => ({ ...{ token: "t" }, nested: HOSTILE["a getter that throws"]!() }));
    expect(result.status).toBe("completed");
    expect(monitor.toolCallLog[0]!.result).toEqual({ token: "[REDACTED]", nested: { ok: 1, boom: "[Unreadable: getter exploded]" } });
    expect((await readToolCallLog(logFile)).records[0]!.result).toEqual({
      token: "[REDACTED]",
      nested: { ok: 1, boom: "[Unreadable: getter exploded]" },
    });
  });

  it.each(Object.keys(HOSTILE))("%s: the run completes and both records are logged as valid JSON lines", async (name) => {
    // the secret first: a value too big to walk takes the whole budget, and what follows it is left out
    const { result, monitor, logFile } = await runWith(() => ({ password: "p", value: HOSTILE[name]!() }));
    expect(result.status).toBe("completed");
    expect(monitor.toolCallLog).toHaveLength(2);
    expect(monitor.toolCallLog[0]!.result).toMatchObject({ password: "[REDACTED]" });
    const { records, problems } = await readToolCallLog(logFile);
    expect(problems).toEqual([]);
    expect(records[0]!.result).toMatchObject({ password: "[REDACTED]" });
  });

  it("secrets nested in the parameters are redacted in the record", async () => {
    const { result, monitor } = await runWith(() => ({ ok: true }), { config: { token: "t", image: "app:1" }, list: [{ password: "p" }] });
    expect(result.status).toBe("completed");
    expect(monitor.toolCallLog[0]!.parameters).toEqual({
      config: { token: "[REDACTED]", image: "app:1" },
      list: [{ password: "[REDACTED]" }],
    });
  });
});

describe("redact and the log line: never throw, never recurse", () => {
  it("redact walks 100,000 levels without overflowing the stack", () => {
    let value: unknown = { token: "t" };
    for (let i = 0; i < 100_000; i++) value = [value];
    expect(() => redact(value, ["token"])).not.toThrow();
  });

  it("a matching key is redacted without reading its value (a getter there never runs)", () => {
    let read = false;
    const value = Object.defineProperty({}, "Token", { enumerable: true, get: () => ((read = true), "t") });
    expect(redact(value, ["token"])).toEqual({ Token: "[REDACTED]" });
    expect(read).toBe(false);
  });

  it("toJsonLine writes a record holding any of the hostile values as one line of valid JSON", () => {
    for (const [name, make] of Object.entries(HOSTILE)) {
      const line = toJsonLine({
        toolName: "t",
        stepId: name,
        executionId: "r",
        attempt: 1,
        timestamp: 0,
        durationMs: 0,
        success: true,
        parameters: { v: make() },
        result: make(),
      });
      expect(line).not.toContain("\n");
      expect((JSON.parse(line) as { stepId: string }).stepId).toBe(name);
    }
  });
});

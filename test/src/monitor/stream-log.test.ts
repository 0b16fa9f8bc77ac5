// streamToolCallLog: the same records and problems as readToolCallLog, in bounded memory, whatever the chunking.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readToolCallLog, streamToolCallLog, streamToolCallLogBatches } from "../../../src/monitor/read-log.js";
import { toolCallMetricSchema, type ToolCallMetric } from "../../../src/monitor/metric.js";

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "toolweave-stream-log-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const metric = (i: number, extra: Partial<ToolCallMetric> = {}): ToolCallMetric => ({
  toolName: `tool-${i % 3}`,
  stepId: `s${i}`,
  executionId: `run-${i % 2}`,
  attempt: 1,
  timestamp: 1_700_000_000_000 + i,
  durationMs: i / 2,
  success: i % 5 !== 0,
  ...extra,
});

async function* chunks(text: string, size: number): AsyncGenerator<Buffer> {
  const bytes = Buffer.from(text, "utf8");
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function collect(source: Parameters<typeof streamToolCallLog>[0]) {
  const problems: { line: number; message: string }[] = [];
  const records: ToolCallMetric[] = [];
  for await (const r of streamToolCallLog(source, { onProblem: (p) => problems.push(p) })) records.push(r);
  return { records, problems };
}

describe("streamToolCallLog", () => {
  const lines = [
    JSON.stringify(metric(1, { workflowName: "wf", parameters: { note: "naïve café ☕ 🚀" }, result: null })),
    "",
    "{broken",
    JSON.stringify({ ...metric(2), attempt: 0 }),
    JSON.stringify({ ...metric(3), extra: "dropped" }),
    JSON.stringify(metric(4, { success: false, error: "boom" })),
    JSON.stringify({ ...metric(5), timestamp: "soon" }),
    JSON.stringify(metric(6)),
  ];
  const text = `\uFEFF${lines.join("\r\n")}`; // a BOM, CRLF line ends, no newline at the end

  it.each([1, 2, 3, 7, 64, 100_000])("reads the same records and problems in chunks of %i bytes", async (size) => {
    const { records, problems } = await collect(chunks(text, size));
    expect(records).toEqual([
      metric(1, { workflowName: "wf", parameters: { note: "naïve café ☕ 🚀" }, result: null }),
      metric(3),
      metric(4, { success: false, error: "boom" }),
      metric(6),
    ]);
    expect(problems.map((p) => p.line)).toEqual([3, 4, 7]);
    expect(problems[0]!.message).toMatch(/^invalid JSON: /);
    expect(problems[1]!.message).toBe('invalid tool-call record: "attempt" must be an integer of 1 or more, got 0');
    expect(problems[2]!.message).toBe(
      'invalid tool-call record: "timestamp" must be ms since the epoch or an ISO-8601 date and time, got "soon"',
    );
  });

  it("returns exactly what the schema returns, key order included", async () => {
    const record = { ...metric(9, { workflowName: "w", error: "e", parameters: [1], result: { a: 1 } }), junk: 1 };
    const { records } = await collect(chunks(`${JSON.stringify(record)}\n`, 1024));
    expect(JSON.stringify(records[0])).toBe(JSON.stringify(toolCallMetricSchema.parse(record)));
  });

  it("reads a file in batches and reports the bytes read", async () => {
    const file = join(dir, "big.jsonl");
    const body = `${Array.from({ length: 5_000 }, (_, i) => JSON.stringify(metric(i))).join("\n")}\n`;
    await writeFile(file, body);
    const progress: number[] = [];
    let batches = 0;
    let count = 0;
    for await (const batch of streamToolCallLogBatches(file, { onProgress: (b) => progress.push(b) })) {
      batches++;
      count += batch.length;
    }
    expect(count).toBe(5_000);
    expect(batches).toBeGreaterThan(1);
    expect(progress.at(-1)).toBe(Buffer.byteLength(body));
    expect((await readToolCallLog(file)).records).toHaveLength(5_000);
  });

  it("rejects when the file cannot be read", async () => {
    await expect(collect(join(dir, "missing.jsonl"))).rejects.toThrow(/ENOENT/);
  });
});

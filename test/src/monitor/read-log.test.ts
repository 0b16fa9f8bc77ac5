import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readToolCallLog } from "../../../src/monitor/index.js";
import type { ToolCallMetric } from "../../../src/monitor/index.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "toolweave-read-log-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function metric(toolName: string, extra: Partial<ToolCallMetric> = {}): ToolCallMetric {
  return {
    toolName,
    stepId: "s1",
    executionId: "run-1",
    attempt: 1,
    timestamp: 1_700_000_000_000,
    durationMs: 1.5,
    success: true,
    ...extra,
  };
}

async function logWith(lines: string[], eol = "\n"): Promise<string> {
  const file = join(dir, "log.jsonl");
  await writeFile(file, lines.join(eol));
  return file;
}

describe("readToolCallLog", () => {
  it("keeps good lines, reports bad ones with 1-based line numbers and ignores blank lines", async () => {
    const { toolName: _dropped, ...missingToolName } = metric("gone");
    const file = await logWith([
      JSON.stringify(metric("a", { workflowName: "wf", parameters: { q: 1 } })),
      "",
      "{not json",
      JSON.stringify(missingToolName),
      "   ",
      JSON.stringify(metric("b", { success: false, error: "boom", result: [1, 2] })),
      JSON.stringify({ ...metric("c"), attempt: "1" }),
      "",
    ]);

    const { records, problems } = await readToolCallLog(file);

    expect(records).toEqual([
      metric("a", { workflowName: "wf", parameters: { q: 1 } }),
      metric("b", { success: false, error: "boom", result: [1, 2] }),
    ]);
    expect(problems.map((p) => p.line)).toEqual([3, 4, 7]);
    expect(problems[0]?.message).toMatch(/invalid JSON/);
    expect(problems[1]?.message).toMatch(/toolName/);
    expect(problems[2]?.message).toMatch(/attempt/);
  });

  it("rejects records with wrongly typed or out-of-range required fields", async () => {
    const file = await logWith([
      JSON.stringify({ ...metric("a"), success: "yes" }),
      JSON.stringify({ ...metric("a"), attempt: 0 }),
      JSON.stringify({ ...metric("a"), durationMs: -1 }),
      JSON.stringify([1, 2]),
      "null",
      JSON.stringify({ ...metric("a"), error: 42 }),
    ]);
    const { records, problems } = await readToolCallLog(file);
    expect(records).toEqual([]);
    expect(problems.map((p) => p.line)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("handles CRLF line endings and drops unknown fields", async () => {
    const file = await logWith([JSON.stringify({ ...metric("a"), futureField: 1 }), JSON.stringify(metric("b"))], "\r\n");
    const { records, problems } = await readToolCallLog(file);
    expect(problems).toEqual([]);
    expect(records).toStrictEqual([metric("a"), metric("b")]);
  });

  it("returns nothing for an empty file and rejects for a missing one", async () => {
    expect(await readToolCallLog(await logWith([]))).toEqual({ records: [], problems: [] });
    await expect(readToolCallLog(join(dir, "missing.jsonl"))).rejects.toThrow(/ENOENT/);
  });
});

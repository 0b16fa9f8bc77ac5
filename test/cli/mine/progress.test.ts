// The progress line of `weave mine` on a terminal: late, throttled, erased; nothing when stderr is not a terminal.
import { describe, expect, it } from "vitest";
import { progressLine, renderTable } from "../../../cli/mine/command.js";

function fakeTerminal(isTTY = true) {
  const written: string[] = [];
  let time = 0;
  return { stream: { isTTY, write: (text: string) => written.push(text) }, written, tick: (ms: number) => (time += ms), now: () => time };
}

describe("progressLine", () => {
  it("shows bytes read of the total from half a second in, at most every 100 ms, and erases itself", () => {
    const t = fakeTerminal();
    const progress = progressLine("calls.jsonl", 80 * 2 ** 20, t.stream, t.now)!;
    progress.update(2 ** 20);
    t.tick(499);
    progress.update(2 * 2 ** 20);
    expect(t.written).toEqual([]);
    t.tick(1);
    progress.update(12 * 2 ** 20);
    t.tick(50);
    progress.update(13 * 2 ** 20);
    t.tick(50);
    progress.update(80 * 2 ** 20);
    progress.done();
    expect(t.written).toEqual([
      "\rreading calls.jsonl: 12.0 MB of 80.0 MB (15%)\x1b[K",
      "\rreading calls.jsonl: 80.0 MB of 80.0 MB (100%)\x1b[K",
      "\r\x1b[K",
    ]);
  });

  it("stays silent on a quick read, and off a terminal", () => {
    const quick = fakeTerminal();
    const progress = progressLine("calls.jsonl", 100, quick.stream, quick.now)!;
    progress.update(100);
    progress.done();
    expect(quick.written).toEqual([]);
    expect(progressLine("calls.jsonl", 100, fakeTerminal(false).stream)).toBeUndefined();
  });
});

describe("renderTable", () => {
  it("aligns the columns, numbers on the right, tools joined by arrows", () => {
    const row = (tools: string[], frequency: number, successCount: number, avgDurationMs: number) => ({
      tools,
      frequency,
      successCount,
      successRate: successCount / frequency,
      avgDurationMs,
      samples: [],
    });
    expect(renderTable([row(["build", "push"], 120, 119, 1234.5), row(["a", "b", "c"], 3, 2, 12)])).toEqual([
      "rank  pattern       frequency  success  avg duration",
      "   1  build → push        120    99.2%         1.2 s",
      "   2  a → b → c             3    66.7%         12 ms",
    ]);
  });
});

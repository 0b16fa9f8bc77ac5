// Counting, sessions, retries, ordering, closed patterns, ranking and options: small logs with hand-computed results.
import { describe, expect, it } from "vitest";
import { PatternDetector, PatternMiner, type ToolCallRecord, type ToolSequence } from "../../../src/patterns/index.js";

let clock = 0;
/** A call of `tool` in execution `exec`, 10 ms long, starting 100 ms after the previous one unless `at` says. */
function call(exec: string, tool: string, extra: Partial<ToolCallRecord> = {}): ToolCallRecord {
  clock += 100;
  return { toolName: tool, executionId: exec, stepId: tool, attempt: 1, timestamp: clock, durationMs: 10, success: true, ...extra };
}

/** One execution per string: "a b c" is a → b → c. */
function runs(...chains: string[]): ToolCallRecord[] {
  return chains.flatMap((chain, i) => chain.split(" ").map((t) => call(`run-${i}`, t)));
}

/** Every sequence that meets the thresholds (these tests count; closed patterns have their own). */
const ALL = { closed: false } as const;

const brief = (patterns: ToolSequence[]) => patterns.map((p) => [p.tools.join(" "), p.frequency, p.successRate]);

describe("analyzeLogs: counting", () => {
  it("counts every contiguous window of 2..L calls per session, ranked by frequency × success rate", () => {
    const detector = new PatternDetector({ minFrequency: 2 });
    const patterns = detector.analyzeLogs(runs("a b c", "a b c", "a b d"), { closed: false, maxSequenceLength: 3 });
    // a b: 3; b c: 2; a b c: 2; b d, a b d: 1 (below minFrequency)
    expect(brief(patterns)).toEqual([
      ["a b", 3, 1],
      ["a b c", 2, 1],
      ["b c", 2, 1],
    ]);
    expect(patterns[0]).toMatchObject({ successCount: 3, avgDurationMs: 20 });
    expect(patterns[1]!.avgDurationMs).toBe(30);
  });

  it("counts overlapping occurrences in one session", () => {
    const patterns = new PatternDetector({ minFrequency: 1 }).analyzeLogs(runs("a b a b a"), { closed: false, maxSequenceLength: 3 });
    // a b a (2 successes, length 3) ranks before a b / b a (2 successes, length 2); b a b has 1
    expect(brief(patterns)).toEqual([
      ["a b a", 2, 1],
      ["a b", 2, 1],
      ["b a", 2, 1],
      ["b a b", 1, 1],
    ]);
  });

  it("success rate: the share of occurrences in which every call succeeded; thresholds filter", () => {
    const log = [...runs("a b", "a b", "a b"), call("x", "a"), call("x", "b", { success: false })];
    const all = new PatternDetector({ minFrequency: 1, minSuccessRate: 0 }).analyzeLogs(log, ALL);
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ tools: ["a", "b"], frequency: 4, successCount: 3, successRate: 0.75 });
    expect(new PatternDetector({ minSuccessRate: 0.75 }).analyzeLogs(log, ALL)).toHaveLength(1);
    expect(new PatternDetector({ minSuccessRate: 0.76 }).analyzeLogs(log, ALL)).toEqual([]);
    expect(new PatternDetector({ minFrequency: 5, minSuccessRate: 0 }).analyzeLogs(log, ALL)).toEqual([]);
  });

  it("does not let sessions run into each other, and counts nothing for a single call", () => {
    const log = [call("1", "a"), call("2", "b"), call("1", "c"), call("2", "d"), call("3", "e")];
    expect(brief(new PatternDetector({ minFrequency: 1 }).analyzeLogs(log, ALL))).toEqual([
      ["a c", 1, 1],
      ["b d", 1, 1],
    ]);
  });

  it("orders calls within a session by start time, keeping log order for equal starts", () => {
    const log = [
      call("1", "c", { timestamp: 300 }),
      call("1", "a", { timestamp: 100 }),
      call("1", "b2", { timestamp: 200 }),
      call("1", "b1", { timestamp: 200 }),
    ];
    expect(brief(new PatternDetector({ minFrequency: 1 }).analyzeLogs(log, { closed: false, maxSequenceLength: 4 }))[0]).toEqual([
      "a b2 b1 c",
      1,
      1,
    ]);
  });

  it("accepts any iterable, e.g. a generator", () => {
    function* gen(): Generator<ToolCallRecord> {
      yield* runs("a b", "a b", "a b");
    }
    expect(brief(new PatternDetector().analyzeLogs(gen(), ALL))).toEqual([["a b", 3, 1]]);
  });
});

describe("analyzeLogs: sessions without an execution id", () => {
  const anon = (tool: string, timestamp: number, durationMs = 10): ToolCallRecord => ({
    toolName: tool,
    timestamp,
    durationMs,
    success: true,
  });

  it("splits at idle gaps measured from the latest end before the call", () => {
    const log = [
      anon("a", 0, 500), // ends at 500
      anon("b", 100), // inside a's run: same session
      anon("c", 1_400), // 900 after a's end: same session with a gap of 1000
      anon("d", 3_000), // 1590 after c's end: new session
      anon("e", 3_100),
    ];
    const detector = new PatternDetector({ minFrequency: 1 });
    expect(brief(detector.analyzeLogs(log, { closed: false, idleGapMs: 1_000, maxSequenceLength: 4 })).map((p) => p[0])).toEqual([
      "a b c",
      "a b",
      "b c",
      "d e",
    ]);
    expect(brief(detector.analyzeLogs(log, { closed: false, idleGapMs: 800, maxSequenceLength: 4 })).map((p) => p[0])).toEqual([
      "a b",
      "d e",
    ]);
    expect(detector.analyzeLogs(log, { closed: false, idleGapMs: Infinity, maxSequenceLength: 5 })[0]!.tools).toEqual([
      "a",
      "b",
      "c",
      "d",
      "e",
    ]);
  });

  it("treats an empty execution id as none, in any log order", () => {
    const log = [anon("c", 200), { ...anon("a", 0), executionId: "" }, anon("b", 100)];
    expect(brief(new PatternDetector({ minFrequency: 1 }).analyzeLogs(log, { closed: false, maxSequenceLength: 3 }))[0]).toEqual([
      "a b c",
      1,
      1,
    ]);
  });

  it("uses a default gap of 5 minutes", () => {
    const log = [anon("a", 0), anon("b", 300_010), anon("c", 600_020)];
    expect(new PatternDetector({ minFrequency: 1 }).analyzeLogs(log, ALL)[0]!.tools).toEqual(["a", "b", "c"]);
    const later = [anon("a", 0), anon("b", 300_011)];
    expect(new PatternDetector({ minFrequency: 1 }).analyzeLogs(later, ALL)).toEqual([]);
  });
});

describe("analyzeLogs: retries", () => {
  it("merges the attempts of a step into one call: the last attempt's success, the summed duration", () => {
    const one = (exec: string) => [
      call(exec, "build"),
      call(exec, "push", { attempt: 1, success: false, durationMs: 30 }),
      call(exec, "push", { attempt: 2, success: false, durationMs: 30 }),
      call(exec, "push", { attempt: 3, success: true, durationMs: 40 }),
      call(exec, "deploy"),
    ];
    const patterns = new PatternDetector().analyzeLogs([...one("1"), ...one("2"), ...one("3")], ALL);
    expect(brief(patterns)).toEqual([
      ["build push deploy", 3, 1],
      ["build push", 3, 1],
      ["push deploy", 3, 1],
    ]);
    expect(patterns[0]!.avgDurationMs).toBe(10 + 100 + 10);
    expect(patterns[0]!.samples[0]!.calls[1]).toMatchObject({ toolName: "push", attempts: 3, durationMs: 100, success: true });
  });

  it("a step whose last attempt failed makes its occurrences failures", () => {
    const log = ["1", "2"].flatMap((exec) => [
      call(exec, "a"),
      call(exec, "b", { success: false }),
      call(exec, "b", { attempt: 2, success: exec === "1" }),
    ]);
    expect(new PatternDetector({ minFrequency: 1, minSuccessRate: 0 }).analyzeLogs(log, ALL)[0]).toMatchObject({
      tools: ["a", "b"],
      frequency: 2,
      successRate: 0.5,
    });
  });

  it("keeps repeated first attempts of one step id as separate calls", () => {
    const log = [call("1", "poll", { stepId: "p" }), call("1", "poll", { stepId: "p" }), call("1", "poll", { stepId: "p" })];
    expect(brief(new PatternDetector({ minFrequency: 1 }).analyzeLogs(log, ALL))).toEqual([
      ["poll poll", 2, 1],
      ["poll poll poll", 1, 1],
    ]);
  });
});

describe("analyzeLogs: closed", () => {
  it("leaves out a sequence reported one call longer with the same frequency", () => {
    // a b c ×3, plus b c ×1 elsewhere: a b (3) is covered by a b c (3); b c (4) is not
    const log = runs("a b c", "a b c", "a b c", "x b c");
    const detector = new PatternDetector({ minFrequency: 3 });
    expect(brief(detector.analyzeLogs(log, ALL))).toEqual([
      ["b c", 4, 1],
      ["a b c", 3, 1],
      ["a b", 3, 1],
    ]);
    expect(brief(detector.analyzeLogs(log, { closed: true }))).toEqual([
      ["b c", 4, 1],
      ["a b c", 3, 1],
    ]);
    // the default
    expect(detector.analyzeLogs(log)).toEqual(detector.analyzeLogs(log, { closed: true }));
  });

  it("leaves out every sub-sequence of a longer pattern seen as often, however much shorter", () => {
    const log = runs("a b c d e", "a b c d e", "a b c d e", "x c d");
    const found = brief(new PatternDetector().analyzeLogs(log));
    expect(found).toEqual([
      ["c d", 4, 1],
      ["a b c d e", 3, 1],
    ]);
  });

  it("keeps a sequence whose longer one does not pass the success threshold", () => {
    const log = ["1", "2", "3"].flatMap((exec) => [call(exec, "a"), call(exec, "b"), call(exec, "c", { success: exec === "1" })]);
    expect(brief(new PatternDetector({ minSuccessRate: 0.5 }).analyzeLogs(log, { closed: true }))).toEqual([["a b", 3, 1]]);
  });
});

describe("analyzeLogs: ranking", () => {
  it("breaks ties by length (longer first), then by tool names", () => {
    const log = runs("b a", "b a", "a c", "a c", "a b", "a b", "x y z", "x y z");
    expect(
      new PatternDetector({ minFrequency: 2 }).analyzeLogs(log, { closed: false, maxSequenceLength: 3 }).map((p) => p.tools.join(" ")),
    ).toEqual(["x y z", "a b", "a c", "b a", "x y", "y z"]);
  });

  it("ranks by successful occurrences: 4 of 4 beats 6 at 50%", () => {
    const log = [
      ...runs("a b", "a b", "a b", "a b"),
      ...["1", "2", "3", "4", "5", "6"].flatMap((e) => [call(`c${e}`, "c"), call(`c${e}`, "d", { success: Number(e) % 2 === 0 })]),
    ];
    expect(brief(new PatternDetector({ minSuccessRate: 0.5 }).analyzeLogs(log, ALL))).toEqual([
      ["a b", 4, 1],
      ["c d", 6, 0.5],
    ]);
  });
});

describe("analyzeLogs: samples", () => {
  it("keeps the first sampleSize occurrences with their parameters and results", () => {
    const log = [1, 2, 3, 4].flatMap((n) => [
      call(`e${n}`, "a", { parameters: { n }, result: { id: `id-${n}` } }),
      call(`e${n}`, "b", { parameters: { id: `id-${n}` } }),
    ]);
    const [p] = new PatternDetector().analyzeLogs(log, { closed: false, sampleSize: 2 });
    expect(p!.samples.map((s) => s.executionId)).toEqual(["e1", "e2"]);
    expect(p!.samples[1]!.calls.map((c) => [c.toolName, c.parameters, c.result])).toEqual([
      ["a", { n: 2 }, { id: "id-2" }],
      ["b", { id: "id-2" }, undefined],
    ]);
    expect(new PatternDetector().analyzeLogs(log, { closed: false, sampleSize: 0 })[0]!.samples).toEqual([]);
  });
});

describe("PatternMiner", () => {
  it("gives the same result record by record as analyzeLogs, and its stats", () => {
    const log = runs("a b c", "a b c", "a b c", "a b");
    const miner = new PatternMiner({ closed: false, maxSequenceLength: 3 });
    for (const r of log) miner.add(r);
    expect(miner.result()).toEqual(new PatternDetector().analyzeLogs(log, { closed: false, maxSequenceLength: 3 }));
    expect(miner.stats).toEqual({ records: 11, sessions: 4, openSessions: 0, distinctSequences: 3, tools: 3 });
    expect(miner.result()).toBe(miner.result());
    expect(() => miner.add(log[0]!)).toThrow(/has returned its result/);
  });

  it("counts a session once the log's clock passes it by sessionTimeoutMs (a later call starts a new session)", () => {
    const log = [
      { ...call("1", "a"), timestamp: 0 },
      { ...call("1", "b"), timestamp: 100 },
      { ...call("2", "x"), timestamp: 5_000 },
      { ...call("1", "c"), timestamp: 5_100 },
    ];
    const exact = new PatternMiner({ closed: false, minFrequency: 1 }).addAll(log);
    expect(exact.result()[0]!.tools).toEqual(["a", "b", "c"]);
    const bounded = new PatternMiner({ closed: false, minFrequency: 1, sessionTimeoutMs: 1_000 }).addAll(log);
    expect(bounded.result().map((p) => p.tools.join(" "))).toEqual(["a b"]);
    expect(bounded.stats.sessions).toBe(3);
  });

  it("counts the least recently active session first when more than maxOpenSessions are open", () => {
    const log = [call("1", "a"), call("2", "a"), call("1", "b"), call("3", "a"), call("3", "b"), call("1", "c")];
    const miner = new PatternMiner({ closed: false, minFrequency: 1, maxOpenSessions: 2 });
    miner.addAll(log.slice(0, 3));
    expect(miner.stats).toMatchObject({ openSessions: 2, sessions: 0 });
    miner.add(log[3]!); // 3 opens; 2 (a alone) is the least recently active: counted and forgotten
    expect(miner.stats).toMatchObject({ openSessions: 2, sessions: 1 });
    miner.addAll(log.slice(4));
    expect(miner.result().map((p) => [p.tools.join(" "), p.frequency])).toEqual([
      ["a b", 2],
      ["a b c", 1],
      ["b c", 1],
    ]);
  });

  it("counts a long session in batches without losing or double-counting a window", () => {
    const tools = ["a", "b", "c", "d", "e", "f", "g"];
    const log = Array.from({ length: 10_000 }, (_, i) => call("long", tools[(i * 3 + (i >> 4)) % tools.length]!, { stepId: `s${i}` }));
    const miner = new PatternMiner({ closed: false, minFrequency: 1, maxSequenceLength: 4 }).addAll(log);
    const total = miner.result().reduce((sum, p) => sum + p.frequency, 0);
    expect(total).toBe(3 * 10_000 - (1 + 2 + 3)); // windows of length 2, 3, 4
    const byLength = (l: number) =>
      miner
        .result()
        .filter((p) => p.tools.length === l)
        .reduce((s, p) => s + p.frequency, 0);
    expect([byLength(2), byLength(3), byLength(4)]).toEqual([9_999, 9_998, 9_997]);
  });

  it("handles many distinct tools (growing the key base, then string keys)", () => {
    const log = Array.from({ length: 3_000 }, (_, i) => [call(`e${i}`, `tool-${i}`), call(`e${i}`, "end"), call(`e${i}`, "end")]).flat();
    const miner = new PatternMiner({ closed: false, minFrequency: 1, maxSequenceLength: 6 }).addAll(log);
    const result = miner.result();
    expect(result[0]).toMatchObject({ tools: ["end", "end"], frequency: 3_000 });
    expect(result).toHaveLength(1 + 3_000 * 2);
    expect(result.find((p) => p.tools[0] === "tool-2999" && p.tools.length === 3)).toMatchObject({ frequency: 1 });
  });
});

describe("options", () => {
  it.each([
    [{ minFrequency: 0 }, "minFrequency must be an integer of 1 or more, got 0"],
    [{ minFrequency: 2.5 }, "minFrequency must be an integer of 1 or more, got 2.5"],
    [{ minFrequency: "3" }, 'minFrequency must be an integer of 1 or more, got "3"'],
    [{ minSuccessRate: 1.5 }, "minSuccessRate must be a number from 0 to 1, got 1.5"],
    [{ minSuccessRate: Number.NaN }, "minSuccessRate must be a number from 0 to 1, got NaN"],
    [{ minFrequncy: 3 }, 'unknown option "minFrequncy" in new PatternDetector(options). options are "minFrequency", "minSuccessRate"'],
  ])("new PatternDetector(%j) throws a TypeError", (options, message) => {
    expect(() => new PatternDetector(options as never)).toThrow(new TypeError(message));
  });

  it.each([
    [{ maxSequenceLength: 1 }, "maxSequenceLength must be an integer of 2 or more, got 1"],
    [{ maxSequenceLength: 3.5 }, "maxSequenceLength must be an integer of 2 or more, got 3.5"],
    [{ closed: "yes" }, 'closed must be a boolean, got "yes"'],
    [{ idleGapMs: -1 }, "idleGapMs must be a number of milliseconds of 0 or more (Infinity allowed), got -1"],
    [{ sessionTimeoutMs: 0 }, "sessionTimeoutMs must be a number of milliseconds above 0 (Infinity allowed), got 0"],
    [{ maxOpenSessions: 0 }, "maxOpenSessions must be an integer of 1 or more (or Infinity), got 0"],
    [{ sampleSize: -1 }, "sampleSize must be an integer of 0 or more, got -1"],
    [
      { minFrequency: 2 },
      'unknown option "minFrequency" in the analyze options. options are "maxSequenceLength", "closed", "idleGapMs", "sessionTimeoutMs", "maxOpenSessions", "sampleSize"',
    ],
  ])("analyzeLogs(logs, %j) throws a TypeError", (options, message) => {
    expect(() => new PatternDetector().analyzeLogs([], options as never)).toThrow(new TypeError(message));
  });

  it("rejects logs that are not iterable and records that are not tool calls", () => {
    expect(() => new PatternDetector().analyzeLogs(null as never)).toThrow(TypeError);
    expect(() => new PatternDetector().analyzeLogs([{ toolName: "a", timestamp: 1, durationMs: 1, success: "yes" } as never])).toThrow(
      new TypeError('record 1 (tool "a"): "success" must be true or false, got "yes"'),
    );
    expect(() =>
      new PatternDetector().analyzeLogs([call("1", "a"), { toolName: 3, timestamp: 1, durationMs: 1, success: true } as never]),
    ).toThrow(new TypeError('record 2: "toolName" must be a string, got 3'));
  });

  it("has the documented defaults", () => {
    const detector = new PatternDetector();
    expect([detector.minFrequency, detector.minSuccessRate]).toEqual([3, 0.7]);
    expect(new PatternMiner().options).toEqual({
      minFrequency: 3,
      minSuccessRate: 0.7,
      maxSequenceLength: 5,
      closed: true,
      idleGapMs: 300_000,
      sessionTimeoutMs: 3_600_000,
      maxOpenSessions: 20_000,
      sampleSize: 20,
    });
  });
});

// A map step on `weave run`'s display: one line with its items' progress (live and plain), item failures and
// retries on lines of their own in logs (bounded for long lists), and the summary. Fed real runs' events, with
// their times set to 0 so the lines are exact; and hand-written events for the orders a run may interleave.
import { describe, expect, it } from "vitest";
import { WorkflowContext } from "../../../../src/executor/context.js";
import { WorkflowExecutor } from "../../../../src/executor/executor.js";
import type { ExecutionEvent, ExecutionResult, ToolContext } from "../../../../src/executor/types.js";
import { WorkflowTemplate } from "../../../../src/model/template.js";
import { MAX_ITEM_LINES, plainProgress } from "../../../../cli/run/display/plain-progress.js";
import { renderLive, type LiveRenderOptions } from "../../../../cli/run/display/render-live.js";
import { MAX_ITEM_RETRIES_KEPT, RunProgress } from "../../../../cli/run/display/run-progress.js";
import { renderRetries, renderSummaryTable } from "../../../../cli/run/display/summary-table.js";
import { NO_COLORS } from "../../../../cli/shared/color.js";

/** list -> deploy (one per region; "skip" is skipped by its condition) -> report. */
const template = new WorkflowTemplate({
  name: "multi_region",
  steps: [
    { id: "list", toolName: "list" },
    {
      id: "deploy",
      toolName: "deploy",
      dependsOn: ["list"],
      forEach: "{{list.regions}}",
      parameters: { region: "{{item}}" },
      condition: "{{item}} != 'skip'",
      maxRetries: 1,
      retryDelayMs: 0,
    },
    { id: "report", toolName: "report", dependsOn: ["deploy"] },
  ],
});

/** `flaky` fails its first attempt, `broken` every attempt. */
const deploy = (p: Record<string, unknown>, c: ToolContext): unknown => {
  if (p.region === "broken" || (p.region === "flaky" && c.attempt === 1)) throw new Error(`${p.region as string}: HTTP 503`);
  return { url: `https://${p.region as string}.example` };
};

/** Runs the template, one item at a time (so the events come in one order), with its times set to 0. */
async function run(regions: readonly string[]): Promise<{ events: ExecutionEvent[]; result: ExecutionResult }> {
  const events: ExecutionEvent[] = [];
  const executor = new WorkflowExecutor({ concurrency: 1, tools: { list: () => ({ regions }), deploy, report: () => ({}) } });
  const result = await executor.execute(template, new WorkflowContext({}), undefined, {
    onEvent: (e) => events.push({ ...e, time: 0, ...("durationMs" in e ? { durationMs: 0 } : {}) } as ExecutionEvent),
  });
  return { events, result: { ...result, durationMs: 0, completedSteps: result.completedSteps.map((s) => ({ ...s, durationMs: 0 })) } };
}

function plainLines(events: readonly ExecutionEvent[], runId: string): string[] {
  const out: string[] = [];
  const apply = plainProgress(new RunProgress(template, runId), (text) => out.push(text), NO_COLORS);
  for (const event of events) apply(event);
  return out.join("").split("\n").slice(0, -1);
}

describe("plain progress of a map step", () => {
  it("one line per step, a progress line each tenth of the items, a line per failed or retried item", async () => {
    const { events, result } = await run(["eu", "flaky", "broken", "skip", "us"]);
    expect(result.status).toBe("failed");
    expect(plainLines(events, result.runId)).toEqual([
      "✔ list    list    0 ms",
      "▶ deploy  deploy  0 ms     [1/5]",
      "↻ deploy  deploy           item 1, attempt 1 failed: flaky: HTTP 503; retrying in 0 ms",
      "▶ deploy  deploy  0 ms     [2/5]",
      "↻ deploy  deploy           item 2, attempt 1 failed: broken: HTTP 503; retrying in 0 ms",
      "✖ deploy  deploy  0 ms     item 2 failed: broken: HTTP 503 (2 attempts)",
      "▶ deploy  deploy  0 ms     [3/5] 1 failed",
      "▶ deploy  deploy  0 ms     [4/5] 1 failed, 1 skipped",
      "✖ deploy  deploy  0 ms     [5/5] failed: item 2 of 5 failed: broken: HTTP 503 (1 skipped, 2 retries)",
      '↷ report  report           skipped: dependency "deploy" failed',
    ]);
  });

  it("a list of 10,000 items writes a few dozen lines: the first failures and retries, then tenths", async () => {
    const regions = Array.from({ length: 10_000 }, (_, i) => (i % 250 === 7 ? "broken" : `r${i}`));
    const { events, result } = await run(regions);
    const lines = plainLines(events, result.runId);
    const itemLines = lines.filter((l) => / item \d+/.test(l) && !l.includes("["));
    expect(itemLines).toHaveLength(MAX_ITEM_LINES);
    expect(itemLines.slice(0, 2)).toEqual([
      "↻ deploy  deploy           item 7, attempt 1 failed: broken: HTTP 503; retrying in 0 ms",
      "✖ deploy  deploy  0 ms     item 7 failed: broken: HTTP 503 (2 attempts)",
    ]);
    expect(lines).toContain("  … more failed or retried items of deploy: counted on its line, not listed");
    expect(lines.filter((l) => l.startsWith("▶ deploy")).map((l) => l.replace(/^.*\[/, "["))).toEqual(
      [1, 2, 3, 4, 5, 6, 7, 8, 9].map((tenth) => `[${tenth * 1000}/10000] ${tenth * 4} failed`),
    );
    expect(lines.at(-2)).toBe(
      "✖ deploy  deploy  0 ms     [10000/10000] failed: item 7 of 10000 failed: broken: HTTP 503 (and 39 more items) (40 retries)",
    );
    expect(lines.length).toBeLessThan(40);
  });

  it("an empty list completes at once: [0/0]", async () => {
    const { events, result } = await run([]);
    expect(plainLines(events, result.runId).slice(1, 2)).toEqual(["✔ deploy  deploy  0 ms     [0/0]"]);
  });
});

describe("the live line of a map step", () => {
  const R = "r1";
  const base: LiveRenderOptions = { palette: NO_COLORS, now: 1_500, frame: 0, rows: 24, columns: 100 };
  const started = (index: number, attempt = 1): ExecutionEvent => ({
    type: "step_started",
    runId: R,
    stepId: "deploy",
    toolName: "deploy",
    attempt,
    time: 100 * (index + 1),
    item: { index, count: 4 },
  });
  const finished = (index: number, status: "completed" | "failed" | "skipped" | "stopped", error?: string): ExecutionEvent => ({
    type: "item_finished",
    runId: R,
    stepId: "deploy",
    item: { index, count: 4 },
    status,
    attempts: status === "skipped" ? 0 : 1,
    durationMs: 5,
    time: 1_000,
    ...(error === undefined ? {} : { error }),
  });

  /** The deploy line after these events (list completed before them). */
  function deployLine(events: readonly ExecutionEvent[]): string {
    const progress = new RunProgress(template, R);
    progress.apply({ type: "step_finished", runId: R, stepId: "list", status: "completed", attempts: 1, durationMs: 12, time: 50 });
    for (const event of events) expect(progress.apply(event)?.id).toBe("deploy");
    return renderLive(progress.steps, base)[1]!;
  }

  it.each<[string, ExecutionEvent[], string]>([
    ["not started: a step like any other", [], "· deploy  deploy"],
    [
      "items started at once: one line, timed from the first",
      [started(0), started(1), started(2)],
      "⠋ deploy  deploy  1.4 s    [0/4] 3 running",
    ],
    [
      "an item retrying, one failed, one skipped",
      [
        started(0),
        started(1),
        started(2),
        {
          type: "step_retried",
          runId: R,
          stepId: "deploy",
          attempt: 1,
          error: "HTTP 503",
          delayMs: 100,
          time: 900,
          item: { index: 1, count: 4 },
        },
        finished(0, "failed", "boom"),
        finished(3, "skipped"),
      ],
      "⠋ deploy  deploy  1.4 s    [2/4] 1 running, 1 retrying, 1 failed, 1 skipped",
    ],
    [
      "the retried item runs again",
      [
        started(1),
        {
          type: "step_retried",
          runId: R,
          stepId: "deploy",
          attempt: 1,
          error: "HTTP 503",
          delayMs: 100,
          time: 900,
          item: { index: 1, count: 4 },
        },
        started(1, 2),
      ],
      "⠋ deploy  deploy  1.3 s    [0/4] 1 running",
    ],
    [
      "failed, with items still running (failFast): they are no longer counted as running",
      [
        started(0),
        started(1),
        finished(0, "failed", "boom"),
        {
          type: "step_finished",
          runId: R,
          stepId: "deploy",
          status: "failed",
          attempts: 1,
          durationMs: 900,
          error: "item 0 of 4 failed: boom",
          time: 1_000,
        },
      ],
      "✖ deploy  deploy  900 ms   [1/4] failed: item 0 of 4 failed: boom",
    ],
    [
      "failed under failFast: the items it stopped are counted as such",
      [
        started(0),
        started(1),
        started(2),
        finished(0, "failed", "boom"),
        finished(1, "stopped", "stopped by failFast: item 0 of 4 failed: boom"),
        finished(2, "stopped", "stopped by failFast: item 0 of 4 failed: boom"),
        {
          type: "step_finished",
          runId: R,
          stepId: "deploy",
          status: "failed",
          attempts: 3,
          durationMs: 900,
          error: "item 0 of 4 failed: boom",
          time: 1_000,
        },
      ],
      "✖ deploy  deploy  900 ms   [3/4] failed: item 0 of 4 failed: boom (2 stopped)",
    ],
    [
      "completed",
      [
        started(0),
        finished(0, "completed"),
        finished(1, "skipped"),
        started(2),
        finished(2, "completed"),
        started(3),
        finished(3, "completed"),
        { type: "step_finished", runId: R, stepId: "deploy", status: "completed", attempts: 3, durationMs: 950, time: 1_050 },
      ],
      "✔ deploy  deploy  950 ms   [4/4] (1 skipped)",
    ],
  ])("%s", (_, events, line) => {
    expect(deployLine(events)).toBe(line);
  });

  it("counts the map step as one step when the steps do not fit the terminal", () => {
    const progress = new RunProgress(template, R);
    for (const event of [started(0), started(1)]) progress.apply(event);
    expect(renderLive(progress.steps, { ...base, rows: 3 })).toEqual([
      "  … and 1 more running",
      "▶ 0/3 steps: 1 running, 0 completed, 2 pending",
    ]);
  });
});

describe("the summary of a map step", () => {
  it("a completed map step's row says how many items it ran; retried items are listed under the table", async () => {
    const { events, result } = await run(["eu", "flaky", "skip"]);
    const progress = new RunProgress(template, result.runId);
    for (const event of events) progress.apply(event);
    expect(renderSummaryTable(template, result, NO_COLORS, progress.steps)).toEqual([
      "step    tool    status     attempts  duration  detail",
      "list    list    completed         1      0 ms",
      "deploy  deploy  completed         3      0 ms  3 items (1 skipped)",
      "report  report  completed         1      0 ms",
    ]);
    expect(renderRetries(progress.steps, NO_COLORS)).toEqual(["retried:", "  deploy  item 1, attempt 1 failed: flaky: HTTP 503"]);
  });

  it(`keeps the first ${MAX_ITEM_RETRIES_KEPT} retried attempts of a map step's items and counts the rest`, async () => {
    const { events, result } = await run(Array.from({ length: 25 }, () => "flaky"));
    const progress = new RunProgress(template, result.runId);
    for (const event of events) progress.apply(event);
    const lines = renderRetries(progress.steps, NO_COLORS);
    expect(lines).toHaveLength(1 + MAX_ITEM_RETRIES_KEPT + 1);
    expect(lines.slice(-2)).toEqual([
      "          item 9, attempt 1 failed: flaky: HTTP 503",
      "          … and 15 more retried attempts of its items",
    ]);
  });
});

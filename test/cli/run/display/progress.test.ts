// A tool's progress reports (step_progress events) on weave run's display: on the running step's live line, the
// latest one only, cleared by the next attempt; never as lines of their own in a log.
import { expect, it } from "vitest";
import { plainProgress } from "../../../../cli/run/display/plain-progress.js";
import { renderLive } from "../../../../cli/run/display/render-live.js";
import { RunProgress } from "../../../../cli/run/display/run-progress.js";
import { NO_COLORS } from "../../../../cli/shared/color.js";
import type { ExecutionEvent } from "../../../../src/executor/types.js";
import { WorkflowTemplate } from "../../../../src/model/template.js";

const R = "r1";
const template = new WorkflowTemplate({ name: "copy", steps: [{ id: "copy", toolName: "fs.copy", maxRetries: 1 }] });
const started = (attempt: number): ExecutionEvent => ({
  type: "step_started",
  runId: R,
  stepId: "copy",
  toolName: "fs.copy",
  attempt,
  time: 0,
});
const progress = (attempt: number, value: number, total?: number, message?: string): ExecutionEvent => ({
  type: "step_progress",
  runId: R,
  stepId: "copy",
  attempt,
  progress: value,
  time: 0,
  ...(total === undefined ? {} : { total }),
  ...(message === undefined ? {} : { message }),
});

function liveLine(events: readonly ExecutionEvent[]): string {
  const run = new RunProgress(template, R);
  for (const event of events) run.apply(event);
  return renderLive(run.steps, { palette: NO_COLORS, now: 1_200, frame: 0, rows: 24, columns: 100 })[0]!;
}

it.each<[string, ExecutionEvent[], string]>([
  ["no report: the time alone", [started(1)], "⠋ copy  fs.copy  1.2 s"],
  ["of a total, with what it does", [started(1), progress(1, 3, 10, "copying a.txt")], "⠋ copy  fs.copy  1.2 s    3/10 copying a.txt"],
  ["the latest report only", [started(1), progress(1, 3, 10), progress(1, 4, 10)], "⠋ copy  fs.copy  1.2 s    4/10"],
  ["a total of 100 as a percentage", [started(1), progress(1, 42.4, 100)], "⠋ copy  fs.copy  1.2 s    42%"],
  ["no total: the count", [started(1), progress(1, 7)], "⠋ copy  fs.copy  1.2 s    7"],
  ["a new attempt clears the last one's report", [started(1), progress(1, 9, 10), started(2)], "⠋ copy  fs.copy  1.2 s    attempt 2"],
  ["a late report of an earlier attempt is ignored", [started(1), started(2), progress(1, 9, 10)], "⠋ copy  fs.copy  1.2 s    attempt 2"],
  ["with the attempt", [started(1), started(2), progress(2, 1, 2, "again")], "⠋ copy  fs.copy  1.2 s    attempt 2: 1/2 again"],
])("%s", (_, events, line) => {
  expect(liveLine(events)).toBe(line);
});

it("writes no line for a progress report in plain output", () => {
  const out: string[] = [];
  const listen = plainProgress(new RunProgress(template, R), (text) => void out.push(text), NO_COLORS);
  for (const event of [started(1), progress(1, 1, 2, "half"), progress(1, 2, 2)]) listen(event);
  expect(out).toEqual([]);
});

import { describe, expect, it } from "vitest";
import { NO_COLORS, COLORS } from "../../../../cli/shared/color.js";
import { renderLive, type LiveRenderOptions } from "../../../../cli/run/display/render-live.js";
import type { StepView } from "../../../../cli/run/display/run-progress.js";

const base: LiveRenderOptions = { palette: NO_COLORS, now: 10_000, frame: 0, rows: 24, columns: 100 };

const steps: StepView[] = [
  { id: "build", toolName: "docker_build", status: "completed", attempts: 1, startedAt: 0, durationMs: 12 },
  { id: "test", toolName: "run_tests", status: "running", attempts: 2, startedAt: 8_500 },
  { id: "push", toolName: "docker_push", status: "failed", attempts: 3, startedAt: 0, durationMs: 2_400, detail: "boom\nat line 2" },
  { id: "lint", toolName: "eslint", status: "retrying", attempts: 1, startedAt: 9_000, detail: "flaky", retryDelayMs: 1000 },
  { id: "notify", toolName: "slack", status: "skipped", attempts: 0, detail: 'dependency "push" failed' },
  { id: "docs", toolName: "mkdocs", status: "pending", attempts: 0 },
];

describe("renderLive", () => {
  it("shows one aligned line per step with its symbol, tool and time", () => {
    expect(renderLive(steps, base)).toEqual([
      "✔ build   docker_build  12 ms",
      "⠋ test    run_tests     1.5 s    attempt 2",
      "✖ push    docker_push   2.4 s    failed: boom at line 2 (3 attempts)",
      "↻ lint    eslint                 attempt 1 failed: flaky; retrying in 1.0 s",
      '↷ notify  slack                  skipped: dependency "push" failed',
      "· docs    mkdocs",
    ]);
  });

  it("advances the spinner with the frame", () => {
    expect(renderLive(steps, { ...base, frame: 1 })[1]).toMatch(/^⠙ test/);
  });

  it("cuts lines to the terminal width so none wraps", () => {
    const lines = renderLive(steps, { ...base, columns: 30 });
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(29);
    expect(lines[2]).toBe("✖ push    docker_push   2.4 …");
  });

  it("shows only running steps and counts when the steps do not fit the terminal", () => {
    const many: StepView[] = Array.from({ length: 50 }, (_, i) => ({ id: `s${i}`, toolName: "t", status: "pending", attempts: 0 }));
    many[3] = { ...many[3]!, status: "running", attempts: 1, startedAt: 9_900 };
    many[7] = { ...many[7]!, status: "completed", attempts: 1, durationMs: 5 };
    many[8] = { ...many[8]!, status: "failed", attempts: 1, durationMs: 5, detail: "x" };
    expect(renderLive(many, { ...base, rows: 10 })).toEqual([
      "⠋ s3   t  100 ms",
      "✖ 2/50 steps: 1 running, 1 completed, 1 failed, 47 pending",
    ]);
  });

  it("says how many running steps it could not show", () => {
    const many: StepView[] = Array.from({ length: 30 }, (_, i) => ({
      id: `s${i}`,
      toolName: "t",
      status: "running",
      attempts: 1,
      startedAt: 10_000,
    }));
    const lines = renderLive(many, { ...base, rows: 6 });
    expect(lines).toHaveLength(5);
    expect(lines.slice(-2)).toEqual(["  … and 27 more running", "▶ 0/30 steps: 30 running, 0 completed, 0 pending"]);
  });

  it("adds the notice below the steps", () => {
    expect(renderLive(steps.slice(0, 1), { ...base, notice: "cancelling" })).toEqual(["✔ build  docker_build  12 ms", "cancelling"]);
  });

  it("colours only the symbol of a started step", () => {
    const [line] = renderLive(steps.slice(0, 1), { ...base, palette: COLORS });
    expect(line).toBe("\x1b[32m✔\x1b[39m build  docker_build  12 ms");
  });
});

/**
 * Stray errors in tools (issue 12, class 11): a rejection a tool never awaits, or a timer callback that throws, fails
 * that tool's step (not the whole `weave run` as an internal error), and the other steps go on. One raised after its
 * step finished is a warning.
 */
import { describe, expect, it } from "vitest";
import { weave } from "../cli/weave-process.js";

describe("weave run with tools that raise stray errors", () => {
  it("fails each offending step with its error, warns about a late one, and completes the rest", async () => {
    const outcome = await weave(["run", "test/security/fixtures/stray.ts", "--json"]);
    expect(outcome.stderr).not.toContain("internal error");
    expect(outcome.stderr).toContain(
      'weave: warning: step "late" raised an error after it had finished (a promise it did not await, or a timer): thrown after the step finished',
    );
    expect(outcome.code).toBe(1);
    const result = JSON.parse(outcome.stdout) as {
      status: string;
      failedSteps: { id: string; error: string }[];
      completedSteps: { id: string }[];
      outputs: unknown;
    };
    expect(result.status).toBe("failed");
    expect(result.failedSteps.map((s) => [s.id, s.error]).sort()).toEqual([
      ["leaky", "forgot to await this"],
      ["timer", "timer callback threw"],
    ]);
    expect(result.completedSteps.map((s) => s.id).sort()).toEqual(["fine", "late"]);
    expect(result.outputs).toEqual({ fine: true });
  });
});

describe("a workflow file or tools module whose top-level await never settles", () => {
  it.each([
    ["run", "test/security/fixtures/never-loads.ts"],
    ["tools", "test/security/fixtures/never-loads-tools.mjs"],
  ])("is a located error, exit 2 (%s)", async (kind, file) => {
    const args = kind === "run" ? ["run", file] : ["run", "test/security/fixtures/one-step.json", "--tools", file];
    const outcome = await weave(args);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toBe(
      `weave: ${file} never finished loading: a top-level await in it (or in a module it imports) waits for a promise that nothing will settle\n  move the waiting into a tool or the workflow's run, or make sure the awaited promise resolves\n`,
    );
    expect(outcome.stdout).toBe("");
  });
});

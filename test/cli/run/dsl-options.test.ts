// `weave run <workflow.ts>` with the DSL's workflow options: no input (no zod internals), and timeoutMs (cancelled).
import { describe, expect, it } from "vitest";
import { weave } from "../weave-process.js";

const F = "test/cli/fixtures/ts";

describe.concurrent("weave run <workflow.ts>: workflow options", () => {
  it("runs a workflow declared without input or description", async () => {
    const { code, stdout, stderr } = await weave(["run", `${F}/no-input.ts`, "--json"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ status: "completed", outputs: { text: "hello, world" } });
  });

  it("refuses a variable for a workflow that takes none, naming it", async () => {
    const { code, stderr } = await weave(["run", `${F}/no-input.ts`, "--var", "name=x"]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/name/);
    expect(stderr).not.toMatch(/_idmap|at .*\.js:\d+/);
  });

  it("a workflow's timeoutMs cancels the run: the step is aborted, the next one not run, exit 3 (a run its timeout cancelled)", async () => {
    const started = performance.now();
    const { code, stdout } = await weave(["run", `${F}/timeout.ts`]);
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(code).toBe(3);
    expect(stdout).toMatch(/^✖ wait +wait_for_abort +\d+ ms +failed: workflow "bounded" timed out after 300 ms$/m);
    expect(stdout).toMatch(/^↷ after +never +skipped: workflow "bounded" timed out after 300 ms$/m);
    expect(stdout).toMatch(/^cancelled after \d+ ms: workflow "bounded" timed out after 300 ms$/m);
  });

  it("--json shows the cancelled status", async () => {
    const { code, stdout } = await weave(["run", `${F}/timeout.ts`, "--json"]);
    expect(code).toBe(3);
    expect(JSON.parse(stdout)).toMatchObject({
      status: "cancelled",
      error: 'workflow "bounded" timed out after 300 ms',
      skippedSteps: [{ id: "after" }],
    });
  });
});

// `weave run --timeout`: a bound on the whole run, overriding the template's timeoutMs. When it passes, the running
// step is cancelled through its signal and fails, the rest are skipped, the run ends "cancelled" and weave exits 3.
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseTimeout } from "../../../cli/run/command.js";
import { STACK, useWorkdirs, weave } from "../weave-process.js";

const F = "test/cli/fixtures";
const TOOLS = ["--tools", `${F}/tools.ts`];
const { workdir, root } = useWorkdirs("weave-cli-timeout-");

describe("parseTimeout", () => {
  it.each([
    ["5000", 5000],
    ["500ms", 500],
    ["30s", 30_000],
    ["1.5s", 1500],
    ["2m", 120_000],
    ["1h30m", 5_400_000],
    [" 2M ", 120_000],
    ["none", null],
  ])("%j is %j", (text, ms) => {
    expect(parseTimeout(text)).toBe(ms);
  });

  it.each(["", "0", "-5", "5 s", "5sec", "s", "1e3", "99999999999"])("refuses %j, saying what it takes", (text) => {
    expect(() => parseTimeout(text)).toThrow(
      /^--timeout must be a duration: milliseconds \(5000\) or with a unit \(500ms, 30s, 2m, 1h30m\), at least 1 ms, or none; got/,
    );
  });
});

describe.concurrent("weave run --timeout", () => {
  it("a JSON template: the waiting step is cancelled and fails, the next is skipped, the run is cancelled, exit 3", async () => {
    const wd = await workdir("json");
    const { code, stdout, stderr } = await weave(["run", `${F}/cancel.json`, ...TOOLS, "--var", `workdir=${wd}`, "--timeout", "300ms"]);
    expect(stderr).toBe("");
    expect(code).toBe(3);
    expect(stdout).toMatch(/^wait +wait_for_cancel +failed +1 +\d+ ms +.*timed out after 300 ms/m);
    expect(stdout).toMatch(/^after +write_file +skipped +0 +-/m);
    expect(stdout).toMatch(/^cancelled after \d+ ms: workflow "long" timed out after 300 ms$/m);
    expect(existsSync(join(wd, "after.txt"))).toBe(false);
  });

  it("a workflow file, --json: status cancelled and why", async () => {
    const wd = await workdir("ts");
    const { code, stdout } = await weave(["run", `${F}/ts/cancel.ts`, "--var", `dir=${wd}`, "--timeout", "0.3s", "--json"]);
    expect(code).toBe(3);
    expect(JSON.parse(stdout)).toMatchObject({
      status: "cancelled",
      error: 'workflow "waits" timed out after 300 ms',
      skippedSteps: [{ id: "after" }],
    });
    expect(existsSync(join(wd, "after"))).toBe(false);
  });

  it("overrides the template's timeoutMs, and none lifts it", async () => {
    const template = join(root(), "bounded.json");
    await writeFile(
      template,
      JSON.stringify({
        name: "bounded",
        timeoutMs: 200,
        steps: [{ id: "pause", toolName: "sleep", parameters: { ms: 600 } }],
      }),
    );
    const tools = join(root(), "sleep-tools.mjs");
    await writeFile(tools, "export default { sleep: ({ ms }) => new Promise((done) => setTimeout(() => done({ slept: ms }), ms)) };\n");
    const bounded = await weave(["run", template, "--tools", tools, "--json"]);
    expect([bounded.code, JSON.parse(bounded.stdout).error]).toEqual([3, 'workflow "bounded" timed out after 200 ms']);
    const lifted = await weave(["run", template, "--tools", tools, "--json", "--timeout", "none"]);
    expect([lifted.code, JSON.parse(lifted.stdout).status]).toEqual([0, "completed"]);
    const longer = await weave(["run", template, "--tools", tools, "--json", "--timeout", "5s"]);
    expect([longer.code, JSON.parse(longer.stdout).status]).toEqual([0, "completed"]);
  });

  it("weave resume --timeout: a durable run cancelled by its timeout resumes, bounded again from the resume", async () => {
    const wd = await workdir("durable");
    const runsDir = join(wd, "runs");
    const first = await weave([
      "run",
      `${F}/cancel.json`,
      ...TOOLS,
      "--var",
      `workdir=${wd}`,
      "--run-id",
      "bounded-1",
      "--runs-dir",
      runsDir,
      "--timeout",
      "300ms",
      "--json",
    ]);
    expect([first.code, JSON.parse(first.stdout).status]).toEqual([3, "cancelled"]);
    const resumed = await weave(["resume", "bounded-1", "--runs-dir", runsDir, "--timeout", "400ms", "--json"]);
    expect(resumed.code).toBe(3);
    // the step the timeout aborted did not fail on its own: the resume says why it runs again
    expect(resumed.stderr).toContain(
      '0 of 2 steps done; stopped when the run was cancelled (workflow "long" timed out after 300 ms), so run again: "wait"\n',
    );
    expect(resumed.stderr).not.toContain("failed, so retried");
    expect(JSON.parse(resumed.stdout)).toMatchObject({ status: "cancelled", error: 'workflow "long" timed out after 400 ms' });
  });

  it("a bad --timeout is a usage error, before anything runs", async () => {
    const { code, stderr } = await weave(["run", `${F}/cancel.json`, ...TOOLS, "--timeout", "soon"]);
    expect(code).toBe(2);
    expect(stderr).not.toMatch(STACK);
    expect(stderr).toContain(
      '--timeout must be a duration: milliseconds (5000) or with a unit (500ms, 30s, 2m, 1h30m), at least 1 ms, or none; got "soon"',
    );
  });
});

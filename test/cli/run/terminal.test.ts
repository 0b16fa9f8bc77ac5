// `weave run` on a terminal: the live display is erased when the run ends, so what it showed while the run went on
// (each retried attempt's error) must be in what stays: the reasons are listed under the summary table. The process
// gets a real pseudo-terminal from util-linux's `script` (Debian's essential bsdutils package); without it the test
// fails saying so rather than being skipped.
import { execFile, spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { cleanEnv, ROOT, WEAVE, useWorkdirs } from "../weave-process.js";

const F = "test/cli/fixtures";
const hasScript = spawnSync("script", ["--version"], { encoding: "utf8" }).status === 0;
const { workdir } = useWorkdirs("weave-cli-tty-");

/** Runs weave in a pseudo-terminal. @returns what the terminal received, with the carriage returns of the tty removed */
function inTerminal(args: string[]): Promise<{ code: number; screen: string }> {
  const command = [process.execPath, WEAVE, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(" ");
  return new Promise((resolve, reject) => {
    execFile(
      "script",
      ["-qec", command, "/dev/null"],
      { cwd: ROOT, timeout: 30_000, env: cleanEnv({ NO_COLOR: "1", COLUMNS: "200" }) },
      (error, stdout) => {
        if (error && typeof error.code !== "number") return reject(error);
        resolve({ code: error ? (error.code as number) : 0, screen: stdout.replace(/\r/g, "") });
      },
    );
  });
}

describe("weave run on a terminal", () => {
  it("has util-linux's script to open a pseudo-terminal (Debian: apt-get install bsdutils)", () => {
    expect(hasScript).toBe(true);
  });

  it("keeps the retried attempts' errors under the summary table, where the live lines that showed them are gone", async () => {
    const wd = await workdir("retries");
    const { code, screen } = await inTerminal(["run", `${F}/failing.json`, "--tools", `${F}/tools.ts`, "--var", `workdir=${wd}`]);
    expect(code).toBe(1);
    // the live display drew and erased its block (cursor up, erase below) before the table
    expect(screen).toContain("\x1b[J");
    const table = screen.slice(screen.indexOf("step "));
    expect(table).toMatch(/^push +fail +failed +3 +\d+ ms +registry said no$/m);
    const retried = table.slice(table.indexOf("retried:"));
    expect(table.indexOf("retried:")).toBeGreaterThan(0);
    expect(retried.split("\n").slice(0, 4)).toEqual([
      "retried:",
      expect.stringMatching(/^ {2}flaky-test {2}attempt 1 failed: .+$/),
      "  push        attempt 1 failed: registry said no",
      "              attempt 2 failed: registry said no",
    ]);
    expect(retried).toMatch(/\nfailed in \d+ ms: step "push" failed: registry said no\n/);
  });
});

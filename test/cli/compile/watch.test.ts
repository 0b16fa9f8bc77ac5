// `weave lint --watch` as a real process: a change is re-checked and reported with its time; SIGINT ends it.
import { spawn } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";
import { cleanEnv, STACK, WEAVE } from "../weave-process.js";

const FIXTURES = fileURLToPath(new URL("../lint/fixtures", import.meta.url));
const dir = mkdtempSync(path.join(os.tmpdir(), "weave-watch-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `weave lint . --watch` in `cwd`: its output so far (`stdout` can be reset), a wait for a condition, and its exit. */
function watchLint(cwd: string) {
  const child = spawn(process.execPath, [WEAVE, "lint", ".", "--watch"], { cwd, env: cleanEnv() });
  const out = { stdout: "", stderr: "" };
  child.stdout.on("data", (b: Buffer) => void (out.stdout += b.toString()));
  child.stderr.on("data", (b: Buffer) => void (out.stderr += b.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const until = async (test: () => boolean, what: string): Promise<void> => {
    for (let i = 0; i < 200 && !test(); i++) await new Promise((r) => setTimeout(r, 50));
    if (!test()) throw new Error(`timed out waiting for ${what}. stdout:\n${out.stdout}\nstderr:\n${out.stderr}`);
  };
  const stop = (): Promise<number | null> => {
    child.kill("SIGINT");
    return exited;
  };
  return { out, until, stop };
}

it("re-checks a changed file, prints how long it took, and exits 0 on SIGINT", async () => {
  copyFileSync(path.join(FIXTURES, "clean", "release.workflow.json"), path.join(dir, "release.workflow.json"));
  const { out, until, stop } = watchLint(dir);
  await until(() => out.stderr.includes("watching for changes"), "the watcher");
  expect(out.stdout).toBe("no problems in 1 file\n");
  writeFileSync(path.join(dir, "release.workflow.json"), "{ broken");
  await until(() => /re-checked 1 changed file in \d+ ms/.test(out.stderr), "the re-check");
  expect(out.stdout).toMatch(/release\.workflow\.json:1:3: error: invalid JSON: .*\[invalid-template\]/);
  expect(await stop()).toBe(0);
  expect(out.stderr).not.toMatch(STACK);
});

it("checks everything again with new settings when weave.config.json is created or changed", async () => {
  const project = mkdtempSync(path.join(os.tmpdir(), "weave-watch-config-"));
  try {
    copyFileSync(path.join(FIXTURES, "ts", "tools.ts"), path.join(project, "tools.ts"));
    writeFileSync(
      path.join(project, "release.ts"),
      readFileSync(path.join(FIXTURES, "ts", "release.ts"), "utf8").replace(
        "{ image: built.out.imageId }",
        '{ image: "<<build.imageId>>" }',
      ),
    );
    const { out, until, stop } = watchLint(project);
    await until(() => out.stderr.includes("watching for changes"), "the watcher");
    expect(out.stdout).toContain("[lookalike-placeholder]");
    out.stdout = "";
    writeFileSync(path.join(project, "weave.config.json"), JSON.stringify({ lint: { rules: { "lookalike-placeholder": "off" } } }));
    await until(() => /re-checked 1 changed file in \d+ ms/.test(out.stderr), "the re-check");
    expect(out.stdout).toBe("no problems in 2 files\n");
    expect(await stop()).toBe(0);
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
});

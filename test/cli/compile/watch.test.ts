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

it("re-checks a changed file, prints how long it took, and exits 0 on SIGINT", async () => {
  copyFileSync(path.join(FIXTURES, "clean", "release.workflow.json"), path.join(dir, "release.workflow.json"));
  const child = spawn(process.execPath, [WEAVE, "lint", ".", "--watch"], { cwd: dir, env: cleanEnv() });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (b: Buffer) => void (stdout += b.toString()));
  child.stderr.on("data", (b: Buffer) => void (stderr += b.toString()));
  const until = async (test: () => boolean, what: string): Promise<void> => {
    for (let i = 0; i < 200 && !test(); i++) await new Promise((r) => setTimeout(r, 50));
    if (!test()) throw new Error(`timed out waiting for ${what}. stdout:\n${stdout}\nstderr:\n${stderr}`);
  };
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  await until(() => stderr.includes("watching for changes"), "the watcher");
  expect(stdout).toBe("no problems in 1 file\n");
  writeFileSync(path.join(dir, "release.workflow.json"), "{ broken");
  await until(() => /re-checked 1 changed file in \d+ ms/.test(stderr), "the re-check");
  expect(stdout).toMatch(/release\.workflow\.json:1:3: error: invalid JSON: .*\[invalid-template\]/);
  child.kill("SIGINT");
  expect(await exited).toBe(0);
  expect(stderr).not.toMatch(STACK);
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
    const child = spawn(process.execPath, [WEAVE, "lint", ".", "--watch"], { cwd: project, env: cleanEnv() });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (b: Buffer) => void (stdout += b.toString()));
    child.stderr.on("data", (b: Buffer) => void (stderr += b.toString()));
    const until = async (test: () => boolean, what: string): Promise<void> => {
      for (let i = 0; i < 200 && !test(); i++) await new Promise((r) => setTimeout(r, 50));
      if (!test()) throw new Error(`timed out waiting for ${what}. stdout:\n${stdout}\nstderr:\n${stderr}`);
    };
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    await until(() => stderr.includes("watching for changes"), "the watcher");
    expect(stdout).toContain("[lookalike-placeholder]");
    stdout = "";
    writeFileSync(path.join(project, "weave.config.json"), JSON.stringify({ lint: { rules: { "lookalike-placeholder": "off" } } }));
    await until(() => /re-checked 1 changed file in \d+ ms/.test(stderr), "the re-check");
    expect(stdout).toBe("no problems in 2 files\n");
    child.kill("SIGINT");
    expect(await exited).toBe(0);
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
});

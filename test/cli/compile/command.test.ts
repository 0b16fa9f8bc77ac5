// `weave compile` as a real process. The TypeScript cases need the static extractor (compiler/extract/index.ts).
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { STACK, weave } from "../weave-process.js";

const FIXTURES = fileURLToPath(new URL("../lint/fixtures", import.meta.url));
let out = "";
afterEach(() => {
  if (out) rmSync(out, { recursive: true, force: true });
  out = "";
});
const outDir = (): string => (out = mkdtempSync(path.join(os.tmpdir(), "weave-compile-")));
const compile = (args: string[]) => weave(["compile", ...args], { cwd: FIXTURES });

describe("weave compile", () => {
  it("writes each workflow and a manifest with their hashes, atomically (no temp files left)", async () => {
    const dir = outDir();
    const r = await compile(["ts", "--out", dir]);
    expect(r.stderr).toContain("wrote 1 workflow and manifest.json to ");
    expect(r.code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(["manifest.json", "release.workflow.json"]);
    const content = readFileSync(path.join(dir, "release.workflow.json"), "utf8");
    const template = JSON.parse(content);
    expect(template.name).toBe("release");
    expect(template.steps.map((s: { id: string }) => s.id)).toEqual(["build", "push"]);
    const manifest = JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8"));
    expect(manifest).toEqual({
      version: 1,
      workflows: [
        {
          name: "release",
          file: "release.workflow.json",
          // relative to the project root (the repository, whose package.json is the nearest), not to the current folder
          source: "test/cli/lint/fixtures/ts/release.ts",
          hash: `sha256:${createHash("sha256").update(content).digest("hex")}`,
        },
      ],
    });
  });

  it("writes neither of two workflows with the same name, and names both places", async () => {
    const dir = outDir();
    const r = await compile(["dupes", "--out", dir, "--format", "json"]);
    expect(r.code).toBe(1);
    const found = JSON.parse(r.stdout).diagnostics.filter((d: { ruleId: string }) => d.ruleId === "invalid-template");
    expect(found.map((d: { file: string }) => d.file)).toEqual(["dupes/a.ts", "dupes/b.ts"]);
    expect(found[0].message).toMatch(/^workflow name "twin" is also used at dupes\/b\.ts:\d+:\d+\. names must be unique/);
    expect(readdirSync(dir)).toEqual(["manifest.json"]);
    expect(JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8"))).toEqual({ version: 1, workflows: [] });
  });

  it("checks JSON templates among the inputs without copying them", async () => {
    const dir = outDir();
    const r = await compile(["errors", "--out", dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/\[unknown-dependency\]/);
    expect(readdirSync(dir)).toEqual(["manifest.json"]);
  });

  it("without --out is a usage error", async () => {
    const r = await compile(["ts"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/required option '--out <dir>'/);
    expect(r.stderr).not.toMatch(STACK);
  });

  it("lint on TypeScript workflows reads them without running them", async () => {
    const r = await weave(["lint", "ts", "--format", "json"], { cwd: FIXTURES });
    expect(JSON.parse(r.stdout).diagnostics).toEqual([]);
    expect(r.code).toBe(0);
    expect(existsSync(path.join(FIXTURES, "ts", "release.workflow.json"))).toBe(false);
  });
});

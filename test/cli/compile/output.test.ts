// `weave compile` in a build: the same bytes from any directory, an output folder it owns through its manifest
// (what it wrote and no workflow produces any more is removed; what it did not write is left alone, with a warning),
// and --check for CI. A real project in a temp folder (its own package.json: its root), compiled as a real process.
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { weave } from "../weave-process.js";

const FIXTURES = fileURLToPath(new URL("../lint/fixtures/ts", import.meta.url));
let project = "";

/** Every file of a folder, by name, with its bytes. */
const contents = (dir: string): Record<string, string> =>
  Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(path.join(dir, f), "utf8")]));

beforeAll(() => {
  project = mkdtempSync(path.join(os.tmpdir(), "weave-compile-project-"));
  writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "app", type: "module" }));
  cpSync(FIXTURES, path.join(project, "src", "workflows"), { recursive: true });
});
afterAll(() => rmSync(project, { recursive: true, force: true }));

describe("weave compile in a build", () => {
  it("writes the same bytes from the project's root and from a folder inside it, sources relative to the root", async () => {
    const fromRoot = await weave(["compile", "src/workflows", "--out", "build/a"], { cwd: project });
    const fromInside = await weave(["compile", "workflows", "--out", "../build/b"], { cwd: path.join(project, "src") });
    expect([fromRoot.code, fromInside.code]).toEqual([0, 0]);
    const a = contents(path.join(project, "build/a"));
    expect(contents(path.join(project, "build/b"))).toEqual(a);
    expect(JSON.parse(a["manifest.json"]!).workflows[0].source).toBe("src/workflows/release.ts");
    expect(JSON.parse(a["release.workflow.json"]!).steps[0].source).toMatchObject({ file: "src/workflows/release.ts", line: 7 });
  });

  it("removes what it wrote before that no workflow produces any more, and leaves a file it did not write alone", async () => {
    const out = path.join(project, "build/owned");
    expect((await weave(["compile", "src/workflows", "--out", out], { cwd: project })).code).toBe(0);
    writeFileSync(path.join(out, "hand-made.workflow.json"), "{}\n");
    writeFileSync(path.join(out, "notes.txt"), "mine\n");
    // the workflow is renamed: release -> release_v2
    const source = path.join(project, "src/workflows/release.ts");
    const original = readFileSync(source, "utf8");
    writeFileSync(source, original.replace('workflow("release"', 'workflow("release_v2"'));
    try {
      const r = await weave(["compile", "src/workflows", "--out", "build/owned"], { cwd: project });
      expect(r.code).toBe(0);
      expect(r.stderr).toContain("removed build/owned/release.workflow.json (no workflow produces it any more)");
      expect(r.stderr).toContain(
        "warning: left build/owned/hand-made.workflow.json alone: weave compile did not write it, and no workflow produces it (remove it if it is stale)",
      );
      expect(readdirSync(out).sort()).toEqual(["hand-made.workflow.json", "manifest.json", "notes.txt", "release_v2.workflow.json"]);
      expect(JSON.parse(readFileSync(path.join(out, "manifest.json"), "utf8")).workflows.map((w: { name: string }) => w.name)).toEqual([
        "release_v2",
      ]);
    } finally {
      writeFileSync(source, original);
    }
  });

  it("--check writes nothing: exit 0 when current; exit 1 listing the missing, stale and extra files", async () => {
    const out = path.join(project, "build/checked");
    const check = () => weave(["compile", "src/workflows", "--out", "build/checked", "--check"], { cwd: project });

    const empty = await check();
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain("build/checked/release.workflow.json: missing: a compile would write it");
    expect(existsSync(out)).toBe(false);

    expect((await weave(["compile", "src/workflows", "--out", "build/checked"], { cwd: project })).code).toBe(0);
    const current = await check();
    expect(current.stderr).toContain("build/checked is what weave compile writes (2 files)");
    expect(current.code).toBe(0);

    writeFileSync(path.join(out, "release.workflow.json"), "{}\n");
    renameSync(path.join(out, "manifest.json"), path.join(out, "manifest.old"));
    writeFileSync(path.join(out, "old.workflow.json"), "{}\n");
    const stale = await check();
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain("build/checked/release.workflow.json: stale: a compile would write other content");
    expect(stale.stderr).toContain("build/checked/manifest.json: missing: a compile would write it");
    expect(stale.stderr).toContain(
      "build/checked/old.workflow.json: extra: not written by weave compile, and no workflow produces it: remove it",
    );
    expect(stale.stderr).toContain("build/checked is out of date: run weave compile without --check and commit the result");
    expect(readFileSync(path.join(out, "release.workflow.json"), "utf8")).toBe("{}\n");
  });
});

// The check cache (compiler/check-cache.ts): weave compile and weave lint on unchanged sources reuse the last
// result, from the project's node_modules/.cache/toolweave, and write nothing; any change to an input, to a file an
// input imports or to the lint config checks again. A real project in a temp folder, compiled as a real process.
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { weave } from "../weave-process.js";

const FIXTURES = fileURLToPath(new URL("../lint/fixtures/ts", import.meta.url));
let project = "";
const CACHED =
  /weave: the sources are unchanged: the last check's result, from .*node_modules\/\.cache\/toolweave\/check-[0-9a-f]{16}\.json/;
const run = (args: string[]) => weave(args, { cwd: project, env: { WEAVE_DEBUG: "1" } });
const compile = () => run(["compile", "src", "--out", "build"]);

beforeAll(() => {
  project = mkdtempSync(path.join(os.tmpdir(), "weave-check-cache-"));
  writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "app", type: "module" }));
  cpSync(FIXTURES, path.join(project, "src"), { recursive: true });
});
afterAll(() => rmSync(project, { recursive: true, force: true }));

describe("the check cache", () => {
  it("compiles unchanged sources from the cache, writing nothing, with the same output", async () => {
    const first = await compile();
    expect(first.code).toBe(0);
    expect(first.stderr).not.toMatch(CACHED);
    expect(readdirSync(path.join(project, "node_modules/.cache/toolweave")).sort()).toEqual([
      expect.stringMatching(/^check-[0-9a-f]{16}\.json$/),
      // the output folder's file times and sizes, as this compile left them
      expect.stringMatching(/^check-[0-9a-f]{16}\.out\.json$/),
      expect.stringMatching(/^check-[0-9a-f]{16}\.workflows\.json$/),
    ]);
    const before = readFileSync(path.join(project, "build/release.workflow.json"), "utf8");
    const second = await compile();
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(CACHED);
    expect(second.stderr).toContain("1 workflow and manifest.json in build are current: nothing to write");
    expect(readFileSync(path.join(project, "build/release.workflow.json"), "utf8")).toBe(before);

    // an output edited (its size changed): written again from the cache
    writeFileSync(path.join(project, "build/release.workflow.json"), "{}\n");
    const edited = await compile();
    expect(edited.stderr).toMatch(CACHED);
    expect(edited.stderr).toContain("wrote 1 workflow and manifest.json to build");
    expect(readFileSync(path.join(project, "build/release.workflow.json"), "utf8")).toBe(before);

    // the output folder changed, the sources did not: the cached templates are written again
    rmSync(path.join(project, "build/release.workflow.json"));
    const third = await compile();
    expect(third.stderr).toMatch(CACHED);
    expect(third.stderr).toContain("wrote 1 workflow and manifest.json to build");
    expect(readFileSync(path.join(project, "build/release.workflow.json"), "utf8")).toBe(before);
  });

  it("checks again when a file an input imports changes, and when the lint config does", async () => {
    await compile();
    const tools = path.join(project, "src/tools.ts");
    writeFileSync(tools, `${readFileSync(tools, "utf8")}\n// changed\n`);
    const afterTools = await compile();
    expect(afterTools.stderr).not.toMatch(CACHED);
    expect((await compile()).stderr).toMatch(CACHED);

    const warn = path.join(project, "src/warn.ts");
    writeFileSync(
      warn,
      readFileSync(path.join(project, "src/release.ts"), "utf8")
        .replace('workflow("release"', 'workflow("release_again"')
        .replace("{ image: built.out.imageId }", '{ image: "<<build.imageId>>" }'),
    );
    const lint = await run(["lint", "src"]);
    expect(lint.stdout).toContain("[lookalike-placeholder]");
    const again = await run(["lint", "src"]);
    expect(again.stderr).toMatch(CACHED);
    expect(again.stdout).toBe(lint.stdout);
    expect(again.code).toBe(lint.code);

    writeFileSync(path.join(project, "weave.config.json"), JSON.stringify({ lint: { rules: { "lookalike-placeholder": "off" } } }));
    const configured = await run(["lint", "src"]);
    expect(configured.stderr).not.toMatch(CACHED);
    expect(configured.stdout).not.toContain("lookalike-placeholder");
    rmSync(warn);
    rmSync(path.join(project, "weave.config.json"));
    expect(existsSync(warn)).toBe(false);
  });
});

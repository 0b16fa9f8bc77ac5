// The compiler's API on the CLI fixtures. JSON cases need the rules engine; TypeScript cases the extractor.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { compile, createChecker, lint, nameDiagnostics } from "../../compiler/api.js";
import { spanAt } from "../../compiler/diagnostic.js";
import type { ExtractedWorkflow } from "../../compiler/extract/index.js";
import { findInputs, isTemplateJson } from "../../compiler/files.js";
import { writeOutput, outputFile } from "../../compiler/write-output.js";

const FIXTURES = fileURLToPath(new URL("../cli/lint/fixtures", import.meta.url));
const temp = mkdtempSync(path.join(os.tmpdir(), "weave-api-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** A workflow as the extractor returns it, enough for the name checks. */
function fakeWorkflow(name: string, file: string): ExtractedWorkflow {
  const text = `export const w = workflow(${JSON.stringify(name)}, {});\n`;
  const start = text.indexOf('"');
  return {
    name,
    exportName: "w",
    file,
    template: { name } as never,
    target: { file, text, origin: "ts", template: { name }, locate: () => spanAt(file, text, start, start + name.length + 2) },
  };
}

describe("findInputs", () => {
  it("finds templates and TypeScript files, sorted, relative to the cwd", () => {
    const inputs = findInputs({ cwd: FIXTURES, paths: ["."] });
    expect(inputs.json).toEqual([
      "broken/broken.workflow.json",
      "clean/release.workflow.json",
      "errors/deploy.workflow.json",
      "warnings/deploy.json",
    ]);
    expect(inputs.ts).toEqual(["dupes/a.ts", "dupes/b.ts", "ts/release.ts", "ts/tools.ts"]);
  });

  it("leaves out excluded directories", () => {
    expect(findInputs({ cwd: FIXTURES, paths: ["."], exclude: ["dupes", "ts"] }).ts).toEqual([]);
  });

  it("names every missing path", () => {
    expect(() => findInputs({ cwd: FIXTURES, paths: ["clean", "a", "b.json"] })).toThrow(/^cannot find "a", "b\.json"$/);
  });

  it("takes the TypeScript files of a tsconfig", () => {
    const dir = path.join(temp, "project");
    mkdirSync(path.join(dir, "src"), { recursive: true });
    writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ include: ["src"] }));
    writeFileSync(path.join(dir, "src", "a.ts"), "export {};\n");
    writeFileSync(path.join(dir, "src", "b.d.ts"), "export {};\n");
    expect(findInputs({ cwd: dir, project: "." })).toMatchObject({ ts: ["src/a.ts"], json: [], project: "tsconfig.json" });
  });

  it.each([
    ["x.workflow.json", "{ broken", true],
    ["x.json", '{ "name": "a", "steps": [] }', true],
    ["x.json", '{ "steps": [] }', true],
    ["x.json", '{ "name": "a" }', false],
    ["package.json", '{ "name": "a", "scripts": { "steps": "x" } }', false],
    ["x.json", '[{ "steps": [] }]', false],
    ["x.json", '{ "steps": [ broken', true],
  ])("isTemplateJson(%j, %j) = %j", (file, text, expected) => {
    expect(isTemplateJson(file, text)).toBe(expected);
  });
});

describe("nameDiagnostics", () => {
  it("reports two workflows with one name at both places", () => {
    const found = nameDiagnostics([fakeWorkflow("twin", "a.ts"), fakeWorkflow("solo", "a.ts"), fakeWorkflow("twin", "b.ts")]);
    expect(found.map((d) => [d.span.file, d.ruleId, d.severity, d.message])).toEqual([
      [
        "a.ts",
        "invalid-template",
        "error",
        'workflow name "twin" is also used at b.ts:1:27. names must be unique: each workflow compiles to "twin.workflow.json"',
      ],
      [
        "b.ts",
        "invalid-template",
        "error",
        'workflow name "twin" is also used at a.ts:1:27. names must be unique: each workflow compiles to "twin.workflow.json"',
      ],
    ]);
  });

  it.each(["../evil", "a/b", ".hidden", ""])("reports %j, which cannot be a file name", (name) => {
    expect(nameDiagnostics([fakeWorkflow(name, "a.ts")]).map((d) => d.message)).toEqual([
      `workflow name ${JSON.stringify(name)} cannot be a file name. use letters, digits, "_", "-" and "." (not first)`,
    ]);
  });
});

describe("writeOutput", () => {
  it("writes the files and then the manifest, sorted by name, leaving no temp files", async () => {
    const dir = path.join(temp, "out", "nested");
    const files = [outputFile("b", "src/b.ts", { name: "b" }), outputFile("a", "src\\a.ts", { name: "a" })];
    const { written, manifest } = await writeOutput(dir, files);
    expect(written).toEqual([path.join(dir, "a.workflow.json"), path.join(dir, "b.workflow.json"), path.join(dir, "manifest.json")]);
    expect(readdirSync(dir).sort()).toEqual(["a.workflow.json", "b.workflow.json", "manifest.json"]);
    expect(readFileSync(path.join(dir, "a.workflow.json"), "utf8")).toBe('{\n  "name": "a"\n}\n');
    expect(manifest.workflows.map((w) => [w.name, w.file, w.source])).toEqual([
      ["a", "a.workflow.json", "src/a.ts"],
      ["b", "b.workflow.json", "src/b.ts"],
    ]);
    expect(manifest.workflows[0]!.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8"))).toEqual(manifest);
  });
});

describe("lint", () => {
  it("checks JSON templates", async () => {
    const result = await lint({ cwd: FIXTURES, paths: ["errors", "clean"] });
    expect(result.files).toEqual(["clean/release.workflow.json", "errors/deploy.workflow.json"]);
    expect(result.diagnostics.map((d) => d.ruleId)).toContain("unknown-dependency");
    expect(result.workflows).toEqual([]);
    expect([...result.sources.keys()]).toEqual(result.files);
  });

  it("applies rule settings", async () => {
    const result = await lint({ cwd: FIXTURES, paths: ["warnings"], rules: { "implicit-dependency": "error" } });
    expect(result.diagnostics.map((d) => [d.ruleId, d.severity])).toEqual([["implicit-dependency", "error"]]);
    expect((await lint({ cwd: FIXTURES, paths: ["warnings"], rules: { "implicit-dependency": "off" } })).diagnostics).toEqual([]);
  });

  it("extracts TypeScript workflows (needs the extractor)", async () => {
    const result = await lint({ cwd: FIXTURES, paths: ["ts"] });
    expect(result.diagnostics).toEqual([]);
    expect(result.workflows.map((w) => [w.name, w.exportName, w.file])).toEqual([["release", "release", "ts/release.ts"]]);
  });

  it("names the files each TypeScript input's extraction read (what to watch to check it again)", async () => {
    const result = await lint({ cwd: FIXTURES, paths: ["ts"] });
    expect(Object.fromEntries(result.imports)).toEqual({ "ts/release.ts": ["ts/tools.ts"], "ts/tools.ts": [] });
  });
});

describe("compile", () => {
  it("writes clean workflows and the manifest; skips duplicates (needs the extractor)", async () => {
    const outDir = path.join(temp, "compiled");
    const result = await compile({ cwd: FIXTURES, paths: ["ts", "dupes"], outDir });
    expect(result.written).toEqual([path.join(outDir, "release.workflow.json"), path.join(outDir, "manifest.json")]);
    expect(result.manifest.workflows.map((w) => w.name)).toEqual(["release"]);
    expect(result.diagnostics.filter((d) => d.severity === "error").map((d) => d.span.file)).toEqual(["dupes/a.ts", "dupes/b.ts"]);
    expect(existsSync(path.join(outDir, "twin.workflow.json"))).toBe(false);
  });
});

describe("createChecker", () => {
  it("re-checks a changed JSON template and keeps the rest", async () => {
    const dir = path.join(temp, "watch");
    mkdirSync(dir, { recursive: true });
    const good = readFileSync(path.join(FIXTURES, "clean", "release.workflow.json"), "utf8");
    writeFileSync(path.join(dir, "a.workflow.json"), good);
    writeFileSync(path.join(dir, "b.workflow.json"), good);
    const checker = await createChecker({ cwd: dir });
    expect(checker.check().diagnostics).toEqual([]);
    writeFileSync(path.join(dir, "b.workflow.json"), "{ nope");
    const after = checker.update([path.join(dir, "b.workflow.json")]);
    expect(after.diagnostics.map((d) => [d.span.file, d.ruleId])).toEqual([["b.workflow.json", "invalid-template"]]);
    rmSync(path.join(dir, "b.workflow.json"));
    expect(checker.update(["b.workflow.json"])).toMatchObject({ diagnostics: [], files: ["a.workflow.json"] });
  });

  it("re-checks sub-workflow recursion across files when one of them changes", async () => {
    const dir = path.join(temp, "watch-recursion");
    mkdirSync(dir, { recursive: true });
    const caller = (name: string, callee: string) =>
      JSON.stringify({ name, steps: [{ id: `run_${callee}`, toolName: "execute_workflow", parameters: { workflow: callee } }] });
    writeFileSync(path.join(dir, "a.workflow.json"), caller("a", "b"));
    writeFileSync(path.join(dir, "b.workflow.json"), caller("b", "c"));
    const checker = await createChecker({ cwd: dir });
    expect(checker.check().diagnostics).toEqual([]);
    // only b changes, and a (kept from the first check) now runs itself through b
    writeFileSync(path.join(dir, "b.workflow.json"), caller("b", "a"));
    const found = checker.update([path.join(dir, "b.workflow.json")]).diagnostics;
    expect(found.map((d) => [d.span.file, d.ruleId, d.stepId])).toEqual([
      ["a.workflow.json", "recursive-workflow", "run_b"],
      ["b.workflow.json", "recursive-workflow", "run_a"],
    ]);
    writeFileSync(path.join(dir, "b.workflow.json"), caller("b", "c"));
    expect(checker.update([path.join(dir, "b.workflow.json")]).diagnostics).toEqual([]);
  });
});

// `weave lint` as a real process on the fixtures. The JSON cases need the rules engine (compiler/lint-engine.ts,
// compiler/rules/, compiler/json-target.ts); the TypeScript cases are in compile.test.ts.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { STACK, weave } from "../weave-process.js";

const FIXTURES = fileURLToPath(new URL("./fixtures", import.meta.url));
const lint = (args: string[], env?: Record<string, string>) => weave(["lint", ...args], { cwd: FIXTURES, ...(env ? { env } : {}) });

describe("weave lint", () => {
  it("exits 0 on a clean template, skipping JSON that is not a template", async () => {
    const r = await lint(["clean"]);
    expect(r).toMatchObject({ code: 0, stderr: "" });
    expect(r.stdout).toBe("no problems in 1 file\n");
  });

  it("exits 1 on errors, printed file:line:col: severity: message [rule] with a code frame", async () => {
    const r = await lint(["errors"]);
    expect(r.code).toBe(1);
    const lines = r.stdout.split("\n");
    const at = lines.findIndex((l) => l.startsWith("errors/deploy.workflow.json:5:110: error: "));
    expect(at).toBeGreaterThanOrEqual(0);
    expect(lines[at]).toMatch(/\[unknown-dependency\]$/);
    expect(lines[at + 1]).toMatch(/^5 \| {5}\{ "id": "push"/);
    expect(lines[at + 2]).toBe(`  | ${" ".repeat(109)}^~~~~~~`);
    expect(lines.at(-2)).toMatch(/^\d+ errors? in 1 file$/);
    expect(r.stdout).not.toMatch(/\x1b\[/);
  });

  it("--format json parses, with a summary", async () => {
    const r = await lint(["errors", "clean", "--format", "json"]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.summary).toMatchObject({ warnings: 0, infos: 0, files: 2 });
    expect(out.diagnostics).toContainEqual(
      expect.objectContaining({
        ruleId: "unknown-dependency",
        severity: "error",
        file: "errors/deploy.workflow.json",
        line: 5,
        column: 110,
        endLine: 5,
        endColumn: 117,
      }),
    );
  });

  it("--format sarif is SARIF 2.1.0 listing every rule", async () => {
    const r = await lint(["errors", "--format", "sarif"]);
    expect(r.code).toBe(1);
    const log = JSON.parse(r.stdout);
    expect(log.version).toBe("2.1.0");
    const driver = log.runs[0].tool.driver;
    expect(driver.name).toBe("weave");
    expect(driver.rules.map((x: { id: string }) => x.id)).toEqual(
      expect.arrayContaining(["cycle", "hidden-dependency", "unknown-dependency"]),
    );
    const result = log.runs[0].results.find((x: { ruleId: string }) => x.ruleId === "unknown-dependency");
    expect(result.locations[0].physicalLocation.artifactLocation).toEqual({ uri: "errors/deploy.workflow.json", uriBaseId: "%SRCROOT%" });
    expect(driver.rules[result.ruleIndex].id).toBe("unknown-dependency");
    expect((await lint(["errors", "--format", "sarif"])).stdout).toBe(r.stdout);
  });

  it("--format github prints workflow commands", async () => {
    const r = await lint(["errors", "--format", "github"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /^::error file=errors\/deploy\.workflow\.json,line=5,col=110,endLine=5,endColumn=117,title=unknown-dependency::step "push"/m,
    );
  });

  it("warnings exit 0, unless more than --max-warnings", async () => {
    expect((await lint(["warnings"])).code).toBe(0);
    expect((await lint(["warnings", "--max-warnings", "1"])).code).toBe(0);
    const r = await lint(["warnings", "--max-warnings", "0"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("weave: 1 warning, more than --max-warnings 0\n");
  });

  it("--quiet reports errors only", async () => {
    const r = await lint(["warnings", "--quiet"]);
    expect(r).toMatchObject({ code: 0, stdout: "no problems in 1 file\n" });
  });

  it("a malformed JSON template is a located invalid-template error (exit 1), not a crash", async () => {
    const r = await lint(["broken/broken.workflow.json"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^broken\/broken\.workflow\.json:5:5: error: invalid JSON: .* \[invalid-template\]$/m);
    expect(r.stderr).toBe("");
  });

  it("--explain prints a rule's page", async () => {
    const r = await lint(["--explain", "implicit-dependency"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^implicit-dependency \(warning\)\n/);
  });

  it("--explain of an unknown rule exits 2 with the list of rules", async () => {
    const r = await lint(["--explain", "no-such-rule"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^weave: unknown rule "no-such-rule"\n {2}rules are .*"cycle".*"unknown-tool"/);
    expect(r.stderr).not.toMatch(STACK);
  });

  it.each([
    [["missing-dir"], /^weave: cannot find "missing-dir"/],
    [["clean", "nope.json", "gone"], /^weave: cannot find "nope\.json", "gone"/],
    [["-p", "nope/tsconfig.json"], /^weave: cannot find tsconfig "nope\/tsconfig\.json"/],
    [["clean", "--format", "xml"], /argument 'xml' is invalid/],
    [["clean", "--max-warnings", "lots"], /^weave: --max-warnings must be a whole number/],
    [["clean", "--no-such-flag"], /unknown option '--no-such-flag'/],
  ])("usage error %j exits 2 without a stack trace", async (args, message) => {
    const r = await lint(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(STACK);
    expect(r.stdout).toBe("");
  });

  describe("in a directory", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "weave-lint-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it("skips node_modules, declaration files and JSON that is not a template; finds templates by content", async () => {
      mkdirSync(path.join(dir, "node_modules", "pkg"), { recursive: true });
      writeFileSync(path.join(dir, "node_modules", "pkg", "bad.workflow.json"), "{ nope");
      writeFileSync(path.join(dir, "types.d.ts"), "export declare const x: number;\n");
      writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "x", scripts: {} }));
      writeFileSync(
        path.join(dir, "pipeline.json"),
        JSON.stringify({ name: "p", steps: [{ id: "a", toolName: "t", dependsOn: ["a"] }] }, null, 2),
      );
      const r = await weave(["lint", ".", "--format", "json"], { cwd: dir });
      const out = JSON.parse(r.stdout);
      expect(out.summary.files).toBe(1);
      expect(new Set(out.diagnostics.map((d: { file: string }) => d.file))).toEqual(new Set(["pipeline.json"]));
      expect(r.code).toBe(1);
    });
  });
});

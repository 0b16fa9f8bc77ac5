// `weave lint` as a real process with a project's rule settings (weave.config.json, --config) and suppressions where
// findings are reported (a // weave-ignore comment, a template's lint.ignore) — DESIGN §7, issue 13.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { STACK, weave } from "../weave-process.js";

const root = mkdtempSync(path.join(os.tmpdir(), "weave-lint-config-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
function project(files: Record<string, string>): string {
  const dir = path.join(root, `p${n++}`);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const REASON = "the e2e suite needs the database the integration suite migrates";

/** The guide's anti-pattern: test_unit -> test_integration -> test_e2e, each reading nothing of the one before. */
const TEMPLATE = (lint = ""): string => `{
  "name": "tests",
  "steps": [
    { "id": "test_unit", "toolName": "run_tests", "parameters": { "suite": "unit" } },
    { "id": "test_integration", "toolName": "run_tests", "parameters": { "suite": "integration" }, "dependsOn": ["test_unit"]${lint} },
    { "id": "test_e2e", "toolName": "run_tests", "parameters": { "suite": "e2e" }, "dependsOn": ["test_integration"] }
  ]
}
`;

const DSL = (comment: string): string => `import { z } from "zod";
import { tool, workflow } from "toolweave";

export const runTests = tool("run_tests", { input: z.object({ suite: z.string() }), output: z.object({ summary: z.string() }) });

export const tests = workflow("tests_dsl", { input: z.object({}) }, ({ step }) => {
  const unit = step("test_unit").tool(runTests).with({ suite: "unit" });
  ${comment}
  const integration = step("test_integration").tool(runTests).with({ suite: "integration" }).after(unit);
  const e2e = step("test_e2e").tool(runTests).with({ suite: "e2e" }).after(integration);
  return { summary: e2e.out.summary };
});
`;

describe("weave lint: rule settings and suppressions", () => {
  it("the finding's message says how to suppress it, and doing so works (JSON and DSL); --format json lists it as suppressed", async () => {
    const before = await weave(["lint", "."], { cwd: project({ "tests.workflow.json": TEMPLATE(), "tests.ts": DSL("") }) });
    expect(before.code).toBe(0);
    expect(before.stdout).toContain(
      'tests.workflow.json:5:114: info: steps "test_unit" -> "test_integration" -> "test_e2e" run one after another, but none reads a result of the step before it or checks its outcome. if their order does not matter, remove their dependsOn entries so they run in parallel; if the order is a gate, keep it and say why in step "test_integration": "lint": { "ignore": { "unnecessary-serialization": "<reason>" } } [unnecessary-serialization]',
    );
    expect(before.stdout).toContain(
      "in a comment on the line before: // weave-ignore unnecessary-serialization: <reason> [unnecessary-serialization]",
    );
    expect(before.stdout).toMatch(/2 infos in 2 files\n$/);

    const dir = project({
      "tests.workflow.json": TEMPLATE(`, "lint": { "ignore": { "unnecessary-serialization": "${REASON}" } }`),
      "tests.ts": DSL(`// weave-ignore unnecessary-serialization: ${REASON}`),
    });
    const after = await weave(["lint", "."], { cwd: dir });
    expect(after).toMatchObject({ code: 0, stdout: "no problems in 2 files (2 suppressed)\n", stderr: "" });
    const json = JSON.parse((await weave(["lint", ".", "--format", "json"], { cwd: dir })).stdout);
    expect(json.diagnostics).toEqual([]);
    expect(
      json.suppressed.map((d: { file: string; suppression: { reason: string; line: number } }) => [
        d.file,
        d.suppression.line,
        d.suppression.reason,
      ]),
    ).toEqual([
      ["tests.ts", 8, REASON],
      ["tests.workflow.json", 5, REASON],
    ]);
    const sarif = JSON.parse((await weave(["lint", ".", "--format", "sarif"], { cwd: dir })).stdout);
    expect(sarif.runs[0].results.map((r: { suppressions: { kind: string; justification: string }[] }) => r.suppressions)).toEqual([
      [expect.objectContaining({ kind: "inSource", justification: REASON })],
      [expect.objectContaining({ kind: "inSource", justification: REASON })],
    ]);
  });

  it("weave.config.json raises a rule to error (exit 1) or turns it off; --config names another file", async () => {
    const dir = project({
      "tests.workflow.json": TEMPLATE(),
      "weave.config.json": '{ "lint": { "rules": { "unnecessary-serialization": "error" } } }',
      "ci/quiet.json": '{ "lint": { "rules": { "unnecessary-serialization": "off" } } }',
    });
    const strict = await weave(["lint", "tests.workflow.json"], { cwd: dir });
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/^tests\.workflow\.json:5:114: error: steps "test_unit"/);
    // found from a directory below too
    mkdirSync(path.join(dir, "sub"));
    expect((await weave(["lint", "../tests.workflow.json"], { cwd: path.join(dir, "sub") })).code).toBe(1);
    expect(await weave(["lint", "tests.workflow.json", "--config", "ci/quiet.json"], { cwd: dir })).toMatchObject({
      code: 0,
      stdout: "no problems in 1 file\n",
    });
    expect(await weave(["compile", ".", "--out", "build", "-c", "ci/quiet.json"], { cwd: dir })).toMatchObject({ code: 0 });
  });

  it("a suppression without a reason suppresses nothing and is reported", async () => {
    const r = await weave(["lint", "tests.ts"], { cwd: project({ "tests.ts": DSL("// weave-ignore unnecessary-serialization") }) });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'tests.ts:8:19: warning: the suppression of "unnecessary-serialization" gives no reason, so it suppresses nothing. write why after a colon: // weave-ignore unnecessary-serialization: <reason> [invalid-suppression]',
    );
    expect(r.stdout).toMatch(/1 warning, 1 info in 1 file\n$/);
    expect(
      (
        await weave(["lint", "tests.ts", "--max-warnings", "0"], {
          cwd: project({ "tests.ts": DSL("// weave-ignore unnecessary-serialization") }),
        })
      ).code,
    ).toBe(1);
  });

  it("a config with mistakes is a usage error (exit 2): each one located, with what is allowed, no stack", async () => {
    const dir = project({
      "tests.workflow.json": TEMPLATE(),
      "weave.config.json": '{\n  "lint": {\n    "rules": { "unnecesary-serialization": "off", "cycle": "warn" }\n  }\n}\n',
    });
    const r = await weave(["lint", "."], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^weave\.config\.json:3:16: unknown rule "unnecesary-serialization" in "lint.rules"\. did you mean "unnecessary-serialization"\? rules are "condition-scope", "cycle", /,
    );
    expect(lines[1]).toBe(
      'weave.config.json:3:60: "lint.rules.cycle" is "warn". did you mean "warning"? expecting "off", "info", "warning", "error"',
    );
    expect(r.stderr).not.toMatch(STACK);
    const missing = await weave(["lint", ".", "--config", "nope.json"], { cwd: dir });
    expect(missing).toMatchObject({ code: 2, stderr: "nope.json: cannot read the config file: no such file\n" });
  });
});

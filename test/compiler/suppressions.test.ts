/**
 * Suppressing one finding where it is reported, with a reason (DESIGN §7, issue 13): a `// weave-ignore` comment in a
 * DSL file, a `lint.ignore` field in a JSON template (a step's, or the template's). Through the real compiler API.
 */
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import path from "node:path";
import { compile, lint } from "../../compiler/api.js";
import type { Diagnostic } from "../../compiler/diagnostic.js";
import { commentDirectives } from "../../compiler/suppressions.js";
import { useLintFiles } from "./lint-files.js";

const { writeFiles } = useLintFiles("weave-suppressions-");

async function check(files: Record<string, string>): Promise<{ found: string[]; suppressed: string[] }> {
  const dir = writeFiles(files);
  const result = await lint({ cwd: dir, config: false });
  const at = (d: Diagnostic) => `${d.span.file}:${d.span.start.line} ${d.ruleId}`;
  return {
    found: result.diagnostics.map(at),
    suppressed: result.suppressed.map(
      (d) => `${at(d)} (${d.suppressed!.reason}, at ${d.suppressed!.span.start.line}:${d.suppressed!.span.start.column})`,
    ),
  };
}

const TOOLS = `import { z } from "zod";
import { tool, workflow } from "toolweave";

export const runTests = tool("run_tests", { input: z.object({ suite: z.string() }), output: z.object({ summary: z.string() }) });
`;

/** The guide's anti-pattern in the DSL, with `comment` on the line before the step `test_integration` (line 9) or its `.after()`. */
const dsl = (comment: string, where: "step" | "after" | "none" = "step"): string => `${TOOLS}
export const tests = workflow("tests", { input: z.object({}) }, ({ step }) => {
  const unit = step("test_unit").tool(runTests).with({ suite: "unit" });
${where === "step" ? `  ${comment}\n` : ""}  const integration = step("test_integration").tool(runTests)
    .with({ suite: "integration" })
${where === "after" ? `    ${comment}\n` : ""}    .after(unit);
  const e2e = step("test_e2e").tool(runTests).with({ suite: "e2e" }).after(integration);
  return { summary: e2e.out.summary };
});
`;

/** The guide's anti-pattern as a template; `lint` is put on step test_integration, `top` on the template. */
const json = (lint?: object, top?: object, format: "current" | "original" = "current"): string => {
  const [id, tool, deps] = format === "current" ? ["id", "toolName", "dependsOn"] : ["step_id", "tool_name", "depends_on"];
  const steps = [
    { [id]: "test_unit", [tool]: "run_tests" },
    { [id]: "test_integration", [tool]: "run_tests", [deps]: ["test_unit"], ...(lint ? { lint } : {}) },
    { [id]: "test_e2e", [tool]: "run_tests", [deps]: ["test_integration"] },
  ];
  return `${JSON.stringify({ name: "tests", ...(top ? { lint: top } : {}), steps }, null, 2)}\n`;
};

const REASON = "the e2e suite needs the database the integration suite migrates";

describe("a suppression covers the finding where it is reported, and says why", () => {
  it.each([
    ["no suppression: the finding counts", { "t.ts": dsl("", "none") }, ["t.ts:10 unnecessary-serialization"], []],
    [
      "a comment on the line before the step",
      { "t.ts": dsl(`// weave-ignore unnecessary-serialization: ${REASON}`) },
      [],
      [`t.ts:11 unnecessary-serialization (${REASON}, at 8:19)`],
    ],
    [
      "a comment on the line before the finding itself (the .after() call)",
      { "t.ts": dsl(`// weave-ignore unnecessary-serialization: ${REASON}`, "after") },
      [],
      [`t.ts:11 unnecessary-serialization (${REASON}, at 10:21)`],
    ],
    [
      "a comment naming several rules",
      { "t.ts": dsl(`// weave-ignore unknown-field, unnecessary-serialization: ${REASON}`) },
      ["t.ts:8 invalid-suppression"],
      [`t.ts:11 unnecessary-serialization (${REASON}, at 8:34)`],
    ],
    [
      "a step's lint.ignore in a template",
      { "t.json": json({ ignore: { "unnecessary-serialization": REASON } }) },
      [],
      [`t.json:12 unnecessary-serialization (${REASON}, at 16:40)`],
    ],
    [
      "the template's lint.ignore, for all its findings",
      { "t.json": json(undefined, { ignore: { "unnecessary-serialization": REASON } }) },
      [],
      [`t.json:17 unnecessary-serialization (${REASON}, at 5:36)`],
    ],
    [
      "a step's lint.ignore in the original format",
      { "t.json": json({ ignore: { "unnecessary-serialization": REASON } }, undefined, "original") },
      [],
      [`t.json:12 unnecessary-serialization (${REASON}, at 16:40)`],
    ],
    [
      "another rule's suppression covers nothing: the finding counts, the suppression is reported",
      { "t.json": json({ ignore: { cycle: REASON } }) },
      ["t.json:12 unnecessary-serialization", "t.json:16 invalid-suppression"],
      [],
    ],
  ])("%s", async (_name, files, found, suppressed) => {
    expect(await check(files)).toEqual({ found, suppressed });
  });

  it("a step's lint.ignore covers only the findings inside that step", async () => {
    const template = json({ ignore: { "unnecessary-serialization": REASON } }).replace(
      '"id": "test_unit"',
      '"id": "test_unit",\n      "lint": { "ignore": { "unnecessary-serialization": "not here" } }',
    );
    expect(await check({ "t.json": template })).toEqual({
      found: ["t.json:6 invalid-suppression"],
      suppressed: [`t.json:13 unnecessary-serialization (${REASON}, at 17:40)`],
    });
  });

  it("suppressed errors do not fail the check; json and sarif list them with the reason (format tests render them)", async () => {
    const dir = writeFiles({
      "t.json": json({ ignore: { "unnecessary-serialization": REASON } }),
      "weave.config.json": '{ "lint": { "rules": { "unnecessary-serialization": "error" } } }',
    });
    const result = await lint({ cwd: dir });
    expect(result.diagnostics).toEqual([]);
    expect(result.suppressed).toMatchObject([{ ruleId: "unnecessary-serialization", severity: "error", suppressed: { reason: REASON } }]);
  });

  it("the template field is ignored when the workflow runs: it validates and loads", async () => {
    const { WorkflowTemplate } = await import("../../src/model/template.js");
    const template = WorkflowTemplate.fromJSON(
      JSON.parse(json({ ignore: { "unnecessary-serialization": REASON } }, { ignore: { cycle: "none" } })),
    );
    expect(template.steps.map((s) => s.id)).toEqual(["test_unit", "test_integration", "test_e2e"]);
    const original = WorkflowTemplate.fromJSON(
      JSON.parse(json({ ignore: { "unnecessary-serialization": REASON } }, undefined, "original")),
    );
    expect(original.steps[1]!.dependsOn).toEqual(["test_unit"]);
  });
});

describe("weave compile keeps a comment's suppression in the template it writes", () => {
  it("as the step's lint.ignore, so linting the output agrees with linting the source", async () => {
    const dir = writeFiles({ "t.ts": dsl(`// weave-ignore unnecessary-serialization: ${REASON}`) });
    const compiled = await compile({ cwd: dir, paths: ["t.ts"], outDir: "out", config: false });
    expect(compiled.diagnostics).toEqual([]);
    const template = JSON.parse(readFileSync(path.join(dir, "out", "tests.workflow.json"), "utf8"));
    expect(template.steps.map((s: { id: string; lint?: unknown }) => [s.id, s.lint])).toEqual([
      ["test_unit", undefined],
      ["test_integration", { ignore: { "unnecessary-serialization": REASON } }],
      ["test_e2e", undefined],
    ]);
    const again = await lint({ cwd: dir, paths: ["out/tests.workflow.json"], config: false });
    expect(again.diagnostics).toEqual([]);
    expect(again.suppressed.map((d) => d.suppressed!.reason)).toEqual([REASON]);
  });
});

describe("weave-ignore comments", () => {
  it.each([
    ["// weave-ignore cycle: a reason", [["cycle"]], "a reason"],
    ["  //weave-ignore cycle, unknown-tool : why: because", [["cycle", "unknown-tool"]], "why: because"],
    ["// weave-ignore cycle the reason without its colon", [["cycle"]], ""],
    ["// weave-ignore", [[]], ""],
    ["// weave-ignored cycle: no", [], ""],
    ["// weave-ignore-next-line cycle: no", [], ""],
    ['const x = "// weave-ignore cycle: not a comment";', [], ""],
  ])("%s", (line, rules, reason) => {
    const found = commentDirectives("t.ts", `${line}\nconst a = 1;\n`);
    expect(found.map((c) => c.rules.map((r) => r.rule))).toEqual(rules);
    if (found.length > 0) expect(found[0]!.reason).toBe(reason);
  });

  it("comments stacked above a line all apply to it", () => {
    const found = commentDirectives("t.ts", "// weave-ignore cycle: a\n// weave-ignore unknown-tool: b\nconst a = 1;\n");
    expect(found.map((c) => c.nextLine)).toEqual([3, 3]);
  });
});

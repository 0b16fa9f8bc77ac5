import { describe, expect, it } from "vitest";
import { formatJson } from "../../../compiler/format/json.js";
import { DIAGNOSTICS, FILES } from "./sample.js";

describe("json", () => {
  it("prints flat, sorted findings and counts", () => {
    const out = JSON.parse(formatJson(DIAGNOSTICS, { files: FILES, color: true }));
    expect(out.summary).toEqual({ errors: 2, warnings: 1, infos: 1, files: 3, suppressed: 0 });
    expect(out.diagnostics.map((d: { ruleId: string }) => d.ruleId)).toEqual([
      "unnecessary-serialization",
      "unknown-dependency",
      "hidden-dependency",
      "non-static",
    ]);
    expect(out.diagnostics[1]).toEqual({
      ruleId: "unknown-dependency",
      severity: "error",
      message: `step "push" needs step "biuld", which does not exist in workflow "deploy". steps are "build", "push"`,
      file: "deploy.json",
      line: 5,
      column: 55,
      endLine: 5,
      endColumn: 62,
      workflow: "deploy",
      stepId: "push",
    });
  });

  it("leaves out workflow and stepId when unknown", () => {
    const [d] = DIAGNOSTICS;
    const out = JSON.parse(
      formatJson([{ ruleId: d!.ruleId, severity: d!.severity, message: d!.message, span: d!.span }], { files: FILES, color: false }),
    );
    expect(Object.keys(out.diagnostics[0])).toEqual(["ruleId", "severity", "message", "file", "line", "column", "endLine", "endColumn"]);
  });

  it("prints an empty list when clean", () => {
    expect(JSON.parse(formatJson([], { files: FILES, color: false }))).toEqual({
      diagnostics: [],
      suppressed: [],
      summary: { errors: 0, warnings: 0, infos: 0, files: 3, suppressed: 0 },
    });
  });
});

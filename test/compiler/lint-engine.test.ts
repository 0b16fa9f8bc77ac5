import { describe, expect, it } from "vitest";
import { readJsonTarget } from "../../compiler/json-target.js";
import { explainRule, formatMessage, lintTarget } from "../../compiler/lint-engine.js";

const lint = (text: string, options?: Parameters<typeof lintTarget>[1]) => lintTarget(readJsonTarget("w.json", text).target!, options);

const RACE =
  '{"name": "release", "steps": [{"id": "build", "toolName": "t"}, {"id": "deploy", "toolName": "t", "parameters": {"image": "{{build.id}}"}, "dependsOn": ["nope"]}]}';

describe("lintTarget", () => {
  it("runs every rule and sorts by position", () => {
    const found = lint(RACE);
    expect(found.map((d) => [d.ruleId, d.severity, d.span.start.column])).toEqual([
      ["hidden-dependency", "error", 124],
      ["unknown-dependency", "error", 154],
    ]);
    expect(found[0]).toMatchObject({ workflow: "release", stepId: "deploy", span: { file: "w.json" } });
  });

  it("turns rules off and changes severities", () => {
    const found = lint(RACE, { rules: { "hidden-dependency": "off", "unknown-dependency": "warning" } });
    expect(found.map((d) => [d.ruleId, d.severity])).toEqual([["unknown-dependency", "warning"]]);
  });

  it("runs only invalid-template when there is no steps array", () => {
    const found = lint('{"name": "w", "steps": {"id": "a"}, "outputs": {"u": "{{a.b}}"}}');
    expect(found.map((d) => d.ruleId)).toEqual(["invalid-template"]);
  });

  it("skips steps without a usable id but keeps linting the others", () => {
    const found = lint('{"name": "w", "steps": [{"toolName": "t"}, {"id": "b", "toolName": "t", "dependsOn": ["b"]}]}');
    expect(found.map((d) => d.ruleId)).toEqual(["invalid-template", "self-dependency"]);
  });

  it("fills message templates in one pass", () => {
    expect(formatMessage('reads "{{placeholder}}" of {{step}}', { placeholder: "{{step}}", step: "a" })).toBe('reads "{{step}}" of a');
  });
});

describe("explainRule", () => {
  it("shows the docs and the real diagnostics of the bad example", () => {
    const text = explainRule("hidden-dependency")!;
    expect(text).toContain("hidden-dependency (error)");
    expect(text).toContain("Disallow reading the result of a step that is not ordered before the reader");
    expect(text).toContain(
      'bad.json:5:78: step "deploy" reads "{{build.imageId}}", but "build" is not ordered before it. add "build" to dependsOn [hidden-dependency]',
    );
  });

  it("is undefined for an unknown rule", () => {
    expect(explainRule("nope")).toBeUndefined();
  });
});

import { describe, expect, it } from "vitest";
import { rules } from "../../../compiler/rules/index.js";
import { fieldName, formatMessage, ISSUE_KINDS } from "../../../src/model/issue-catalogue.js";
import { WorkflowTemplate } from "../../../src/model/template.js";
import { WorkflowValidationError, type TemplateIssue } from "../../../src/model/issues.js";
import { lintCode } from "../../compiler/rules/lint-code.js";

const issuesOf = (json: string): readonly TemplateIssue[] => {
  try {
    WorkflowTemplate.fromJSON(JSON.parse(json) as unknown);
  } catch (error) {
    if (error instanceof WorkflowValidationError) return error.issues;
    throw error;
  }
  return [];
};

describe("the catalogue of template issues", () => {
  it("gives each lint rule of a kind its severity and messages", () => {
    for (const kind of Object.values(ISSUE_KINDS)) {
      if (kind.rule === undefined) continue;
      const rule = rules.find((r) => r.id === kind.rule);
      expect(rule, kind.rule).toBeDefined();
      expect(rule!.severity).toBe(kind.severity);
      for (const [id, text] of Object.entries(kind.messages)) {
        if (kind.code === "invalid_field") continue; // lint words schema problems from zod's issues itself
        expect((rule!.messages as Record<string, string>)[id], `${kind.rule}: ${id}`).toBe(text);
      }
    }
  });

  it("fills {{names}} once and names fields as lint does", () => {
    expect(formatMessage("a {{x}} b {{y}}", { x: "{{y}}", y: 2 })).toBe("a {{y}} b 2");
    expect(fieldName(["parameters", "items", 0], 'step "build"')).toBe('"parameters.items[0]" of step "build"');
    expect(fieldName(["outputs", "url"])).toBe('"outputs.url"');
    expect(fieldName([])).toBe("the template");
  });

  // The same mistake reads the same in validate() and in weave lint (lint points at the column; validate() names it).
  it.each([
    ["a self dependency", '{"name":"w","steps":[{"id":"a","toolName":"t","dependsOn":["a"]}]}'],
    ["an unknown dependency", '{"name":"w","steps":[{"id":"a","toolName":"t","dependsOn":["zzz"]}]}'],
    [
      "a condition that does not parse",
      '{"name":"w","steps":[{"id":"a","toolName":"t"},{"id":"b","toolName":"t","dependsOn":["a"],"condition":"{{a.success}} = false"}]}',
    ],
    ["a placeholder that does not parse", '{"name":"w","steps":[{"id":"a","toolName":"t","parameters":{"x":["ok","{{ a. }}"]}}]}'],
  ])("%s", (_, json) => {
    const validated = issuesOf(json).map((i) => i.message.replace(/ at column \d+/, ""));
    const linted = lintCode(json).map((d) => d.message);
    expect(validated).toHaveLength(1);
    expect(linted).toEqual(validated);
  });
});

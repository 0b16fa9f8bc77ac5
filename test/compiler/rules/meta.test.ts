/** The rule set stays honest: every rule file is registered, named by its id, documented, and every message tested. */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { explainRule, lintTarget } from "../../../compiler/lint-engine.js";
import { readJsonTarget } from "../../../compiler/json-target.js";
import { rules } from "../../../compiler/rules/index.js";

const rulesDir = fileURLToPath(new URL("../../../compiler/rules/", import.meta.url));
const testsDir = fileURLToPath(new URL("./", import.meta.url));
const ruleFiles = readdirSync(rulesDir).filter((f) => f.endsWith(".ts") && f !== "rule.ts" && f !== "index.ts");

const DESIGN_RULES = [
  "hidden-dependency",
  "implicit-dependency",
  "unknown-reference",
  "unknown-field",
  "unknown-dependency",
  "duplicate-step",
  "cycle",
  "self-dependency",
  "unknown-tool",
  "invalid-condition",
  "condition-scope",
  "unnecessary-serialization",
  "non-static",
  "failed-step-result",
  "lookalike-placeholder",
];

describe("rule set", () => {
  it("registers every file of compiler/rules, once, with its file name as id", () => {
    expect(rules.map((r) => `${r.id}.ts`).sort()).toEqual([...ruleFiles].sort());
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
  });

  it("has every rule of DESIGN §7, plus invalid-template, recursive-workflow, unreferenceable-step-id (issue 12), invalid-suppression (issue 13) and retry-destructive (issue 17)", () => {
    expect(rules.map((r) => r.id).sort()).toEqual(
      [
        ...DESIGN_RULES,
        "invalid-template",
        "recursive-workflow",
        "unreferenceable-step-id",
        "invalid-suppression",
        "retry-destructive",
      ].sort(),
    );
  });

  for (const rule of rules) {
    describe(rule.id, () => {
      it("is the default export of its file", async () => {
        const file = (await import(/* @vite-ignore */ `${rulesDir}${rule.id}.ts`)) as { default: unknown };
        expect(file.default).toBe(rule);
      });

      it("is documented", () => {
        expect(rule.id).toMatch(/^[a-z]+(-[a-z]+)*$/);
        expect(rule.docs.description).toMatch(/^(Disallow|Require|Report|Enforce) /);
        expect(rule.docs.bad.trim()).not.toBe("");
        expect(rule.docs.good.trim()).not.toBe("");
        expect(explainRule(rule.id)).toContain(rule.docs.description);
      });

      it("has messages in actionlint's shape (lowercase, no final period)", () => {
        for (const text of Object.values<string>(rule.messages)) {
          expect(text).toMatch(/^[^A-Z]/);
          expect(text).not.toMatch(/\.$/);
        }
      });

      it("has a test that uses every message id", () => {
        const test = readFileSync(`${testsDir}/${rule.id}.test.ts`, "utf8");
        for (const id of Object.keys(rule.messages)) {
          const used =
            test.includes(`messageId: "${id}"`) ||
            test.includes(`messages.${id}`) ||
            messageUsedAsText(test, (rule.messages as Record<string, string>)[id]!);
          expect(used, `message "${id}" of ${rule.id} is not used by a test`).toBe(true);
        }
      });

      if (rule.docs.bad.trimStart().startsWith("{")) {
        it("flags its bad example and not its good one (the docs cannot drift)", () => {
          const lint = (code: string) => {
            const { target, diagnostics } = readJsonTarget("x.json", code);
            return [...diagnostics, ...(target ? lintTarget(target) : [])];
          };
          expect(lint(rule.docs.bad).some((d) => d.ruleId === rule.id)).toBe(true);
          expect(lint(rule.docs.good)).toEqual([]);
          expect(explainRule(rule.id)).toMatch(new RegExp(`bad\\.json:\\d+:\\d+: .* \\[${rule.id}\\]`));
        });
      }
    });
  }
});

/** A test may give the full message text instead of the id: the fixed words of the template must all appear. */
function messageUsedAsText(test: string, template: string): boolean {
  const words = template.split(/\{\{\w+\}\}/).filter((w) => w.trim().length > 3);
  const text = test.replace(/\\'/g, "'").replace(/\\"/g, '"');
  return words.length > 0 && words.every((w) => text.includes(w));
}

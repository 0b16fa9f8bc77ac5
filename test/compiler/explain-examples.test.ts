/**
 * Every rule's `weave lint --explain` examples are what they claim (issue 13): a JSON template or a whole DSL module
 * with the real API (`import { step, tool, workflow } from "toolweave"`, no `w.step(...)` or `defineTools`), whose
 * bad version gets the rule's finding from the real linter and whose good version gets none; the DSL ones also
 * type-check. An example that is not one lintable file is listed here with the reason (and may say more in `docs.note`).
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { exampleKind, lintExample } from "../../compiler/explain-example.js";
import { explainRule, formatLine, lintTarget } from "../../compiler/lint-engine.js";
import { rules } from "../../compiler/rules/index.js";
import { emitDir, typecheck } from "../helpers/emitted-source.js";

const lint = (name: string, example: string) => lintExample(name, example, (target) => lintTarget(target));

/** Rules whose examples are no single file `weave lint` reads, and why. */
const NOT_LINTABLE: Record<string, string> = {
  "unknown-tool": "a DSL step calls a tool object; a template file has no tools to check against",
  "invalid-suppression": "it shows a suppression both as a .ts comment and as a JSON field",
};

describe("the --explain examples", () => {
  for (const rule of rules) {
    describe(rule.id, () => {
      const kinds = [exampleKind(rule.docs.bad), exampleKind(rule.docs.good)];

      it("use the real DSL", () => {
        for (const example of [rule.docs.bad, rule.docs.good]) {
          expect(example).not.toMatch(/\bw\.step\(|defineTools/);
          if (/\bstep\(/.test(example)) expect(example).toMatch(/import \{[^}]*\bworkflow\b[^}]*\} from "toolweave"/);
        }
      });

      if (rule.id in NOT_LINTABLE) {
        it(`are not one lintable file (${NOT_LINTABLE[rule.id]})`, () => {
          expect(kinds).toEqual(["text", "text"]);
          if (rule.docs.note !== undefined) expect(explainRule(rule.id)).toContain(`note: ${rule.docs.note}`);
        });
        return;
      }

      it("are both a JSON template or both a DSL module", () => {
        expect(kinds[0]).not.toBe("text");
        expect(kinds[1]).toBe(kinds[0]);
      });

      it("bad: the linter reports the rule, as --explain shows; good: the linter reports nothing", () => {
        const bad = lint("bad", rule.docs.bad).filter((d) => d.ruleId === rule.id);
        expect(bad.length).toBeGreaterThan(0);
        const page = explainRule(rule.id)!;
        for (const d of bad) expect(page).toContain(`  bad.${kinds[0]}:${formatLine(d)}`);
        expect(lint("good", rule.docs.good).map(formatLine)).toEqual([]);
      });
    });
  }

  const dsl = rules.filter((r) => exampleKind(r.docs.bad) === "ts");
  it("include DSL modules (unknown-field, non-static)", () => {
    expect(dsl.map((r) => r.id)).toEqual(expect.arrayContaining(["unknown-field", "non-static"]));
  });

  it("type-check, in DSL form, with the repository's settings", () => {
    const dir = emitDir("explain-examples");
    for (const rule of dsl) {
      writeFileSync(path.join(dir, `${rule.id}-bad.ts`), rule.docs.bad);
      writeFileSync(path.join(dir, `${rule.id}-good.ts`), rule.docs.good);
    }
    expect(typecheck(dir)).toBe("");
  }, 120_000);
});

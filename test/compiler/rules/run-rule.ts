/**
 * Table-driven rule tests (typescript-eslint's `RuleTester`, in small): each case is JSON code read with
 * `readJsonTarget` and linted with `lintTarget`, or a hand-made {@link LintTarget}; only the rule under test counts.
 */
import { describe, expect, it } from "vitest";
import { formatMessage } from "../../../compiler/lint-engine.js";
import { rules } from "../../../compiler/rules/index.js";

export interface ExpectedError {
  readonly messageId?: string;
  /** With `messageId`: the message must equal the template filled with this data. */
  readonly data?: Record<string, string | number>;
  /** The exact message text. */
  readonly message?: string;
  /** When the finding is weaker than the rule's own severity. */
  readonly severity?: "warning" | "info";
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

export { lintCode, targetOf, type Code } from "./lint-code.js";
import { lintCode, type Code } from "./lint-code.js";

export interface RuleTable {
  readonly valid: readonly Code[];
  readonly invalid: readonly { readonly code: Code; readonly name?: string; readonly errors: readonly ExpectedError[] }[];
}

const label = (code: Code): string => (typeof code === "string" ? code : (code.name ?? code.code)).replace(/\s+/g, " ").slice(0, 100);

export function runRule(ruleId: string, table: RuleTable): void {
  const rule = rules.find((r) => r.id === ruleId);
  if (!rule) throw new Error(`no rule "${ruleId}"`);
  describe(ruleId, () => {
    describe("valid", () => {
      for (const code of table.valid) {
        it(label(code), () => {
          expect(
            lintCode(code)
              .filter((d) => d.ruleId === ruleId)
              .map((d) => `${d.span.start.line}:${d.span.start.column}: ${d.message}`),
          ).toEqual([]);
        });
      }
    });
    if (table.invalid.length > 0)
      describe("invalid", () => {
        for (const c of table.invalid) {
          it(c.name ?? label(c.code), () => {
            const found = lintCode(c.code).filter((d) => d.ruleId === ruleId);
            expect(found.map((d) => d.message)).toHaveLength(c.errors.length);
            c.errors.forEach((want, k) => {
              const got = found[k]!;
              expect(got.severity).toBe(want.severity ?? rule.severity);
              expect({
                line: got.span.start.line,
                column: got.span.start.column,
                endLine: got.span.end.line,
                endColumn: got.span.end.column,
              }).toEqual({
                line: want.line,
                column: want.column,
                endLine: want.endLine,
                endColumn: want.endColumn,
              });
              if (want.message !== undefined) expect(got.message).toBe(want.message);
              if (want.messageId !== undefined) {
                const template = (rule.messages as Record<string, string>)[want.messageId];
                expect(template, `message id "${want.messageId}"`).toBeDefined();
                if (want.data) expect(got.message).toBe(formatMessage(template!, want.data));
                else expect(got.message).toMatch(messagePattern(template!));
              }
            });
          });
        }
      });
  });
}

/** A template's `{{name}}` slots become wildcards. */
export function messagePattern(template: string): RegExp {
  const parts = template.split(/\{\{\w+\}\}/).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^${parts.join("[\\s\\S]*?")}$`);
}

/** A tool whose output is an object with these fields (nested maps for nested objects, "leaf", or a FieldTree). */
export { objectTree, tool } from "./trees.js";

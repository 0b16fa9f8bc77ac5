/**
 * @module Prints the condition language and placeholders: literals, references, comparisons, and/or/not. The
 * inverse of `parseCondition` and `parseReference`, and the one place their written form is defined: the
 * DSL's condition helpers, the compiler's static extraction, the pattern emitter and migration all print through it.
 */
import { formatPath, type PathSegment } from "../placeholder/path.js";
import type { ComparisonOperator, LiteralValue } from "./ast.js";

/** `{{build.items[0].id}}`: the placeholder of `root` (a step id or variable) and a path into its value. */
export function printPlaceholder(root: string, path: readonly PathSegment[] = []): string {
  return `{{${formatPath([root, ...path])}}}`;
}

/** Why `value` cannot be written as a condition literal (a string holding `{{` would read as a placeholder). */
export function literalProblem(value: LiteralValue): string | undefined {
  if (typeof value === "string" && value.includes("{{")) return 'a condition literal cannot contain "{{"';
  if (typeof value === "number" && !Number.isFinite(value)) return `a condition literal must be a finite number, got ${value}`;
  return undefined;
}

/**
 * A literal as a condition reads it: a string in single quotes (`\\`, `'`, newline and tab escaped), a number,
 * `true`, `false`, `null`. `-0` prints as `0`.
 * @throws TypeError for a value {@link literalProblem} rejects
 */
export function printLiteral(value: LiteralValue): string {
  const problem = literalProblem(value);
  if (problem !== undefined) throw new TypeError(`${problem}: ${JSON.stringify(value)}`);
  if (typeof value === "string")
    return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'").replace(/\n/g, "\\n").replace(/\t/g, "\\t")}'`;
  return String(value);
}

/** `a == b`: two printed operands. */
export const printComparison = (left: string, op: ComparisonOperator, right: string): string => `${left} ${op} ${right}`;

/** `(a) and (b)`: printed conditions, each parenthesised. */
export const printLogical = (op: "and" | "or", operands: readonly string[]): string => operands.map((c) => `(${c})`).join(` ${op} `);

/** `not (a)`. */
export const printNot = (operand: string): string => `not (${operand})`;

/** `{{s.success}} == false`: the step failed (`succeeded`: true, it completed). */
export const printOutcome = (step: string, succeeded: boolean): string =>
  printComparison(printPlaceholder(step, ["success"]), "==", String(succeeded));

/** `{{a.success}} != null and {{b.success}} != null`: every step finished, whatever its outcome. */
export const printFinished = (steps: readonly string[]): string =>
  steps.map((s) => printComparison(printPlaceholder(s, ["success"]), "!=", "null")).join(" and ");

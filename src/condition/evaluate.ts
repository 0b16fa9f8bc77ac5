/**
 * @module Evaluates a compiled condition by walking its syntax tree.
 */
import type { Reference } from "../placeholder/path.js";
import type { CompiledCondition, ComparisonNode, ConditionNode, InterpolationNode } from "./ast.js";
import { ConditionEvaluationError } from "./errors.js";
import { renderText } from "../placeholder/placeholders.js";
import { typeName } from "../placeholder/path.js";
import { isTruthy, jsonEqual } from "./values.js";

export type Resolve = (ref: Reference) => unknown;

/**
 * Evaluates `condition`, looking references up with `resolve` (whose own errors propagate untouched).
 * `and`, `or` and `not` short-circuit, so references on a side that is not evaluated are never resolved.
 * @throws ConditionEvaluationError when values cannot be compared or rendered
 */
export function evaluateCondition(condition: CompiledCondition, resolve: Resolve): boolean {
  return isTruthy(evaluate(condition.ast, condition.source, resolve));
}

function evaluate(node: ConditionNode, source: string, resolve: Resolve): unknown {
  switch (node.kind) {
    case "literal":
      return node.value;
    case "reference":
      return resolve(node.ref);
    case "interpolation":
      return interpolate(node, source, resolve);
    case "not":
      return !isTruthy(evaluate(node.operand, source, resolve));
    case "logical": {
      // `and` stops at the first falsy operand, `or` at the first truthy one.
      const stopAt = node.op === "or";
      const { operands } = node;
      for (let i = 0; i < operands.length; i++) {
        if (isTruthy(evaluate(operands[i]!, source, resolve)) === stopAt) return stopAt;
      }
      return !stopAt;
    }
    case "comparison":
      return compare(node, evaluate(node.left, source, resolve), evaluate(node.right, source, resolve), source);
  }
}

function interpolate(node: InterpolationNode, source: string, resolve: Resolve): string {
  let text = "";
  const { parts } = node;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (typeof part === "string") {
      text += part;
      continue;
    }
    const value = resolve(part);
    try {
      text += renderText(value);
    } catch (error) {
      // JSON.stringify throws on cycles and bigints; report it against the condition rather than as a bare TypeError.
      const reason = error instanceof Error ? error.message : String(error);
      const where = source.slice(node.start, node.end);
      throw new ConditionEvaluationError(`cannot render {{${part.text}}} as text in ${where}: ${reason}`);
    }
  }
  return text;
}

function compare(node: ComparisonNode, left: unknown, right: unknown, source: string): boolean {
  const { op } = node;
  if (op === "==") return jsonEqual(left, right);
  if (op === "!=") return !jsonEqual(left, right);
  if (typeof left === "number" && typeof right === "number") return ordered(op, left, right);
  if (typeof left === "string" && typeof right === "string") return ordered(op, left, right);
  throw new ConditionEvaluationError(
    `cannot compare ${typeName(left)} with ${typeName(right)} using "${op}" in ${source.slice(node.start, node.end)}`,
  );
}

/** Strings compare by UTF-16 code units, numbers numerically (anything against NaN is false). */
function ordered<T extends number | string>(op: "<" | "<=" | ">" | ">=", a: T, b: T): boolean {
  switch (op) {
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    case ">":
      return a > b;
    case ">=":
      return a >= b;
  }
}

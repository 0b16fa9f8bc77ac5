/**
 * @module Errors raised while parsing and evaluating conditions.
 */

/** A condition that does not parse. `offset` is a 0-based index into `source`, the whole condition. */
export class ConditionSyntaxError extends Error {
  override readonly name = "ConditionSyntaxError";
  constructor(
    message: string,
    readonly source: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** A condition that parsed but cannot be evaluated against the values it was given. */
export class ConditionEvaluationError extends Error {
  override readonly name = "ConditionEvaluationError";
}

/** ` at column N` (1-based), the suffix every syntax error message carries. */
export function at(offset: number): string {
  return `at column ${offset + 1}`;
}

/** Builds `<message> at column N[. <hint>]`. */
export function syntaxError(source: string, offset: number, message: string, hint?: string): ConditionSyntaxError {
  return new ConditionSyntaxError(`${message} ${at(offset)}${hint ? `. ${hint}` : ""}`, source, offset);
}

/** `a`, `a or b`, `a, b or c`. */
export function listOf(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}

/** How a character at `offset` is named in messages: `"x"` or `end of condition`. */
export function charAt(source: string, offset: number): string {
  const cp = source.codePointAt(offset);
  return cp === undefined ? "end of condition" : JSON.stringify(String.fromCodePoint(cp));
}

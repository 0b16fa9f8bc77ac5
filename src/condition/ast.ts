/**
 * @module The syntax tree of a step condition: plain readonly data, every node carrying its span in the source.
 */
import type { Reference } from "../placeholder/path.js";

export type ComparisonOperator = "==" | "!=" | "<" | "<=" | ">" | ">=";
export type LiteralValue = null | boolean | number | string;

/** `start`/`end` are offsets into the condition source; a parenthesised node's span includes its parentheses. */
interface Span {
  readonly start: number;
  readonly end: number;
}

/** `3`, `'text'`, `true`, `None`. */
export interface LiteralNode extends Span {
  readonly kind: "literal";
  readonly value: LiteralValue;
}

/** `{{build.success}}`. */
export interface ReferenceNode extends Span {
  readonly kind: "reference";
  readonly ref: Reference;
}

/** A string literal containing placeholders: `'{{env}}-eu'` has parts `[ref env, "-eu"]`. */
export interface InterpolationNode extends Span {
  readonly kind: "interpolation";
  readonly parts: readonly (string | Reference)[];
}

/** `not x` / `!x`. */
export interface NotNode extends Span {
  readonly kind: "not";
  readonly operand: ConditionNode;
}

/** `a and b and c`: a chain of one operator is kept flat so evaluation is a loop, not deep recursion. */
export interface LogicalNode extends Span {
  readonly kind: "logical";
  readonly op: "and" | "or";
  readonly operands: readonly ConditionNode[];
}

/** `a == b`, `a < b`, ... */
export interface ComparisonNode extends Span {
  readonly kind: "comparison";
  readonly op: ComparisonOperator;
  readonly left: ConditionNode;
  readonly right: ConditionNode;
}

export type ConditionNode = LiteralNode | ReferenceNode | InterpolationNode | NotNode | LogicalNode | ComparisonNode;

/** A parsed condition, ready to be evaluated any number of times. */
export interface CompiledCondition {
  readonly source: string;
  readonly ast: ConditionNode;
  /** Every placeholder in source order, including those inside string literals. */
  readonly references: readonly Reference[];
}

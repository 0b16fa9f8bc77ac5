/**
 * @module Typed conditions for `.when()`: comparisons, and/or/not, and a step's outcome. Each compiles to the
 * runtime's condition language, and every step it reads becomes a dependency.
 */
import { printComparison, printFinished, printLiteral, printLogical, printNot, printOutcome } from "../src/condition/print.js";
import { placeholderOf, refInfo, type RefTo, type RefInfo } from "./ref.js";
import type { ComparisonOperator } from "../src/condition/ast.js";
import type { StepHandle } from "./step-types.js";
import { stateOf } from "./step-state.js";

declare const conditionScope: unique symbol;

export interface Condition<out W = unknown> {
  readonly [conditionScope]?: W;
  readonly source: string;
  readonly refs: readonly RefInfo[];
}

type Scalar = string | number | boolean | null;
/**
 * A literal or a reference of the same type. `T` is inferred from the references only (`NoInfer` on the literal), so
 * a literal outside an enum is an error (`eq(run.out.phase, "finised")`) instead of widening `T` to take it in.
 */
export type Operand<T, W> = NoInfer<T> | RefTo<T, W>;

function operand(value: unknown, refs: RefInfo[]): string {
  const info = refInfo(value);
  if (info) {
    refs.push(info);
    return placeholderOf(info);
  }
  if (typeof value === "string") {
    if (value.includes("{{")) throw new TypeError(`a condition literal cannot contain "{{": ${JSON.stringify(value)}`);
    return printLiteral(value);
  }
  if ((typeof value === "number" && Number.isFinite(value)) || typeof value === "boolean" || value === null) return printLiteral(value);
  throw new TypeError(`a condition operand must be a string, a finite number, a boolean, null or a reference, got ${String(value)}`);
}

function comparison<W>(op: ComparisonOperator, a: unknown, b: unknown): Condition<W> {
  const refs: RefInfo[] = [];
  return { source: printComparison(operand(a, refs), op, operand(b, refs)), refs };
}

export const eq = <T extends Scalar, W>(a: Operand<T, W>, b: Operand<T, W>): Condition<W> => comparison("==", a, b);
export const ne = <T extends Scalar, W>(a: Operand<T, W>, b: Operand<T, W>): Condition<W> => comparison("!=", a, b);
export const gt = <T extends number | string, W>(a: Operand<T, W>, b: Operand<T, W>): Condition<W> => comparison(">", a, b);
export const gte = <T extends number | string, W>(a: Operand<T, W>, b: Operand<T, W>): Condition<W> => comparison(">=", a, b);
export const lt = <T extends number | string, W>(a: Operand<T, W>, b: Operand<T, W>): Condition<W> => comparison("<", a, b);
export const lte = <T extends number | string, W>(a: Operand<T, W>, b: Operand<T, W>): Condition<W> => comparison("<=", a, b);

/** True when the reference's value is truthy (not false, null, 0, "", empty). */
export const isTrue = <W>(ref: RefTo<unknown, W>): Condition<W> => {
  const refs: RefInfo[] = [];
  return { source: operand(ref, refs), refs };
};

const join = <W>(op: "and" | "or", conditions: readonly Condition<W>[]): Condition<W> => {
  if (conditions.length === 0) throw new TypeError(`${op}() needs at least one condition`);
  return {
    source: printLogical(
      op,
      conditions.map((c) => c.source),
    ),
    refs: conditions.flatMap((c) => c.refs),
  };
};
export const and = <W>(...conditions: [Condition<W>, ...Condition<W>[]]): Condition<W> => join("and", conditions);
export const or = <W>(...conditions: [Condition<W>, ...Condition<W>[]]): Condition<W> => join("or", conditions);
export const not = <W>(condition: Condition<W>): Condition<W> => ({ source: printNot(condition.source), refs: condition.refs });

function outcome<W>(step: StepHandle<W>, success: boolean): Condition<W> {
  const state = stateOf(step);
  const info: RefInfo = { scope: state.scope, step: state, root: state.id, path: ["success"] };
  return { source: printOutcome(state.id, success), refs: [info] };
}

/**
 * True when the step failed (or was skipped): makes the step a failure handler of `step`. A failed step has no result
 * unless its tool failed with one (`context.fail(message, { result })` in its `run`, or `throw new ToolError(message,
 * { result })`): a handler that reads `step.out.<field>` of a step that failed without one fails at run time, naming
 * the step and the field; read `step.error` (the message) instead. `weave lint` warns about it (failed-step-result).
 */
export const failed = <W>(step: StepHandle<W>): Condition<W> => outcome(step, false);
/** True when the step completed. */
export const succeeded = <W>(step: StepHandle<W>): Condition<W> => outcome(step, true);

/**
 * True once every step has finished, whatever its outcome (completed, failed or skipped): for steps that must
 * run after others no matter what, such as stopping a server or releasing a lock.
 */
export const finished = <W>(...steps: [StepHandle<W>, ...StepHandle<W>[]]): Condition<W> => {
  const infos = steps.map((step) => {
    const state = stateOf(step);
    return { scope: state.scope, step: state, root: state.id, path: ["success"] } satisfies RefInfo;
  });
  // The success fact is true or false for every finished step, so comparing it with null asks only about the outcome.
  return { source: printFinished(infos.map((info) => info.root)), refs: infos };
};

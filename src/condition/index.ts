/**
 * @module The safe condition language of workflow steps, e.g. `{{build.success}} == False`.
 *
 * Conditions are lexed, parsed into a syntax tree once, and evaluated by walking that tree:
 * no `eval`, no `Function`, no textual substitution.
 */
export type { CompiledCondition, ConditionNode } from "./ast.js";
export { parseCondition } from "./parser.js";
export { evaluateCondition } from "./evaluate.js";
export { ConditionSyntaxError, ConditionEvaluationError } from "./errors.js";

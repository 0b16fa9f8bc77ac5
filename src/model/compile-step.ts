/**
 * @module Parses a step's placeholders and condition once per template analysis: validation reports the problems
 * and the executor reuses the compiled forms.
 */
import { parseCondition, ConditionSyntaxError, type CompiledCondition } from "../condition/index.js";
import { compileCollecting, type CompiledValue, type PlaceholderIssue } from "../placeholder/placeholders.js";
import type { PathSegment, Reference } from "../placeholder/path.js";
import { MAX_TEMPLATE_DEPTH, TOO_DEEP_DETAIL, tooDeepPath } from "../util/json-depth.js";
import type { TemplateIssueData } from "./issues.js";
import type { WorkflowStep } from "./step.js";

export interface CompiledStep {
  readonly parameters: CompiledValue;
  readonly condition: CompiledCondition | null;
  /**
   * Steps whose outcome the condition asks about (`{{d.success}}`, `{{d.error}}`). A failed or skipped dependency
   * in this set does not skip the step: the condition decides (a failure handler).
   */
  readonly outcomeChecks: ReadonlySet<string>;
  /** A map step's list (its `forEach` placeholder) and how its items are named; null for a step that runs once. */
  readonly map: CompiledMap | null;
  /** Problems found while compiling; when non-empty the compiled forms must not be used. */
  readonly issues: readonly TemplateIssueData[];
}

/** What a map step runs over, and how its parameters and condition name the item. */
export interface CompiledMap {
  readonly list: Reference;
  /** The item's name in placeholders (`item`, or the step's `as`); the index is always `index`. */
  readonly itemName: string;
  /** Most items running at once; Infinity for no bound of its own. */
  readonly concurrency: number;
  /** The condition reads the item or its index: it is decided per item, not once for the step. */
  readonly conditionPerItem: boolean;
}

/** The name a map step's item index has in placeholders. */
export const ITEM_INDEX = "index";

/** Compiles the parameters and condition of a step. `index` places issues in the template. */
export function compileStep(step: WorkflowStep, index: number): CompiledStep {
  const issues: TemplateIssueData[] = [];
  const parameters = compileParameters(step, index, issues);
  let condition: CompiledCondition | null = null;
  if (step.condition !== null) {
    try {
      condition = parseCondition(step.condition);
    } catch (error) {
      if (!(error instanceof ConditionSyntaxError)) throw error;
      issues.push({
        code: "invalid_condition",
        stepId: step.id,
        path: ["steps", index, "condition"],
        condition: step.condition,
        offset: error.offset,
        detail: error.message,
      });
    }
  }
  const outcomeChecks = new Set<string>();
  for (const ref of condition?.references ?? []) {
    if (ref.path.length === 1 && (ref.path[0] === "success" || ref.path[0] === "error")) outcomeChecks.add(ref.root);
  }
  const map = compileMap(step, index, condition, issues);
  return { parameters, condition, outcomeChecks, map, issues };
}

function compileMap(
  step: WorkflowStep,
  index: number,
  condition: CompiledCondition | null,
  issues: TemplateIssueData[],
): CompiledMap | null {
  if (step.forEach === undefined) {
    if (step.as !== "item" || step.concurrency !== null) {
      const field = step.as !== "item" ? "as" : "concurrency";
      issues.push({ code: "invalid_map_step", stepId: step.id, path: ["steps", index, field], problem: "notMapStep", field });
    }
    return null;
  }
  const path = ["steps", index, "forEach"];
  const found: TemplateIssueData[] = [];
  const compiled = compileChecked(step.forEach, path, step.id, found);
  issues.push(...found);
  if (found.length > 0) return null;
  if (compiled.kind !== "reference") {
    issues.push({ code: "invalid_map_step", stepId: step.id, path, problem: "notOnePlaceholder", value: step.forEach });
    return null;
  }
  const itemName = step.as;
  const conditionPerItem = condition?.references.some((r) => r.root === itemName || r.root === ITEM_INDEX) ?? false;
  return { list: compiled.ref, itemName, concurrency: step.concurrency ?? Number.POSITIVE_INFINITY, conditionPerItem };
}

/** The id of the built-in tool that runs another workflow as a step. */
export const EXECUTE_WORKFLOW = "execute_workflow";

/**
 * An embedded sub-workflow (`parameters.workflow` as a template object) has placeholders of its own, resolved
 * inside the sub-run; only the rest of the parameters belong to this step.
 */
function compileParameters(step: WorkflowStep, index: number, issues: TemplateIssueData[]): CompiledValue {
  const path = ["steps", index, "parameters"];
  const { workflow, ...rest } = step.parameters;
  if (step.toolName !== EXECUTE_WORKFLOW || workflow === undefined || typeof workflow === "string") {
    return compileChecked(step.parameters, path, step.id, issues);
  }
  const compiled = compileChecked(rest, path, step.id, issues);
  const workflowEntry = ["workflow", { kind: "constant", value: workflow }] as const;
  if (compiled.kind === "object") return { kind: "object", entries: [workflowEntry, ...compiled.entries] };
  return { kind: "constant", value: step.parameters };
}

/**
 * Compiles a JSON value in one pass, reporting each malformed placeholder at its own path (all of them, not just
 * the first). Returns a constant plan when there is a problem; callers check `issues` before using it.
 */
export function compileChecked(
  value: unknown,
  path: PathSegment[],
  stepId: string | undefined,
  issues: TemplateIssueData[],
): CompiledValue {
  // a template built in code skips fromJSON's bound: checked here, before the recursive compile could overflow
  const deep = tooDeepPath(value, MAX_TEMPLATE_DEPTH, path, path.length);
  if (deep !== undefined) {
    issues.push(
      stepId === undefined
        ? { code: "invalid_field", path: deep, detail: TOO_DEEP_DETAIL }
        : { code: "invalid_field", path: deep, detail: TOO_DEEP_DETAIL, stepId },
    );
    return { kind: "constant", value };
  }
  const found: PlaceholderIssue[] = [];
  const compiled = compileCollecting(value, path, found);
  if (found.length === 0) return compiled;
  for (const { path: at, error } of found) {
    const where = [...at];
    issues.push(
      stepId === undefined
        ? { code: "invalid_placeholder", path: where, detail: error.message }
        : { code: "invalid_placeholder", stepId, path: where, detail: error.message },
    );
  }
  return { kind: "constant", value };
}

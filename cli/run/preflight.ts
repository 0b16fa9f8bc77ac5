/**
 * @module Checks a JSON template against the variables and tools of this run before anything starts, so a typo
 * in a step id, a variable not set or a tool the module does not have is reported up front, every one with its
 * place and a fix, instead of failing the first step that meets it after others have already had side effects.
 */
import { EXECUTE_WORKFLOW, ITEM_INDEX } from "../../src/model/compile-step.js";
import { describeIssue } from "../../src/model/issues.js";
import type { JsonValue } from "../../src/model/schema.js";
import type { WorkflowTemplate } from "../../src/model/template.js";
import { parseCondition } from "../../src/condition/index.js";
import type { Tools } from "../../src/executor/types.js";
import { formatPath, type PathSegment, type Reference } from "../../src/placeholder/path.js";
import { compileValue, referencesOf } from "../../src/placeholder/placeholders.js";
import { closest, quoteList } from "../../src/util/closest-name.js";
import { UserErrorList } from "../../src/util/user-error.js";

export interface PreflightInput {
  readonly file: string;
  readonly template: WorkflowTemplate;
  readonly variables: Readonly<Record<string, unknown>>;
  readonly tools: Tools;
  /** Where the run's tools come from, with its verb: `the tools module ./tools.ts exports`. */
  readonly toolsSource: string;
}

/** @throws UserErrorList with one `<file>: <path>: <problem>. <fix>` line per problem */
export function preflight({ file, template, variables, tools, toolsSource }: PreflightInput): void {
  const stepIds = template.steps.map((s) => s.id);
  const steps = new Set(stepIds);
  const variableNames = Object.keys(variables);
  const toolNames = Object.keys(tools).sort();
  const problems: string[] = [];
  const report = (path: readonly PathSegment[], message: string): void => void problems.push(`${file}: ${formatPath(path)}: ${message}`);

  const checkReference = (ref: Reference, path: readonly PathSegment[]): void => {
    if (steps.has(ref.root) || Object.hasOwn(variables, ref.root)) return;
    const step = closest(ref.root, stepIds);
    if (step !== undefined)
      return report(
        path,
        `"{{${ref.text}}}" refers to "${ref.root}", which is neither a step nor a variable. did you mean step "${step}"?`,
      );
    const variable = closest(ref.root, variableNames);
    if (variable !== undefined)
      return report(path, `variable "${ref.root}" is not set. did you mean "${variable}"? (set: ${quoteList(variableNames)})`);
    report(path, `variable "${ref.root}" is not set. set it with --var ${ref.root}=<value> or in a --vars file`);
  };

  template.steps.forEach((step, index) => {
    if (Object.hasOwn(variables, step.id)) {
      report(
        ["steps", index, "id"],
        describeIssue({ code: "name_conflict", stepId: step.id, variable: step.id, path: ["steps", index, "id"] }),
      );
    }
    if (step.toolName !== EXECUTE_WORKFLOW && !Object.hasOwn(tools, step.toolName)) {
      const near = closest(step.toolName, toolNames);
      report(
        ["steps", index, "toolName"],
        `unknown tool "${step.toolName}".${near ? ` did you mean "${near}"?` : ""} ${toolsSource} ${quoteList(toolNames)}`,
      );
    }
    const { workflow, ...rest } = step.parameters;
    // an embedded sub-workflow's placeholders belong to the sub-run
    const own = step.toolName === EXECUTE_WORKFLOW && workflow !== undefined && typeof workflow !== "string" ? rest : step.parameters;
    // a map step's item and its index are bound per item (`{{region}}`, `{{index}}`); its list is read like a parameter
    const bound = step.forEach === undefined ? [] : [step.as, ITEM_INDEX];
    const check = (ref: Reference, path: readonly PathSegment[]): void => {
      if (!bound.includes(ref.root)) checkReference(ref, path);
    };
    if (step.forEach !== undefined)
      for (const ref of referencesOf(compileValue(step.forEach))) checkReference(ref, ["steps", index, "forEach"]);
    forEachString(own, ["steps", index, "parameters"], (text, path) => {
      for (const ref of referencesOf(compileValue(text))) check(ref, path);
    });
    if (step.condition !== null) for (const ref of parseCondition(step.condition).references) check(ref, ["steps", index, "condition"]);
  });
  if (problems.length > 0)
    throw new UserErrorList([
      ...problems,
      `nothing was run: ${problems.length === 1 ? "fix this" : `fix these ${problems.length}`} and run again`,
    ]);
}

function forEachString(value: JsonValue, path: PathSegment[], visit: (text: string, path: PathSegment[]) => void): void {
  if (typeof value === "string") visit(value, path);
  else if (Array.isArray(value)) value.forEach((item, i) => forEachString(item, [...path, i], visit));
  else if (value !== null && typeof value === "object")
    for (const [key, item] of Object.entries(value)) forEachString(item, [...path, key], visit);
}

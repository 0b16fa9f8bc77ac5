/**
 * @module Problems found in a template, as data. Each issue has a `code`, the step it concerns, the path of the
 * field inside the template, and the facts; `message` is derived from them by {@link describeIssue}.
 */
import { formatPath, type PathSegment } from "../placeholder/path.js";
import { describeChain, isLongChain } from "./describe-chain.js";
import { fieldName, formatMessage, ISSUE_KINDS } from "./issue-catalogue.js";

export type IssuePath = readonly PathSegment[];

interface IssueBase {
  readonly stepId?: string;
  readonly path: IssuePath;
}

export type TemplateIssueData =
  | (IssueBase & { code: "invalid_field"; detail: string })
  | (IssueBase & { code: "duplicate_step"; stepId: string; firstIndex: number })
  | (IssueBase & { code: "unknown_dependency"; stepId: string; dependency: string; known: readonly string[] })
  | (IssueBase & { code: "self_dependency"; stepId: string })
  | (IssueBase & { code: "cycle"; cycle: readonly string[] })
  | (IssueBase & { code: "invalid_placeholder"; stepId?: string; detail: string })
  | (IssueBase & { code: "invalid_condition"; stepId: string; condition: string; offset: number; detail: string })
  | (IssueBase & { code: "name_conflict"; stepId: string; variable: string })
  | (IssueBase & { code: "invalid_map_step"; stepId: string } & MapStepProblem);

/** What is wrong with a map step (`forEach`, `as`, `concurrency`), or with a placeholder that reads an item. */
export type MapStepProblem =
  | { problem: "notOnePlaceholder"; value: string }
  | { problem: "notMapStep"; field: "as" | "concurrency" }
  | { problem: "itemShadows"; name: string; shadows: "step" | "variable" }
  | { problem: "itemOutsideMap"; name: string };

export type TemplateIssueCode = TemplateIssueData["code"];

/** An issue with its human message. */
export type TemplateIssue = TemplateIssueData & { readonly message: string };

const quoteList = (xs: readonly string[]): string => xs.map((x) => `"${x}"`).join(", ");

/** `step "build"` for a path inside a step, undefined for one elsewhere in the template. */
const ownerOf = (issue: TemplateIssueData): string | undefined => {
  const [head, index] = issue.path;
  if (head !== "steps" || typeof index !== "number") return undefined;
  return issue.stepId ? `step "${issue.stepId}"` : `step #${index + 1}`;
};

/** The message of an issue, worded as its lint rule words it ({@link ISSUE_KINDS}). */
export function describeIssue(issue: TemplateIssueData): string {
  switch (issue.code) {
    case "invalid_field":
      return formatMessage(ISSUE_KINDS.invalid_field.messages.invalidField, { detail: issue.detail });
    case "duplicate_step":
      return formatMessage(ISSUE_KINDS.duplicate_step.messages.duplicate, { step: issue.stepId, first: `steps[${issue.firstIndex}]` });
    case "unknown_dependency":
      return formatMessage(ISSUE_KINDS.unknown_dependency.messages.unknown, {
        step: issue.stepId,
        dependency: issue.dependency,
        steps: quoteList(issue.known),
      });
    case "self_dependency":
      return formatMessage(ISSUE_KINDS.self_dependency.messages.selfDependency, { step: issue.stepId });
    case "cycle": {
      const cycle = describeChain(issue.cycle);
      return isLongChain(issue.cycle)
        ? formatMessage(ISSUE_KINDS.cycle.messages.longCycle, { cycle, count: issue.cycle.length - 1 })
        : formatMessage(ISSUE_KINDS.cycle.messages.cycle, { cycle });
    }
    case "invalid_placeholder": {
      // the path below the step (or the template), as lint names the field
      const owner = ownerOf(issue);
      const field = fieldName(owner === undefined ? issue.path : issue.path.slice(2), owner);
      return formatMessage(ISSUE_KINDS.invalid_placeholder.messages.invalidPlaceholder, { field, detail: issue.detail });
    }
    case "invalid_condition":
      return formatMessage(ISSUE_KINDS.invalid_condition.messages.syntax, { step: issue.stepId, detail: issue.detail });
    case "name_conflict":
      return formatMessage(ISSUE_KINDS.name_conflict.messages.nameConflict, {
        variable: issue.variable,
        step: issue.stepId,
        placeholder: `{{${issue.variable}}}`,
      });
    case "invalid_map_step":
      return describeMapStepProblem(issue.stepId, issue);
  }
}

function describeMapStepProblem(step: string, p: MapStepProblem): string {
  const messages = ISSUE_KINDS.invalid_map_step.messages;
  switch (p.problem) {
    case "notOnePlaceholder":
      return formatMessage(messages.notOnePlaceholder, { step, value: JSON.stringify(p.value) });
    case "notMapStep":
      return formatMessage(messages.notMapStep, { step, field: p.field });
    case "itemShadows":
      return formatMessage(messages.itemShadows, { step, name: p.name, shadows: p.shadows });
    case "itemOutsideMap":
      return formatMessage(messages.itemOutsideMap, { step, placeholder: `{{${p.name}}}` });
  }
}

export function makeIssue(data: TemplateIssueData): TemplateIssue {
  return { ...data, message: describeIssue(data) };
}

/** Thrown by `validate()` and `fromJSON()`: every problem at once. */
export class WorkflowValidationError extends Error {
  override readonly name = "WorkflowValidationError";
  constructor(
    readonly workflowName: string | undefined,
    readonly issues: readonly TemplateIssue[],
  ) {
    const head = workflowName ? `workflow "${workflowName}" is invalid` : "workflow template is invalid";
    const lines = issues.map((i) => `  - ${i.path.length ? `${formatPath(i.path)}: ` : ""}${i.message}`);
    super(`${head} (${issues.length} problem${issues.length === 1 ? "" : "s"}):\n${lines.join("\n")}`);
  }
}

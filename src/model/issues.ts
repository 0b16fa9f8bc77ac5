/**
 * @module Problems found in a template, as data. Each issue has a `code`, the step it concerns, the path of the
 * field inside the template, and the facts; `message` is derived from them by {@link describeIssue}.
 */
import { formatPath, type PathSegment } from "../template/path.js";

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
  | (IssueBase & { code: "name_conflict"; stepId: string; variable: string });

export type TemplateIssueCode = TemplateIssueData["code"];

/** An issue with its human message. */
export type TemplateIssue = TemplateIssueData & { readonly message: string };

const quoteList = (xs: readonly string[]): string => xs.map((x) => `"${x}"`).join(", ");

/** One sentence (actionlint's shape: what is wrong, then what is allowed) per issue code. */
export function describeIssue(issue: TemplateIssueData): string {
  switch (issue.code) {
    case "invalid_field":
      return issue.detail;
    case "duplicate_step":
      return `step id "${issue.stepId}" is used twice. it was first defined by steps[${issue.firstIndex}]; step ids must be unique`;
    case "unknown_dependency":
      return `step "${issue.stepId}" depends on "${issue.dependency}", which does not exist. steps are ${quoteList(issue.known)}`;
    case "self_dependency":
      return `step "${issue.stepId}" depends on itself. remove "${issue.stepId}" from its dependsOn`;
    case "cycle":
      return `dependency cycle: ${issue.cycle.join(" -> ")}. remove one of these dependencies`;
    case "invalid_placeholder":
      return issue.detail;
    case "invalid_condition":
      return `invalid condition "${issue.condition}": ${issue.detail}`;
    case "name_conflict":
      return `variable "${issue.variable}" has the same name as step "${issue.stepId}", so "{{${issue.variable}}}" would be ambiguous. rename the step or the variable`;
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

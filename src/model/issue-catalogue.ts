/**
 * @module The catalogue of template issues: each kind of mistake that both `validate()` and `weave lint` find, with
 * the lint rule that reports it, its default severity and its message templates (`{{name}}` filled from the facts).
 * `describeIssue` (validate) and the lint rules word their findings from here, so the same mistake reads the same.
 */
import { formatPath, type PathSegment } from "../placeholder/path.js";
import type { TemplateIssueCode } from "./issues.js";

export type IssueSeverity = "error" | "warning" | "info";

/** One kind of issue: `code` is validate()'s, `rule` the id of the lint rule that reports it (undefined: none does). */
export interface IssueKind<MessageId extends string = string> {
  readonly code: TemplateIssueCode;
  readonly rule: string | undefined;
  readonly severity: IssueSeverity;
  /** Message templates keyed by message id (the lint rule's ids), with `{{name}}` placeholders. */
  readonly messages: Readonly<Record<MessageId, string>>;
}

const kind = <M extends string>(k: IssueKind<M>): IssueKind<M> => k;

export const ISSUE_KINDS = {
  /** A field of the wrong shape or value, worded by ./schema-issues.ts for validate() and lint alike. */
  invalid_field: kind({ code: "invalid_field", rule: "invalid-template", severity: "error", messages: { invalidField: "{{detail}}" } }),
  duplicate_step: kind({
    code: "duplicate_step",
    rule: "duplicate-step",
    severity: "error",
    messages: {
      duplicate: 'step id "{{step}}" is already used by the step first defined at {{first}}. step ids must be unique in a workflow',
    },
  }),
  unknown_dependency: kind({
    code: "unknown_dependency",
    rule: "unknown-dependency",
    severity: "error",
    messages: {
      didYouMean: 'step "{{step}}" depends on "{{dependency}}", which does not exist. did you mean "{{suggestion}}"?',
      unknown: 'step "{{step}}" depends on "{{dependency}}", which does not exist. steps are {{steps}}',
    },
  }),
  self_dependency: kind({
    code: "self_dependency",
    rule: "self-dependency",
    severity: "error",
    messages: { selfDependency: 'step "{{step}}" depends on itself, so it can never start. remove "{{step}}" from its dependsOn' },
  }),
  cycle: kind({
    code: "cycle",
    rule: "cycle",
    severity: "error",
    messages: {
      cycle: 'dependency cycle "{{cycle}}": none of these steps can ever start. remove one of the dependencies to break the cycle',
      longCycle:
        'dependency cycle of {{count}} steps "{{cycle}}": none of these steps can ever start. remove one of the dependencies to break the cycle',
    },
  }),
  invalid_placeholder: kind({
    code: "invalid_placeholder",
    rule: "invalid-template",
    severity: "error",
    messages: { invalidPlaceholder: "invalid placeholder in {{field}}: {{detail}}" },
  }),
  invalid_condition: kind({
    code: "invalid_condition",
    rule: "invalid-condition",
    severity: "error",
    messages: { syntax: 'invalid condition of step "{{step}}": {{detail}}' },
  }),
  /** Found by validate() (and `weave run`'s preflight) only. */
  name_conflict: kind({
    code: "name_conflict",
    rule: undefined,
    severity: "error",
    messages: {
      nameConflict:
        'variable "{{variable}}" has the same name as step "{{step}}", so "{{placeholder}}" would be ambiguous. rename the step or the variable',
    },
  }),
  invalid_map_step: kind({
    code: "invalid_map_step",
    rule: "invalid-template",
    severity: "error",
    messages: {
      notOnePlaceholder: 'the "forEach" of step "{{step}}" must be one placeholder naming a list, like "{{list.files}}", not {{value}}',
      notMapStep:
        'step "{{step}}" has "{{field}}", which only a map step has. add "forEach" with the list to run over, or remove "{{field}}"',
      itemShadows:
        'step "{{step}}" names its item "{{name}}", which is also the name of a {{shadows}}, so "{{{{name}}}}" would be ambiguous. pick another name with "as"',
      itemOutsideMap:
        'step "{{step}}" reads "{{placeholder}}", but it is not a map step and nothing else has that name. add "forEach" to run it once per item of a list',
    },
  }),
} as const satisfies { readonly [C in TemplateIssueCode]: IssueKind };

/** `{{name}}` in a message template, filled in one pass so filled-in text is never scanned again. */
export function formatMessage(template: string, data: Readonly<Record<string, string | number>> = {}): string {
  return template.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => (name in data ? String(data[name]) : whole));
}

/**
 * A field as messages name it: `"parameters.image" of step "build"`, `"outputs.url"`, `step "build"`, `the template`.
 * `rest` is the path below the owner; `owner` is `step "build"` (or `step #2`), undefined for the template itself.
 */
export function fieldName(rest: readonly PathSegment[], owner?: string): string {
  if (rest.length === 0) return owner ?? "the template";
  const name = `"${formatPath(rest)}"`;
  return owner === undefined ? name : `${name} of ${owner}`;
}

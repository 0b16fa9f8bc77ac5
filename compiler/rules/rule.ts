/**
 * @module The shape of a lint rule (one rule, one file; typescript-eslint and actionlint): an id, a default
 * severity, docs, a message table, and `create`, which returns visitor hooks. One walk of each template serves
 * every rule; rules that need the whole graph gather facts in `step` and decide in `after`.
 */
import type { Diagnostic, Severity } from "../diagnostic.js";
import type { JsonPath, LintTarget } from "../lint-target.js";
import type { WorkflowGraph } from "../workflow-calls.js";
import type { Reference } from "../../src/placeholder/path.js";

/** A step as rules see it: the raw template step plus its index, with the fields every rule reads normalised. */
export interface StepView {
  readonly index: number;
  readonly id: string;
  readonly toolName: string;
  readonly dependsOn: readonly string[];
  readonly condition: string | null;
  readonly parameters: unknown;
  readonly raw: Record<string, unknown>;
}

export interface RuleContext<MessageId extends string> {
  readonly target: LintTarget;
  /** Every step (valid enough to be viewed), in template order. */
  readonly steps: readonly StepView[];
  readonly stepById: ReadonlyMap<string, StepView>;
  /**
   * Which workflows run which as sub-workflows: over every workflow of the lint run when the caller gives them
   * (`weave lint` does), else over this workflow, its DSL sub-workflows and the templates it embeds. Built on first use.
   */
  readonly workflows: WorkflowGraph;
  /**
   * A reference as the source writes it, for messages: the placeholder (`{{build.imageId}}`) in a template file, the
   * expression (`build.out.imageId`, `input.image`) in a DSL file when it can be found there, else the placeholder.
   */
  written(site: {
    readonly path: JsonPath;
    readonly range: { readonly start: number; readonly end: number };
    readonly placeholder: string;
    readonly ref: Reference;
  }): string;
  /**
   * Reports at `path` (optionally a character range of a string value), with the message from the rule's table.
   * `severity` lowers a finding below the rule's own for a weaker case (a likely typo rather than a certain one); a
   * user's severity setting for the rule still wins.
   */
  report(report: {
    path: JsonPath;
    range?: { start: number; end: number };
    messageId: MessageId;
    data?: Record<string, string | number>;
    stepId?: string;
    severity?: Severity;
  }): void;
}

export interface RuleHooks {
  before?(): void;
  step?(step: StepView): void;
  after?(): void;
}

export interface RuleDocs {
  /** Imperative, one line: "Disallow ...", "Require ...". */
  readonly description: string;
  /**
   * A template (JSON) or a whole DSL module (importing from "toolweave") that triggers the rule, and the fixed version,
   * for `weave lint --explain`, which lints them for real (a test holds each to its claim).
   */
  readonly bad: string;
  readonly good: string;
  /**
   * Where the rule applies, when the examples cannot say it: examples that are not one file `weave lint` reads (then
   * they are not linted), or files the rule does not look at.
   */
  readonly note?: string;
}

export interface Rule<MessageId extends string = string> {
  readonly id: string;
  readonly severity: Severity;
  /**
   * "run" when the rule's findings depend on the other workflows of the lint run (through `context.workflows`), so a
   * checker that keeps a workflow's findings while other files change must run it again; "workflow" by default.
   */
  readonly scope?: "workflow" | "run";
  readonly docs: RuleDocs;
  /** Message templates keyed by message id, with `{{name}}` placeholders filled from `data`. */
  readonly messages: Readonly<Record<MessageId, string>>;
  create(context: RuleContext<MessageId>): RuleHooks;
}

/** Identity with inference of the message ids, so reports are checked against the table. */
export function defineRule<MessageId extends string>(rule: Rule<MessageId>): Rule<MessageId> {
  return rule;
}

export type { Diagnostic };

/** @module `weave migrate`'s public types: what it reads, what it returns, what it notes and refuses. */
import type { PlannedTool, SourcePlan } from "../../src/codegen/plan.js";
import type { WorkflowTemplate } from "../../src/model/template.js";

/** The workflows of one input file. */
export interface MigrationSource {
  readonly file: string;
  readonly workflows: readonly WorkflowTemplate[];
}

/** Something migration changed or could not carry over, for the user to read. */
export interface MigrationNote {
  readonly file: string;
  readonly workflow: string;
  /** The step concerned: its index among the workflow's steps as read, and its id. */
  readonly step?: { readonly index: number; readonly id: string };
  readonly message: string;
}

/** A dependency the DSL source declares and the template does not: the step read the other's result. */
export interface ExplicitDependency {
  readonly step: string;
  readonly on: string;
  /** It already waited for it through other steps (the dependency was implicit, not hidden). */
  readonly transitive: boolean;
}

export interface MigratedWorkflow {
  readonly name: string;
  readonly file: string;
  /** The workflow in the current template format (what `--emit json` writes). */
  readonly template: WorkflowTemplate;
  /** What its DSL source is written from; the source builds `template` plus `explicitDependencies`. */
  readonly plan: SourcePlan;
  readonly explicitDependencies: readonly ExplicitDependency[];
  /** Steps whose condition the source leaves out (the DSL cannot express it; a note says why). */
  readonly droppedConditions: readonly string[];
  /** Workflows it runs as `.workflow(...)` steps. */
  readonly subWorkflows: readonly string[];
  /** Tools its steps call, in order of first use. */
  readonly tools: readonly string[];
}

export interface Migration {
  /** In input order. */
  readonly workflows: readonly MigratedWorkflow[];
  /** Every tool, with the schemas inferred from all its uses. */
  readonly tools: ReadonlyMap<string, PlannedTool>;
  /** What to tell the user, for each output format. */
  readonly notes: { readonly json: readonly MigrationNote[]; readonly ts: readonly MigrationNote[] };
}

/** Input migration cannot take (two workflows of one name, a parameter key TypeScript cannot write). */
export class MigrationError extends Error {
  override readonly name = "MigrationError";
  constructor(readonly problems: readonly MigrationNote[]) {
    super(
      problems
        .map((p) => `${p.file}: workflow "${p.workflow}": ${p.step ? `steps[${p.step.index}] "${p.step.id}": ` : ""}${p.message}`)
        .join("\n"),
    );
  }
}

/**
 * @module The working model of a migration: each workflow (`Wf`) with its steps as read, their parameters as
 * drafts, and every `{{...}}` occurrence (`Occ`) with what it reads once typed. Shared by every phase.
 */
import type { JsonValue } from "../../src/model/schema.js";
import type { WorkflowStep } from "../../src/model/step.js";
import type { WorkflowTemplate } from "../../src/model/template.js";
import type { Shape } from "../../src/codegen/value-shape.js";
import type { Reference } from "../../src/placeholder/path.js";
import type { ConditionDraft } from "./conditions.js";
import type { Declared } from "./input-schema.js";
import type { Slot } from "./slots.js";

/** Path segments a DSL reference cannot read: the run-time reference treats them as methods (or as a promise's). */
export const UNREADABLE = new Set(["then", "toString", "valueOf", "toJSON"]);
export const EMPTY_OBJECT: Shape = { kind: "object", fields: new Map() };

type Target = { readonly kind: "step"; readonly index: number } | { readonly kind: "input" };

/** One `{{...}}` of a workflow (in a parameter, a condition or an output). */
export interface Occ {
  readonly ref: Reference;
  readonly wf: Wf;
  /** The step that holds it; undefined in the outputs. */
  readonly from: number | undefined;
  readonly target: Target;
  /** Why it stays text in the source (set when the DSL cannot read it). */
  raw?: string;
  /** Slots from the root of what it reads to the value it reads (empty: typed by the source itself). */
  along: Slot[];
  /** A `{{s.success}}` that a condition helper (failed, succeeded, finished) stands for: it reads no result. */
  outcome?: true;
  /** In the step's condition (a condition left out of the source keeps its references among the parameters'). */
  inCondition?: true;
}

export type Draft =
  | { readonly kind: "literal"; readonly value: JsonValue }
  | { readonly kind: "ref"; readonly occ: Occ }
  | { readonly kind: "text"; readonly parts: readonly (string | Occ)[] }
  | { readonly kind: "object"; readonly entries: readonly (readonly [string, Draft])[] }
  | { readonly kind: "array"; readonly items: readonly Draft[] };
export type ObjectDraft = Extract<Draft, { kind: "object" }>;

export interface Step {
  readonly index: number;
  readonly step: WorkflowStep;
  /** "sub": runs a migrated workflow with `.workflow()`; "exec": execute_workflow kept as a tool step. */
  role: "tool" | "sub" | "exec";
  /** For execute_workflow steps that name a migrated workflow. */
  readonly sub: string | undefined;
  /** Why an execute_workflow step stays a tool step. */
  execWhy: string | undefined;
  /** All the parameters; the sub-workflow's variables (`context`) for a sub step. */
  readonly params: ObjectDraft;
  readonly context: ObjectDraft | undefined;
  readonly condition: { ok: true; draft: ConditionDraft; occs: Occ[] } | { ok: false; why: string } | null;
  readonly paramOccs: Occ[];
  /** Steps it reads (params and condition), in order, original indexes. */
  readonly reads: number[];
  /** Steps it reads that wait for it: cannot be dependencies. */
  readonly back: Set<number>;
}

export interface Wf {
  readonly file: string;
  readonly template: WorkflowTemplate;
  readonly steps: Step[];
  readonly byId: ReadonlyMap<string, number>;
  readonly outputs: ObjectDraft | undefined;
  readonly outputOccs: Occ[];
  readonly inputRoot: Slot;
  /** The template's own `inputs`, when they can be written as zod and kept (`inputsWhy`: why not). */
  declared: ReadonlyMap<string, Declared> | undefined;
  inputsWhy: string | undefined;
  /** Original indexes in declaration order. */
  order: number[];
  /** Original index → declaration index. */
  position: number[];
}

export const EMPTY: ObjectDraft = { kind: "object", entries: [] };

export function allOccs(wf: Wf): Occ[] {
  return [...wf.steps.flatMap((s) => [...s.paramOccs, ...(s.condition?.ok ? s.condition.occs : [])]), ...wf.outputOccs];
}

/**
 * @module One workflow to check, however it was read: extracted statically from a TypeScript file, or parsed
 * from a JSON template file (either format). Rules see only this, so every rule works on both.
 */
import type { Span } from "./diagnostic.js";
import type { ToolAnnotations } from "../dsl/tool.js";

/** A JSON path inside the template: `["steps", 2, "parameters", "image"]`. */
export type JsonPath = readonly (string | number)[];

/** The fields a tool's output is statically known to have (from its zod output schema), or unknown. */
export type FieldTree =
  | { readonly kind: "object"; readonly fields: ReadonlyMap<string, FieldTree>; readonly open: boolean }
  | { readonly kind: "array"; readonly items: FieldTree }
  | { readonly kind: "leaf" }
  /** Could not be determined statically (a schema built by a function, `z.record`, `z.any()`...): no field check. */
  | { readonly kind: "unknown" };

export interface ToolInfo {
  readonly name: string;
  readonly output: FieldTree;
  /** Where the tool is defined, for messages. */
  readonly span?: Span;
  /**
   * The hints of its definition's `annotations` (`destructiveHint`...) written as boolean literals; absent when it
   * has none. Hints, never checked: anything else there is not read.
   */
  readonly annotations?: ToolAnnotations;
}

export interface LintTarget {
  readonly file: string;
  /** The whole text of the file, for code frames. */
  readonly text: string;
  /** "ts" for a workflow extracted from TypeScript, "json" for a template file. */
  readonly origin: "ts" | "json";
  /**
   * The template in the current format (a file in the original system's format is converted first). It may be
   * invalid; rules must not assume its shape beyond what `invalid-template` checks.
   */
  readonly template: unknown;
  /**
   * The span of the value at `path`. For a string value, `range` narrows it to characters `[start, end)` of the
   * string's content (e.g. one `{{placeholder}}`), when the source allows. Falls back to the nearest ancestor.
   */
  locate(path: JsonPath, range?: { readonly start: number; readonly end: number }): Span;
  /** Tools known for this workflow, by name; undefined when unknown (JSON files): then tool rules stay silent. */
  readonly tools?: ReadonlyMap<string, ToolInfo>;
  /**
   * Keys of the original system's format the file has and the conversion dropped (`parallel_groups`), with their
   * values: `invalid-template` notes each (info). Only for JSON files.
   */
  readonly ignoredKeys?: readonly { readonly key: string; readonly value: unknown }[];
  /** Input variable names, when known (from the DSL input schema or the template's `inputs`). */
  readonly inputs?: ReadonlySet<string>;
  /**
   * The templates of the sub-workflows a DSL workflow runs, directly or not (what its executor's library holds at
   * run time); undefined for a template file, whose sub-workflows are looked up by name among the run's workflows.
   */
  subWorkflows?(): Iterable<unknown>;
}

/**
 * @module The built-in workflows: written with the DSL in library/builtins/ (outside src/, as they import the DSL),
 * compiled by `npm run build:library` into builtins.generated.ts, which is all that is imported here (no compiler at
 * run time). Validated once per process;
 * templates are immutable, so every library shares them.
 */
import { WorkflowTemplate } from "../model/template.js";
import { BUILTIN_TEMPLATES } from "./builtins.generated.js";

let cached: readonly WorkflowTemplate[] | undefined;

/** The built-in workflows, sorted by name. */
export function builtinWorkflows(): readonly WorkflowTemplate[] {
  if (!cached) {
    cached = Object.freeze(BUILTIN_TEMPLATES.map((w) => WorkflowTemplate.fromJSON(w)));
  }
  return cached;
}

/**
 * @module The built-in workflows: written with the DSL in builtins/, compiled by `npm run build:library` into
 * builtins.generated.json, which is all that is read here (no compiler at run time). Read and validated once per
 * process; templates are immutable, so every library shares them.
 */
import { readFileSync } from "node:fs";
import { WorkflowTemplate } from "../model/template.js";

const GENERATED = new URL("./builtins.generated.json", import.meta.url);

let cached: readonly WorkflowTemplate[] | undefined;

/** The built-in workflows, sorted by name. */
export function builtinWorkflows(): readonly WorkflowTemplate[] {
  if (!cached) {
    const data = JSON.parse(readFileSync(GENERATED, "utf8")) as { workflows: unknown[] };
    cached = Object.freeze(data.workflows.map((w) => WorkflowTemplate.fromJSON(w)));
  }
  return cached;
}

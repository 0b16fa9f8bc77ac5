/**
 * @module The template of one workflow of a file, read without running anything: a JSON template as it is, a
 * TypeScript workflow file through the compiler's static extraction (the same template the DSL builds at run time).
 * For `weave graph`, whose picture must match what runs but must not run it.
 */
import { extname } from "node:path";
import type { WorkflowTemplate } from "../../src/model/template.js";
import { loadTemplate } from "./load-template.js";
import { chooseWorkflows, findingsOf, lintWorkflowFile, templateOf, TS_EXTENSIONS } from "./read-workflow-file.js";
import { UserError } from "../../src/util/user-error.js";

export interface StaticTemplate {
  readonly template: WorkflowTemplate;
  /** Lint errors of the workflow (TypeScript files): the picture is drawn anyway, with a warning. */
  readonly errors: number;
}

/**
 * @param wanted `--workflow`: a workflow name or an export name
 * @throws UserError / UserErrorList naming the file and what to do
 */
export async function loadStaticTemplate(file: string, wanted: string | undefined): Promise<StaticTemplate> {
  const extension = extname(file).toLowerCase();
  if (extension === ".json") {
    const template = await loadTemplate(file);
    if (wanted !== undefined && wanted !== template.name) {
      throw new UserError(`${file} is the template of workflow "${template.name}", not "${wanted}"`, [
        "a .json template holds one workflow: leave out --workflow",
      ]);
    }
    return { template, errors: 0 };
  }
  if (!TS_EXTENSIONS.includes(extension)) {
    throw new UserError(`cannot draw "${file}": expecting a workflow file (${TS_EXTENSIONS.join(" ")}) or a template (.json)`, [
      "workflows are read without running them, which needs TypeScript source or a JSON template (weave compile writes one)",
    ]);
  }
  const result = await lintWorkflowFile(file);
  const [chosen] = chooseWorkflows(file, result.workflows, wanted, result.diagnostics, false);
  const errors = findingsOf(result.diagnostics, [chosen!]).filter((d) => d.severity === "error");
  return { template: templateOf(file, chosen!), errors: errors.length };
}

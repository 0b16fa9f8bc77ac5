/**
 * @module The workflows `weave library add <file>` takes from a file, with their lint findings: a JSON template
 * (current or original format) as it is, or the workflows a TypeScript file exports, extracted statically by the
 * compiler (never run). The compiler is loaded only here, so the other `library` commands do not pay for it.
 */
import { extname } from "node:path";
import type { Diagnostic } from "../../compiler/index.js";
import type { WorkflowTemplate } from "../../src/model/template.js";
import { shouldUseColor } from "../shared/color.js";
import { loadTemplate } from "../load/load-template.js";
import { chooseWorkflows, findingsOf, lintWorkflowFile, TS_EXTENSIONS, templateOf } from "../load/read-workflow-file.js";
import { UserError } from "../../src/util/user-error.js";

export interface WorkflowsToAdd {
  readonly templates: readonly WorkflowTemplate[];
  /** Lint findings of those workflows (and of their file outside any workflow). */
  readonly diagnostics: readonly Diagnostic[];
  /** The findings, rendered as `weave lint` prints them (empty when there are none). */
  readonly report: string;
}

/**
 * @param wanted `--workflow`: a workflow name or an export name; without it, every workflow of the file
 * @throws UserError / UserErrorList naming the file and what to do
 */
export async function readWorkflowsToAdd(file: string, wanted: string | undefined): Promise<WorkflowsToAdd> {
  const extension = extname(file).toLowerCase();
  if (extension !== ".json" && !TS_EXTENSIONS.includes(extension)) {
    throw new UserError(`cannot add "${file}": expecting a workflow template (.json) or a workflow file (${TS_EXTENSIONS.join(" ")})`, [
      "TypeScript workflows are read without running them (weave compile writes a .json template of each)",
    ]);
  }
  // a template's own problems first, with their paths (the linter would report them less precisely)
  const json = extension === ".json" ? await loadTemplate(file) : undefined;
  const result = await lintWorkflowFile(file);
  let templates: WorkflowTemplate[];
  let diagnostics: Diagnostic[];
  if (json) {
    if (wanted !== undefined && wanted !== json.name) {
      throw new UserError(`${file} is the template of workflow "${json.name}", not "${wanted}"`, [
        "a .json template holds one workflow: leave out --workflow",
      ]);
    }
    templates = [json];
    diagnostics = result.diagnostics;
  } else {
    const chosen = chooseWorkflows(file, result.workflows, wanted, result.diagnostics, true);
    templates = chosen.map((w) => templateOf(file, w));
    diagnostics = findingsOf(result.diagnostics, chosen);
  }
  const report =
    diagnostics.length === 0
      ? ""
      : result.compiler.FORMATS.pretty(diagnostics, { files: result.sources, color: shouldUseColor(process.stderr, process.env) });
  return { templates, diagnostics, report };
}

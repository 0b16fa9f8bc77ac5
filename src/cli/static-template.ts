/**
 * @module The template of one workflow of a file, read without running anything: a JSON template as it is, a
 * TypeScript workflow file through the compiler's static extraction (the same template the DSL builds at run time).
 * For `weave graph`, whose picture must match what runs but must not run it.
 */
import { stat } from "node:fs/promises";
import { extname } from "node:path";
import type { ExtractedWorkflow } from "../../compiler/index.js";
import { WorkflowValidationError } from "../model/issues.js";
import { WorkflowTemplate } from "../model/template.js";
import { closest } from "../util/closest-name.js";
import { UserError } from "./errors.js";
import { loadTemplate, validationErrorList } from "./load-template.js";

const TS_EXTENSIONS = [".ts", ".mts", ".cts"];

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
      throw new UserError(`${file} is the template of workflow "${template.name}", not "${wanted}"`, ["a .json template holds one workflow: leave out --workflow"]);
    }
    return { template, errors: 0 };
  }
  if (!TS_EXTENSIONS.includes(extension)) {
    throw new UserError(`cannot draw "${file}": expecting a workflow file (${TS_EXTENSIONS.join(" ")}) or a template (.json)`, [
      "workflows are read without running them, which needs TypeScript source or a JSON template (weave compile writes one)",
    ]);
  }
  await checkReadable(file);
  const compiler = await import("../../compiler/index.js");
  let result: Awaited<ReturnType<typeof compiler.lint>>;
  try {
    result = await compiler.lint({ cwd: process.cwd(), paths: [file] });
  } catch (error) {
    if (error instanceof compiler.InputError) throw new UserError(error.message, error.hints);
    throw error;
  }
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  const chosen = choose(file, result.workflows, wanted, errors.map((d) => `${d.span.file}:${d.span.start.line}:${d.span.start.column}: ${d.message}`));
  let template: WorkflowTemplate;
  try {
    template = WorkflowTemplate.fromJSON(chosen.template);
  } catch (error) {
    if (error instanceof WorkflowValidationError) throw validationErrorList(file, error);
    throw error;
  }
  const own = errors.filter((d) => d.workflow === undefined || d.workflow === chosen.name || d.workflow === chosen.exportName);
  return { template, errors: own.length };
}

async function checkReadable(file: string): Promise<void> {
  try {
    if ((await stat(file)).isFile()) return;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(`cannot read workflow file "${file}": ${code === "ENOENT" ? "no such file" : (error as Error).message}`);
  }
  throw new UserError(`cannot read workflow file "${file}": it is not a file`);
}

const label = (w: ExtractedWorkflow): string => (w.exportName === w.name || w.exportName === "default" ? w.name : `${w.name} (export ${w.exportName})`);

/** The workflow `wanted` names, else the only one, else the only one no other workflow of the file calls. */
function choose(file: string, workflows: readonly ExtractedWorkflow[], wanted: string | undefined, errors: readonly string[]): ExtractedWorkflow {
  if (workflows.length === 0) {
    if (errors.length > 0) throw new UserError(`cannot read a workflow from ${file} without running it:`, [...errors.slice(0, 5), ...(errors.length > 5 ? [`… and ${errors.length - 5} more: run weave lint ${file}`] : [])]);
    throw new UserError(`${file} exports no workflow`, ["export one made with workflow() from toolweave (weave run --help shows an example)"]);
  }
  if (wanted === undefined) {
    if (workflows.length === 1) return workflows[0]!;
    const called = new Set(workflows.flatMap((w) => w.template.steps.filter((s) => s.toolName === "execute_workflow").map((s) => s.parameters.workflow)));
    const topLevel = workflows.filter((w) => !called.has(w.name));
    if (topLevel.length === 1) return topLevel[0]!;
    throw new UserError(`${file} exports ${workflows.length} workflows; choose one with --workflow <name>:`, workflows.map(label));
  }
  const match = workflows.find((w) => w.name === wanted) ?? workflows.find((w) => w.exportName === wanted);
  if (match) return match;
  const guess = closest(wanted, workflows.flatMap((w) => [w.name, w.exportName]).filter((n) => n !== "default"));
  throw new UserError(`${file} has no workflow named "${wanted}"${guess === undefined ? "" : `. did you mean "${guess}"?`}`, [`its workflows: ${workflows.map(label).join(", ")}`]);
}

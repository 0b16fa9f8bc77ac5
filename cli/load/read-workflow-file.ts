/**
 * @module Reading the workflows of a TypeScript file without running it, for the commands that need templates but
 * must not execute user code (`weave graph`, `weave library add`): the compiler's static extraction (loaded only
 * here, so other commands do not pay for it), with its findings, and choosing among the file's workflows.
 */
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import type { Diagnostic, ExtractedWorkflow, LintResult } from "../../compiler/index.js";
import { WorkflowValidationError } from "../../src/model/issues.js";
import { WorkflowTemplate } from "../../src/model/template.js";
import { closest } from "../../src/util/closest-name.js";
import { validationErrorList } from "./load-template.js";
import { UserError } from "../../src/util/user-error.js";

export const TS_EXTENSIONS: readonly string[] = [".ts", ".mts", ".cts"];

/** @throws UserError when `file` is missing or not a file */
export async function checkReadable(file: string): Promise<void> {
  try {
    if ((await stat(file)).isFile()) return;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(`cannot read workflow file "${file}": ${code === "ENOENT" ? "no such file" : (error as Error).message}`);
  }
  throw new UserError(`cannot read workflow file "${file}": it is not a file`);
}

/** Lints `file` (and what it imports) statically; `workflows` are those `file` itself exports. */
export async function lintWorkflowFile(
  file: string,
): Promise<LintResult & { readonly compiler: typeof import("../../compiler/index.js") }> {
  await checkReadable(file);
  const compiler = await import("../../compiler/index.js");
  try {
    const result = await compiler.lint({ cwd: process.cwd(), paths: [file] });
    return { ...result, workflows: result.workflows.filter((w) => resolve(w.file) === resolve(file)), compiler };
  } catch (error) {
    if (error instanceof compiler.InputError) throw new UserError(error.message, error.hints);
    throw error;
  }
}

const label = (w: ExtractedWorkflow): string =>
  w.exportName === w.name || w.exportName === "default" ? w.name : `${w.name} (export ${w.exportName})`;

/**
 * The workflows `wanted` (`--workflow`: a workflow or export name) picks; without it, every one when `all`, else the
 * only one, else the only one no other workflow of the file calls.
 * @throws UserError when the file has none (listing the errors that kept them from being read), or `wanted` matches none
 */
export function chooseWorkflows(
  file: string,
  workflows: readonly ExtractedWorkflow[],
  wanted: string | undefined,
  diagnostics: readonly Diagnostic[],
  all: boolean,
): ExtractedWorkflow[] {
  if (workflows.length === 0) {
    const errors = diagnostics
      .filter((d) => d.severity === "error")
      .map((d) => `${d.span.file}:${d.span.start.line}:${d.span.start.column}: ${d.message}`);
    if (errors.length > 0)
      throw new UserError(`cannot read a workflow from ${file} without running it:`, [
        ...errors.slice(0, 5),
        ...(errors.length > 5 ? [`… and ${errors.length - 5} more: run weave lint ${file}`] : []),
      ]);
    throw new UserError(`${file} exports no workflow`, [
      "export one made with workflow() from toolweave (weave run --help shows an example)",
    ]);
  }
  if (wanted === undefined) {
    if (all || workflows.length === 1) return [...workflows];
    const called = new Set(
      workflows.flatMap((w) => w.template.steps.filter((s) => s.toolName === "execute_workflow").map((s) => s.parameters.workflow)),
    );
    const topLevel = workflows.filter((w) => !called.has(w.name));
    if (topLevel.length === 1) return [topLevel[0]!];
    throw new UserError(`${file} exports ${workflows.length} workflows; choose one with --workflow <name>:`, workflows.map(label));
  }
  const match = workflows.find((w) => w.name === wanted) ?? workflows.find((w) => w.exportName === wanted);
  if (match) return [match];
  const guess = closest(
    wanted,
    workflows.flatMap((w) => [w.name, w.exportName]).filter((n) => n !== "default"),
  );
  throw new UserError(`${file} has no workflow named "${wanted}"${guess === undefined ? "" : `. did you mean "${guess}"?`}`, [
    `its workflows: ${workflows.map(label).join(", ")}`,
  ]);
}

/** The validated template of an extracted workflow. @throws UserErrorList with the template's problems */
export function templateOf(file: string, workflow: ExtractedWorkflow): WorkflowTemplate {
  try {
    return WorkflowTemplate.fromJSON(workflow.template);
  } catch (error) {
    if (error instanceof WorkflowValidationError) throw validationErrorList(file, error);
    throw error;
  }
}

/** The findings that belong to `chosen` (or to the file outside any workflow). */
export function findingsOf(diagnostics: readonly Diagnostic[], chosen: readonly ExtractedWorkflow[]): Diagnostic[] {
  const names = new Set(chosen.flatMap((w) => [w.name, w.exportName]));
  return diagnostics.filter((d) => d.workflow === undefined || names.has(d.workflow));
}

/**
 * @module The workflows `weave library add <file>` takes from a file, with their lint findings: a JSON template
 * (current or original format) as it is, or the workflows a TypeScript file exports, extracted statically by the
 * compiler (never run). The compiler is loaded only here, so the other `library` commands do not pay for it.
 */
import { stat } from "node:fs/promises";
import { extname, resolve } from "node:path";
import type { Diagnostic } from "../../compiler/index.js";
import { WorkflowValidationError } from "../model/issues.js";
import { WorkflowTemplate } from "../model/template.js";
import { closest } from "../util/closest-name.js";
import { shouldUseColor } from "./color.js";
import { UserError } from "./errors.js";
import { loadTemplate, validationErrorList } from "./load-template.js";

const TS_EXTENSIONS = [".ts", ".mts", ".cts"];

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
  await checkReadable(file);
  // a template's own problems first, with their paths (the linter would report them less precisely)
  const json = extension === ".json" ? await loadTemplate(file) : undefined;
  const compiler = await import("../../compiler/index.js");
  let result: Awaited<ReturnType<typeof compiler.lint>>;
  try {
    result = await compiler.lint({ cwd: process.cwd(), paths: [file] });
  } catch (error) {
    if (error instanceof compiler.InputError) throw new UserError(error.message, error.hints);
    throw error;
  }
  let templates: WorkflowTemplate[];
  let diagnostics: Diagnostic[];
  if (json) {
    const template = json;
    if (wanted !== undefined && wanted !== template.name) {
      throw new UserError(`${file} is the template of workflow "${template.name}", not "${wanted}"`, ["a .json template holds one workflow: leave out --workflow"]);
    }
    templates = [template];
    diagnostics = result.diagnostics;
  } else {
    const own = result.workflows.filter((w) => resolve(w.file) === resolve(file));
    const chosen = choose(file, own, wanted, result.diagnostics);
    templates = chosen.map((w) => {
      try {
        return WorkflowTemplate.fromJSON(w.template);
      } catch (error) {
        if (error instanceof WorkflowValidationError) throw validationErrorList(file, error);
        throw error;
      }
    });
    const names = new Set(chosen.flatMap((w) => [w.name, w.exportName]));
    diagnostics = result.diagnostics.filter((d) => d.workflow === undefined || names.has(d.workflow));
  }
  const report = diagnostics.length === 0 ? "" : compiler.FORMATS.pretty(diagnostics, { files: result.sources, color: shouldUseColor(process.stderr, process.env) });
  return { templates, diagnostics, report };
}

type Extracted = Awaited<ReturnType<typeof import("../../compiler/index.js").lint>>["workflows"][number];

function choose(file: string, workflows: readonly Extracted[], wanted: string | undefined, diagnostics: readonly Diagnostic[]): Extracted[] {
  if (workflows.length === 0) {
    const errors = diagnostics.filter((d) => d.severity === "error").map((d) => `${d.span.file}:${d.span.start.line}:${d.span.start.column}: ${d.message}`);
    if (errors.length > 0) throw new UserError(`cannot read a workflow from ${file} without running it:`, [...errors.slice(0, 5), ...(errors.length > 5 ? [`… and ${errors.length - 5} more: run weave lint ${file}`] : [])]);
    throw new UserError(`${file} exports no workflow`, ["export one made with workflow() from toolweave (weave run --help shows an example)"]);
  }
  if (wanted === undefined) return [...workflows];
  const match = workflows.find((w) => w.name === wanted) ?? workflows.find((w) => w.exportName === wanted);
  if (match) return [match];
  const guess = closest(wanted, workflows.flatMap((w) => [w.name, w.exportName]).filter((n) => n !== "default"));
  throw new UserError(`${file} has no workflow named "${wanted}"${guess === undefined ? "" : `. did you mean "${guess}"?`}`, [`its workflows: ${workflows.map((w) => w.name).join(", ")}`]);
}

async function checkReadable(file: string): Promise<void> {
  try {
    if ((await stat(file)).isFile()) return;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(`cannot read "${file}": ${code === "ENOENT" ? "no such file" : (error as Error).message}`);
  }
  throw new UserError(`cannot read "${file}": it is not a file`);
}

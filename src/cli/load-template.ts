/** @module Reading a workflow template file (current or original snake_case format) for `weave run`. */
import { WorkflowValidationError } from "../model/issues.js";
import { WorkflowTemplate } from "../model/template.js";
import { formatPath } from "../template/path.js";
import { UserErrorList } from "./errors.js";
import { readJsonFile } from "./json-file.js";

/** @throws UserError / UserErrorList naming the file (and the line, or the field path, of each problem) */
export async function loadTemplate(file: string): Promise<WorkflowTemplate> {
  const json = await readJsonFile(file, "template");
  try {
    return WorkflowTemplate.fromJSON(json);
  } catch (error) {
    if (error instanceof WorkflowValidationError) throw validationErrorList(file, error);
    throw error;
  }
}

/** One line per issue: `<file>: <path>: <message>`. */
export function validationErrorList(file: string, error: WorkflowValidationError): UserErrorList {
  return new UserErrorList(error.issues.map((issue) => `${file}: ${issue.path.length > 0 ? `${formatPath(issue.path)}: ` : ""}${issue.message}`));
}

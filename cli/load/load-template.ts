/** @module Reading a workflow template file (current or original snake_case format) for `weave run`. */
import { WorkflowValidationError } from "../../src/model/issues.js";
import { WorkflowTemplate } from "../../src/model/template.js";
import { formatPath } from "../../src/placeholder/path.js";
import { readJsonFile } from "../shared/json-file.js";
import { UserErrorList } from "../../src/util/user-error.js";

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
  return new UserErrorList(
    error.issues.map((issue) => `${file}: ${issue.path.length > 0 ? `${formatPath(issue.path)}: ` : ""}${issue.message}`),
  );
}

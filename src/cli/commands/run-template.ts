/** @module `weave run <template.json> --tools <module>`: a JSON template run with the functions of a tools module. */
import { WorkflowContext } from "../../executor/context.js";
import { WorkflowExecutor } from "../../executor/executor.js";
import { WorkflowValidationError } from "../../model/issues.js";
import { UserError } from "../errors.js";
import { executeWithProgress } from "../execute-with-progress.js";
import { loadTemplate, validationErrorList } from "../load-template.js";
import { loadTools } from "../load-tools.js";
import { preflight } from "../preflight.js";
import { inputDefaults } from "../../executor/input-defaults.js";
import { readVariables, type RunOptions } from "./run-options.js";

/** @returns the exit code */
export async function runTemplateFile(file: string, options: RunOptions): Promise<number> {
  if (options.tools === undefined) {
    throw new UserError("required option '--tools <module>' not specified", ["a .json template names its tools; --tools <module> supplies their functions"]);
  }
  if (options.workflow !== undefined) throw new UserError(`--workflow chooses among the workflows of a .ts/.js file; "${file}" is a template`);
  const template = await loadTemplate(file);
  // the defaults of the template's declared inputs, as a sub-workflow run would get them
  const variables = { ...inputDefaults(template.inputs), ...(await readVariables(options)) };
  const tools = await loadTools(options.tools);
  preflight({ file, template, variables, tools, toolsModule: options.tools });
  return executeWithProgress(template, options, async ({ monitor, ...hooks }) => {
    const executor = new WorkflowExecutor({ tools, concurrency: options.concurrency ?? Infinity, failFast: options.failFast ?? false, ...(monitor ? { monitor } : {}) });
    try {
      return await executor.execute(template, new WorkflowContext(variables), undefined, hooks);
    } catch (error) {
      // a variable named like a step is only found here
      if (error instanceof WorkflowValidationError) throw validationErrorList(file, error);
      throw error;
    }
  });
}

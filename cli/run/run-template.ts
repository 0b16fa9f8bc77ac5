/** @module `weave run <template.json> --tools <module>`: a JSON template run with the functions of a tools module. */
import { WorkflowContext } from "../../src/executor/context.js";
import { WorkflowExecutor } from "../../src/executor/executor.js";
import { WorkflowValidationError } from "../../src/model/issues.js";
import type { WorkflowTemplate } from "../../src/model/template.js";
import { checkSecretsCanTravel, distributedEngine } from "./distributed-run.js";
import { asUserError, checkBeforeResume, journalStore, readJournalIfAny, resumeSecrets, templateOrigin, warn } from "./durable-run.js";
import { SecretMask } from "../../src/secrets/mask.js";
import { secretVariables } from "../../src/secrets/secret-inputs.js";
import { executeWithProgress } from "./execute-with-progress.js";
import { loadTemplate, validationErrorList } from "../load/load-template.js";
import { loadTools } from "../load/load-tools.js";
import { preflight } from "./preflight.js";
import { inputDefaults } from "../../src/executor/input-defaults.js";
import { readVariables, timeoutOption, type RunOptions } from "./options.js";
import { UserError } from "../../src/util/user-error.js";

/**
 * @param file as the user typed it (named in messages)
 * @param loaded the template, when it does not come from `file` (`weave resume` of a run started from code)
 * @returns the exit code
 */
export async function runTemplateFile(file: string, options: RunOptions, loaded?: WorkflowTemplate): Promise<number> {
  if (options.tools === undefined) {
    throw new UserError("required option '--tools <module>' not specified", [
      "a .json template names its tools; --tools <module> supplies their functions",
    ]);
  }
  if (options.workflow !== undefined)
    throw new UserError(`--workflow chooses among the workflows of a .ts/.js file; "${file}" is a template`);
  const template = loaded ?? (await loadTemplate(file));
  // --run-id: a durable run, resumed when its journal exists
  const store = journalStore(options);
  const journal = store && (await readJournalIfAny(store, options.runId!));
  if (options.resume && !journal) throw new UserError(`no journal for run "${options.runId}" in ${store?.dir}`);
  // the defaults of the template's declared inputs, as a sub-workflow run would get them; weave resume: the run's own,
  // and the secret ones given again
  const secrets = options.resume ? resumeSecrets(journal!, await readVariables(options)) : undefined;
  const variables = options.resume
    ? { ...journal!.header.variables, ...secrets }
    : { ...inputDefaults(template.inputs), ...(await readVariables(options)) };
  const mask = SecretMask.of(
    secretVariables(template.inputs, variables, [...(options.secret ?? []), ...(journal?.header.secretInputs ?? [])]),
  );
  checkSecretsCanTravel(options, mask);
  const tools = await loadTools(options.tools);
  preflight({ file, template, variables, tools, toolsModule: options.tools });
  if (journal) await checkBeforeResume(store!, journal, template, options.resume ? undefined : variables, options.redoFrom);
  const toolsModule = options.tools;
  return executeWithProgress(template, { ...options, mask }, async ({ monitor, ...hooks }) => {
    const executor = new WorkflowExecutor({
      tools,
      concurrency: options.concurrency ?? Infinity,
      failFast: options.failFast ?? false,
      ...(monitor ? { monitor } : {}),
      ...distributedEngine(options),
    });
    try {
      if (journal) {
        return await executor.resume(journal.runId, {
          workflow: template,
          journal: store,
          signal: hooks.signal,
          ...timeoutOption(options),
          onEvent: hooks.onEvent,
          onWarning: warn,
          ...(options.resume ? { secrets: secrets! } : { variables }),
          ...(options.redoFrom === undefined ? {} : { redoFrom: options.redoFrom }),
        });
      }
      const durable = store ? { journal: store, origin: templateOrigin(file, toolsModule, options) } : {};
      return await executor.execute(template, new WorkflowContext(variables), undefined, {
        ...hooks,
        ...timeoutOption(options),
        ...durable,
        ...(options.secret ? { secrets: options.secret } : {}),
      });
    } catch (error) {
      // a variable named like a step is only found here
      if (error instanceof WorkflowValidationError) throw validationErrorList(file, error);
      throw asUserError(error) ?? error;
    }
  });
}

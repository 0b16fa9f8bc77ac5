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
import type { Tools } from "../../src/executor/types.js";
import { startRunMcp, withRunMcp } from "./mcp-servers.js";

/**
 * @param file as the user typed it (named in messages)
 * @param loaded the template, when it does not come from `file` (`weave resume` of a run started from code)
 * @returns the exit code
 */
export async function runTemplateFile(file: string, options: RunOptions, loaded?: WorkflowTemplate): Promise<number> {
  if (options.tools === undefined && options.mcp === undefined) {
    throw new UserError("required option '--tools <module>' not specified", [
      "a .json template names its tools; --tools <module> supplies their functions, --mcp <.mcp.json> the tools of MCP servers",
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
  const ownTools = options.tools === undefined ? {} : await loadTools(options.tools);
  const mcp = await startRunMcp(
    options.mcp,
    file,
    template.steps.map((s) => s.toolName),
    options.json ?? false,
  );
  return withRunMcp(mcp, async () => {
    // a tool of the module replaces an MCP tool of the same name
    const tools = { ...mcp?.tools, ...ownTools };
    preflight({ file, template, variables, tools, toolsSource: toolsSource(options) });
    if (journal) await checkBeforeResume(store!, journal, template, options.resume ? undefined : variables, options.redoFrom);
    return run(file, template, options, { tools, variables, mask, journal, store, secrets });
  });
}

interface Prepared {
  readonly tools: Tools;
  readonly variables: Record<string, unknown>;
  readonly mask: SecretMask;
  readonly journal: Awaited<ReturnType<typeof readJournalIfAny>>;
  readonly store: ReturnType<typeof journalStore>;
  readonly secrets: Record<string, unknown> | undefined;
}

/** Where the preflight says a run's tools come from: `the tools module ./tools.ts exports`. */
function toolsSource(options: RunOptions): string {
  if (options.mcp === undefined) return `the tools module ${options.tools} exports`;
  const mcp = `the servers of --mcp ${options.mcp}`;
  return options.tools === undefined ? `${mcp} list` : `the tools module ${options.tools} and ${mcp} have`;
}

function run(file: string, template: WorkflowTemplate, options: RunOptions, prepared: Prepared): Promise<number> {
  const { tools, variables, mask, journal, store, secrets } = prepared;
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

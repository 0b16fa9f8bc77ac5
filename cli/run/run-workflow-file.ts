/** @module `weave run <workflow.ts>`: a workflow file, bundled in memory, run with the tools it defines. */
import type { AnyWorkflow, ResumeRunOptions } from "../../dsl/workflow-types.js";
import { zodSchema } from "../../dsl/tool.js";
import type { ExecutionResult, Tools } from "../../src/executor/types.js";
import { checkSecretsCanTravel, distributedEngine } from "./distributed-run.js";
import { asUserError, checkBeforeResume, journalStore, readJournalIfAny, resumeSecrets, warn, workflowFileOrigin } from "./durable-run.js";
import { SecretMask } from "../../src/secrets/mask.js";
import { secretVariables } from "../../src/secrets/secret-inputs.js";
import { executeWithProgress } from "./execute-with-progress.js";
import { chooseWorkflow } from "../load/find-workflow.js";
import { loadTools } from "../load/load-tools.js";
import { loadWorkflowModule } from "../load/load-workflow-module.js";
import { tsPreflight, type TsPreflightResult } from "./ts-preflight.js";
import { inputUserError, isValidationError, isWorkflowInputError, validationLines } from "../load/workflow-errors.js";
import { readVariables, timeoutOption, type RunOptions } from "./options.js";
import { UserError } from "../../src/util/user-error.js";
import { type RunMcp, startRunMcp, withRunMcp } from "./mcp-servers.js";

/** @returns the exit code */
export async function runWorkflowModuleFile(file: string, options: RunOptions): Promise<number> {
  // --run-id: a durable run, resumed when its journal exists; weave resume: with the run's own variables
  const store = journalStore(options);
  const journal = store && (await readJournalIfAny(store, options.runId!));
  if (options.resume && !journal) throw new UserError(`no journal for run "${options.runId}" in ${store?.dir}`);
  const variables = options.resume ? undefined : await readVariables(options);
  // weave resume: the values of the run's secret inputs, given again (the journal does not keep them)
  const secrets = options.resume ? resumeSecrets(journal!, await readVariables(options)) : undefined;
  // a .ts file is checked statically once bundled, as weave lint checks it: on an error, nothing is imported or run
  let checked: TsPreflightResult | undefined;
  const { exports, timing } = await loadWorkflowModule(
    file,
    process.cwd(),
    async (sources) => void (checked = await tsPreflight(file, options.workflow, sources)),
  );
  if (process.env.WEAVE_DEBUG === "1" && checked) {
    const what =
      "name" in checked.checked
        ? `workflow "${checked.checked.name}"${checked.checked.cached ? " (unchanged since a clean check)" : ""}`
        : `nothing (${checked.checked.skipped})`;
    process.stderr.write(`weave: checked ${what} in ${Math.round(checked.ms)} ms\n`);
    process.stderr.write(
      `weave: loaded ${file} in ${Math.round(timing.bundleMs + timing.importMs)} ms (bundle ${Math.round(timing.bundleMs)} ms, import ${Math.round(timing.importMs)} ms)\n`,
    );
  }
  const workflow = chooseWorkflow(file, exports, options.workflow);
  const ownTools = options.tools === undefined ? undefined : await loadTools(options.tools);
  // with --mcp, a tool named <server>.<tool> is the server's (whether it has it is checked once the servers start)
  const implemented = (name: string): boolean =>
    (ownTools !== undefined && Object.hasOwn(ownTools, name)) || (options.mcp !== undefined && name.includes("."));
  checkImplementations(workflow, implemented, options.mcp);
  const mcp = await startRunMcp(options.mcp, file, workflow.tools.keys(), options.json ?? false);
  return withRunMcp(mcp, () => runWorkflow(file, workflow, options, mcp, ownTools, { store, journal, variables, secrets }));
}

interface Loaded {
  readonly store: ReturnType<typeof journalStore>;
  readonly journal: Awaited<ReturnType<typeof readJournalIfAny>>;
  readonly variables: Record<string, unknown> | undefined;
  readonly secrets: Record<string, unknown> | undefined;
}

async function runWorkflow(
  file: string,
  workflow: AnyWorkflow,
  options: RunOptions,
  mcp: RunMcp | undefined,
  ownTools: Tools | undefined,
  loaded: Loaded,
): Promise<number> {
  const { store, journal, variables, secrets } = loaded;
  // a tool of the --tools module replaces an MCP tool of the same name
  const tools = mcp === undefined ? ownTools : { ...mcp.tools, ...ownTools };
  if (journal) {
    if (typeof workflow.resume !== "function")
      throw new UserError(`${file} uses a toolweave that cannot resume runs: install this version next to it`);
    // the variables as the run keeps them: parsed by the workflow's input schema (defaults filled in)
    const parsed = variables === undefined ? undefined : zodSchema(workflow.input).safeParse(variables);
    await checkBeforeResume(
      store!,
      journal,
      workflow.template,
      parsed?.success ? (parsed.data as Record<string, unknown>) : undefined,
      options.redoFrom,
    );
  }

  const shown = { ...(journal?.header.variables ?? {}), ...(variables ?? secrets) };
  const mask = SecretMask.of(
    secretVariables(workflow.template.inputs, shown, [...(options.secret ?? []), ...(journal?.header.secretInputs ?? [])]),
  );
  checkSecretsCanTravel(options, mask);
  return executeWithProgress(workflow.template, { ...options, mask }, async (hooks) => {
    const settings = {
      ...(hooks.monitor ? { monitor: hooks.monitor } : {}),
      signal: hooks.signal,
      onEvent: hooks.onEvent,
      ...(tools ? { tools } : {}),
      ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
      ...(options.failFast === undefined ? {} : { failFast: options.failFast }),
      ...timeoutOption(options),
      ...distributedEngine(options),
    };
    try {
      if (journal) {
        const resumeOptions: ResumeRunOptions<object> = {
          ...settings,
          journal: store,
          onWarning: warn,
          ...(variables === undefined ? { secrets: secrets! } : { variables }),
          ...(options.redoFrom === undefined ? {} : { redoFrom: options.redoFrom }),
        };
        return (await workflow.resume(journal.runId, resumeOptions)) as ExecutionResult;
      }
      const durable = store ? { journal: store, origin: workflowFileOrigin(file, workflow.name, options.tools, options) } : {};
      const result = await workflow.run(variables ?? {}, {
        ...settings,
        runId: hooks.runId,
        ...durable,
        ...(options.secret ? { secrets: options.secret } : {}),
      });
      return result as ExecutionResult;
    } catch (error) {
      if (isWorkflowInputError(error)) throw inputUserError(error.workflowName, error.issues);
      // a variable named like a step is only found when the run starts
      if (isValidationError(error)) throw validationLines(file, workflow.name, error);
      throw asUserError(error) ?? error;
    }
  });
}

/** A tool declared without `run` needs its function from `--tools` (or `--mcp`): say so before the run, not as a failed step. */
function checkImplementations(workflow: AnyWorkflow, implemented: (name: string) => boolean, mcp: string | undefined): void {
  const missing = [...workflow.tools.values()].filter((t) => typeof t.run !== "function" && !implemented(t.name)).map((t) => `"${t.name}"`);
  if (missing.length === 0) return;
  throw new UserError(
    `workflow "${workflow.name}" uses ${missing.length === 1 ? "a tool" : "tools"} without an implementation: ${missing.join(", ")}`,
    [
      "give each a run function (tool(name, { input, output, run })), or pass --tools <module> whose default export maps those names to functions",
      ...(mcp === undefined && missing.some((name) => name.includes("."))
        ? ["for the tools of MCP servers (<server>.<tool>), pass --mcp <.mcp.json> with the servers that have them"]
        : []),
    ],
  );
}

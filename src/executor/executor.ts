/**
 * @module The public executor: checks its options, works out what a call to `execute` runs (a template, or a DSL
 * workflow with its own tools and sub-workflows), prepares each run (validated template, merged tools, context) and
 * hands it to {@link Run}. Every run starts in one place, `#execute`, which it hands to the modules that start runs
 * on its behalf: durable runs, new and resumed (durable-run.ts), and the built-in `execute_workflow` tool, which runs
 * a sub-workflow on this same executor (sub-workflow.ts).
 */
import { randomUUID } from "node:crypto";
import type { TemplateAnalysis } from "../model/analyze.js";
import { EXECUTE_WORKFLOW } from "../model/compile-step.js";
import { WorkflowTemplate } from "../model/template.js";
import { SecretMask } from "../secrets/mask.js";
import { secretVariables } from "../secrets/secret-inputs.js";
import { WorkflowContext } from "./context.js";
import { executeDurable, resumeDurable } from "./durable-run.js";
import { EXECUTABLE, isExecutable, type ExecutableWorkflow } from "./executable.js";
import { Run } from "./run.js";
import { checkConcurrency, checkTemplate, checkTimeout, looksLikeTemplate, notAWorkflow } from "./run-checks.js";
import type { RunWorkflow } from "./run-settings.js";
import { subWorkflowTool } from "./sub-workflow.js";
import type {
  LineageStep,
  ExecuteOptions,
  ExecutionResult,
  ResumeOptions,
  ToolCall,
  ToolFunction,
  Tools,
  WorkflowExecutorOptions,
  WorkflowResolver,
} from "./types.js";

const NO_TOOLS: Tools = Object.freeze({});
const NO_SCOPE: readonly LineageStep[] = Object.freeze([]);

export class WorkflowExecutor {
  readonly #tools: Tools;
  readonly #library: WorkflowResolver | undefined;
  readonly #options: WorkflowExecutorOptions;
  readonly #concurrency: number;
  /** The invoker, skipping sub-workflow steps (they run here; their steps go to the invoker one by one). */
  readonly #invoke: ((call: ToolCall) => unknown) | undefined;

  constructor(options: WorkflowExecutorOptions = {}) {
    const { concurrency = Infinity } = options;
    checkConcurrency(concurrency);
    this.#concurrency = concurrency;
    this.#tools = options.tools ?? NO_TOOLS;
    this.#library = options.library;
    this.#options = options;
    const invoker = options.invoker;
    this.#invoke =
      invoker && ((call) => (call.toolName === EXECUTE_WORKFLOW ? call.tool(call.params, call.context) : invoker.invoke(call)));
  }

  /**
   * Runs a workflow. Step results land in `context`. Never rejects because a step failed: the result says so.
   * @param workflow a template, or a workflow made with the DSL's `workflow()`: then its own tools run (validating
   * their input and output; the executor's and the call's `tools` replace their `run`), its sub-workflows are found,
   * and the context's variables are checked by its input schema (with no `context` given, the run gets the schema's
   * defaults; `deploy.run(vars)` validates and fills in defaults too)
   * @param tools merged over the executor's tools for this run
   * @throws WorkflowValidationError when the template is invalid, or a variable has the name of a step; TypeError
   * when `workflow` is neither a template nor a DSL workflow; the DSL's WorkflowInputError for invalid variables
   */
  execute(
    workflow: WorkflowTemplate | ExecutableWorkflow,
    givenContext?: WorkflowContext,
    tools?: Tools,
    options: ExecuteOptions = {},
  ): Promise<ExecutionResult> {
    let context = givenContext ?? new WorkflowContext();
    let template: WorkflowTemplate;
    let library = this.#library;
    try {
      checkTimeout(options.timeoutMs, "ExecuteOptions.timeoutMs");
      if (workflow instanceof WorkflowTemplate || looksLikeTemplate(workflow)) template = workflow as WorkflowTemplate;
      else if (isExecutable(workflow)) {
        // a DSL workflow: its template, with its own tools (validating) under the executor's and the call's overrides
        const executable = workflow[EXECUTABLE]({ ...this.#tools, ...tools });
        const variables = executable.input(context.variables);
        if (givenContext === undefined) context = new WorkflowContext(variables);
        template = executable.template;
        tools = executable.tools;
        library = withFallback(executable.library, this.#library);
      } else throw notAWorkflow(workflow);
    } catch (error) {
      return Promise.reject(error);
    }
    const store = options.journal === undefined ? this.#options.journal : options.journal || undefined;
    const secrets = secretVariables(template.inputs, context.variables, options.secrets);
    if (store) return executeDurable(this.#execute, store, template, context, tools, options, secrets, library);
    return this.#execute(template, context, tools, options, [], undefined, undefined, SecretMask.of(secrets), library);
  }

  /**
   * Continues a durable run after its process stopped (a crash, a kill, Ctrl-C) or after it failed. Steps that
   * completed are not run again: their results come back from the journal, so references and outputs work. Steps that
   * were running when the process stopped run again (at least once: give tools `ctx.idempotencyKey`). Steps that
   * failed are retried, with their full `maxRetries`; skipped steps are decided again. A run that had completed is not
   * run: its result comes back from the journal.
   * @throws JournalNotFoundError, RunLockedError (another process is running it), JournalMismatchError (the workflow
   * or the variables changed), JournalCorruptError, JournalVersionError; WorkflowValidationError
   */
  resume(runId: string, options: ResumeOptions = {}): Promise<ExecutionResult> {
    return resumeDurable(this.#execute, runId, options, this.#options, this.#library);
  }

  /**
   * Starts a run: every run does, top-level, durable or a sub-workflow step's. A field, not a method, so that
   * durable-run.ts and sub-workflow.ts are handed this one function rather than the executor.
   */
  readonly #execute: RunWorkflow = (workflow, context, tools, options, callers, durable, scope, mask, library) => {
    let analysis: TemplateAnalysis;
    try {
      analysis = checkTemplate(workflow, context);
    } catch (error) {
      return Promise.reject(error);
    }
    context.declareSteps(analysis.graph.indexOf);
    const merged = tools ? { ...this.#tools, ...tools } : this.#tools;
    const runId = options.runId ?? randomUUID();
    const callScope = scope ?? { rootRunId: runId, path: NO_SCOPE };
    const subWorkflow = subWorkflowTool(this.#execute, merged, options, [...callers, workflow.name], durable, callScope, mask, library);
    const findTool = (name: string): ToolFunction | undefined =>
      name === EXECUTE_WORKFLOW ? subWorkflow : Object.hasOwn(merged, name) ? merged[name] : undefined;
    return new Run({
      runId,
      template: workflow,
      analysis,
      context,
      findTool,
      knownTools: () => Object.keys(merged).sort(),
      concurrency: this.#concurrency,
      failFast: this.#options.failFast ?? false,
      random: this.#options.random ?? Math.random,
      monitor: this.#options.monitor,
      onEvent: options.onEvent,
      signal: options.signal,
      timeoutMs: options.timeoutMs === undefined ? workflow.timeoutMs : (options.timeoutMs ?? undefined),
      durable: durable && {
        journal: durable.journal,
        scope: durable.scope,
        restored: durable.scope === undefined ? durable.state?.root : durable.state?.scope(durable.scope),
        root: durable.scope === undefined,
        session: durable.session,
      },
      invoke: this.#invoke,
      callScope,
      mask,
    }).start();
  };
}

/** The workflow's own sub-workflows first (its template was built with them), then the executor's library. */
function withFallback(first: WorkflowResolver, second: WorkflowResolver | undefined): WorkflowResolver {
  if (!second) return first;
  return {
    get: (name) => first.get(name) ?? second.get(name),
    listAll: () => {
      const seen = new Map<string, WorkflowTemplate>();
      for (const w of [...(first.listAll?.() ?? []), ...(second.listAll?.() ?? [])]) if (!seen.has(w.name)) seen.set(w.name, w);
      return [...seen.values()];
    },
  };
}

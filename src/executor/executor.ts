/**
 * @module The public executor: checks options, prepares a run (validated template, tools, context) and hands it to
 * {@link Run}. Also the built-in `execute_workflow` tool, which runs a sub-workflow on this same executor, and
 * durable runs: journaled as they go (`execute` with a journal), continued after a crash (`resume`).
 */
import { downstreamOf, handlersThatRan, HandlersRanError, RedoStepError } from "./redo.js";
import { randomUUID } from "node:crypto";
import { FileJournalStore } from "../journal/file-store.js";
import { foldJournal } from "../journal/restore.js";
import type { JournalRecord, JournalStore, RunJournal } from "../journal/types.js";
import { analyzeTemplate, type TemplateAnalysis } from "../model/analyze.js";
import { EXECUTE_WORKFLOW } from "../model/compile-step.js";
import { makeIssue, WorkflowValidationError } from "../model/issues.js";
import { WorkflowTemplate } from "../model/template.js";
import { WorkflowContext } from "./context.js";
import {
  checkSameVariables,
  checkSameWorkflow,
  completedResult,
  makeHeader,
  sessionRecord,
  subTemplateMatches,
  subWorkflowHashes,
  unsealJournal,
  type Durable,
} from "./durable.js";
import { NonRetryableError } from "./errors.js";
import { inputDefaults } from "./input-defaults.js";
import { EXECUTABLE, isExecutable, type ExecutableWorkflow } from "./executable.js";
import { Run } from "./run.js";
import type {
  CallScopeEntry,
  ExecuteOptions,
  ExecutionResult,
  ResumeOptions,
  ToolCall,
  ToolContext,
  ToolFunction,
  Tools,
  WorkflowExecutorOptions,
  WorkflowResolver,
} from "./types.js";
import { templateHash } from "../journal/hash.js";
import { SecretMask } from "../secrets/mask.js";
import { secretVariables } from "../secrets/secret-inputs.js";
import { sealHeader, sealingJournal } from "../journal/sealed.js";

const NO_TOOLS: Tools = Object.freeze({});
const NO_SCOPE: readonly CallScopeEntry[] = Object.freeze([]);

/** Where a run sits in the tree of runs, for the invoker: the top-level run and the steps that led to this one. */
interface CallScope {
  readonly rootRunId: string;
  readonly path: readonly CallScopeEntry[];
}

/**
 * How deep sub-workflows may nest. Each level runs its first steps on the caller's stack, so an unbounded chain of
 * distinct (say, generated) workflows would overflow it; no real workflow comes near this.
 */
export const MAX_SUB_WORKFLOW_DEPTH = 64;

export class WorkflowExecutor {
  readonly #tools: Tools;
  readonly #library: WorkflowResolver | undefined;
  readonly #options: WorkflowExecutorOptions;
  readonly #concurrency: number;
  /** The invoker, skipping sub-workflow steps (they run here; their steps go to the invoker one by one). */
  readonly #invoke: ((call: ToolCall) => unknown) | undefined;

  constructor(options: WorkflowExecutorOptions = {}) {
    const { concurrency = Infinity } = options;
    if (!(concurrency === Infinity || (Number.isInteger(concurrency) && concurrency > 0))) {
      throw new TypeError(`WorkflowExecutor.concurrency must be a positive integer or Infinity, got ${String(concurrency)}`);
    }
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
      } else
        throw new TypeError(
          `execute() takes a WorkflowTemplate or a workflow made with workflow(), got ${describeValue(workflow)}. for a template file, pass WorkflowTemplate.fromJSON(json)`,
        );
    } catch (error) {
      return Promise.reject(error);
    }
    const store = options.journal === undefined ? this.#options.journal : options.journal || undefined;
    const secrets = secretVariables(template.inputs, context.variables, options.secrets);
    if (store) return this.#executeDurable(store, template, context, tools, options, secrets, library);
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
  async resume(runId: string, options: ResumeOptions = {}): Promise<ExecutionResult> {
    checkTimeout(options.timeoutMs, "ResumeOptions.timeoutMs");
    const store = options.journal ?? this.#options.journal ?? new FileJournalStore();
    const journal = await store.open(runId);
    try {
      const warn = options.onWarning ?? ((message: string) => process.emitWarning(message, "JournalWarning"));
      for (const warning of journal.warnings) warn(warning);
      const { header } = journal;
      const workflow = options.workflow ?? WorkflowTemplate.fromJSON(header.template);
      checkSameWorkflow(
        header,
        workflow,
        subWorkflowHashes(workflow, (name) => this.#library?.get(name)),
      );
      if (options.variables !== undefined) checkSameVariables(header, options.variables);
      const unsealed = unsealJournal(journal, options.secrets ?? options.variables ?? {});
      let state = foldJournal(unsealed.records);
      const context = new WorkflowContext(unsealed.variables);
      const mask = SecretMask.of(secretVariables(workflow.inputs, unsealed.variables, header.secretInputs));
      const sealed = sealingJournal(journal, mask);
      if (options.redoFrom === undefined && state.end?.status === "completed") return completedResult(journal, state);
      const analysis = this.#check(workflow, context);
      const session = state.sessions + 1;
      const handlers = handlersThatRan(workflow, analysis, state.root);
      let redo: JournalRecord | undefined;
      if (options.redoFrom !== undefined) {
        if (!analysis.graph.indexOf.has(options.redoFrom))
          throw new RedoStepError(
            runId,
            options.redoFrom,
            workflow.steps.map((s) => s.id),
          );
        const steps = downstreamOf(workflow, analysis, options.redoFrom);
        const kept = handlers.filter((h) => !steps.has(h.handler));
        if (kept.length > 0) throw new HandlersRanError(runId, kept, options.redoFrom);
        redo = {
          type: "redo",
          from: options.redoFrom,
          steps: workflow.steps.map((s) => s.id).filter((id) => steps.has(id)),
          at: Date.now(),
        };
      } else if (handlers.length > 0) {
        throw new HandlersRanError(runId, handlers);
      }
      await sealed.append(sessionRecord(session));
      if (redo !== undefined) {
        // journaled before anything runs: a crash during the redo resumes the redo
        await sealed.append(redo);
        state = foldJournal([...unsealed.records, sessionRecord(session), redo]);
      }
      const run: ExecuteOptions = { runId };
      if (options.signal) run.signal = options.signal;
      if (options.timeoutMs !== undefined) run.timeoutMs = options.timeoutMs;
      if (options.onEvent) run.onEvent = options.onEvent;
      const result = await this.#execute(
        workflow,
        context,
        options.tools,
        run,
        [],
        { journal: sealed, scope: undefined, state, session },
        undefined,
        mask,
        this.#library,
      );
      result.journal = { location: journal.location, session, restored: state.root.completed.size, rerun: [...state.root.inFlight] };
      return result;
    } finally {
      await journal.close();
    }
  }

  async #executeDurable(
    store: JournalStore,
    workflow: WorkflowTemplate,
    context: WorkflowContext,
    tools: Tools | undefined,
    options: ExecuteOptions,
    secrets: Record<string, unknown>,
    library: WorkflowResolver | undefined,
  ): Promise<ExecutionResult> {
    // nothing is journaled for a run that would not start
    this.#check(workflow, context);
    const runId = options.runId ?? randomUUID();
    const mask = SecretMask.of(secrets);
    const header = sealHeader(
      makeHeader(
        runId,
        workflow,
        context.variables,
        options.origin,
        subWorkflowHashes(workflow, (name) => library?.get(name)),
      ),
      Object.keys(secrets),
      mask,
    );
    const journal: RunJournal = sealingJournal(await store.create(header), mask);
    try {
      await journal.append(sessionRecord(1));
      const result = await this.#execute(
        workflow,
        context,
        tools,
        { ...options, runId },
        [],
        { journal, scope: undefined, state: undefined, session: 1 },
        undefined,
        mask,
        library,
      );
      result.journal = { location: journal.location, session: 1, restored: 0, rerun: [] };
      return result;
    } finally {
      await journal.close();
    }
  }

  /** @throws WorkflowValidationError for an invalid template, or a variable named like a step */
  #check(workflow: WorkflowTemplate, context: WorkflowContext): TemplateAnalysis {
    const analysis = analyzeTemplate(workflow);
    if (analysis.issues.length > 0) throw new WorkflowValidationError(workflow.name, analysis.issues);
    const conflicts = Object.keys(context.variables).filter((name) => analysis.graph.indexOf.has(name));
    if (conflicts.length > 0) {
      const issues = conflicts.map((name) =>
        makeIssue({ code: "name_conflict", stepId: name, variable: name, path: ["steps", analysis.graph.indexOf.get(name)!, "id"] }),
      );
      throw new WorkflowValidationError(workflow.name, issues);
    }
    return analysis;
  }

  /** @param scope for a sub-workflow run, where it sits in the tree of runs; undefined for a top-level run */
  #execute(
    workflow: WorkflowTemplate,
    context: WorkflowContext,
    tools: Tools | undefined,
    options: ExecuteOptions,
    callers: readonly string[],
    durable: Durable | undefined,
    scope: CallScope | undefined,
    mask: SecretMask,
    library: WorkflowResolver | undefined,
  ): Promise<ExecutionResult> {
    let analysis: TemplateAnalysis;
    try {
      analysis = this.#check(workflow, context);
    } catch (error) {
      return Promise.reject(error);
    }
    context.declareSteps(analysis.graph.indexOf);
    const merged = tools ? { ...this.#tools, ...tools } : this.#tools;
    const runId = options.runId ?? randomUUID();
    const callScope = scope ?? { rootRunId: runId, path: NO_SCOPE };
    const subWorkflow = this.#subWorkflowTool(merged, options, [...callers, workflow.name], durable, callScope, mask, library);
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
  }

  /**
   * `execute_workflow` with `{ workflow: name | template, context: variables }` (defaults from the workflow's
   * `inputs` filling what the context leaves out): runs the workflow with this
   * executor's tools, monitor and cancellation, and yields its outputs (or, when it declares none, every step's result).
   */
  #subWorkflowTool(
    tools: Tools,
    options: ExecuteOptions,
    callers: readonly string[],
    durable: Durable | undefined,
    scope: CallScope,
    mask: SecretMask,
    library: WorkflowResolver | undefined,
  ): ToolFunction {
    return async (params: Record<string, unknown>, ctx: ToolContext) => {
      const workflow = this.#resolveWorkflow(params.workflow, ctx.stepId, library);
      if (callers.includes(workflow.name)) {
        throw new NonRetryableError(`sub-workflow recursion: ${[...callers, workflow.name].join(" -> ")}`);
      }
      if (callers.length >= MAX_SUB_WORKFLOW_DEPTH) {
        const chain = [...callers, workflow.name];
        const shown = chain.length > 8 ? [...chain.slice(0, 4), `... (${chain.length - 7} more)`, ...chain.slice(-3)] : chain;
        throw new NonRetryableError(
          `sub-workflows nest more than ${MAX_SUB_WORKFLOW_DEPTH} deep: ${shown.join(" -> ")}. a workflow that generates ever deeper sub-workflows never ends`,
        );
      }
      const variables = params.context ?? {};
      if (typeof variables !== "object" || variables === null || Array.isArray(variables)) {
        throw new NonRetryableError(`parameter "context" of execute_workflow must be an object of variables`);
      }
      const sub = new WorkflowContext({ ...inputDefaults(workflow.inputs), ...(variables as Record<string, unknown>) });
      const subOptions: ExecuteOptions = { signal: ctx.signal, runId: `${ctx.runId}/${ctx.stepId}` };
      if (options.onEvent) subOptions.onEvent = options.onEvent;
      const subScope: CallScope = { rootRunId: scope.rootRunId, path: [...scope.path, { stepId: ctx.stepId, attempt: ctx.attempt }] };
      // the sub-workflow's own secret inputs are masked too (in its records, errors and events)
      const subMask = mask.with(secretVariables(workflow.inputs, sub.variables));
      const result = await this.#execute(
        workflow,
        sub,
        tools,
        subOptions,
        callers,
        durable && (await this.#subDurable(durable, ctx.stepId, workflow)),
        subScope,
        subMask,
        library,
      );
      if (result.status !== "completed") throw new Error(`sub-workflow "${workflow.name}" ${result.status}: ${result.error}`);
      if (workflow.outputs) return result.outputs;
      return Object.fromEntries(result.completedSteps.map((s) => [s.id, sub.getResult(s.id)]));
    };
  }

  /**
   * A sub-workflow run of a durable run journals into the same journal, its records scoped by the path of step ids
   * that started it; on resume, its completed steps come back too (unless the sub-workflow changed since).
   */
  async #subDurable(parent: Durable, stepId: string, workflow: WorkflowTemplate): Promise<Durable> {
    const scope = [...(parent.scope ?? []), stepId];
    const prior = subTemplateMatches(parent.state, scope, workflow);
    if (prior === "changed") {
      throw new NonRetryableError(`sub-workflow "${workflow.name}" changed since run "${parent.journal.runId}" started. start a new run`);
    }
    await parent.journal.append({ type: "sub", scope, workflow: workflow.name, templateHash: templateHash(workflow), at: Date.now() });
    return { journal: parent.journal, scope, state: prior === "same" ? parent.state : undefined, session: parent.session };
  }

  #resolveWorkflow(ref: unknown, stepId: string, library: WorkflowResolver | undefined): WorkflowTemplate {
    if (ref instanceof WorkflowTemplate) return ref;
    if (typeof ref === "string") {
      const found = library?.get(ref);
      if (found) return found;
      const known = library
        ?.listAll?.()
        .map((w) => `"${w.name}"`)
        .join(", ");
      throw new NonRetryableError(
        library
          ? `unknown workflow "${ref}" in step "${stepId}". the library has ${known || "no workflows"}`
          : `step "${stepId}" names workflow "${ref}", but the executor has no library. pass { library } to new WorkflowExecutor()`,
      );
    }
    if (ref !== null && typeof ref === "object") return templateFromObject(ref);
    throw new NonRetryableError(
      `parameter "workflow" of execute_workflow must be a workflow name or template, got ${ref === null ? "null" : typeof ref}`,
    );
  }
}

/** A WorkflowTemplate of another copy of toolweave (instanceof fails across copies): used as it is. */
function looksLikeTemplate(value: unknown): boolean {
  if (value === null || typeof value !== "object" || isExecutable(value)) return false;
  const t = value as { name?: unknown; steps?: unknown; validate?: unknown };
  return typeof t.name === "string" && Array.isArray(t.steps) && typeof t.validate === "function";
}

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value !== "object") return typeof value;
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === "string" && name !== "Object" ? `a ${name}` : "a plain object (a template's JSON?)";
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

/** @throws TypeError unless `timeoutMs` is absent, null or a positive finite number */
function checkTimeout(timeoutMs: unknown, name: string): void {
  if (timeoutMs === undefined || timeoutMs === null || (typeof timeoutMs === "number" && timeoutMs > 0 && Number.isFinite(timeoutMs)))
    return;
  throw new TypeError(
    `${name} must be a positive number of milliseconds or null, got ${typeof timeoutMs === "number" ? timeoutMs : typeof timeoutMs}`,
  );
}

const fromObjectCache = new WeakMap<object, WorkflowTemplate>();

/** An embedded template object is parsed once, not on every run of the step. */
function templateFromObject(json: object): WorkflowTemplate {
  let template = fromObjectCache.get(json);
  if (!template) {
    template = WorkflowTemplate.fromJSON(json);
    fromObjectCache.set(json, template);
  }
  return template;
}

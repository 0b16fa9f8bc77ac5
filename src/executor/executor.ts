/**
 * @module The public executor: checks options, prepares a run (validated template, tools, context) and hands it to
 * {@link Run}. Also the built-in `execute_workflow` tool, which runs a sub-workflow on this same executor.
 */
import { randomUUID } from "node:crypto";
import { analyzeTemplate } from "../model/analyze.js";
import { EXECUTE_WORKFLOW } from "../model/compile-step.js";
import { makeIssue, WorkflowValidationError } from "../model/issues.js";
import { WorkflowTemplate } from "../model/template.js";
import { WorkflowContext } from "./context.js";
import { NonRetryableError } from "./errors.js";
import { inputDefaults } from "./input-defaults.js";
import { Run } from "./run.js";
import type { ExecuteOptions, ExecutionResult, ToolContext, ToolFunction, Tools, WorkflowExecutorOptions, WorkflowResolver } from "./types.js";

const NO_TOOLS: Tools = Object.freeze({});

export class WorkflowExecutor {
  readonly #tools: Tools;
  readonly #library: WorkflowResolver | undefined;
  readonly #options: WorkflowExecutorOptions;
  readonly #concurrency: number;

  constructor(options: WorkflowExecutorOptions = {}) {
    const { concurrency = Infinity } = options;
    if (!(concurrency === Infinity || (Number.isInteger(concurrency) && concurrency > 0))) {
      throw new TypeError(`WorkflowExecutor.concurrency must be a positive integer or Infinity, got ${String(concurrency)}`);
    }
    this.#concurrency = concurrency;
    this.#tools = options.tools ?? NO_TOOLS;
    this.#library = options.library;
    this.#options = options;
  }

  /**
   * Runs a workflow. Step results land in `context`. Never rejects because a step failed: the result says so.
   * @param tools merged over the executor's tools for this run
   * @throws WorkflowValidationError when the template is invalid, or a variable has the name of a step
   */
  execute(workflow: WorkflowTemplate, context: WorkflowContext = new WorkflowContext(), tools?: Tools, options: ExecuteOptions = {}): Promise<ExecutionResult> {
    return this.#execute(workflow, context, tools, options, []);
  }

  #execute(workflow: WorkflowTemplate, context: WorkflowContext, tools: Tools | undefined, options: ExecuteOptions, callers: readonly string[]): Promise<ExecutionResult> {
    const analysis = analyzeTemplate(workflow);
    if (analysis.issues.length > 0) return Promise.reject(new WorkflowValidationError(workflow.name, analysis.issues));
    const conflicts = Object.keys(context.variables).filter((name) => analysis.graph.indexOf.has(name));
    if (conflicts.length > 0) {
      const issues = conflicts.map((name) =>
        makeIssue({ code: "name_conflict", stepId: name, variable: name, path: ["steps", analysis.graph.indexOf.get(name)!, "id"] }),
      );
      return Promise.reject(new WorkflowValidationError(workflow.name, issues));
    }
    context.declareSteps(analysis.graph.indexOf);
    const merged = tools ? { ...this.#tools, ...tools } : this.#tools;
    const runId = options.runId ?? randomUUID();
    const subWorkflow = this.#subWorkflowTool(merged, options, [...callers, workflow.name]);
    const findTool = (name: string): ToolFunction | undefined =>
      name === EXECUTE_WORKFLOW ? subWorkflow : Object.prototype.hasOwnProperty.call(merged, name) ? merged[name] : undefined;
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
    }).start();
  }

  /**
   * `execute_workflow` with `{ workflow: name | template, context: variables }` (defaults from the workflow's
   * `inputs` filling what the context leaves out): runs the workflow with this
   * executor's tools, monitor and cancellation, and yields its outputs (or, when it declares none, every step's result).
   */
  #subWorkflowTool(tools: Tools, options: ExecuteOptions, callers: readonly string[]): ToolFunction {
    return async (params: Record<string, unknown>, ctx: ToolContext) => {
      const workflow = this.#resolveWorkflow(params.workflow, ctx.stepId);
      if (callers.includes(workflow.name)) {
        throw new NonRetryableError(`sub-workflow recursion: ${[...callers, workflow.name].join(" -> ")}`);
      }
      const variables = params.context ?? {};
      if (typeof variables !== "object" || variables === null || Array.isArray(variables)) {
        throw new NonRetryableError(`parameter "context" of execute_workflow must be an object of variables`);
      }
      const sub = new WorkflowContext({ ...inputDefaults(workflow.inputs), ...(variables as Record<string, unknown>) });
      const subOptions: ExecuteOptions = { signal: ctx.signal, runId: `${ctx.runId}/${ctx.stepId}` };
      if (options.onEvent) subOptions.onEvent = options.onEvent;
      const result = await this.#execute(workflow, sub, tools, subOptions, callers);
      if (result.status === "failed") throw new Error(`sub-workflow "${workflow.name}" failed: ${result.error}`);
      if (workflow.outputs) return result.outputs;
      return Object.fromEntries(result.completedSteps.map((s) => [s.id, sub.getResult(s.id)]));
    };
  }

  #resolveWorkflow(ref: unknown, stepId: string): WorkflowTemplate {
    if (ref instanceof WorkflowTemplate) return ref;
    if (typeof ref === "string") {
      const found = this.#library?.get(ref);
      if (found) return found;
      const known = this.#library?.listAll?.().map((w) => `"${w.name}"`).join(", ");
      throw new NonRetryableError(
        this.#library
          ? `unknown workflow "${ref}" in step "${stepId}". the library has ${known || "no workflows"}`
          : `step "${stepId}" names workflow "${ref}", but the executor has no library. pass { library } to new WorkflowExecutor()`,
      );
    }
    if (ref !== null && typeof ref === "object") return templateFromObject(ref);
    throw new NonRetryableError(`parameter "workflow" of execute_workflow must be a workflow name or template, got ${ref === null ? "null" : typeof ref}`);
  }
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

/**
 * @module The built-in `execute_workflow` tool: a step that runs another workflow on the executor that runs the
 * step's own (its tools, monitor, invoker and cancellation), and yields that run's outputs. The workflow is named (found in the
 * library), given as a template, or embedded as a template's JSON. A sub-workflow run sits below its step in the tree
 * of runs (the invoker sees the path of steps that led to it), masks its own secret inputs besides its caller's, and,
 * in a durable run, journals into its caller's journal, scoped by that path, so a resume restores its steps too.
 *
 * Recursion is refused, and so is nesting deeper than {@link MAX_SUB_WORKFLOW_DEPTH}: both would never end.
 */
import { templateHash } from "../journal/hash.js";
import { WorkflowTemplate } from "../model/template.js";
import type { SecretMask } from "../secrets/mask.js";
import { secretVariables } from "../secrets/secret-inputs.js";
import { WorkflowContext } from "./context.js";
import { subTemplateMatches, type Durable } from "./durable.js";
import { NonRetryableError } from "./errors.js";
import { inputDefaults } from "./input-defaults.js";
import type { RunLineage, RunWorkflow } from "./run-settings.js";
import type { ExecuteOptions, ToolContext, ToolFunction, Tools, WorkflowResolver } from "./types.js";

/**
 * How deep sub-workflows may nest. Each level runs its first steps on the caller's stack, so an unbounded chain of
 * distinct (say, generated) workflows would overflow it; no real workflow comes near this.
 */
export const MAX_SUB_WORKFLOW_DEPTH = 64;

/**
 * `execute_workflow` with `{ workflow: name | template, context: variables }` (defaults from the workflow's
 * `inputs` filling what the context leaves out): runs the workflow with `run`, the executor's, and yields its outputs
 * (or, when it declares none, every step's result).
 * @param tools the calling run's tools (the executor's, merged with the call's)
 * @param options the calling run's options: its listener hears the sub-workflow's events too
 * @param callers the calling workflow and those whose steps led to it, outermost first
 * @param durable the calling run's journal, for a durable run
 * @param scope where the calling run sits in the tree of runs
 * @param mask the calling run's secrets
 */
export function subWorkflowTool(
  run: RunWorkflow,
  tools: Tools,
  options: ExecuteOptions,
  callers: readonly string[],
  durable: Durable | undefined,
  scope: RunLineage,
  mask: SecretMask,
  library: WorkflowResolver | undefined,
): ToolFunction {
  return async (params: Record<string, unknown>, ctx: ToolContext) => {
    const workflow = resolveWorkflow(params.workflow, ctx.stepId, library);
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
    // an item of a map step runs a sub-workflow of its own: `<run>/<step>[<index>]`
    const subRunId = `${ctx.runId}/${ctx.stepId}${ctx.item === undefined ? "" : `[${ctx.item}]`}`;
    const subOptions: ExecuteOptions = { signal: ctx.signal, runId: subRunId };
    if (options.onEvent) subOptions.onEvent = options.onEvent;
    const subScope: RunLineage = {
      rootRunId: scope.rootRunId,
      path: [...scope.path, { stepId: ctx.stepId, attempt: ctx.attempt, ...(ctx.item === undefined ? {} : { item: ctx.item }) }],
    };
    // the sub-workflow's own secret inputs are masked too (in its records, errors and events)
    const subMask = mask.with(secretVariables(workflow.inputs, sub.variables));
    const result = await run(
      workflow,
      sub,
      tools,
      subOptions,
      callers,
      durable && (await subDurable(durable, ctx.stepId, workflow)),
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
async function subDurable(parent: Durable, stepId: string, workflow: WorkflowTemplate): Promise<Durable> {
  const scope = [...(parent.scope ?? []), stepId];
  const prior = subTemplateMatches(parent.state, scope, workflow);
  if (prior === "changed") {
    throw new NonRetryableError(`sub-workflow "${workflow.name}" changed since run "${parent.journal.runId}" started. start a new run`);
  }
  await parent.journal.append({ type: "sub", scope, workflow: workflow.name, templateHash: templateHash(workflow), at: Date.now() });
  return { journal: parent.journal, scope, state: prior === "same" ? parent.state : undefined, session: parent.session };
}

function resolveWorkflow(ref: unknown, stepId: string, library: WorkflowResolver | undefined): WorkflowTemplate {
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

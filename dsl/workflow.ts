/**
 * @module `workflow()`: runs the body once to declare the steps, then builds and validates the template.
 * Dependencies are exactly the steps a step references (in parameters, text or its condition) plus those named
 * by `.after()` / `.then()`, listed in declaration order.
 */
import { z } from "zod";
import { WorkflowContext } from "../src/executor/context.js";
import { EXECUTABLE } from "../src/executor/executable.js";
import { WorkflowExecutor } from "../src/executor/executor.js";
import type { Tools, WorkflowResolver } from "../src/executor/types.js";
import { EXECUTE_WORKFLOW } from "../src/model/compile-step.js";
import { WorkflowValidationError } from "../src/model/issues.js";
import { refuseRunWhileLoading } from "./run-guard.js";
import type { JsonValue } from "../src/model/schema.js";
import type { WorkflowStepOptions } from "../src/model/step.js";
import { WorkflowTemplate } from "../src/model/template.js";
import { bindTools } from "./bind-tools.js";
import { WorkflowInputError } from "./errors.js";
import { at } from "./location.js";
import { createRef, placeholderOf, type ValueOf } from "./ref.js";
import { WorkflowBuild, type StepState } from "./workflow-build.js";
import { stepFactory } from "./step-builder.js";
import { type AnyTool, type ObjectSchema, zodSchema } from "./tool.js";
import type {
  AnyWorkflow,
  NoInput,
  ResumeRunOptions,
  RunArgs,
  RunOptions,
  Workflow,
  WorkflowBodyContext,
  WorkflowOptions,
  WorkflowRunResult,
} from "./workflow-types.js";

/**
 * Defines a workflow. The body declares steps with `step(id)`; the object it returns is the workflow's outputs.
 * @example
 * export const deploy = workflow("deploy_to_staging", { description: "...", input: z.object({ image: z.string() }) },
 *   ({ input, step }) => {
 *     const build = step("build").tool(dockerBuild).with({ image: input.image });
 *     return { imageId: build.out.imageId };
 *   });
 */
export function workflow<N extends string, I extends ObjectSchema = NoInput, R extends Record<string, unknown> = Record<string, never>>(
  name: N,
  options: WorkflowOptions<I>,
  body: (context: WorkflowBodyContext<z.output<I>, N>) => R,
): Workflow<I, { [K in keyof R]: ValueOf<R[K]> }> {
  if (typeof name !== "string" || name === "") throw new TypeError("workflow(name, ...) needs a non-empty name");
  if (options === null || typeof options !== "object")
    throw new TypeError(`workflow("${name}", options, body) needs an options object: { description?, input?, timeoutMs?, ... }`);
  // a workflow declared without input takes no variables: one given anyway is refused by run(), not silently dropped
  const inputSchema = (options.input ?? z.object({}).strict()) as I;
  const scope = new WorkflowBuild(name);
  const input = new Proxy(Object.create(null) as object, {
    get: (_t, key) => (typeof key === "string" && key !== "then" ? createRef({ scope, step: undefined, root: key, path: [] }) : undefined),
  }) as WorkflowBodyContext<z.output<I>, N>["input"];
  const returned = body({ input, step: stepFactory(scope) });
  if (returned != null && typeof (returned as { then?: unknown }).then === "function") {
    scope.fail("the body returned a promise. a workflow body must be synchronous: it declares steps, it does not run them");
  }

  const steps = scope.steps.map((s) => stepOptions(scope, s));
  const outputs =
    returned && Object.keys(returned).length > 0
      ? (scope.toJson(returned, undefined, "outputs", new Set()) as Record<string, JsonValue>)
      : undefined;
  const template = new WorkflowTemplate({
    name,
    description: options.description ?? "",
    category: options.category ?? "general",
    tags: options.tags ?? [],
    ...(options.input === undefined
      ? {}
      : { inputs: z.toJSONSchema(zodSchema(options.input), { io: "input", unrepresentable: "any" }) as Record<string, JsonValue> }),
    ...(outputs ? { outputs } : {}),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    steps,
  });
  try {
    template.validate();
  } catch (error) {
    if (!(error instanceof WorkflowValidationError)) throw error;
    const lines = error.issues.map((i) => {
      const state = i.stepId === undefined ? undefined : scope.steps.find((s) => s.id === i.stepId);
      return `  - ${i.message}${at(state?.location)}`;
    });
    scope.fail(`is invalid:\n${lines.join("\n")}`);
  }

  const tools = new Map<string, AnyTool>();
  const subWorkflows = new Map<string, AnyWorkflow>();
  for (const s of scope.steps) {
    if (s.tool) addTool(scope, tools, s.tool);
    if (s.subWorkflow) {
      subWorkflows.set(s.subWorkflow.name, s.subWorkflow);
      for (const [n, w] of s.subWorkflow.subWorkflows) subWorkflows.set(n, w);
      for (const t of s.subWorkflow.tools.values()) addTool(scope, tools, t);
    }
  }

  const result: Workflow<I, { [K in keyof R]: ValueOf<R[K]> }> = {
    kind: "toolweave.workflow",
    name,
    description: options.description ?? "",
    input: inputSchema,
    template,
    tools,
    subWorkflows,
    run: (...args: RunArgs<z.input<I>>) => run(result, (args[0] ?? {}) as z.input<I>, args[1] ?? {}),
    resume: (runId, resumeOptions = {}) => resume(result, runId, resumeOptions),
    // executor.execute(thisWorkflow): its template, its tools bound, its sub-workflows as the library
    [EXECUTABLE]: (overrides: Tools) => ({
      template,
      tools: bindTools(tools, overrides),
      library: libraryOf(result as AnyWorkflow),
      input: (variables: Readonly<Record<string, unknown>>) => parseInput(result, variables as z.input<I>),
    }),
  };
  return Object.freeze(result);
}

function addTool(scope: WorkflowBuild, tools: Map<string, AnyTool>, t: AnyTool): void {
  const existing = tools.get(t.name);
  if (existing && existing !== t)
    scope.fail(`two different tools are named "${t.name}". tool names must be unique within a workflow and its sub-workflows`);
  tools.set(t.name, t);
}

function stepOptions(scope: WorkflowBuild, s: StepState): WorkflowStepOptions {
  const deps = new Set<StepState>(s.after);
  const params = scope.toJson(s.params, s, "parameters", deps) as Record<string, JsonValue>;
  for (const ref of s.condition?.refs ?? []) if (ref.step) deps.add(ref.step);
  if (deps.has(s))
    scope.fail(`step "${s.id}"${at(s.location)} references its own result. a step can only use the results of steps before it`);
  const options: WorkflowStepOptions = {
    id: s.id,
    toolName: s.subWorkflow ? EXECUTE_WORKFLOW : s.tool!.name,
    parameters: s.subWorkflow ? { workflow: s.subWorkflow.name, context: params } : params,
    dependsOn: [...deps].sort((a, b) => a.index - b.index).map((d) => d.id),
  };
  if (s.forEach) {
    const list = scope.own(s.forEach.list, s, "forEach");
    if (list.step) {
      if (list.step === s)
        scope.fail(`step "${s.id}"${at(s.location)} runs over its own result. a map step's list must come from a step before it`);
      deps.add(list.step);
      options.dependsOn = [...deps].sort((a, b) => a.index - b.index).map((d) => d.id);
    }
    options.forEach = placeholderOf(list);
    if (s.forEach.as !== "item") options.as = s.forEach.as;
    if (s.forEach.concurrency !== undefined) options.concurrency = s.forEach.concurrency;
  }
  if (s.condition) options.condition = s.condition.source;
  if (s.maxRetries !== undefined) options.maxRetries = s.maxRetries;
  if (s.retryDelayMs !== undefined) options.retryDelayMs = s.retryDelayMs;
  if (s.backoff !== undefined) options.backoff = s.backoff;
  if (s.timeoutMs !== undefined) options.timeoutMs = s.timeoutMs;
  if (s.description !== undefined) options.description = s.description;
  return options;
}

function parseInput<I extends ObjectSchema>(wf: Workflow<I, unknown>, variables: z.input<I>): Record<string, unknown> {
  const parsed = zodSchema(wf.input).safeParse(variables);
  if (!parsed.success) {
    throw new WorkflowInputError(
      wf.name,
      parsed.error.issues.map((i) => ({ path: i.path, message: `${i.message}` })),
    );
  }
  return parsed.data as Record<string, unknown>;
}

/** A workflow's sub-workflows, by name, for `execute_workflow` steps. */
function libraryOf(wf: AnyWorkflow): WorkflowResolver {
  return {
    get: (name: string) => wf.subWorkflows.get(name)?.template,
    listAll: () => [...wf.subWorkflows.values()].map((w) => w.template),
  };
}

/** The shared executor, with the workflow's tools (validating) and its sub-workflows as the library. */
function executorFor(wf: AnyWorkflow, options: Omit<RunOptions, "runId" | "origin" | "secrets">): WorkflowExecutor {
  return new WorkflowExecutor({
    tools: bindTools(wf.tools, options.tools),
    library: libraryOf(wf),
    ...(options.monitor ? { monitor: options.monitor } : {}),
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
    ...(options.failFast !== undefined ? { failFast: options.failFast } : {}),
    ...(options.invoker ? { invoker: options.invoker } : {}),
  });
}

async function run<I extends ObjectSchema, Out>(
  wf: Workflow<I, Out>,
  variables: z.input<I>,
  options: RunOptions,
): Promise<WorkflowRunResult<Out>> {
  refuseRunWhileLoading(wf.name);
  const data = parseInput(wf, variables);
  const result = await executorFor(wf as AnyWorkflow, options).execute(wf.template, new WorkflowContext(data), undefined, {
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    ...(options.runId ? { runId: options.runId } : {}),
    ...(options.journal ? { journal: options.journal } : {}),
    ...(options.origin ? { origin: options.origin } : {}),
    ...(options.secrets ? { secrets: options.secrets } : {}),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  });
  return result as WorkflowRunResult<Out>;
}

async function resume<I extends ObjectSchema, Out>(
  wf: Workflow<I, Out>,
  runId: string,
  options: ResumeRunOptions<z.input<I>>,
): Promise<WorkflowRunResult<Out>> {
  const variables = options.variables === undefined ? undefined : parseInput(wf, options.variables);
  const result = await executorFor(wf as AnyWorkflow, options).resume(runId, {
    workflow: wf.template,
    ...(variables ? { variables } : {}),
    ...(options.secrets ? { secrets: options.secrets as Record<string, unknown> } : {}),
    ...(options.journal ? { journal: options.journal } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    ...(options.onWarning ? { onWarning: options.onWarning } : {}),
    ...(options.redoFrom === undefined ? {} : { redoFrom: options.redoFrom }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  });
  return result as WorkflowRunResult<Out>;
}

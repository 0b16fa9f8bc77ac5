/** @module The public shape of a workflow built with `workflow()`. */
import type { z } from "zod";
import type { ExecutableWorkflow } from "../src/executor/executable.js";
import type { ExecutionEvent, ExecutionResult, ToolInvoker, Tools } from "../src/executor/types.js";
import type { JournalStore } from "../src/journal/types.js";
import type { JsonValue } from "../src/model/schema.js";
import type { WorkflowTemplate } from "../src/model/template.js";
import type { Monitor } from "../src/monitor/index.js";
import type { Ref, ValueOf } from "./ref.js";
import type { StepFactory } from "./step-types.js";
import type { AnyTool, ObjectSchema } from "./tool.js";

/** The input schema of a workflow declared without `input`: it takes no variables. */
export type NoInput = z.ZodObject<{}, z.core.$strict>;

export interface WorkflowOptions<I extends ObjectSchema = NoInput> {
  /** @default "" */
  description?: string;
  /** The variables the workflow takes, validated by `run()`. @default none: the workflow takes no variables */
  input?: I;
  /** @default "general" */
  category?: string;
  tags?: string[];
  /**
   * Bound on the whole run, in milliseconds: when it passes, running steps are aborted, no further step starts, and
   * the run ends with status `"cancelled"` (the template's `timeoutMs`; `RunOptions.timeoutMs` overrides it).
   */
  timeoutMs?: number;
}

/**
 * The fields of a workflow's input. zod types an object without fields (`z.object({})`, or no `input` at all) as
 * `Record<string, never>`, whose every key would be a reference: it has none.
 */
export type InputFields<In> = string extends keyof In ? ([In[keyof In]] extends [never] ? {} : In) : In;

/** What the body receives: typed references to the inputs, and `step` to declare steps. */
export interface WorkflowBodyContext<in out In, in out W> {
  readonly input: { readonly [K in keyof InputFields<In>]-?: Ref<InputFields<In>[K], W> };
  readonly step: StepFactory<W>;
}

/** The outputs a body returns: references, literal values or text with references. */
export type OutputsOf<R> = { [K in keyof R]: ValueOf<R[K]> };

export interface RunOptions {
  /** Implementations for tools without `run`, or replacements (by tool name). */
  tools?: Tools;
  monitor?: Monitor;
  signal?: AbortSignal;
  onEvent?: (event: ExecutionEvent) => void;
  concurrency?: number;
  failFast?: boolean;
  /** Bound on this run, in milliseconds, instead of the workflow's `timeoutMs` (`null`: none). See `ExecuteOptions.timeoutMs`. */
  timeoutMs?: number | null;
  /** Where each attempt's tool call is made, e.g. worker processes over a queue (`toolweave/distributed`). @default here */
  invoker?: ToolInvoker;
  runId?: string;
  /** Makes the run durable: journaled to this store, so `resume(runId)` can finish it after a crash. */
  journal?: JournalStore;
  /** Kept in the journal's header for whoever resumes the run. */
  origin?: Record<string, JsonValue>;
  /** Variables to treat as secret besides the `secret()` inputs (see `ExecuteOptions.secrets`). */
  secrets?: readonly string[];
}

/** How `resume` continues a durable run: the variables come from the journal (when given, they must be the same). */
export interface ResumeRunOptions<In = unknown> extends Omit<RunOptions, "runId" | "origin" | "secrets"> {
  variables?: In;
  /** The values of the run's `secret()` inputs, which the journal does not keep. @default taken from `variables` */
  secrets?: Partial<In>;
  /** A journal repaired on open (a torn last record). @default process.emitWarning */
  onWarning?: (message: string) => void;
  /** Reset the run to before this step: it and every step downstream of it run again (see `ResumeOptions.redoFrom`). */
  redoFrom?: string;
}

/** The executor's result, with the workflow's outputs typed (partial when the run failed or was cancelled). */
export type WorkflowRunResult<Out> = Omit<ExecutionResult, "status" | "outputs"> &
  ({ status: "completed"; outputs: Out } | { status: "failed" | "cancelled"; outputs: Partial<Out> });

export interface Workflow<I extends ObjectSchema = ObjectSchema, Out = Record<string, unknown>> extends ExecutableWorkflow {
  readonly kind: "toolweave.workflow";
  readonly name: string;
  readonly description: string;
  readonly input: I;
  /** The template this workflow builds: what `weave compile` emits and the executor runs. */
  readonly template: WorkflowTemplate;
  /** Every tool this workflow and its sub-workflows call, by name. */
  readonly tools: ReadonlyMap<string, AnyTool>;
  /** Every sub-workflow it calls, directly or not, by name. */
  readonly subWorkflows: ReadonlyMap<string, AnyWorkflow>;
  /**
   * Validates the variables, runs the workflow on the shared executor and returns the result with typed outputs.
   * A workflow whose variables are all optional (or that takes none) can be run without them: `hello.run()`.
   */
  run(...args: RunArgs<z.input<I>>): Promise<WorkflowRunResult<Out>>;
  /**
   * Continues a durable run of this workflow (started with `run(..., { runId, journal })`): completed steps come back
   * from the journal, the rest run. Refused when this workflow is not the one the run started with.
   */
  resume(runId: string, options?: ResumeRunOptions<z.input<I>>): Promise<WorkflowRunResult<Out>>;
}

/** `run()`'s arguments: the variables may be left out when the workflow needs none. */
export type RunArgs<In> = {} extends In ? [variables?: In, options?: RunOptions] : [variables: In, options?: RunOptions];

export type AnyWorkflow = Workflow<ObjectSchema, unknown>;

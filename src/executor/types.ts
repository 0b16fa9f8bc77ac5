import type { Monitor } from "../monitor/index.js";
import type { WorkflowTemplate } from "../model/template.js";

/** What a tool receives beside its parameters. */
export interface ToolContext {
  /** Aborted on timeout of this attempt, on cancellation of the run, and on `failFast`. */
  readonly signal: AbortSignal;
  readonly stepId: string;
  /** 1-based attempt number. */
  readonly attempt: number;
  readonly runId: string;
  readonly workflowName: string;
}

/**
 * A tool implementation. Declared as a method so a tool with a narrower parameter type
 * (`({ image }: { image: string }) => ...`) is still accepted in a {@link Tools} map.
 */
export type ToolFunction = {
  bivarianceHack(params: Record<string, unknown>, context: ToolContext): unknown;
}["bivarianceHack"];

export type Tools = Readonly<Record<string, ToolFunction>>;

/** Looks up workflows by name for `execute_workflow` steps; a `WorkflowLibrary` is one. */
export interface WorkflowResolver {
  get(name: string): WorkflowTemplate | undefined;
  listAll?(): readonly WorkflowTemplate[];
}

export interface WorkflowExecutorOptions {
  tools?: Tools;
  /** Where `execute_workflow` steps find workflows named by a string. */
  library?: WorkflowResolver;
  /** Records every tool call (every attempt). */
  monitor?: Monitor;
  /** Most steps running at once. @default Infinity */
  concurrency?: number;
  /** Stop everything on the first step failure. @default false */
  failFast?: boolean;
  /** Source of randomness for retry jitter, in [0, 1). @default Math.random */
  random?: () => number;
}

export type ExecutionEvent =
  | { type: "run_started"; runId: string; workflow: string; steps: number; time: number }
  | { type: "step_started"; runId: string; stepId: string; toolName: string; attempt: number; time: number }
  | { type: "step_retried"; runId: string; stepId: string; attempt: number; error: string; delayMs: number; time: number }
  | { type: "step_finished"; runId: string; stepId: string; status: "completed" | "failed"; attempts: number; durationMs: number; error?: string; time: number }
  | { type: "step_skipped"; runId: string; stepId: string; reason: string; time: number }
  | { type: "run_finished"; runId: string; workflow: string; status: "completed" | "failed"; durationMs: number; time: number };

export interface ExecuteOptions {
  /** Cancels the run: running tools see their signal aborted, remaining steps are skipped. */
  signal?: AbortSignal;
  /** Progress events, in order; `time` is `performance.now()`. */
  onEvent?: (event: ExecutionEvent) => void;
  /** Id of this run, recorded by the monitor. @default a random UUID */
  runId?: string;
}

export interface ExecutionResult {
  status: "completed" | "failed";
  runId: string;
  durationMs: number;
  /** Set when failed: what failed first. */
  error?: string;
  /** In completion order. `durationMs` spans the first attempt's start to the end, retries included. */
  completedSteps: { id: string; durationMs: number; attempts: number }[];
  failedSteps: { id: string; error: string; attempts: number; durationMs: number }[];
  skippedSteps: { id: string; reason: string }[];
  /** Sum of step durations ÷ wall time. */
  parallelSpeedup: number;
  outputs: Record<string, unknown>;
}

/**
 * @module What the executor hands a {@link Run}: the template and its analysis, the context, the tools, and how the
 * run is watched (monitor, events), bounded (signal, timeout), made durable (journal) and where its calls go. Also
 * how the modules that start runs for the executor (durable-run.ts, sub-workflow.ts) ask it to start one
 * ({@link RunWorkflow}), and where a run sits in the tree of runs ({@link RunLineage}).
 */
import type { RestoredRun } from "../journal/restore.js";
import type { RunPath, RunJournal } from "../journal/types.js";
import type { TemplateAnalysis } from "../model/analyze.js";
import type { WorkflowTemplate } from "../model/template.js";
import type { Monitor } from "../monitor/index.js";
import type { SecretMask } from "../secrets/mask.js";
import type { WorkflowContext } from "./context.js";
import type { Durable } from "./durable.js";
import type {
  LineageStep,
  ExecuteOptions,
  ExecutionEvent,
  ExecutionResult,
  ToolCall,
  ToolFunction,
  Tools,
  WorkflowResolver,
} from "./types.js";

export interface RunSettings {
  readonly runId: string;
  readonly template: WorkflowTemplate;
  readonly analysis: TemplateAnalysis;
  readonly context: WorkflowContext;
  readonly findTool: (toolName: string) => ToolFunction | undefined;
  readonly knownTools: () => string[];
  readonly concurrency: number;
  readonly failFast: boolean;
  readonly random: () => number;
  readonly monitor: Monitor | undefined;
  readonly onEvent: ((event: ExecutionEvent) => void) | undefined;
  readonly signal: AbortSignal | undefined;
  /** Bound on the whole run, in milliseconds: past it the run is cancelled (undefined: none). */
  readonly timeoutMs: number | undefined;
  /** Set for a durable run (and its sub-workflow runs). */
  readonly durable: RunDurability | undefined;
  /** Makes each attempt's tool call instead of calling the tool here (the executor's `invoker`). */
  readonly invoke: ((call: ToolCall) => unknown) | undefined;
  /** The top-level run's id and, for a sub-workflow run, the steps that led to it: handed to `invoke`. */
  readonly callScope: RunLineage;
  /** The run's secret values: masked in what the monitor records, in error messages and skip reasons. */
  readonly mask: SecretMask;
}

export interface RunDurability {
  readonly journal: RunJournal;
  /** Steps of sub-workflow runs carry the path of step ids that started them; the run's own steps none. */
  readonly scope: RunPath | undefined;
  /** What earlier sessions left: completed steps come back with their results instead of running. */
  readonly restored: RestoredRun | undefined;
  /** The top-level run writes the `end` record; sub-workflow runs end with their step. */
  readonly root: boolean;
  /** The session number, reported in `run_started` of a resumed run. */
  readonly session: number;
}

/** Where a run sits in the tree of runs, for the invoker: the top-level run and the steps that led to this one. */
export interface RunLineage {
  readonly rootRunId: string;
  readonly path: readonly LineageStep[];
}

/**
 * Starts a run on the executor: the one way in for every run, top-level, durable or a sub-workflow step's.
 * @param callers the workflows whose steps led to this run, outermost first (none for a top-level run)
 * @param durable what a durable run journals to, and what its earlier sessions left
 * @param scope for a sub-workflow run, where it sits in the tree of runs; undefined for a top-level run
 * @throws (rejects with) WorkflowValidationError for an invalid template, or a variable named like a step
 */
export type RunWorkflow = (
  workflow: WorkflowTemplate,
  context: WorkflowContext,
  tools: Tools | undefined,
  options: ExecuteOptions,
  callers: readonly string[],
  durable: Durable | undefined,
  scope: RunLineage | undefined,
  mask: SecretMask,
  library: WorkflowResolver | undefined,
) => Promise<ExecutionResult>;

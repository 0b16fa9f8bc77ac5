import type { JournalStore } from "../journal/types.js";
import type { JsonValue } from "../model/schema.js";
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
  /**
   * `<runId>:<stepId>`: the same for every attempt of the step, in this process and in any process that resumes the
   * run. A durable run runs a step at least once (a step running when the process died runs again on resume); a tool
   * whose effect must happen once passes this key to the service it calls, or remembers what it did under it.
   */
  readonly idempotencyKey: string;
  /** For an item of a map step: its index in the step's list (its idempotency key ends in `[<index>]`). */
  readonly item?: number;
  /**
   * Reports how far this attempt has come: a `step_progress` event for the run's listener (the live display shows
   * it on the step's line). Cheap when nobody listens. Absent where the tool runs out of the run's process (a
   * distributed worker), so call it as `context.progress?.(...)`.
   */
  readonly progress?: (update: ToolProgress) => void;
}

/** How far a tool's attempt has come: `progress` of `total` when the total is known, with what it is doing. */
export interface ToolProgress {
  readonly progress: number;
  readonly total?: number;
  readonly message?: string;
}

/**
 * A tool implementation. Declared as a method so a tool with a narrower parameter type
 * (`({ image }: { image: string }) => ...`) is still accepted in a {@link Tools} map.
 */
export type ToolFunction = {
  bivarianceHack(params: Record<string, unknown>, context: ToolContext): unknown;
}["bivarianceHack"];

export type Tools = Readonly<Record<string, ToolFunction>>;

/** One step of the path from a run to a sub-workflow run: the `execute_workflow` step and its attempt that started it. */
export interface LineageStep {
  readonly stepId: string;
  readonly attempt: number;
  /** For an item of a map step: its index. */
  readonly item?: number;
}

/** One attempt of a tool call, as the executor hands it to a {@link ToolInvoker}. */
export interface ToolCall {
  readonly toolName: string;
  /** The step's parameters, placeholders resolved. */
  readonly params: Record<string, unknown>;
  /** What the tool receives. Its signal is aborted on the attempt's timeout, on cancellation and on `failFast`. */
  readonly context: ToolContext;
  /** The step's per-attempt timeout; the executor enforces it whatever the invoker does (null: none). */
  readonly timeoutMs: number | null;
  /** The top-level run's id (also for the steps of its sub-workflow runs, whose `context.runId` is `<runId>/<step>`). */
  readonly rootRunId: string;
  /** For a step of a sub-workflow run, the `execute_workflow` steps (and their attempts) that led to it; else empty. */
  readonly scope: readonly LineageStep[];
  /** The function the executor would call in-process for this tool name. */
  readonly tool: ToolFunction;
  /**
   * The run's secret inputs, by name (empty when it has none): an invoker that sends `params` elsewhere must not keep
   * them in clear at rest, and whoever runs the tool masks these values in what it logs.
   */
  readonly secrets: Readonly<Record<string, unknown>>;
}

/**
 * Makes the tool call of each attempt: the seam where a step's work leaves the process (see `adapters/redis`).
 * Everything else (conditions, retries and their delays, timeouts, failure handlers, sub-workflows, events, the
 * monitor, the journal) stays with the executor, so the semantics do not depend on where tools run. Sub-workflow
 * steps (`execute_workflow`) are never handed to the invoker: their steps are, one by one.
 */
export interface ToolInvoker {
  /** Returns what the tool returned (or a promise of it); throws or rejects with what it threw. */
  invoke(call: ToolCall): unknown;
}

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
  /**
   * Makes every run durable: journaled to this store as it goes, so `resume(runId)` can finish it after a crash.
   * @default none: runs are not journaled unless `execute` is given `journal`
   */
  journal?: JournalStore;
  /**
   * Where each attempt's tool call is made (e.g. a worker process over a queue: `adapters/redis`).
   * @default the tool function is called in this process
   */
  invoker?: ToolInvoker;
}

export type ExecutionEvent =
  | {
      type: "run_started";
      runId: string;
      workflow: string;
      steps: number;
      time: number;
      /** Set when a durable run is resumed: its session (2 for the first resume), how many steps came back from the
       * journal, and which steps were running when the last session stopped (they run again). */
      resumed?: { session: number; restored: number; inFlight: readonly string[] };
    }
  | {
      type: "step_started";
      runId: string;
      stepId: string;
      toolName: string;
      attempt: number;
      time: number;
      /** An attempt of an item of a map step: which item, of how many. */
      item?: ItemOf;
    }
  | {
      type: "step_retried";
      runId: string;
      stepId: string;
      attempt: number;
      error: string;
      delayMs: number;
      time: number;
      /** An attempt of an item of a map step failed and is retried: which item, of how many. */
      item?: ItemOf;
    }
  | {
      /** A tool reported progress ({@link ToolContext.progress}), e.g. an MCP server's progress notifications. */
      type: "step_progress";
      runId: string;
      stepId: string;
      attempt: number;
      progress: number;
      total?: number;
      message?: string;
      time: number;
      /** The item of a map step whose attempt it is. */
      item?: ItemOf;
    }
  | {
      /** An item of a map step has settled; the step finishes (`step_finished`) once all have. */
      type: "item_finished";
      runId: string;
      stepId: string;
      item: ItemOf;
      /**
       * `skipped`: the step's condition, which reads the item, is false for it. `stopped`: it was running (or waiting
       * to be retried) when its step stopped, under `failFast` or a cancellation; `error` says why.
       */
      status: ItemStatus;
      attempts: number;
      durationMs: number;
      error?: string;
      time: number;
    }
  | {
      type: "step_finished";
      runId: string;
      stepId: string;
      status: "completed" | "failed";
      attempts: number;
      durationMs: number;
      error?: string;
      time: number;
      /** The step completed in an earlier session of a resumed run: its result came from the journal. */
      restored?: true;
    }
  | { type: "step_skipped"; runId: string; stepId: string; reason: string; time: number }
  | { type: "run_finished"; runId: string; workflow: string; status: ExecutionStatus; durationMs: number; time: number };

/** How an item of a map step settled. */
export type ItemStatus = "completed" | "failed" | "skipped" | "stopped";

/**
 * A map step's items in its run's result: the list's length, and how many completed (a resumed run's restored ones
 * included), failed or were skipped by a condition that reads the item. A failed step's other items were stopped by
 * `failFast` or a cancellation, or never started.
 */
export interface ItemCounts {
  count: number;
  completed: number;
  failed: number;
  skipped: number;
}

/** An item of a map step: its index in the list, and the list's length. */
export interface ItemOf {
  readonly index: number;
  readonly count: number;
}

export interface ExecuteOptions {
  /** Cancels the run: running tools see their signal aborted, remaining steps are skipped, the status is `"cancelled"`. */
  signal?: AbortSignal;
  /**
   * Bound on this run, in milliseconds, instead of the template's `timeoutMs` (`null`: none). When it passes, the run
   * is cancelled as by `signal`, with the error `workflow "<name>" timed out after <n> ms`. Sub-workflow runs keep
   * their own template's bound (and are cancelled with their caller). @default the template's `timeoutMs`
   */
  timeoutMs?: number | null;
  /** Progress events, in order; `time` is `performance.now()`. */
  onEvent?: (event: ExecutionEvent) => void;
  /** Id of this run, recorded by the monitor (and naming the journal of a durable run). @default a random UUID */
  runId?: string;
  /**
   * Journal this run to the store so it can be resumed after a crash (`executor.resume(runId)`); `false` opts out of
   * the executor's `journal`. @default the executor's `journal`, else none
   */
  journal?: JournalStore | false;
  /** Where the workflow came from, kept in the journal's header for whoever resumes the run (the CLI stores the file). */
  origin?: Record<string, JsonValue>;
  /**
   * Variables whose values are secret, besides the inputs the workflow marks `writeOnly` (the DSL's `secret()`):
   * their values are masked in the monitor's records, error messages, events and the journal, which does not keep
   * them at all (a resume asks for them again: `ResumeOptions.secrets`).
   */
  secrets?: readonly string[];
}

export interface ResumeOptions {
  /**
   * The workflow as it is now; the resume is refused (JournalMismatchError) when it hashes differently from the one the
   * run started with. @default the template stored in the journal
   */
  workflow?: WorkflowTemplate;
  /** Merged over the executor's tools. */
  tools?: Tools;
  /**
   * When given, must equal the variables the run started with (JournalMismatchError otherwise), except secret ones,
   * which may differ (a rotated token): their values here are used.
   */
  variables?: Record<string, unknown>;
  /**
   * The values of the run's secret inputs (`header.secretInputs`), which the journal does not keep: required when the
   * run was started with any (SecretsRequiredError otherwise). @default taken from `variables`
   */
  secrets?: Record<string, unknown>;
  /** @default the executor's `journal`, else a FileJournalStore on `.weave/runs` */
  journal?: JournalStore;
  signal?: AbortSignal;
  /**
   * Bound on this session of the run, in milliseconds, counted from the resume (`null`: none).
   * @default the workflow's `timeoutMs`
   */
  timeoutMs?: number | null;
  onEvent?: (event: ExecutionEvent) => void;
  /** A journal repaired on open (a torn last record). @default process.emitWarning */
  onWarning?: (message: string) => void;
  /**
   * Reset the run to before this step: it and every step downstream of it run again (their journaled results are
   * dropped), the steps upstream keep theirs. Required to resume a run whose failure handlers ran (see
   * `HandlersRanError`); also a way to redo part of a completed run.
   */
  redoFrom?: string;
}

/**
 * How a run ended: `completed` when no step failed; `failed` when one did (or `failFast` stopped the run after one);
 * `cancelled` when the caller's signal or the workflow's `timeoutMs` stopped it before every step had finished.
 */
export type ExecutionStatus = "completed" | "failed" | "cancelled";

export interface ExecutionResult {
  status: ExecutionStatus;
  runId: string;
  durationMs: number;
  /**
   * Set when failed: what failed first. Set when cancelled: why (`cancelled: <the signal's reason>`,
   * `workflow "deploy" timed out after 5000 ms`).
   */
  error?: string;
  /**
   * In completion order. `durationMs` spans the first attempt's start to the end, retries included. A cancelled run's
   * steps that were running are failed (with the cancellation's reason as their error), those not started are skipped.
   */
  completedSteps: { id: string; durationMs: number; attempts: number; restored?: true; items?: ItemCounts }[];
  /**
   * `result`: the partial result the step's tool failed with (a `ToolError`'s), as JSON; absent when it gave none.
   * `items`: a map step's, once its list was resolved.
   */
  failedSteps: { id: string; error: string; attempts: number; durationMs: number; result?: unknown; items?: ItemCounts }[];
  skippedSteps: { id: string; reason: string }[];
  /** Sum of step durations ÷ wall time. */
  parallelSpeedup: number;
  outputs: Record<string, unknown>;
  /** Durable runs: where the journal is, this session (1, then 2 for the first resume, ...), how many steps came back
   * from the journal, and which were in flight when the last session stopped (run again). */
  journal?: { location: string; session: number; restored: number; rerun: string[] };
}

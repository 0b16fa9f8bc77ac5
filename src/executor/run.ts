/**
 * @module One execution of a template: a ready-queue scheduler. A step starts the moment its last dependency
 * finishes (no level barriers). One non-recursive `pump` loop settles finished steps and starts ready ones, so
 * neither a 100,000-step chain nor a cascade of skips grows the stack, and tools that return plain values
 * complete without a trip through the microtask queue.
 *
 * A durable run (one with a journal) also appends a record for each attempt's start and each step's end, and holds
 * back a finished step from its dependents until its record is written; steps restored from the journal of an earlier
 * session start out completed.
 */
import { setMaxListeners } from "node:events";
import { evaluateCondition } from "../condition/index.js";
import type { ScopeState } from "../journal/restore.js";
import type { JournalScope, RunJournal } from "../journal/types.js";
import type { TemplateAnalysis } from "../model/analyze.js";
import type { JsonValue } from "../model/schema.js";
import type { WorkflowTemplate } from "../model/template.js";
import type { Monitor } from "../monitor/index.js";
import { MONITOR_MAX_VALUES } from "../monitor/redact.js";
import type { SecretMask } from "../secrets/mask.js";
import { substitute } from "../template/placeholders.js";
import { setLongTimeout, type LongTimeout } from "../util/long-timeout.js";
import type { WorkflowContext } from "./context.js";
import { errorMessage, failureResult, isNonRetryable } from "./errors.js";
import { resolveOutputs } from "./outputs.js";
import { retryDelayMs } from "./retry.js";
import { inAttempt, type AttemptScope } from "./stray-errors.js";
import type { CallScopeEntry, ExecutionEvent, ExecutionResult, ExecutionStatus, ToolCall, ToolContext, ToolFunction } from "./types.js";

const PENDING = 0;
const QUEUED = 1;
const RUNNING = 2;
const COMPLETED = 3;
const FAILED = 4;
const SKIPPED = 5;

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
  readonly callScope: { readonly rootRunId: string; readonly path: readonly CallScopeEntry[] };
  /** The run's secret values: masked in what the monitor records, in error messages and skip reasons. */
  readonly mask: SecretMask;
}

export interface RunDurability {
  readonly journal: RunJournal;
  /** Steps of sub-workflow runs carry the path of step ids that started them; the run's own steps none. */
  readonly scope: JournalScope | undefined;
  /** What earlier sessions left: completed steps come back with their results instead of running. */
  readonly restored: ScopeState | undefined;
  /** The top-level run writes the `end` record; sub-workflow runs end with their step. */
  readonly root: boolean;
  /** The session number, reported in `run_started` of a resumed run. */
  readonly session: number;
}

export class Run {
  readonly #s: RunSettings;
  readonly #n: number;
  readonly #status: Uint8Array;
  readonly #remaining: Int32Array;
  /** Dependencies that finished without completing; only when non-zero must a ready step look at outcomes. */
  readonly #unmetDependencies: Int32Array;
  readonly #attempts: Int32Array;
  /** The attempt whose outcome is still awaited (0: none). A timed-out attempt is settled by its timer, so the
   * tool's later rejection on the aborted signal must not count as a second failure of it. */
  readonly #liveAttempt: Int32Array;
  readonly #startedAt: Float64Array;
  readonly #params: unknown[];
  readonly #attemptControllers: (AbortController | undefined)[];
  readonly #timers = new Set<LongTimeout>();
  readonly #controller = new AbortController();
  readonly #ready: number[] = [];
  #readyHead = 0;
  readonly #settled: number[] = [];
  #running = 0;
  #finished = 0;
  #pumping = false;
  #done = false;
  readonly #listening: boolean;
  #firstError: string | undefined;
  /** Why the run was cancelled (its signal, its timeout) while steps were still to finish: its status is `cancelled`. */
  #cancelledBy: string | undefined;
  /** The workflow's timeout, while the run is going. */
  #runTimer: LongTimeout | undefined;
  #journalError: Error | undefined;
  #startTime = 0;
  #resolve!: (result: ExecutionResult) => void;
  readonly #result: Omit<ExecutionResult, "status" | "durationMs" | "parallelSpeedup" | "outputs" | "runId" | "error">;

  constructor(settings: RunSettings) {
    this.#s = settings;
    const n = (this.#n = settings.analysis.graph.size);
    this.#status = new Uint8Array(n);
    this.#remaining = settings.analysis.graph.dependencyCount.slice();
    this.#unmetDependencies = new Int32Array(n);
    this.#attempts = new Int32Array(n);
    this.#liveAttempt = new Int32Array(n);
    this.#startedAt = new Float64Array(n);
    this.#params = new Array(n);
    this.#attemptControllers = new Array(n);
    this.#result = { completedSteps: [], failedSteps: [], skippedSteps: [] };
    this.#listening = settings.onEvent !== undefined;
  }

  start(): Promise<ExecutionResult> {
    const done = new Promise<ExecutionResult>((resolve) => (this.#resolve = resolve));
    this.#startTime = performance.now();
    const { template, runId, signal, durable } = this.#s;
    if (this.#listening) {
      const event: ExecutionEvent = { type: "run_started", runId, workflow: template.name, steps: this.#n, time: this.#startTime };
      if (durable?.restored && durable.root) event.resumed = { session: durable.session, restored: durable.restored.completed.size, inFlight: [...durable.restored.inFlight] };
      this.#emit(event);
    }
    if (durable?.restored) this.#restore(durable.restored);
    if (signal?.aborted) {
      this.#stop(`cancelled: ${errorMessage(signal.reason)}`);
      return done;
    }
    signal?.addEventListener("abort", this.#onExternalAbort, { once: true });
    const { timeoutMs } = this.#s;
    if (timeoutMs !== undefined) {
      this.#runTimer = setLongTimeout(() => {
        this.#runTimer = undefined;
        this.#stop(`workflow "${template.name}" timed out after ${timeoutMs} ms`);
      }, timeoutMs);
    }
    // every running tool without a timeout shares this signal, and each may listen to it: more than Node's
    // default of 10 is normal here, not a leak
    setMaxListeners(0, this.#controller.signal);
    const { dependencyCount } = this.#s.analysis.graph;
    // A root can fail while deciding and, under failFast, cancel the rest: decide only steps still pending.
    for (let i = 0; i < this.#n; i++) if (dependencyCount[i] === 0 && this.#status[i] === PENDING) this.#decide(i);
    this.#pump();
    return done;
  }

  /** Steps completed in an earlier session: completed again, with their journaled results, before anything runs. */
  #restore(restored: ScopeState): void {
    const { indexOf } = this.#s.analysis.graph;
    for (const [id, step] of restored.completed) {
      const i = indexOf.get(id);
      if (i === undefined || this.#status[i] !== PENDING) continue;
      this.#s.context.setResult(id, step.result);
      this.#status[i] = COMPLETED;
      this.#finished++;
      this.#result.completedSteps.push({ id, durationMs: step.durationMs, attempts: step.attempts, restored: true });
      if (this.#listening) {
        this.#emit({ type: "step_finished", runId: this.#s.runId, stepId: id, status: "completed", attempts: step.attempts, durationMs: step.durationMs, time: performance.now(), restored: true });
      }
      this.#settled.push(i);
    }
  }

  readonly #onExternalAbort = (): void => this.#stop(`cancelled: ${errorMessage(this.#s.signal!.reason)}`);

  /**
   * The caller's signal or the workflow's timeout: cancels the run, whose status is then `cancelled`, unless every step
   * has already finished (a run whose last records are being written is left to end as it would have).
   */
  #stop(why: string): void {
    if (this.#done || this.#cancelledBy !== undefined) return;
    let unfinished = false;
    for (let i = 0; i < this.#n && !unfinished; i++) unfinished = this.#status[i]! <= RUNNING;
    if (!unfinished) return;
    this.#cancelledBy = this.#s.mask.text(why);
    this.#cancel(why);
  }

  /** Settles finished steps and starts ready ones until neither has work. Re-entrant calls return at once. */
  #pump(): void {
    if (this.#pumping) return;
    this.#pumping = true;
    const { dependentsStart, dependents } = this.#s.analysis.graph;
    for (;;) {
      const i = this.#settled.pop();
      if (i !== undefined) {
        const ok = this.#status[i] === COMPLETED;
        for (let e = dependentsStart[i]!, end = dependentsStart[i + 1]!; e < end; e++) {
          const j = dependents[e]!;
          if (!ok) this.#unmetDependencies[j]!++;
          if (--this.#remaining[j]! === 0 && this.#status[j] === PENDING) this.#decide(j);
        }
        continue;
      }
      if (this.#readyHead < this.#ready.length && this.#running < this.#s.concurrency) {
        this.#begin(this.#ready[this.#readyHead++]!);
        continue;
      }
      break;
    }
    if (this.#readyHead === this.#ready.length) this.#ready.length = this.#readyHead = 0;
    this.#pumping = false;
    if (this.#finished === this.#n) this.#finish();
  }

  /** All dependencies have finished: run the step, skip it, or (a condition that cannot be evaluated) fail it. */
  #decide(i: number): void {
    const compiled = this.#s.analysis.steps[i]!;
    if (this.#unmetDependencies[i]! > 0) {
      const ids = this.#s.template.steps;
      for (const d of this.#s.analysis.graph.dependencies[i]!) {
        if (this.#status[d] !== COMPLETED && !compiled.outcomeChecks.has(ids[d]!.id)) {
          const how = this.#status[d] === FAILED ? "failed" : "was skipped";
          return this.#skip(i, `dependency "${ids[d]!.id}" ${how}`);
        }
      }
    }
    if (compiled.condition) {
      let run: boolean;
      try {
        run = evaluateCondition(compiled.condition, this.#s.context.resolve);
      } catch (error) {
        this.#status[i] = RUNNING;
        this.#running++;
        this.#startedAt[i] = performance.now();
        return this.#fail(i, `condition "${compiled.condition.source}": ${errorMessage(error)}`);
      }
      if (!run) return this.#skip(i, `condition "${compiled.condition.source}" is false`);
    }
    this.#status[i] = QUEUED;
    this.#ready.push(i);
  }

  #begin(i: number): void {
    const step = this.#s.template.steps[i]!;
    this.#status[i] = RUNNING;
    this.#running++;
    this.#startedAt[i] = performance.now();
    try {
      this.#params[i] = substitute(this.#s.analysis.steps[i]!.parameters, this.#s.context.resolve);
    } catch (error) {
      return this.#fail(i, errorMessage(error));
    }
    if (!this.#s.findTool(step.toolName)) {
      const known = this.#s.knownTools().map((t) => `'${t}'`).join(", ") || "none";
      return this.#fail(i, `unknown tool '${step.toolName}'. known tools are ${known}`);
    }
    this.#attempt(i);
  }

  #attempt(i: number): void {
    const step = this.#s.template.steps[i]!;
    const attempt = ++this.#attempts[i]!;
    this.#liveAttempt[i] = attempt;
    const started = attempt === 1 ? this.#startedAt[i]! : performance.now();
    const { runId, template } = this.#s;
    if (this.#listening) this.#emit({ type: "step_started", runId, stepId: step.id, toolName: step.toolName, attempt, time: started });
    let signal = this.#controller.signal;
    let timer: LongTimeout | undefined;
    if (step.timeoutMs !== null) {
      const controller = (this.#attemptControllers[i] = new AbortController());
      signal = controller.signal;
      timer = setLongTimeout(() => {
        this.#timers.delete(timer!);
        const error = new Error(`timed out after ${step.timeoutMs} ms`);
        controller.abort(error);
        this.#attemptFailed(i, attempt, started, error);
        this.#pump();
      }, step.timeoutMs);
      this.#timers.add(timer);
    }
    const durable = this.#s.durable;
    if (durable) this.#written(durable.journal.append({ type: "start", scope: durable.scope, step: step.id, attempt, at: Date.now() }), -1);
    const ctx: ToolContext = { signal, stepId: step.id, attempt, runId, workflowName: template.name, idempotencyKey: `${runId}:${step.id}` };
    let outcome: unknown;
    try {
      const tool = this.#s.findTool(step.toolName)!;
      const params = this.#params[i] as Record<string, unknown>;
      const invoke = this.#s.invoke;
      if (invoke === undefined) outcome = inAttempt(() => this.#attemptScope(i, attempt, started, () => timer), () => tool(params, ctx));
      else {
        const { rootRunId, path } = this.#s.callScope;
        outcome = invoke({ toolName: step.toolName, params, context: ctx, timeoutMs: step.timeoutMs, rootRunId, scope: path, tool, secrets: this.#s.mask.values });
      }
    } catch (error) {
      this.#clearTimer(timer);
      return this.#attemptFailed(i, attempt, started, error);
    }
    let thenable: boolean;
    try {
      thenable = outcome !== null && (typeof outcome === "object" || typeof outcome === "function") && typeof (outcome as PromiseLike<unknown>).then === "function";
    } catch (error) {
      // a result whose `then` cannot even be read (a Proxy, a throwing getter)
      this.#clearTimer(timer);
      return this.#attemptFailed(i, attempt, started, error);
    }
    if (thenable) {
      // Promise.resolve adopts the thenable in a job of its own: a `then` that throws rejects instead of escaping
      Promise.resolve(outcome as PromiseLike<unknown>).then(
        (value) => {
          this.#clearTimer(timer);
          this.#attemptSucceeded(i, attempt, started, value);
          this.#pump();
        },
        (error: unknown) => {
          this.#clearTimer(timer);
          this.#attemptFailed(i, attempt, started, error);
          this.#pump();
        },
      );
    } else {
      this.#clearTimer(timer);
      this.#attemptSucceeded(i, attempt, started, outcome);
    }
  }

  /** What a stray error of this attempt's tool (see stray-errors.ts) reaches: it fails the attempt if still live. */
  #attemptScope(i: number, attempt: number, started: number, timer: () => LongTimeout | undefined): AttemptScope {
    return {
      runId: this.#s.runId,
      stepId: this.#s.template.steps[i]!.id,
      attempt,
      fail: (error) => {
        if (this.#status[i] !== RUNNING || this.#liveAttempt[i] !== attempt) return false;
        this.#clearTimer(timer());
        this.#attemptFailed(i, attempt, started, error);
        this.#pump();
        return true;
      },
    };
  }

  #clearTimer(timer: LongTimeout | undefined): void {
    if (timer === undefined) return;
    timer.clear();
    this.#timers.delete(timer);
  }

  /** Settles `attempt` if it is still the live one of a running step; false when it was settled already. */
  #settleAttempt(i: number, attempt: number): boolean {
    if (this.#status[i] !== RUNNING || this.#liveAttempt[i] !== attempt) return false;
    this.#liveAttempt[i] = 0;
    return true;
  }

  #attemptSucceeded(i: number, attempt: number, started: number, value: unknown): void {
    if (!this.#settleAttempt(i, attempt)) return;
    const step = this.#s.template.steps[i]!;
    const now = performance.now();
    const durationMs = now - this.#startedAt[i]!;
    const durable = this.#s.durable;
    let written: Promise<void> | undefined;
    if (durable) {
      try {
        written = durable.journal.append({ type: "done", scope: durable.scope, step: step.id, attempts: attempt, durationMs, result: value as never, at: Date.now() });
      } catch (error) {
        // a result the journal cannot keep (not JSON) could not be restored on resume
        const message = this.#s.mask.text(errorMessage(error));
        this.#record(i, attempt, started, now, false, message, undefined);
        return this.#fail(i, message);
      }
    }
    this.#record(i, attempt, started, now, true, undefined, value);
    this.#s.context.setResult(step.id, value);
    this.#status[i] = COMPLETED;
    this.#running--;
    this.#result.completedSteps.push({ id: step.id, durationMs, attempts: attempt });
    if (this.#listening) this.#emit({ type: "step_finished", runId: this.#s.runId, stepId: step.id, status: "completed", attempts: attempt, durationMs, time: now });
    if (written) return this.#written(written, i);
    this.#finished++;
    this.#settled.push(i);
  }

  /**
   * A journal write in flight. With `i >= 0`, step `i` has finished and reaches its dependents only once its record
   * is written, so no dependent starts before the step's outcome would survive a crash. A failed write stops the run.
   */
  #written(write: Promise<void>, i: number): void {
    write.then(
      () => {
        if (i < 0) return;
        this.#finished++;
        this.#settled.push(i);
        this.#pump();
      },
      (error: unknown) => {
        this.#journalFailed(error);
        if (i < 0) return;
        this.#finished++;
        this.#settled.push(i);
        this.#pump();
      },
    );
  }

  #journalFailed(error: unknown): void {
    if (this.#journalError !== undefined) return;
    this.#journalError = error instanceof Error ? error : new Error(String(error));
    if (!this.#done) this.#cancel(`cancelled: ${errorMessage(error)}`);
  }

  #attemptFailed(i: number, attempt: number, started: number, error: unknown): void {
    if (!this.#settleAttempt(i, attempt)) return;
    const step = this.#s.template.steps[i]!;
    // a tool's error may quote what it was given: a secret must not reach the events, the result or the journal
    const message = this.#s.mask.text(errorMessage(error));
    // a ToolError's partial result: the failed step's result, for its failure handlers
    const partial = failureResult(error);
    this.#record(i, attempt, started, performance.now(), false, message, partial?.value);
    if (attempt <= step.maxRetries && !isNonRetryable(error) && !this.#controller.signal.aborted) {
      const delayMs = retryDelayMs(step, attempt, this.#s.random);
      if (this.#listening) this.#emit({ type: "step_retried", runId: this.#s.runId, stepId: step.id, attempt, error: message, delayMs, time: performance.now() });
      const timer = setLongTimeout(() => {
        this.#timers.delete(timer);
        if (this.#status[i] === RUNNING) this.#attempt(i);
        this.#pump();
      }, delayMs);
      this.#timers.add(timer);
      return;
    }
    this.#fail(i, message, partial);
  }

  /** @param partial the partial result the step's tool failed with (a `ToolError`'s), as JSON */
  #fail(i: number, error: string, partial?: { readonly value: JsonValue }): void {
    const step = this.#s.template.steps[i]!;
    // a condition's or a placeholder's error may quote a value
    const message = this.#s.mask.text(error);
    this.#s.context.setError(step.id, message, partial === undefined ? {} : { result: partial.value });
    this.#status[i] = FAILED;
    this.#running--;
    const attempts = this.#attempts[i]!;
    const durationMs = performance.now() - this.#startedAt[i]!;
    this.#result.failedSteps.push({ id: step.id, error: message, attempts, durationMs, ...(partial === undefined ? {} : { result: partial.value }) });
    this.#firstError ??= `step "${step.id}" failed: ${message}`;
    if (this.#listening) this.#emit({ type: "step_finished", runId: this.#s.runId, stepId: step.id, status: "failed", attempts, durationMs, error: message, time: performance.now() });
    const durable = this.#s.durable;
    if (durable && this.#journalError === undefined) {
      const result = partial === undefined ? {} : { result: partial.value };
      this.#written(durable.journal.append({ type: "failed", scope: durable.scope, step: step.id, attempts, durationMs, error: message, ...result, at: Date.now() }), i);
    } else {
      this.#finished++;
      this.#settled.push(i);
    }
    if (this.#s.failFast && !this.#controller.signal.aborted) this.#cancel(`cancelled: failFast after step "${step.id}" failed`);
  }

  #skip(i: number, why: string): void {
    const id = this.#s.template.steps[i]!.id;
    const reason = this.#s.mask.text(why);
    this.#s.context.setSkipped(id, reason);
    this.#status[i] = SKIPPED;
    this.#finished++;
    this.#result.skippedSteps.push({ id, reason });
    if (this.#listening) this.#emit({ type: "step_skipped", runId: this.#s.runId, stepId: id, reason, time: performance.now() });
    // not held back: a skip is decided again on resume anyway
    const durable = this.#s.durable;
    if (durable && this.#journalError === undefined) this.#written(durable.journal.append({ type: "skipped", scope: durable.scope, step: id, reason, at: Date.now() }), -1);
    this.#settled.push(i);
  }

  /** Aborts running tools, fails the running steps and skips every step that has not started. */
  #cancel(why: string): void {
    const reason = this.#s.mask.text(why);
    this.#controller.abort(new Error(reason));
    for (const c of this.#attemptControllers) c?.abort(new Error(reason));
    for (const t of this.#timers) t.clear();
    this.#timers.clear();
    this.#clearRunTimer();
    this.#firstError ??= reason;
    for (let i = 0; i < this.#n; i++) {
      const status = this.#status[i];
      if (status === RUNNING) this.#fail(i, reason);
      else if (status === PENDING || status === QUEUED) this.#skip(i, reason);
    }
    this.#ready.length = this.#readyHead = 0;
    this.#settled.length = 0;
    this.#pump();
  }

  #finish(): void {
    if (this.#finished !== this.#n || this.#done) return;
    this.#done = true;
    const { context, analysis, template, runId, signal } = this.#s;
    signal?.removeEventListener("abort", this.#onExternalAbort);
    this.#clearRunTimer();
    const outputs = resolveOutputs(analysis.outputs, context);
    if (outputs.error) this.#firstError ??= this.#s.mask.text(outputs.error);
    const durationMs = performance.now() - this.#startTime;
    const failed = this.#result.failedSteps.length > 0 || this.#firstError !== undefined;
    let busy = 0;
    for (const s of this.#result.completedSteps) busy += s.durationMs;
    for (const s of this.#result.failedSteps) busy += s.durationMs;
    const cancelled = this.#cancelledBy;
    const status: ExecutionStatus = cancelled !== undefined ? "cancelled" : failed ? "failed" : "completed";
    const parallelSpeedup = durationMs > 0 ? busy / durationMs : 1;
    const result: ExecutionResult = {
      status,
      runId,
      durationMs,
      ...(cancelled !== undefined ? { error: cancelled } : failed ? { error: this.#firstError ?? "a step failed" } : {}),
      ...this.#result,
      parallelSpeedup,
      outputs: outputs.values,
    };
    const durable = this.#s.durable;
    if (!durable?.root || this.#journalError !== undefined) return this.#resolveWith(result);
    let written: Promise<void>;
    try {
      written = durable.journal.append({ type: "end", status, durationMs, parallelSpeedup, outputs: outputs.values as never, ...(result.error === undefined ? {} : { error: result.error }), at: Date.now() });
    } catch (error) {
      written = Promise.reject(error);
    }
    written.then(
      () => this.#resolveWith(result),
      (error: unknown) => {
        this.#journalError = error instanceof Error ? error : new Error(String(error));
        this.#resolveWith(result);
      },
    );
  }

  /** A run whose journal broke has failed, whatever its steps did: what is not journaled is not durable. */
  #clearRunTimer(): void {
    this.#runTimer?.clear();
    this.#runTimer = undefined;
  }

  #resolveWith(result: ExecutionResult): void {
    if (this.#journalError !== undefined && result.status === "completed") {
      result.status = "failed";
      result.error = this.#s.mask.text(errorMessage(this.#journalError));
    }
    if (this.#listening) {
      const { runId, template } = this.#s;
      this.#emit({ type: "run_finished", runId, workflow: template.name, status: result.status, durationMs: result.durationMs, time: performance.now() });
    }
    this.#resolve(result);
  }

  #record(i: number, attempt: number, started: number, ended: number, success: boolean, error: string | undefined, result: unknown): void {
    const monitor = this.#s.monitor;
    if (!monitor) return;
    const step = this.#s.template.steps[i]!;
    const durationMs = ended - started;
    const { mask } = this.#s;
    monitor.record({
      toolName: step.toolName,
      stepId: step.id,
      executionId: this.#s.runId,
      workflowName: this.#s.template.name,
      attempt,
      // the attempt's own high-resolution start, on the epoch clock: `Date.now() - durationMs` (whole ms) could put a
      // sub-millisecond call before the one it followed, and the pattern detector orders calls by this
      timestamp: performance.timeOrigin + started,
      durationMs,
      success,
      ...(error === undefined ? {} : { error }),
      parameters: mask.isEmpty ? this.#params[i] : mask.value(this.#params[i], MONITOR_MAX_VALUES),
      // a failed call's result is the partial result of a ToolError, when it has one
      ...(success || result !== undefined ? { result: mask.isEmpty ? result : mask.value(result, MONITOR_MAX_VALUES) } : {}),
    });
  }

  /** Call sites check `#listening` first, so no event object is built when nobody listens. */
  #emit(event: ExecutionEvent): void {
    const listener = this.#s.onEvent!;
    try {
      listener(event);
    } catch (error) {
      // A broken progress display must not corrupt the run's state; surface it the way an EventEmitter would.
      queueMicrotask(() => {
        throw error;
      });
    }
  }
}

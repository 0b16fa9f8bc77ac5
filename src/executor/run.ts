/**
 * @module One execution of a template: a ready-queue scheduler. A step starts the moment its last dependency
 * finishes (no level barriers). One non-recursive `pump` loop settles finished steps and starts ready ones, so
 * neither a 100,000-step chain nor a cascade of skips grows the stack, and tools that return plain values
 * complete without a trip through the microtask queue.
 *
 * The run only schedules: each attempt's tool call goes through the run's chain (chain/run-chain.ts: the monitor,
 * the journal, the timeout, the call itself), which it calls and knows nothing of; it decides what comes next from
 * the outcome (the step completes, is retried after its delay, or fails). What is reported of each step and of the
 * run (the context, the result, the events) is recorded by run-outcome.ts and run-events.ts, so the state here is
 * only where each step is. A durable run also tells its journal how each step ended (chain/journal.ts), holding back
 * a finished step from its dependents until its record is written; steps restored from the journal of an earlier
 * session start out completed.
 */
import { setMaxListeners } from "node:events";
import { evaluateCondition } from "../condition/index.js";
import type { RestoredRun } from "../journal/restore.js";
import type { JsonValue } from "../model/schema.js";
import { substitute } from "../placeholder/placeholders.js";
import { setLongTimeout, type LongTimeout } from "../util/long-timeout.js";
import { attemptCall, type AttemptCall, type AttemptRun } from "./chain/attempt-call.js";
import type { Next } from "./chain/compose.js";
import { StepJournal } from "./chain/journal.js";
import { isThenable, type PendingOutcome, whenSettled } from "./chain/outcome.js";
import { runChain } from "./chain/run-chain.js";
import { errorMessage, failureResult, isNonRetryable } from "./errors.js";
import { watchRunBounds, type RunBounds } from "./run-bounds.js";
import { RunEvents } from "./run-events.js";
import { RunOutcome } from "./run-outcome.js";
import { retryDelayMs } from "./retry.js";
import type { RunSettings } from "./run-settings.js";
import { ConditionError, RunCancelledError, UnknownToolError } from "./step-failures.js";
import { MapSteps } from "./map-steps.js";
import type { ExecutionResult, ItemCounts, ItemOf } from "./types.js";

const PENDING = 0;
const QUEUED = 1;
const RUNNING = 2;
const COMPLETED = 3;
const FAILED = 4;
const SKIPPED = 5;

export class Run {
  readonly #s: RunSettings;
  readonly #n: number;
  readonly #status: Uint8Array;
  readonly #remaining: Int32Array;
  /** Dependencies that finished without completing; only when non-zero must a ready step look at outcomes. */
  readonly #unmetDependencies: Int32Array;
  /** Attempts made so far: the outcome of an earlier attempt than the last no longer counts. */
  readonly #attempts: Int32Array;
  readonly #startedAt: Float64Array;
  readonly #params: unknown[];
  /** Retries waiting for their delay. */
  readonly #timers = new Set<LongTimeout>();
  /** Aborted when the run is cancelled: every tool's signal follows it. */
  readonly #controller = new AbortController();
  /** The run was cancelled (read on every outcome: cheaper than the signal's `aborted`). */
  #cancelled = false;
  /** Every attempt's tool call goes through it. */
  readonly #chain: Next<AttemptCall>;
  /** What each attempt's tool is told of the run. */
  readonly #caller: AttemptRun;
  /** A durable run's journal. */
  readonly #journal: StepJournal | undefined;
  readonly #ready: number[] = [];
  #readyHead = 0;
  readonly #settled: number[] = [];
  #running = 0;
  #finished = 0;
  #pumping = false;
  #done = false;
  /** Only when somebody listens: call sites read `#events?.`, so no event is built otherwise. */
  readonly #events: RunEvents | undefined;
  /** Why the run was cancelled (its signal, its timeout) while steps were still to finish: its status is `cancelled`. */
  #cancelledBy: string | undefined;
  /** The caller's signal and the workflow's timeout, watched while the run is going. */
  #bounds: RunBounds | undefined;
  #startTime = 0;
  #resolve!: (result: ExecutionResult) => void;
  /** Where each step's outcome is recorded, and the run's result assembled. */
  readonly #outcome: RunOutcome;
  /** The running map steps, their item queue, and their items' attempts. */
  readonly #maps: MapSteps;

  constructor(settings: RunSettings) {
    this.#s = settings;
    const n = (this.#n = settings.analysis.graph.size);
    this.#status = new Uint8Array(n);
    this.#remaining = settings.analysis.graph.dependencyCount.slice();
    this.#unmetDependencies = new Int32Array(n);
    this.#attempts = new Int32Array(n);
    this.#startedAt = new Float64Array(n);
    this.#params = new Array(n);
    const { onEvent } = settings;
    this.#events = onEvent && new RunEvents(onEvent, settings.runId, settings.template.name);
    this.#outcome = new RunOutcome(settings, this.#events);
    const { durable } = settings;
    this.#journal = durable && new StepJournal(durable.journal, durable.scope, this.#onJournalBroken);
    this.#chain = runChain({ ...settings, journal: this.#journal, runSignal: this.#controller.signal });
    const progress = this.#events?.progressOf(settings.mask);
    this.#caller = {
      runId: settings.runId,
      workflowName: settings.template.name,
      signal: this.#controller.signal,
      ...(progress && { progress }),
    };
    this.#maps = new MapSteps({
      ...{ settings, chain: this.#chain, caller: this.#caller, events: this.#events, timers: this.#timers },
      counts: (i) => this.#status[i] === RUNNING && !this.#cancelled,
      retryDelay: (i, attempt, error, item) => this.#retryDelay(i, attempt, error, item),
      slots: (change) => void (this.#running += change),
      complete: (i, value, attempts, items) => this.#completeMap(i, value, attempts, items),
      fail: (i, error, partial) => this.#fail(i, error, partial),
      pump: () => this.#pump(),
    });
  }

  start(): Promise<ExecutionResult> {
    const done = new Promise<ExecutionResult>((resolve) => (this.#resolve = resolve));
    this.#startTime = performance.now();
    const { template, signal, durable } = this.#s;
    this.#events?.runStarted(this.#n, this.#startTime, durable);
    if (durable?.restored) this.#restore(durable.restored);
    this.#bounds = watchRunBounds(template.name, signal, this.#s.timeoutMs, (why) => this.#stop(why));
    if (this.#bounds === undefined) return done;
    // every running tool listens to this signal (or its attempt's timeout does): more than Node's default of 10
    // listeners is normal here, not a leak
    setMaxListeners(0, this.#controller.signal);
    const { dependencyCount } = this.#s.analysis.graph;
    // A root can fail while deciding and, under failFast, cancel the rest: decide only steps still pending.
    for (let i = 0; i < this.#n; i++) if (dependencyCount[i] === 0 && this.#status[i] === PENDING) this.#decide(i);
    this.#pump();
    return done;
  }

  /** Steps completed in an earlier session: completed again, with their journaled results, before anything runs. */
  #restore(restored: RestoredRun): void {
    const { indexOf } = this.#s.analysis.graph;
    for (const [id, step] of restored.completed) {
      const i = indexOf.get(id);
      if (i === undefined || this.#status[i] !== PENDING) continue;
      this.#status[i] = COMPLETED;
      this.#finished++;
      this.#outcome.restored(id, step);
      this.#settled.push(i);
    }
  }

  /** A journal write failed: what is not journaled is not durable, so the run stops (and has failed). */
  readonly #onJournalBroken = (error: unknown): void => {
    if (!this.#done) this.#cancel(`cancelled: ${errorMessage(error)}`);
  };

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
      if (this.#maps.hasItemToStart && this.#running < this.#s.concurrency) {
        this.#maps.startNext();
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
    // a map step's condition that reads the item is decided per item (map-steps.ts)
    if (compiled.condition && !compiled.map?.conditionPerItem) {
      let run: boolean;
      try {
        run = evaluateCondition(compiled.condition, this.#s.context.resolve);
      } catch (error) {
        this.#status[i] = RUNNING;
        this.#running++;
        this.#startedAt[i] = performance.now();
        return this.#fail(i, new ConditionError(compiled.condition.source, error));
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
    if (this.#s.analysis.steps[i]!.map) return this.#maps.begin(i);
    try {
      this.#params[i] = substitute(this.#s.analysis.steps[i]!.parameters, this.#s.context.resolve);
    } catch (error) {
      return this.#fail(i, error);
    }
    if (!this.#s.findTool(step.toolName)) return this.#fail(i, new UnknownToolError(step.toolName, this.#s.knownTools()));
    this.#attempt(i);
  }

  /** A map step whose items all completed: its result is theirs, in item order (journaled before its dependents start). */
  #completeMap(i: number, value: unknown[], attempts: number, items: ItemCounts): void {
    const now = performance.now();
    const id = this.#s.template.steps[i]!.id;
    const durationMs = now - this.#startedAt[i]!;
    this.#status[i] = COMPLETED;
    this.#outcome.completed(id, value, attempts, durationMs, now, items);
    if (this.#journal) return this.#journal.mapCompleted(id, attempts, durationMs, value, () => this.#release(i));
    this.#finished++;
    this.#settled.push(i);
  }

  /** The delay before the next attempt of a step (or item) whose `attempt` failed with `error`; undefined: no retry. */
  #retryDelay(i: number, attempt: number, error: unknown, item?: ItemOf): number | undefined {
    const step = this.#s.template.steps[i]!;
    if (attempt > step.maxRetries || isNonRetryable(error)) return undefined;
    const delayMs = retryDelayMs(step, attempt, this.#s.random);
    // a tool's error may quote what it was given: a secret must not reach the events
    this.#events?.stepRetried(step.id, attempt, this.#s.mask.text(errorMessage(error)), delayMs, item);
    return delayMs;
  }

  #attempt(i: number): void {
    const step = this.#s.template.steps[i]!;
    const attempt = ++this.#attempts[i]!;
    const stepStartedAt = this.#startedAt[i]!;
    const startedAt = attempt === 1 ? stepStartedAt : performance.now();
    this.#events?.stepStarted(step.id, step.toolName, attempt, startedAt);
    const tool = this.#s.findTool(step.toolName)!;
    const call = attemptCall(this.#caller, step, tool, this.#params[i] as Record<string, unknown>, attempt, startedAt, stepStartedAt);
    let outcome: unknown;
    let thenable: boolean;
    try {
      outcome = this.#chain(call);
      // a result whose `then` cannot even be read (a Proxy, a throwing getter) fails the attempt
      thenable = isThenable(outcome);
    } catch (error) {
      return this.#attemptFailed(i, attempt, error);
    }
    if (!thenable) return this.#attemptSucceeded(i, attempt, outcome);
    whenSettled(
      outcome as PendingOutcome | PromiseLike<unknown>,
      (value) => {
        this.#attemptSucceeded(i, attempt, value);
        this.#pump();
      },
      (error) => {
        this.#attemptFailed(i, attempt, error);
        this.#pump();
      },
    );
  }

  /** Whether an outcome of `attempt` counts: the step's last attempt, still running, in a run not cancelled. */
  #counts(i: number, attempt: number): boolean {
    return this.#status[i] === RUNNING && this.#attempts[i] === attempt && !this.#cancelled;
  }

  #attemptSucceeded(i: number, attempt: number, value: unknown): void {
    if (!this.#counts(i, attempt)) return;
    const step = this.#s.template.steps[i]!;
    const now = performance.now();
    const durationMs = now - this.#startedAt[i]!;
    this.#status[i] = COMPLETED;
    this.#running--;
    this.#outcome.completed(step.id, value, attempt, durationMs, now);
    // a durable run's step reaches its dependents once its `done` record is written
    if (this.#journal?.completed(step.id, () => this.#release(i))) return;
    this.#finished++;
    this.#settled.push(i);
  }

  /** A step held back until its record was written: it has finished now. */
  #release(i: number): void {
    this.#finished++;
    this.#settled.push(i);
    this.#pump();
  }

  #attemptFailed(i: number, attempt: number, error: unknown): void {
    if (!this.#counts(i, attempt)) return;
    const delayMs = this.#retryDelay(i, attempt, error);
    if (delayMs !== undefined) {
      const timer = setLongTimeout(() => {
        this.#timers.delete(timer);
        if (this.#status[i] === RUNNING) this.#attempt(i);
        this.#pump();
      }, delayMs);
      this.#timers.add(timer);
      return;
    }
    // a ToolError's partial result: the failed step's result, for its failure handlers
    this.#fail(i, error, failureResult(error));
  }

  /**
   * @param failure why: the error of its last attempt, a {@link ConditionError}, ... (recorded with its secrets masked)
   * @param partial the partial result the step's tool failed with (a `ToolError`'s), as JSON
   */
  #fail(i: number, failure: unknown, partial?: { readonly value: JsonValue }): void {
    const step = this.#s.template.steps[i]!;
    this.#status[i] = FAILED;
    const items = this.#maps.of(i);
    // a map step takes no slot of its own once its items are out
    if (items === undefined) this.#running--;
    if (items) this.#maps.stop(i, failure);
    const attempts = items?.attempts ?? this.#attempts[i]!;
    const durationMs = performance.now() - this.#startedAt[i]!;
    const message = this.#outcome.failed(step.id, failure, partial, attempts, durationMs, items?.counts);
    if (!this.#journal?.failed(step.id, attempts, durationMs, message, partial, () => this.#release(i))) {
      this.#finished++;
      this.#settled.push(i);
    }
    if (this.#s.failFast && !this.#cancelled) this.#cancel(`cancelled: failFast after step "${step.id}" failed`);
  }

  #skip(i: number, why: string): void {
    const id = this.#s.template.steps[i]!.id;
    this.#status[i] = SKIPPED;
    this.#finished++;
    const reason = this.#outcome.skipped(id, why);
    this.#journal?.skipped(id, reason);
    this.#settled.push(i);
  }

  /** Aborts running tools, fails the running steps and skips every step that has not started. */
  #cancel(why: string): void {
    const reason = this.#s.mask.text(why);
    const cancelled = new RunCancelledError(reason);
    this.#outcome.cancelled(reason);
    this.#cancelled = true;
    // the tools' signals (those of attempts with a timeout follow this one); their outcomes no longer count
    this.#controller.abort(cancelled);
    for (const t of this.#timers) t.clear();
    this.#timers.clear();
    this.#bounds?.clear();
    for (let i = 0; i < this.#n; i++) {
      const status = this.#status[i];
      if (status === RUNNING) this.#fail(i, cancelled);
      else if (status === PENDING || status === QUEUED) this.#skip(i, reason);
    }
    this.#ready.length = this.#readyHead = 0;
    this.#maps.clear();
    this.#settled.length = 0;
    this.#pump();
  }

  #finish(): void {
    if (this.#finished !== this.#n || this.#done) return;
    this.#done = true;
    this.#bounds?.clear();
    this.#outcome.end(this.#startTime, this.#cancelledBy, this.#journal, this.#resolve);
  }
}

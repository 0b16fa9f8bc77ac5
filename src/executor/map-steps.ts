/**
 * @module The map steps of a run, and their items' attempts. When a map step's dependencies are done, the run hands
 * it here (`begin`): its list is resolved and the step waits in the item queue, at most once, while it has an item to
 * start. The run's pump starts the next item whenever a slot is free (`startNext`), so items and steps share the run's
 * concurrency, and a step's own `concurrency` bounds its items. From there an item goes as a step goes: its condition
 * when it reads the item, its parameters with the item bound, then attempts through the run's chain (so the monitor,
 * the timeout and cancellation see each one), retried as the step says. When the last item has settled (or, under
 * failFast, one has failed), the step completes with the items' results or fails (map-step.ts).
 */
import type { LongTimeout } from "../util/long-timeout.js";
import { setLongTimeout } from "../util/long-timeout.js";
import { attemptCall, type AttemptCall, type AttemptRun } from "./chain/attempt-call.js";
import type { Next } from "./chain/compose.js";
import { isThenable, type PendingOutcome, whenSettled } from "./chain/outcome.js";
import { errorMessage } from "./errors.js";
import type { JsonValue } from "../model/schema.js";
import { hashJson } from "../journal/hash.js";
import { MapStep } from "./map-step.js";
import { UnknownToolError } from "./step-failures.js";
import type { RunEvents } from "./run-events.js";
import type { RunSettings } from "./run-settings.js";
import { RunCancelledError } from "./step-failures.js";
import type { ItemCounts, ItemOf } from "./types.js";

/** What the run lends its items. */
export interface ItemRunHost {
  readonly settings: RunSettings;
  readonly chain: Next<AttemptCall>;
  readonly caller: AttemptRun;
  readonly events: RunEvents | undefined;
  /** Retry delays waiting, cleared when the run is cancelled. */
  readonly timers: Set<LongTimeout>;
  /** Whether an outcome for map step `i` still counts: the step is running and the run is not cancelled. */
  counts(i: number): boolean;
  /** The delay before the next attempt, or undefined when the failure is final (reports the retry). */
  retryDelay(i: number, attempt: number, error: unknown, item: ItemOf): number | undefined;
  /** Takes (1) or frees (-1) one of the run's slots. */
  slots(change: 1 | -1): void;
  complete(i: number, value: unknown[], attempts: number, items: ItemCounts): void;
  fail(i: number, error: unknown, partial?: { readonly value: JsonValue }): void;
  pump(): void;
}

/** An item while it runs: its attempts are made one after another. */
interface RunningItem {
  /** Its map step's index in the template, and the step's items. */
  readonly i: number;
  readonly items: MapStep;
  readonly index: number;
  readonly params: Record<string, unknown>;
  attempt: number;
  /** When its first attempt started: its duration counts from it, retries included. */
  readonly startedAt: number;
}

export class MapSteps {
  readonly #host: ItemRunHost;
  readonly #running: (MapStep | undefined)[] = [];
  /** Per running map step, its items started and not settled (or waiting to be retried): bounded by its concurrency. */
  readonly #active: (Set<RunningItem> | undefined)[] = [];
  /** Map steps with an item to start, each at most once. */
  readonly #queue: number[] = [];
  #head = 0;

  constructor(host: ItemRunHost) {
    this.#host = host;
  }

  /** The running map step `i`, once its list is resolved. */
  of(i: number): MapStep | undefined {
    return this.#running[i];
  }

  get hasItemToStart(): boolean {
    return this.#head < this.#queue.length;
  }

  /** Nothing more starts: the run is cancelled. */
  clear(): void {
    this.#queue.length = this.#head = 0;
  }

  /** Map step `i` starts (in a slot the run counted): resolves its list, then its items wait for slots of their own. */
  begin(i: number): void {
    const { settings } = this.#host;
    const compiled = settings.analysis.steps[i]!;
    const step = settings.template.steps[i]!;
    let list: readonly unknown[];
    try {
      list = MapStep.list(compiled.map!, settings.context.resolve);
    } catch (error) {
      return this.#host.fail(i, error);
    }
    if (!settings.findTool(step.toolName)) return this.#host.fail(i, new UnknownToolError(step.toolName, settings.knownTools()));
    const items = new MapStep(compiled, list, settings.context.resolve);
    this.#running[i] = items;
    this.#active[i] = new Set();
    // a resumed durable run: the items that completed before, still at their index in the list, are not run again
    const restored = settings.durable?.restored?.items.get(step.id);
    if (restored)
      for (const [index, done] of restored)
        if (index < list.length && (done.key === undefined || done.key === itemKey(list[index]))) items.restore(index, done.result);
    this.#host.slots(-1);
    if (items.done) return this.#finish(i, items);
    this.#enqueue(i, items);
  }

  /** Starts the next item of the step at the head of the queue, which goes to the back if it has more to start. */
  startNext(): void {
    const i = this.#queue[this.#head++]!;
    if (this.#head === this.#queue.length) this.#queue.length = this.#head = 0;
    const items = this.#running[i]!;
    items.queued = false;
    if (!this.#host.counts(i) || !items.canStart) return;
    const index = items.take();
    this.#host.slots(1);
    this.#enqueue(i, items);
    this.#start(i, items, index);
  }

  #enqueue(i: number, items: MapStep): void {
    if (items.queued || !items.canStart) return;
    items.queued = true;
    this.#queue.push(i);
  }

  /** An item has settled: its slot is free; the step finishes with its last item, or under failFast with a failure. */
  #settled(i: number, items: MapStep, failed: boolean): void {
    this.#host.slots(-1);
    if (items.done || (failed && this.#host.settings.failFast)) return this.#finish(i, items);
    this.#enqueue(i, items);
  }

  #finish(i: number, items: MapStep): void {
    const outcome = items.outcome();
    if ("error" in outcome) return this.#host.fail(i, outcome.error, { value: outcome.partial as JsonValue });
    this.#host.complete(i, outcome.value, items.attempts, items.counts);
  }

  /**
   * Map step `i` failed before its items settled (one failed under failFast, or the run was cancelled): its running
   * items, whose outcomes no longer count, are reported stopped, with why.
   * @param failure the step's failure: a cancellation, or the failed items under failFast
   */
  stop(i: number, failure: unknown): void {
    const active = this.#active[i];
    if (active === undefined || active.size === 0) return;
    const { mask } = this.#host.settings;
    const message = mask.text(errorMessage(failure));
    const why = failure instanceof RunCancelledError ? message : `stopped by failFast: ${message}`;
    const now = performance.now();
    for (const item of active)
      this.#host.events?.itemFinished(this.#stepId(i), item.index, item.items.count, "stopped", item.attempt, now - item.startedAt, why);
    active.clear();
  }

  /** Runs item `index` of map step `i`, in a slot of its own. */
  #start(i: number, items: MapStep, index: number): void {
    const resolve = items.resolverFor(index);
    let params: Record<string, unknown>;
    try {
      if (!items.runs(resolve)) {
        items.skipped();
        this.#host.events?.itemFinished(this.#stepId(i), index, items.count, "skipped", 0, 0);
        return this.#settled(i, items, false);
      }
      params = items.params(resolve);
    } catch (error) {
      return this.#failed(i, items, index, 0, performance.now(), error);
    }
    const item: RunningItem = { i, items, index, params, attempt: 1, startedAt: performance.now() };
    this.#active[i]!.add(item);
    this.#attempt(item);
  }

  #stepId(i: number): string {
    return this.#host.settings.template.steps[i]!.id;
  }

  // Methods rather than closures per attempt: a map step of 10,000 sync items makes 10,000 of these calls.
  #attempt(item: RunningItem): void {
    const host = this.#host;
    const step = host.settings.template.steps[item.i]!;
    const attempt = item.attempt;
    const startedAt = attempt === 1 ? item.startedAt : performance.now();
    item.items.attempted();
    host.events?.stepStarted(step.id, step.toolName, attempt, startedAt, { index: item.index, count: item.items.count });
    const tool = host.settings.findTool(step.toolName)!;
    const plain = attemptCall(host.caller, step, tool, item.params, attempt, startedAt, item.startedAt, {
      index: item.index,
      count: item.items.count,
    });
    let outcome: unknown;
    try {
      // a durable run journals which item a result is of, to reuse it on resume only if the list still has that item
      const call = host.settings.durable ? { ...plain, itemKey: itemKey(item.items.item(item.index)) } : plain;
      outcome = host.chain(call);
      // a result whose `then` cannot even be read (a Proxy, a throwing getter) fails the attempt
      if (!isThenable(outcome)) return this.#succeeded(item, attempt, outcome);
    } catch (error) {
      return this.#attemptFailed(item, attempt, error);
    }
    whenSettled(
      outcome as PendingOutcome | PromiseLike<unknown>,
      (value) => {
        this.#succeeded(item, attempt, value);
        host.pump();
      },
      (error) => {
        this.#attemptFailed(item, attempt, error);
        host.pump();
      },
    );
  }

  /** Whether an outcome of `attempt` counts: the item's last attempt, its step running, the run not cancelled. */
  #counts(item: RunningItem, attempt: number): boolean {
    return item.attempt === attempt && this.#host.counts(item.i);
  }

  #succeeded(item: RunningItem, attempt: number, value: unknown): void {
    if (!this.#counts(item, attempt)) return;
    const { i, items } = item;
    this.#active[i]!.delete(item);
    items.completed(item.index, value);
    this.#host.events?.itemFinished(this.#stepId(i), item.index, items.count, "completed", attempt, performance.now() - item.startedAt);
    this.#settled(i, items, false);
  }

  #attemptFailed(item: RunningItem, attempt: number, error: unknown): void {
    if (!this.#counts(item, attempt)) return;
    const host = this.#host;
    const delayMs = host.retryDelay(item.i, attempt, error, { index: item.index, count: item.items.count });
    if (delayMs === undefined) {
      this.#active[item.i]!.delete(item);
      return this.#failed(item.i, item.items, item.index, attempt, item.startedAt, error);
    }
    const timer = setLongTimeout(() => {
      host.timers.delete(timer);
      item.attempt++;
      if (host.counts(item.i)) this.#attempt(item);
      host.pump();
    }, delayMs);
    host.timers.add(timer);
  }

  /** The item failed for good (its condition, its parameters, or its last attempt). */
  #failed(i: number, items: MapStep, index: number, attempts: number, startedAt: number, error: unknown): void {
    const message = this.#host.settings.mask.text(errorMessage(error));
    items.failed(index, message);
    this.#host.events?.itemFinished(this.#stepId(i), index, items.count, "failed", attempts, performance.now() - startedAt, message);
    this.#settled(i, items, true);
  }
}

/** The hash of an item's value, journaled with its result. */
const itemKey = (value: unknown): string => hashJson(value);

/**
 * @module The items of a map step (`forEach`): one per element of its list, each an attempt sequence of the step's
 * tool with the step's retries and timeout, scheduled by the run's own ready queue (run.ts hands an item out only
 * when the run's and the step's concurrency allow), never by an executor of its own. What is kept is bounded by the
 * items running, not by the list: an item that has not started is its index, and one that finished is its result.
 *
 * The step's result is the list of the items' results in item order (`null` for an item its condition skipped). One
 * failed item fails the step once the others have settled, naming the item; the results of the others are the
 * failed step's partial result, for its failure handlers.
 */
import { evaluateCondition } from "../condition/index.js";
import type { CompiledMap, CompiledStep } from "../model/compile-step.js";
import { ITEM_INDEX } from "../model/compile-step.js";
import { formatPath, lookupPath, type Reference, typeName } from "../placeholder/path.js";
import { substitute } from "../placeholder/placeholders.js";
import { UnresolvedReferenceError } from "./context.js";
import { ConditionError } from "./step-failures.js";
import type { ItemCounts } from "./types.js";

/** A map step's `forEach` did not resolve to a list: the step fails. */
export class NotAListError extends Error {
  override readonly name = "NotAListError";

  constructor(
    readonly placeholder: string,
    readonly got: string,
  ) {
    super(`"forEach": "{{${placeholder}}}" must resolve to a list to run the step once per item, but it is ${got}`);
  }
}

/** One item or more of a map step failed: the step fails with the first, counting the rest. */
export class MapItemsFailedError extends Error {
  override readonly name = "MapItemsFailedError";

  constructor(
    /** The failed items, in item order, with their (masked) messages. */
    readonly failures: readonly { readonly index: number; readonly message: string }[],
    readonly count: number,
  ) {
    const [first] = failures;
    const more = failures.length > 1 ? ` (and ${failures.length - 1} more item${failures.length > 2 ? "s" : ""})` : "";
    super(`item ${first!.index} of ${count} failed: ${first!.message}${more}`);
  }
}

/** A resolver that reads the item (`{{item.field}}`, or the `as` name) and its index, then everything else. */
type Resolve = (ref: Reference) => unknown;

/** The items of one run of a map step. */
export class MapStep {
  readonly #map: CompiledMap;
  readonly #compiled: CompiledStep;
  readonly #list: readonly unknown[];
  readonly #results: unknown[];
  readonly #failures: { index: number; message: string }[] = [];
  #next = 0;
  #running = 0;
  #settled = 0;
  #completed = 0;
  #skipped = 0;
  /** Items restored from the journal of an earlier session (a durable run's resume): they are not run again. */
  #restored: Uint8Array | undefined;
  #attempts = 0;
  /** The step is in the run's item queue (run.ts keeps it there at most once). */
  queued = false;

  /** The run's resolver, for everything but the item. */
  readonly #outer: Resolve;
  /** The item the resolver reads. */
  #current = 0;

  /** @param resolve the run's resolver, for everything but the item */
  constructor(compiled: CompiledStep, list: readonly unknown[], resolve: Resolve) {
    this.#outer = resolve;
    this.#map = compiled.map!;
    this.#compiled = compiled;
    this.#list = list;
    this.#results = new Array(list.length).fill(null);
  }

  /** Resolves the step's list: the `forEach` placeholder must name an array. */
  static list(map: CompiledMap, resolve: Resolve): readonly unknown[] {
    const value = resolve(map.list);
    if (!Array.isArray(value)) throw new NotAListError(map.list.text, describe(value));
    return value;
  }

  get count(): number {
    return this.#list.length;
  }

  /** Attempts started by its items, settled or not (an item stopped by failFast or a cancellation counts too). */
  get attempts(): number {
    return this.#attempts;
  }

  /** An item's attempt starts. */
  attempted(): void {
    this.#attempts++;
  }

  /** An item is still to start, and the step's own limit leaves room for it. */
  get canStart(): boolean {
    return this.#next < this.#list.length && this.#running < this.#map.concurrency;
  }

  /** The value of item `index`. */
  item(index: number): unknown {
    return this.#list[index];
  }

  /** Item `index` completed in an earlier session: its journaled result stands, and it is not run again. */
  restore(index: number, result: unknown): void {
    if (this.#restored?.[index] === 1) return;
    (this.#restored ??= new Uint8Array(this.#list.length))[index] = 1;
    this.#results[index] = result;
    this.#settled++;
    this.#completed++;
    this.#skipRestored();
  }

  #skipRestored(): void {
    while (this.#next < this.#list.length && this.#restored?.[this.#next] === 1) this.#next++;
  }

  /** Every item has settled. */
  get done(): boolean {
    return this.#settled === this.#list.length;
  }

  /** Takes the next item to start: its index. */
  take(): number {
    this.#running++;
    const index = this.#next++;
    this.#skipRestored();
    return index;
  }

  /**
   * The resolver of item `index`'s placeholders. One per step, pointed at the item: substituting parameters and
   * evaluating a condition are synchronous, so the item it reads cannot change under them.
   */
  resolverFor(index: number): Resolve {
    this.#current = index;
    return this.#resolve;
  }

  readonly #resolve: Resolve = (ref) => {
    if (ref.root === this.#map.itemName) {
      const index = this.#current;
      const found = lookupPath(this.#list[index], ref.path);
      if (found.found) return found.value;
      throw new UnresolvedReferenceError(ref.text, `item ${index} at "${formatPath(ref.path.slice(0, found.at + 1))}": ${found.reason}`);
    }
    if (ref.root === ITEM_INDEX && ref.path.length === 0) return this.#current;
    return this.#outer(ref);
  };

  /**
   * Whether item `index` runs: its condition, when the condition reads the item (a condition that does not was
   * decided once, for the step). @throws ConditionError
   */
  runs(resolve: Resolve): boolean {
    const condition = this.#compiled.condition;
    if (!this.#map.conditionPerItem || condition === null) return true;
    try {
      return evaluateCondition(condition, resolve);
    } catch (error) {
      throw new ConditionError(condition.source, error);
    }
  }

  /** Item `index`'s parameters. @throws what resolving them throws */
  params(resolve: Resolve): Record<string, unknown> {
    return substitute(this.#compiled.parameters, resolve) as Record<string, unknown>;
  }

  completed(index: number, value: unknown): void {
    this.#results[index] = value;
    this.#completed++;
    this.#settle();
  }

  /** Item `index` did not run: its condition is false. */
  skipped(): void {
    this.#skipped++;
    this.#settle();
  }

  /** @param message masked already */
  failed(index: number, message: string): void {
    this.#failures.push({ index, message });
    this.#settle();
  }

  #settle(): void {
    this.#running--;
    this.#settled++;
  }

  /** How many items completed, failed and were skipped so far, of how many. */
  get counts(): ItemCounts {
    return { count: this.#list.length, completed: this.#completed, failed: this.#failures.length, skipped: this.#skipped };
  }

  /** Once every item has settled: the step's result, or why it failed (the other items' results its partial result). */
  outcome(): { readonly value: unknown[] } | { readonly error: MapItemsFailedError; readonly partial: unknown[] } {
    if (this.#failures.length === 0) return { value: this.#results };
    const failures = this.#failures.sort((a, b) => a.index - b.index);
    return { error: new MapItemsFailedError(failures, this.#list.length), partial: this.#results };
  }
}

/** `an object`, `a string ("eu,us")`, `null`: what a list placeholder resolved to instead. */
function describe(value: unknown): string {
  if (typeof value === "string") return `a string (${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)})`;
  return typeName(value);
}

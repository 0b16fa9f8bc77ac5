/** @module The public shapes of step builders. */
import type { z } from "zod";
import type { Backoff } from "../src/model/schema.js";
import type { Condition } from "./conditions.js";
import type { ParamObject, Ref, RefTo } from "./ref.js";
import type { ObjectSchema, SchemaTypes, Tool } from "./tool.js";
import type { Workflow } from "./workflow-types.js";

declare const stepScope: unique symbol;

/** Any step of the workflow whose scope is `W`: what `.after()`, `.then()` and `failed()` accept. */
export interface StepHandle<out W> {
  readonly id: string;
  readonly [stepScope]: W;
}

export interface RetryPolicy {
  /** Attempts after the first. */
  max: number;
  /** Milliseconds before a retry (the base of the doubling with `backoff: "exponential"`). @default 1000 */
  delayMs?: number;
  /** @default "fixed" */
  backoff?: Backoff;
}

/** What a step can be told in any order, before or after its parameters: each returns the step (`Self`). */
export interface StepControls<out Self, out W> {
  /** Orders this step after `steps` (without passing data). */
  after(...steps: StepHandle<W>[]): Self;
  /** Runs the step only when the condition holds. A condition on `failed(s)` makes it a failure handler of `s`. */
  when(condition: Condition<W> | RefTo<boolean, W>): Self;
  retry(policy: RetryPolicy): Self;
  /** Bound on each attempt, in milliseconds. */
  timeout(ms: number): Self;
  describe(text: string): Self;
}

/**
 * A step that calls a tool (or a sub-workflow). `In` is what its parameters must provide, `Out` what `.out` offers.
 * Methods record on the step and return it, so calls chain in any order.
 */
export interface ToolStep<in out In, out Out, out W> extends StepHandle<W>, StepControls<ToolStep<In, Out, W>, W> {
  /**
   * A typed reference to the step's result. Using it (in parameters, text or conditions) makes it a dependency.
   * A failed step has a result only when its tool threw a `ToolError` with one (the partial result; its tool's `run`
   * throws `context.fail(message, { result })`): a failure handler (`.when(failed(step))`) that reads `step.out.x` of
   * a step that failed without one fails, saying to read `step.error` instead.
   */
  readonly out: Ref<Out, W>;
  /**
   * The step's error message, for its failure handlers (`.when(failed(step))`): what its last attempt failed with, or
   * why it was skipped (`{{step.error}}`). Using it makes the step a dependency. A step that completed has none: null.
   */
  readonly error: Ref<string, W>;
  /** The parameters: every field a value or a reference of a compatible type. */
  with(params: ParamObject<In, W>): ToolStep<In, Out, W>;
  /** Orders `next` after this step (without passing data) and returns `next`. */
  then<S extends StepHandle<W>>(next: S): S;
}

/**
 * A step whose tool (or sub-workflow) has required parameters, before `.with()` gives them. It has no `.out`, and it
 * is not a step others can be ordered after, until `.with()`: a step that forgets its parameters is a compile error
 * where it is used ("Property 'out' does not exist on type 'StepNeedingParams<{ manifest: string }, ...>'"), not a
 * failed input validation at run time.
 */
export interface StepNeedingParams<in out In, out Out, out W> extends StepControls<StepNeedingParams<In, Out, W>, W> {
  readonly id: string;
  /** The parameters: every field a value or a reference of a compatible type. This tool has required ones. */
  with(params: ParamObject<In, W>): ToolStep<In, Out, W>;
}

/** What `.tool()` and `.workflow()` return: the step, or, when the parameters are required, a step that needs them. */
export type NewStep<In, Out, W> = {} extends In ? ToolStep<In, Out, W> : StepNeedingParams<In, Out, W>;

/** `step(id)`: choose what the step runs, or make it a map step over a list. */
export interface StepStart<in out W> {
  tool<I extends ObjectSchema, O extends SchemaTypes>(tool: Tool<I, O>): NewStep<z.input<I>, z.output<O>, W>;
  workflow<I extends ObjectSchema, O>(workflow: Workflow<I, O>): NewStep<z.input<I>, O, W>;
  /**
   * Makes a map step: its tool runs once per item of `list` (a step's output or an input that is an array), with the
   * item bound in `.with((item, index) => ...)` and `.when((item) => ...)`, and `.out` is the array of the items'
   * results in item order. Items run in parallel, each with the step's retries and timeout; one failed item fails the
   * step once the others have settled.
   * @example
   * const deploy = step("deploy").forEach(input.regions).tool(deployRegion).with((region) => ({ region }));
   * step("notify").tool(slack).with({ urls: deploy.out });
   */
  forEach<E>(list: RefTo<readonly E[], W>, options?: MapOptions): MapStart<E, W>;
}

/** How a map step runs its items. */
export interface MapOptions {
  /** The item's name in the template's placeholders (`{{region}}`). @default "item" */
  as?: string;
  /** Most items running at once. @default no bound of its own (the run's concurrency still applies) */
  concurrency?: number;
}

/** `step(id).forEach(list)`: choose what each item runs. */
export interface MapStart<E, in out W> {
  tool<I extends ObjectSchema, O extends SchemaTypes>(tool: Tool<I, O>): MapStep<z.input<I>, z.output<O>, E, W>;
  workflow<I extends ObjectSchema, O>(workflow: Workflow<I, O>): MapStep<z.input<I>, O, E, W>;
}

/** What a map step's `.with()` and `.when()` functions receive: a reference to the item, and one to its index. */
export type PerItem<E, W, R> = (item: Ref<E, W>, index: Ref<number, W>) => R;

/**
 * A map step: `In` is what each item's parameters must provide, `E` the item's type. `.out` is the array of the
 * items' results (`null` for an item its condition skipped), for a step that fans in (`{ urls: deploy.out }`).
 */
export interface MapStep<in out In, out Out, in out E, in out W> extends StepHandle<W>, StepControls<MapStep<In, Out, E, W>, W> {
  /** The items' results in item order. A failed map step's partial result holds those of the items that completed. */
  readonly out: Ref<Out[], W>;
  /** The step's error message ("item 2 of 4 failed: ..."), for its failure handlers. */
  readonly error: Ref<string, W>;
  /** Each item's parameters, from references to the item and its index (and to anything else in the workflow). */
  with(params: PerItem<E, W, ParamObject<In, W>>): MapStep<In, Out, E, W>;
  /** Runs the step only when the condition holds. */
  when(condition: Condition<W> | RefTo<boolean, W>): MapStep<In, Out, E, W>;
  /** Runs each item only when the condition holds for it: an item it skips is `null` in `.out`. */
  when(condition: PerItem<E, W, Condition<W> | RefTo<boolean, W>>): MapStep<In, Out | null, E, W>;
  /** Orders `next` after this step (without passing data) and returns `next`. */
  then<S extends StepHandle<W>>(next: S): S;
}

export type StepFactory<in out W> = (id: string) => StepStart<W>;

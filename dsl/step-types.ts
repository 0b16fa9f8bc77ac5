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

/** `step(id)`: choose what the step runs. */
export interface StepStart<out W> {
  tool<I extends ObjectSchema, O extends SchemaTypes>(tool: Tool<I, O>): NewStep<z.input<I>, z.output<O>, W>;
  workflow<I extends ObjectSchema, O>(workflow: Workflow<I, O>): NewStep<z.input<I>, O, W>;
}

export type StepFactory<out W> = (id: string) => StepStart<W>;

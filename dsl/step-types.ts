/** @module The public shapes of step builders. */
import type { z } from "zod";
import type { Backoff } from "../src/model/schema.js";
import type { Condition } from "./conditions.js";
import type { ParamObject, Ref, RefBrand } from "./ref.js";
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

/**
 * A step that calls a tool (or a sub-workflow). `In` is what its parameters must provide, `Out` what `.out` offers.
 * Methods record on the step and return it, so calls chain in any order.
 */
export interface ToolStep<in out In, out Out, out W> extends StepHandle<W> {
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
  /** Orders this step after `steps` (without passing data). */
  after(...steps: StepHandle<W>[]): ToolStep<In, Out, W>;
  /** Runs the step only when the condition holds. A condition on `failed(s)` makes it a failure handler of `s`. */
  when(condition: Condition<W> | RefBrand<boolean, W>): ToolStep<In, Out, W>;
  retry(policy: RetryPolicy): ToolStep<In, Out, W>;
  /** Bound on each attempt, in milliseconds. */
  timeout(ms: number): ToolStep<In, Out, W>;
  describe(text: string): ToolStep<In, Out, W>;
}

/** `step(id)`: choose what the step runs. */
export interface StepStart<out W> {
  tool<I extends ObjectSchema, O extends SchemaTypes>(tool: Tool<I, O>): ToolStep<z.input<I>, z.output<O>, W>;
  workflow<I extends ObjectSchema, O>(workflow: Workflow<I, O>): ToolStep<z.input<I>, O, W>;
}

export type StepFactory<out W> = (id: string) => StepStart<W>;

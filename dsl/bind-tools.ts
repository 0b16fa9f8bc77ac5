/**
 * @module Turns DSL tools into executor tool functions that validate the input before the call and the output
 * after it, with errors that name the workflow, the step and the field.
 */
import type { z } from "zod";
import {
  errorMessage,
  failureResult,
  isNonRetryable,
  NonRetryableError,
  ToolError,
  type ToolErrorOptions,
} from "../src/executor/errors.js";
import type { ToolContext, ToolFunction, Tools } from "../src/executor/types.js";
import { type AnyTool, type ToolRunContext, zodSchema } from "./tool.js";

export function describeZodError(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? `${i.path.map(String).join(".")}: ` : ""}${i.message}`).join("; ");
}

const fail = (message: string, options?: ToolErrorOptions): ToolError => new ToolError(message, options);

/**
 * Wraps a tool implementation (the tool's own `run`, or one supplied at run time) with schema validation; its context
 * gets `fail` (see `ToolRunContext`).
 */
export function validatingTool(tool: AnyTool, implementation: ToolFunction): ToolFunction {
  return async (params: Record<string, unknown>, ctx: ToolContext) => {
    const where = `workflow "${ctx.workflowName}", step "${ctx.stepId}"`;
    const input = zodSchema(tool.input).safeParse(params);
    if (!input.success) throw new NonRetryableError(`${where}: invalid input for tool "${tool.name}": ${describeZodError(input.error)}`);
    let result: unknown;
    try {
      const context: ToolRunContext = { ...ctx, fail };
      result = await implementation(input.data as Record<string, unknown>, context);
    } catch (error) {
      throw checkedPartialResult(tool, error);
    }
    const output = zodSchema(tool.output).safeParse(result);
    if (!output.success)
      throw new NonRetryableError(`${where}: tool "${tool.name}" returned an invalid result: ${describeZodError(output.error)}`);
    return output.data;
  };
}

/**
 * A `ToolError`'s partial result, checked against the fields of an object output schema (each optional): one that
 * does not fit is dropped, and the error says so, so a failure handler never reads a field of the wrong type.
 */
function checkedPartialResult(tool: AnyTool, error: unknown): unknown {
  const partial = failureResult(error);
  const schema = tool.output as unknown as { partial?: () => z.ZodType };
  if (partial === undefined || typeof schema.partial !== "function") return error;
  const checked = schema.partial().safeParse(partial.value);
  if (checked.success) return error;
  const message = `${errorMessage(error)} (its partial result was dropped: it does not fit the output of tool "${tool.name}": ${describeZodError(checked.error)})`;
  return new ToolError(message, { retryable: !isNonRetryable(error), cause: error });
}

/** Executor tools for every DSL tool: its `run`, or the override from `overrides`; unknown names pass through. */
export function bindTools(tools: ReadonlyMap<string, AnyTool>, overrides: Tools = {}): Tools {
  const bound: Record<string, ToolFunction> = {};
  for (const [name, t] of tools) {
    const implementation = Object.hasOwn(overrides, name) ? overrides[name] : (t.run as ToolFunction | undefined);
    if (implementation) bound[name] = validatingTool(t, implementation);
  }
  for (const [name, fn] of Object.entries(overrides)) if (!tools.has(name)) bound[name] = fn;
  return bound;
}

/**
 * @module Turns DSL tools into executor tool functions that validate the input before the call and the output
 * after it, with errors that name the workflow, the step and the field.
 */
import type { z } from "zod";
import { NonRetryableError } from "../src/executor/errors.js";
import type { ToolContext, ToolFunction, Tools } from "../src/executor/types.js";
import type { AnyTool } from "./tool.js";

export function describeZodError(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? `${i.path.map(String).join(".")}: ` : ""}${i.message}`).join("; ");
}

/** Wraps a tool implementation (the tool's own `run`, or one supplied at run time) with schema validation. */
export function validatingTool(tool: AnyTool, implementation: ToolFunction): ToolFunction {
  return async (params: Record<string, unknown>, ctx: ToolContext) => {
    const where = `workflow "${ctx.workflowName}", step "${ctx.stepId}"`;
    const input = tool.input.safeParse(params);
    if (!input.success) throw new NonRetryableError(`${where}: invalid input for tool "${tool.name}": ${describeZodError(input.error)}`);
    const result = await implementation(input.data as Record<string, unknown>, ctx);
    const output = tool.output.safeParse(result);
    if (!output.success) throw new NonRetryableError(`${where}: tool "${tool.name}" returned an invalid result: ${describeZodError(output.error)}`);
    return output.data;
  };
}

/** Executor tools for every DSL tool: its `run`, or the override from `overrides`; unknown names pass through. */
export function bindTools(tools: ReadonlyMap<string, AnyTool>, overrides: Tools = {}): Tools {
  const bound: Record<string, ToolFunction> = {};
  for (const [name, t] of tools) {
    const implementation = Object.prototype.hasOwnProperty.call(overrides, name) ? overrides[name] : (t.run as ToolFunction | undefined);
    if (implementation) bound[name] = validatingTool(t, implementation);
  }
  for (const [name, fn] of Object.entries(overrides)) if (!tools.has(name)) bound[name] = fn;
  return bound;
}

/** @module `tool()`: a named tool with zod input and output schemas and, optionally, its implementation. */
import type { z } from "zod";
import type { ToolContext } from "../src/executor/types.js";

/** Object-shaped zod schemas: a tool's input is always an object of named parameters. */
export type ObjectSchema = z.ZodType<object, object>;

export interface ToolDefinition<I extends ObjectSchema, O extends z.ZodType> {
  /** Parameters, validated before every call. */
  input: I;
  /** Result, validated after every call; its fields are what `step.out` offers. */
  output: O;
  /** The implementation. Without it, pass one through `run(..., { tools })` or the executor. */
  run?: (input: z.output<I>, context: ToolContext) => z.input<O> | Promise<z.input<O>>;
  description?: string;
}

export interface Tool<I extends ObjectSchema = ObjectSchema, O extends z.ZodType = z.ZodType> {
  readonly kind: "toolweave.tool";
  readonly name: string;
  readonly description: string;
  readonly input: I;
  readonly output: O;
  readonly run: ((input: z.output<I>, context: ToolContext) => z.input<O> | Promise<z.input<O>>) | undefined;
}

export type AnyTool = Tool<ObjectSchema, z.ZodType>;

/**
 * Defines a tool.
 * @example
 * const dockerBuild = tool("docker_build", {
 *   input: z.object({ image: z.string() }),
 *   output: z.object({ imageId: z.string(), sizeMb: z.number() }),
 *   run: async ({ image }) => ({ imageId: await build(image), sizeMb: 125 }),
 * });
 */
export function tool<I extends ObjectSchema, O extends z.ZodType>(name: string, definition: ToolDefinition<I, O>): Tool<I, O> {
  if (typeof name !== "string" || name === "") throw new TypeError("tool(name, ...) needs a non-empty name");
  return Object.freeze({
    kind: "toolweave.tool",
    name,
    description: definition.description ?? "",
    input: definition.input,
    output: definition.output,
    run: definition.run,
  });
}

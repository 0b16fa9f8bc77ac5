/** @module `tool()`: a named tool with zod input and output schemas and, optionally, its implementation. */
import type { z } from "zod";
import type { ToolError, ToolErrorOptions } from "../src/executor/errors.js";
import type { ToolContext } from "../src/executor/types.js";

/** What a tool that fails may hand its failure handlers: its output with every top-level field optional. */
export type PartialResult<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]?: T[K] } : T;

/** What a DSL tool's `run` receives beside its input: the executor's context, and `fail` typed by the tool's output. */
export interface ToolRunContext<out Out = unknown> extends ToolContext {
  /**
   * A {@link ToolError} whose partial result is typed by the tool's output (every field optional): throw it to fail
   * the step with what was done so far, for the step's failure handlers to read (`failed(deploy)` then
   * `deploy.out.resourceId`). The result is checked against the output schema's fields; one that does not fit is
   * dropped, saying so in the message.
   * @example
   * run: async ({ manifest }, { fail }) => {
   *   const id = await create(manifest);
   *   if (!(await healthy(id))) throw fail("health check failed", { result: { resourceId: id } });
   *   return { resourceId: id, url: urlOf(id) };
   * }
   */
  fail(message: string, options?: ToolErrorOptions<PartialResult<Out>>): ToolError<PartialResult<Out>>;
}

/**
 * What the DSL's types read of a zod schema: its output and input types, where `z.output` and `z.input` read them.
 * Schemas are constrained by this shape rather than by `z.ZodType`: relating a `z.ZodObject` to `z.ZodType`
 * compares zod's classes member by member, which cost the checker ~85,000 instantiations for ten tools (`npm run
 * bench:ide`) and made every completion after an edit wait for it.
 */
export interface SchemaTypes<Out = unknown, In = unknown> {
  readonly _zod: { readonly output: Out; readonly input: In };
}

/** Object-shaped zod schemas: a tool's input is always an object of named parameters. */
export type ObjectSchema = SchemaTypes<object, object>;

/** The zod schema a {@link SchemaTypes} is at run time (the types take only its shape), to parse with. */
export const zodSchema = (schema: SchemaTypes): z.ZodType => schema as unknown as z.ZodType;

/**
 * What a tool's server says of its effects: the MCP tool annotations, under their MCP names (`weave tools pull` writes
 * them from the server's tool list). Hints, not guarantees: nothing at run time reads them. `weave lint` does (rule
 * `retry-destructive`), reading each hint only where it is written as a boolean literal; a hint left out is not
 * assumed, though MCP gives `destructiveHint` and `openWorldHint` the default `true`.
 */
export interface ToolAnnotations {
  /** The tool does not modify its environment. `destructiveHint` and `idempotentHint` then mean nothing. */
  readonly readOnlyHint?: boolean;
  /** When not read-only: it may make destructive updates (delete, overwrite), not only add. */
  readonly destructiveHint?: boolean;
  /** When not read-only: calling it again with the same arguments has no further effect. */
  readonly idempotentHint?: boolean;
  /** It may reach an open world of external entities (the web), not only a closed domain (its own memory). */
  readonly openWorldHint?: boolean;
  /** A human-readable title. */
  readonly title?: string;
}

export interface ToolDefinition<I extends ObjectSchema, O extends SchemaTypes> {
  /** Parameters, validated before every call. */
  input: I;
  /** Result, validated after every call; its fields are what `step.out` offers. */
  output: O;
  /**
   * The implementation. Without it, pass one through `run(..., { tools })` or the executor. To fail with partial
   * results, throw `context.fail(message, { result })` (or a `ToolError`).
   */
  run?: (input: z.output<I>, context: ToolRunContext<z.input<O>>) => z.input<O> | Promise<z.input<O>>;
  description?: string;
  /** What the tool's server says of its effects (MCP tool annotations); lint warns about retrying a destructive one. */
  annotations?: ToolAnnotations;
}

export interface Tool<out I extends ObjectSchema = ObjectSchema, out O extends SchemaTypes = z.ZodType> {
  readonly kind: "toolweave.tool";
  readonly name: string;
  readonly description: string;
  readonly input: I;
  readonly output: O;
  readonly run: ((input: z.output<I>, context: ToolRunContext<z.input<O>>) => z.input<O> | Promise<z.input<O>>) | undefined;
  /** A frozen copy of the definition's annotations; absent when it has none. */
  readonly annotations?: ToolAnnotations;
}

export type AnyTool = Tool<ObjectSchema, SchemaTypes>;

/**
 * Defines a tool.
 * @example
 * const dockerBuild = tool("docker_build", {
 *   input: z.object({ image: z.string() }),
 *   output: z.object({ imageId: z.string(), sizeMb: z.number() }),
 *   run: async ({ image }) => ({ imageId: await build(image), sizeMb: 125 }),
 * });
 * const editFile = tool("files.edit_file", {
 *   input: z.object({ path: z.string(), oldText: z.string(), newText: z.string() }),
 *   output: z.unknown(),
 *   annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false },
 * });
 */
export function tool<I extends ObjectSchema, O extends SchemaTypes>(name: string, definition: ToolDefinition<I, O>): Tool<I, O> {
  if (typeof name !== "string" || name === "") throw new TypeError("tool(name, ...) needs a non-empty name");
  return Object.freeze({
    kind: "toolweave.tool",
    name,
    description: definition.description ?? "",
    input: definition.input,
    output: definition.output,
    run: definition.run,
    ...(definition.annotations === undefined ? {} : { annotations: Object.freeze({ ...definition.annotations }) }),
  });
}

/**
 * @module A tool whose output its server does not declare, tightened in the project. An MCP tool without an
 * `outputSchema` answers with text, which `weave tools pull` types as `unknown` (the runtime parses it as JSON when
 * it is JSON): nothing can be read from `step.out` until the project says what the text holds.
 *
 *     const tree = withOutput(files.directory_tree, z.array(z.object({ name: z.string() })), (r) => JSON.parse(r.content));
 *
 * The step's result is then checked against the schema after every call (as any tool's output is), so a server that
 * starts answering differently fails the step instead of feeding its dependents the wrong shape.
 */
import { z } from "zod";
import { type ObjectSchema, type SchemaTypes, type Tool, tool } from "./tool.js";

/**
 * The same tool (same name, input, implementation, description and annotations) with `output` as its output.
 * @param parse turns what the tool answers into what `output` checks (e.g. the JSON inside a text field)
 */
export function withOutput<I extends ObjectSchema, O extends SchemaTypes, From = unknown>(
  base: Tool<I, SchemaTypes<From>>,
  output: O,
  parse?: (result: From) => unknown,
): Tool<I, O> {
  const checked =
    parse === undefined
      ? output
      : (z
          .unknown()
          .transform((value) => parse(value as From))
          .pipe(output as unknown as z.ZodType) as unknown as O);
  return tool(base.name, {
    input: base.input,
    output: checked,
    ...(base.description === "" ? {} : { description: base.description }),
    ...(base.run === undefined ? {} : { run: base.run as never }),
    ...(base.annotations === undefined ? {} : { annotations: base.annotations }),
  });
}

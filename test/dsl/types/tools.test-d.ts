/**
 * Type tests: `tool()` types its implementation by its zod schemas. Type-checked by `tsc --noEmit`, never run.
 */
import { z } from "zod";
import { expectTypeOf } from "vitest";
import { tool, type Tool, type ToolAnnotations } from "toolweave";

const input = z.object({ image: z.string(), tag: z.string().default("latest") });
const output = z.object({ imageId: z.string(), sizeMb: z.number().default(0) });

// `tool()` keeps the schemas' types: `Tool<typeof input, typeof output>`.
function toolType() {
  const t = tool("t", { input, output });
  expectTypeOf(t).toEqualTypeOf<Tool<typeof input, typeof output>>();
  expectTypeOf(t.name).toEqualTypeOf<string>();
}

// `run` receives the parsed input (defaults applied) and may return the output's zod input (defaults omitted), sync or async.
function runIsTyped() {
  tool("t", {
    input,
    output,
    run: (args) => {
      expectTypeOf(args).toEqualTypeOf<{ image: string; tag: string }>();
      return { imageId: `${args.image}:${args.tag}` };
    },
  });
  tool("t2", { input, output, run: async ({ image }) => ({ imageId: image, sizeMb: 3 }) });
}

// `run` returning the wrong type is rejected.
function runWrongReturn() {
  // @ts-expect-error: imageId is a string
  tool("t", { input, output, run: () => ({ imageId: 3 }) });
  // @ts-expect-error: imageId is required
  tool("t2", { input, output, run: async () => ({ sizeMb: 3 }) });
}

// `run` reading an unknown input is rejected.
function runUnknownInput() {
  tool("t", {
    input,
    output,
    // @ts-expect-error: no input imgae
    run: ({ imgae }) => ({ imageId: imgae }),
  });
}

// A tool's input must be an object schema (its fields are the step's named parameters).
function inputMustBeAnObject() {
  // @ts-expect-error: a string schema is not an object schema
  tool("t", { input: z.string(), output });
}

// `annotations` takes the MCP tool annotations, under their MCP names, as booleans (and a title).
function annotationsAreTheMcpHints() {
  const t = tool("files.edit_file", {
    input,
    output,
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false, title: "Edit file" },
  });
  expectTypeOf(t.annotations).toEqualTypeOf<ToolAnnotations | undefined>();
  // @ts-expect-error: the MCP name is destructiveHint
  tool("t", { input, output, annotations: { destructive: true } });
  // @ts-expect-error: a hint is a boolean
  tool("t2", { input, output, annotations: { idempotentHint: "yes" } });
}

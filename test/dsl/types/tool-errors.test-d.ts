/**
 * Type tests: failing with partial results. A tool's `run` gets `fail`, typed by its output with every top-level field
 * optional; `ToolError` carries any result; a step's `error` is a text reference for its failure handlers.
 * Type-checked by `tsc --noEmit`, never run.
 */
import { z } from "zod";
import { expectTypeOf } from "vitest";
import { failed, tool, ToolError, workflow, type PartialResult, type Ref, type WorkflowBodyContext } from "toolweave";
import { deployOptions, notify, type DeployInput } from "./fixtures.js";

const deployApp = tool("deploy_app", {
  input: z.object({ manifest: z.string() }),
  output: z.object({ resourceId: z.string(), url: z.string(), pods: z.number() }),
  run: async ({ manifest }, { fail }) => {
    // the partial result: any subset of the output's fields, each of its type
    if (manifest === "") throw fail("empty manifest", { result: { resourceId: "r-1" }, retryable: false });
    expectTypeOf(fail).returns.toEqualTypeOf<ToolError<{ resourceId?: string; url?: string; pods?: number }>>();
    return { resourceId: "r-1", url: "http://x", pods: 1 };
  },
});

// A field the output does not have, or one of the wrong type, is not a partial result.
const wrongPartial = tool("wrong_partial", {
  input: z.object({}),
  output: z.object({ resourceId: z.string() }),
  run: async (_input, { fail }) => {
    // @ts-expect-error: the output has no field "resourceID"
    if (Math.random() > 2) throw fail("x", { result: { resourceID: "r-1" } });
    // @ts-expect-error: resourceId is a string
    throw fail("x", { result: { resourceId: 1 } });
  },
});
void wrongPartial;

// ToolError itself carries any result; its type parameter says which.
function toolErrorTyped() {
  const error = new ToolError("half done", { result: { resourceId: "r-1" } });
  expectTypeOf(error.result).toEqualTypeOf<{ resourceId: string } | undefined>();
  expectTypeOf(error.nonRetryable).toEqualTypeOf<boolean>();
  expectTypeOf<PartialResult<{ a: string; b: number }>>().toEqualTypeOf<{ a?: string; b?: number }>();
}
void toolErrorTyped;

// A step's error is a text reference of the body's scope: a failure handler passes it where text is taken.
function stepErrorIsText() {
  workflow("w", deployOptions, <W>({ step }: WorkflowBodyContext<DeployInput, W>) => {
    const deploy = step("deploy").tool(deployApp).with({ manifest: "m" });
    expectTypeOf(deploy.error).toEqualTypeOf<Ref<string, W>>();
    step("cleanup").tool(notify).with({ text: deploy.error }).when(failed(deploy));
    step("cleanup_partial").tool(notify).with({ text: deploy.out.resourceId }).when(failed(deploy));
    step("bad")
      .tool(tool("n", { input: z.object({ n: z.number() }), output: z.object({}) }))
      // @ts-expect-error: the error is text, not a number
      .with({ n: deploy.error });
    return {};
  });
}
void stepErrorIsText;

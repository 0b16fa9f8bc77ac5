/**
 * Type tests: what `workflow()` returns (its outputs typed from the body's return), and `run()`: variables typed by
 * the zod input, outputs typed by the status. Type-checked by `tsc --noEmit`, never run.
 */
import type { z } from "zod";
import { expectTypeOf } from "vitest";
import { workflow, type OutputsOf, type Ref, type Workflow, type WorkflowRunResult } from "toolweave";
import { apply, build, type deployInput, deployOptions, push } from "./fixtures.js";

const buildParams = { image: "app", cache: { enabled: true, paths: [] }, labels: [] };

/** The DESIGN §6 shape: `{ url: apply.out.url }` plus a few other kinds of output. */
function deployWorkflow() {
  return workflow("deploy", deployOptions, ({ input, step }) => {
    const b = step("b")
      .tool(build)
      .with({ ...buildParams, image: input.image });
    const p = b.then(step("p").tool(push).with({ imageId: b.out.imageId }));
    const a = step("a").tool(apply).with({ manifest: input.manifest, replicas: input.replicas }).after(p);
    return {
      url: a.out.url,
      pods: a.out.pods,
      digest: b.out.manifest.digest,
      firstItem: b.out.items[0],
      warning: b.out.warning,
      summary: `${a.out.url} (${a.out.pods} pods)`,
      version: 3,
      image: input.image,
    };
  });
}

// `workflow(...)` returns `Workflow<I, Outputs>`: references become their value types, literals and text stay as they are.
function workflowType() {
  const deploy = deployWorkflow();
  expectTypeOf(deploy).toEqualTypeOf<
    Workflow<
      typeof deployInput,
      {
        url: string;
        pods: number;
        digest: string;
        firstItem: { id: string; bytes: number };
        warning: string | undefined;
        summary: string;
        version: number;
        image: string;
      }
    >
  >();
}

// `OutputsOf` maps each returned value through `ValueOf`.
function outputsOf() {
  expectTypeOf<OutputsOf<{ a: Ref<string>; b: Ref<{ n: number }[]>; c: "lit" }>>().toEqualTypeOf<{
    a: string;
    b: { n: number }[];
    c: "lit";
  }>();
}

// A body that returns nothing useful: `{}` gives a workflow without outputs.
function noOutputs() {
  const w = workflow("w", deployOptions, () => ({}));
  expectTypeOf(w).toEqualTypeOf<Workflow<typeof deployInput, {}>>();
}

// The body must return an object of outputs: not a reference, not undefined.
function bodyReturnsAnObject() {
  // @ts-expect-error: a reference is not a Record of outputs
  workflow("w", deployOptions, ({ step }) => step("p").tool(push).with({ imageId: "x" }).out.ref);
  // @ts-expect-error: void is not a Record of outputs
  workflow("w2", deployOptions, ({ step }) => {
    step("p").tool(push).with({ imageId: "x" });
  });
}

// `run()` takes the zod *input* of the workflow: defaulted and optional fields may be left out.
function runVariables() {
  const deploy = deployWorkflow();
  expectTypeOf(deploy.run).parameter(0).toEqualTypeOf<z.input<typeof deployInput>>();
  void deploy.run({ image: "app", manifest: "k8s.yaml" });
  void deploy.run({ image: "app", manifest: "k8s.yaml", replicas: 3, env: "prod" });
}

// A variable of the wrong type is rejected.
function runWrongType() {
  const deploy = deployWorkflow();
  // @ts-expect-error: replicas is a number
  void deploy.run({ image: "app", manifest: "k8s.yaml", replicas: "3" });
  // @ts-expect-error: env is "staging" | "prod"
  void deploy.run({ image: "app", manifest: "k8s.yaml", env: "dev" });
}

// A missing required variable is rejected.
function runMissingField() {
  const deploy = deployWorkflow();
  // @ts-expect-error: manifest is required
  void deploy.run({ image: "app" });
}

// An unknown variable is rejected (excess property).
function runUnknownField() {
  const deploy = deployWorkflow();
  // @ts-expect-error: imgae is not a variable
  void deploy.run({ imgae: "app", image: "app", manifest: "k8s.yaml" });
}

// `run()` resolves to a `WorkflowRunResult` of the outputs.
async function runResult() {
  const deploy = deployWorkflow();
  const result = await deploy.run({ image: "app", manifest: "k8s.yaml" });
  type Out = typeof deploy extends Workflow<typeof deployInput, infer O> ? O : never;
  expectTypeOf(result).toEqualTypeOf<WorkflowRunResult<Out>>();
  expectTypeOf(result.status).toEqualTypeOf<"completed" | "failed" | "cancelled">();
}

// Narrowed on status: "completed" has every output; "failed" and "cancelled" have `Partial` outputs.
async function outputsByStatus() {
  const deploy = deployWorkflow();
  const result = await deploy.run({ image: "app", manifest: "k8s.yaml" });
  if (result.status === "completed") {
    expectTypeOf(result.outputs.url).toEqualTypeOf<string>();
    expectTypeOf(result.outputs.firstItem.id).toEqualTypeOf<string>();
    expectTypeOf(result.outputs.warning).toEqualTypeOf<string | undefined>();
  } else {
    expectTypeOf(result.status).toEqualTypeOf<"failed" | "cancelled">();
    expectTypeOf(result.outputs.url).toEqualTypeOf<string | undefined>();
    // @ts-expect-error: a failed run may lack any output
    result.outputs.firstItem.id;
  }
}

// Before narrowing, an output may be missing. (Errors print the outputs expanded: "Property 'urls' does not exist
// on type '{ url: string; ... }'", because workflow() spells the mapped type inline rather than through an alias.)
async function outputsBeforeNarrowing() {
  const deploy = deployWorkflow();
  const result = await deploy.run({ image: "app", manifest: "k8s.yaml" });
  expectTypeOf(result.outputs.url).toEqualTypeOf<string | undefined>();
  // @ts-expect-error: no output urls
  result.outputs.urls;
}

// The rest of the executor's result is there: failed and skipped steps.
async function resultFacts() {
  const deploy = deployWorkflow();
  const result = await deploy.run({ image: "app", manifest: "k8s.yaml" });
  expectTypeOf(result.failedSteps[0]!.id).toEqualTypeOf<string>();
  expectTypeOf(result.skippedSteps[0]!.reason).toEqualTypeOf<string>();
}

// `run()` options are checked: tools by name, concurrency a number.
function runOptions() {
  const deploy = deployWorkflow();
  void deploy.run({ image: "app", manifest: "k8s.yaml" }, { concurrency: 4, failFast: true });
  // @ts-expect-error: concurrency is a number
  void deploy.run({ image: "app", manifest: "k8s.yaml" }, { concurrency: "4" });
}

/**
 * Type tests: `step(id).workflow(other)`: parameters typed by the other workflow's zod input, `.out` by its
 * outputs. Type-checked by `tsc --noEmit`, never run.
 */
import { z } from "zod";
import { expectTypeOf } from "vitest";
import { failed, workflow, type Ref, type ToolStep, type WorkflowBodyContext } from "toolweave";
import { apply, build, deployOptions, notify, push, type DeployInput } from "./fixtures.js";

const releaseInput = z.object({ image: z.string(), channel: z.string().default("#releases"), dryRun: z.boolean().optional() });

/** A small workflow used as a sub-workflow. */
function releaseWorkflow() {
  return workflow("release", { description: "release", input: releaseInput }, ({ input, step }) => {
    const p = step("p").tool(push).with({ imageId: input.image });
    const n = step("n")
      .tool(notify)
      .with({ text: `released ${p.out.ref}`, channel: input.channel });
    return { ref: p.out.ref, sent: n.out.sent, note: `for ${input.image}` };
  });
}

// `step(id).workflow(other)` is a step whose parameters are other's zod input and whose output is other's outputs.
function subWorkflowStepType() {
  const release = releaseWorkflow();
  workflow("w", deployOptions, <W>({ step }: WorkflowBodyContext<DeployInput, W>) => {
    const r = step("r").workflow(release).with({ image: "app" });
    expectTypeOf(r).toEqualTypeOf<
      ToolStep<
        { image: string; channel?: string | undefined; dryRun?: boolean | undefined },
        { ref: string; sent: boolean; note: string },
        W
      >
    >();
    return {};
  });
}

// Its `.with()` is checked like a tool's: references of compatible types, defaults optional.
function subWorkflowParams() {
  const release = releaseWorkflow();
  workflow("w", deployOptions, ({ input, step }) => {
    const b = step("b")
      .tool(build)
      .with({ image: input.image, cache: { enabled: true, paths: [] }, labels: [] });
    step("r").workflow(release).with({ image: b.out.imageId });
    step("r2").workflow(release).with({ image: "app", channel: input.manifest, dryRun: b.out.cached });
    return {};
  });
}

// A wrong-typed reference, a missing input, an unknown input: rejected.
function subWorkflowParamErrors() {
  const release = releaseWorkflow();
  workflow("w", deployOptions, ({ input, step }) => {
    const b = step("b")
      .tool(build)
      .with({ image: input.image, cache: { enabled: true, paths: [] }, labels: [] });
    // @ts-expect-error: image is a string, sizeMb a number
    step("r").workflow(release).with({ image: b.out.sizeMb });
    // @ts-expect-error: image is required
    step("r2").workflow(release).with({ channel: "#x" });
    // @ts-expect-error: imgae is not an input of release
    step("r3").workflow(release).with({ image: "app", imgae: "app" });
    return {};
  });
}

// `.out` is typed by other's outputs, and feeds later steps; a missing output is a compile error.
function subWorkflowOut() {
  const release = releaseWorkflow();
  workflow("w", deployOptions, <W>({ step }: WorkflowBodyContext<DeployInput, W>) => {
    const r = step("r").workflow(release).with({ image: "app" });
    expectTypeOf(r.out.ref).toEqualTypeOf<Ref<string, W>>();
    expectTypeOf(r.out.sent).toEqualTypeOf<Ref<boolean, W>>();
    step("a").tool(apply).with({ manifest: r.out.note, replicas: 1 }).when(r.out.sent);
    // @ts-expect-error: release has no output url
    r.out.url;
    // @ts-expect-error: sent is a boolean, manifest a string
    step("a2").tool(apply).with({ manifest: r.out.sent, replicas: 1 });
    return {};
  });
}

// A sub-workflow step orders and is ordered like any step, and can have a failure handler.
function subWorkflowOrdering() {
  const release = releaseWorkflow();
  workflow("w", deployOptions, ({ step }) => {
    const p = step("p").tool(push).with({ imageId: "x" });
    const r = p
      .then(step("r").workflow(release).with({ image: p.out.ref }))
      .retry({ max: 1 })
      .timeout(60_000);
    step("undo").tool(notify).with({ text: "release failed" }).when(failed(r));
    return {};
  });
}

// A workflow's sub-workflow can itself be the output of another sub-workflow's step (outputs nest).
function nestedSubWorkflows() {
  const release = releaseWorkflow();
  const wrapper = workflow("wrapper", { description: "", input: releaseInput }, ({ input, step }) => {
    const r = step("r").workflow(release).with({ image: input.image });
    return { inner: r.out };
  });
  workflow("w", deployOptions, <W>({ step }: WorkflowBodyContext<DeployInput, W>) => {
    const w = step("w").workflow(wrapper).with({ image: "app" });
    expectTypeOf(w.out.inner.ref).toEqualTypeOf<Ref<string, W>>();
    return {};
  });
}

// `.workflow()` takes a workflow, not a tool, and `.tool()` a tool, not a workflow.
function workflowVsTool() {
  const release = releaseWorkflow();
  workflow("w", deployOptions, ({ step }) => {
    // @ts-expect-error: a tool is not a workflow
    step("a").workflow(push);
    // @ts-expect-error: a workflow is not a tool
    step("b").tool(release);
    return {};
  });
}

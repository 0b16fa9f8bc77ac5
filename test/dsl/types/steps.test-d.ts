/**
 * Type tests: the step builder's ordering and control methods (`.then`, `.after`, `.retry`, `.timeout`,
 * `.describe`) and what `await` does with a builder. Type-checked by `tsc --noEmit`, never run.
 */
import type { z } from "zod";
import { expectTypeOf } from "vitest";
import { workflow, type Ref, type StepHandle, type ToolStep, type WorkflowBodyContext } from "toolweave";
import { apply, deployOptions, notify, push, type DeployInput } from "./fixtures.js";

// `step(id).tool(t).with(...)` is a `ToolStep<zod input, zod output, W>`.
function toolStepType() {
  workflow("w", deployOptions, <W>({ step }: WorkflowBodyContext<DeployInput, W>) => {
    expectTypeOf(step("a").tool(apply).with({ manifest: "m", replicas: 1 })).toEqualTypeOf<
      ToolStep<
        { manifest: string; replicas: number },
        { url: string; ready: boolean; pods: number; phase: "pending" | "running" | "done" },
        W
      >
    >();
    return {};
  });
}

// `.then(next)` returns next's type (so `const push = build.then(step("push")...)` is the push step).
function thenReturnsNext() {
  workflow("w", deployOptions, <W>({ step }: WorkflowBodyContext<DeployInput, W>) => {
    const p = step("p").tool(push).with({ imageId: "x" });
    const a = p.then(step("a").tool(apply).with({ manifest: "m", replicas: 1 }));
    expectTypeOf(a).toEqualTypeOf<ToolStep<{ manifest: string; replicas: number }, z.output<typeof apply.output>, W>>();
    expectTypeOf(a.out.url).toEqualTypeOf<Ref<string, W>>();
    const n = step("n").tool(notify).with({ text: a.out.url });
    expectTypeOf(a.then(n)).toEqualTypeOf(n);
    return {};
  });
}

// `.then()` chains: each call returns the next step.
function thenChains() {
  workflow("w", deployOptions, <W>({ step }: WorkflowBodyContext<DeployInput, W>) => {
    const last = step("a")
      .tool(push)
      .with({ imageId: "x" })
      .then(step("b").tool(apply).with({ manifest: "m", replicas: 1 }))
      .then(step("c").tool(notify).with({ text: "done" }));
    expectTypeOf(last).toEqualTypeOf<ToolStep<{ text: string; channel?: string | undefined }, { sent: boolean }, W>>();
    return {};
  });
}

// `.then()` takes a step, not a function (it is not a promise's `then`).
function thenTakesAStep() {
  workflow("w", deployOptions, ({ step }) => {
    const p = step("p").tool(push).with({ imageId: "x" });
    // @ts-expect-error: a callback is not a step
    p.then(() => 1);
    // @ts-expect-error: nor is a reference
    p.then(p.out);
    return {};
  });
}

// `.after(...steps)` takes any number of this workflow's steps and returns the step itself.
function afterSteps() {
  workflow("w", deployOptions, <W>({ step }: WorkflowBodyContext<DeployInput, W>) => {
    const p = step("p").tool(push).with({ imageId: "x" });
    const a = step("a").tool(apply).with({ manifest: "m", replicas: 1 });
    const n = step("n").tool(notify).with({ text: "x" });
    expectTypeOf(n.after(p, a)).toEqualTypeOf(n);
    expectTypeOf(n.after).parameters.toEqualTypeOf<StepHandle<W>[]>();
    // @ts-expect-error: a reference is not a step
    step("m").tool(notify).with({ text: "x" }).after(p.out);
    return {};
  });
}

// Every control method returns the step, so the order of calls is free.
function controlMethodsChain() {
  workflow("w", deployOptions, ({ step }) => {
    const p = step("p").tool(push).with({ imageId: "x" });
    const a = step("a")
      .tool(apply)
      .retry({ max: 3, delayMs: 500, backoff: "exponential" })
      .timeout(30_000)
      .describe("apply")
      .with({ manifest: "m", replicas: 1 })
      .when(p.out.ok);
    expectTypeOf(a).toEqualTypeOf<ReturnType<typeof a.retry>>();
    expectTypeOf(a.timeout(1)).toEqualTypeOf(a);
    return {};
  });
}

// `.retry({ max: "3" })` is rejected: max is a number of attempts after the first.
function retryMaxString() {
  workflow("w", deployOptions, ({ step }) => {
    // @ts-expect-error: max is a number
    step("p").tool(push).with({ imageId: "x" }).retry({ max: "3" });
    return {};
  });
}

// Other retry mistakes: an unknown backoff, a missing max, a misspelt option, a bare number.
function retryMistakes() {
  workflow("w", deployOptions, ({ step }) => {
    // @ts-expect-error: backoff is "fixed" | "exponential"
    step("a").tool(push).with({ imageId: "x" }).retry({ max: 1, backoff: "linear" });
    // @ts-expect-error: max is required
    step("b").tool(push).with({ imageId: "x" }).retry({ delayMs: 100 });
    // @ts-expect-error: delay is not an option (delayMs is)
    step("c").tool(push).with({ imageId: "x" }).retry({ max: 1, delay: 100 });
    // @ts-expect-error: a policy object, not a count
    step("d").tool(push).with({ imageId: "x" }).retry(3);
    return {};
  });
}

// `.timeout()` takes milliseconds as a number; `.describe()` a string.
function timeoutAndDescribe() {
  workflow("w", deployOptions, ({ step }) => {
    // @ts-expect-error: "5s" is not a number of milliseconds
    step("a").tool(push).with({ imageId: "x" }).timeout("5s");
    // @ts-expect-error: describe takes text
    step("b").tool(push).with({ imageId: "x" }).describe({ text: "x" });
    return {};
  });
}

// `step()` takes an id string and `.tool()` a tool.
function stepAndToolArguments() {
  workflow("w", deployOptions, ({ step }) => {
    // @ts-expect-error: a step id is a string
    step(1);
    // @ts-expect-error: an object that is not a tool
    step("a").tool({ name: "apply" });
    return {};
  });
}

// `await step(...)...` does not compile: TS1320 "Type of 'await' operand must either be a valid promise or must
// not contain a callable 'then' member" (the builder's `then(next: StepHandle)` is not a promise's). At run time
// the builder rejects with "step "p" is a step builder, not a promise: remove the await" instead of hanging.
function awaitingABuilder() {
  workflow("w", deployOptions, ({ step }) => {
    void (async () => {
      // @ts-expect-error: TS1320 awaiting a builder
      await step("p").tool(push).with({ imageId: "x" });
    })();
    return {};
  });
}

// What `await` would produce: `Awaited<ToolStep>` is `never` (its `then` takes no callback), so nothing usable.
function awaitedBuilderIsNever() {
  workflow("w", deployOptions, ({ step }) => {
    const p = step("p").tool(push).with({ imageId: "x" });
    expectTypeOf<Awaited<typeof p>>().toBeNever();
    return {};
  });
}

// Returning a builder from an async function does not compile either (TS1058, same reason), and
// `Promise.resolve(builder)` is a `Promise<never>`.
function builderInAsyncReturn() {
  workflow("w", deployOptions, ({ step }) => {
    // @ts-expect-error: TS1058 the return type of an async function must not contain a callable 'then'
    void (async () => step("p").tool(push).with({ imageId: "x" }))();
    expectTypeOf(Promise.resolve(step("q").tool(push).with({ imageId: "x" }))).toEqualTypeOf<Promise<never>>();
    return {};
  });
}

// An async body does not compile: the body declares steps synchronously and returns the outputs, not a promise.
function asyncBodyRejected() {
  // @ts-expect-error: Promise<{}> is not a Record<string, unknown> of outputs
  workflow("w", deployOptions, async () => ({}));
}

/**
 * Type tests: `workflow()`'s options. `input` and `description` may be left out (a workflow that takes no
 * variables, whose body's `input` has no fields and whose `run()` needs no arguments); `timeoutMs` bounds the run.
 * Type-checked by `tsc --noEmit`, never run.
 */
import { z } from "zod";
import { expectTypeOf } from "vitest";
import { workflow, type NoInput, type Workflow } from "toolweave";
import { apply, deployOptions, notify } from "./fixtures.js";

// No input, no description: the workflow takes no variables.
async function withoutInput() {
  const hello = workflow("hello", {}, ({ input, step }) => {
    // @ts-expect-error: a workflow declared without input has no variables to reference
    input.name;
    const n = step("n").tool(notify).with({ text: "hello" });
    return { sent: n.out.sent };
  });
  expectTypeOf(hello).toEqualTypeOf<Workflow<NoInput, { sent: boolean }>>();
  expectTypeOf(hello.description).toEqualTypeOf<string>();
  // run() without variables, or with none
  const result = await hello.run();
  await hello.run({});
  await hello.run({}, { timeoutMs: 1_000 });
  // @ts-expect-error: no variable is known
  await hello.run({ name: "x" });
  if (result.status === "completed") expectTypeOf(result.outputs.sent).toEqualTypeOf<boolean>();
  expectTypeOf(result.status).toEqualTypeOf<"completed" | "failed" | "cancelled">();
}

// A workflow with required variables still needs them.
async function withInput() {
  const deploy = workflow("deploy", deployOptions, ({ input, step }) => {
    const a = step("a").tool(apply).with({ manifest: input.manifest, replicas: input.replicas });
    return { url: a.out.url };
  });
  // @ts-expect-error: image and manifest are required
  await deploy.run();
  await deploy.run({ image: "app", manifest: "k8s.yaml" }, { timeoutMs: null });
}

// Only optional variables: run() may leave them out.
async function optionalInput() {
  const report = workflow("report", { input: z.object({ channel: z.string().default("#ops") }) }, ({ input, step }) => {
    step("n").tool(notify).with({ text: "done", channel: input.channel });
    return {};
  });
  await report.run();
  await report.run({ channel: "#dev" });
}

// timeoutMs is a number of milliseconds.
function timeouts() {
  workflow("bounded", { timeoutMs: 30_000 }, ({ step }) => {
    step("n").tool(notify).with({ text: "x" });
    return {};
  });
  // @ts-expect-error: milliseconds, not a duration string
  workflow("bounded", { timeoutMs: "30s" }, ({ step }) => {
    step("n").tool(notify).with({ text: "x" });
    return {};
  });
}

void [withoutInput, withInput, optionalInput, timeouts];

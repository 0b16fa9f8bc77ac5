/**
 * Type tests: `.with()` takes the tool's zod input, where every value may be a literal or a reference of a
 * compatible type, at any depth. Type-checked by `tsc --noEmit`, never run.
 */
import { z } from "zod";
import { expectTypeOf } from "vitest";
import {
  failed,
  tool,
  workflow,
  type Param,
  type ParamObject,
  type Ref,
  type RefTo,
  type StepNeedingParams,
  type ToolStep,
  type WorkflowBodyContext,
} from "toolweave";
import { apply, build, deployOptions, notify, push, type DeployInput } from "./fixtures.js";

// The parameter type is the tool's zod *input*: defaults and optionals are optional, each field a `Param`.
function paramTypeIsZodInput() {
  workflow("w", deployOptions, <W>({ step }: WorkflowBodyContext<DeployInput, W>) => {
    const p = step("p").tool(push);
    expectTypeOf(p).toEqualTypeOf<StepNeedingParams<{ imageId: string; retries?: number | undefined }, { ref: string; ok: boolean }, W>>();
    expectTypeOf(p.with).returns.toEqualTypeOf<
      ToolStep<{ imageId: string; retries?: number | undefined }, { ref: string; ok: boolean }, W>
    >();
    expectTypeOf(p.with).parameter(0).toEqualTypeOf<ParamObject<{ imageId: string; retries?: number | undefined }, W>>();
    expectTypeOf<Param<string, W>>().toEqualTypeOf<string | RefTo<string, W>>();
    return {};
  });
}

// Literals of the right type are accepted, and `.with()` returns the same step type.
function literalsAccepted() {
  workflow("w", deployOptions, ({ step }) => {
    const a = step("a").tool(apply).with({ manifest: "k8s.yaml", replicas: 3 });
    expectTypeOf(a.with).returns.toEqualTypeOf<typeof a>();
    return {};
  });
}

// A wrong field name is an excess property (TS2561 "Did you mean to write 'manifest'?").
function wrongFieldName() {
  workflow("w", deployOptions, ({ step }) => {
    // @ts-expect-error: manifset is not a parameter
    step("a").tool(apply).with({ manifset: "k8s.yaml", replicas: 3 });
    return {};
  });
}

// A literal of the wrong type is rejected.
function wrongLiteralType() {
  workflow("w", deployOptions, ({ step }) => {
    // @ts-expect-error: replicas is a number
    step("a").tool(apply).with({ manifest: "k8s.yaml", replicas: "3" });
    return {};
  });
}

// A literal outside an enum is rejected.
function wrongEnumLiteral() {
  workflow("w", deployOptions, ({ step }) => {
    step("b")
      .tool(build)
      // @ts-expect-error: platform is "linux/amd64" | "linux/arm64"
      .with({ image: "app", platform: "windows", cache: { enabled: true, paths: [] }, labels: [] });
    return {};
  });
}

// A missing required parameter is rejected.
function missingRequiredParam() {
  workflow("w", deployOptions, ({ step }) => {
    // @ts-expect-error: replicas is required
    step("a").tool(apply).with({ manifest: "k8s.yaml" });
    return {};
  });
}

// An extra parameter is rejected (TS2353).
function extraParam() {
  workflow("w", deployOptions, ({ step }) => {
    // @ts-expect-error: namespace is not a parameter
    step("a").tool(apply).with({ manifest: "k8s.yaml", replicas: 3, namespace: "x" });
    return {};
  });
}

// `undefined` for a required parameter is rejected.
function undefinedForRequired() {
  workflow("w", deployOptions, ({ step }) => {
    // @ts-expect-error: manifest cannot be undefined
    step("a").tool(apply).with({ manifest: undefined, replicas: 3 });
    return {};
  });
}

// zod `.default()` and `.optional()` fields may be left out.
function defaultsAndOptionalsMayBeOmitted() {
  workflow("w", deployOptions, ({ step }) => {
    step("p").tool(push).with({ imageId: "sha" });
    step("p2").tool(push).with({ imageId: "sha", retries: 2 });
    step("n").tool(notify).with({ text: "hi" });
    step("b")
      .tool(build)
      .with({ image: "app", cache: { enabled: false, paths: [] }, labels: [] });
    return {};
  });
}

// A reference of a compatible type is accepted: output fields and inputs.
function compatibleRefAccepted() {
  workflow("w", deployOptions, ({ input, step }) => {
    const b = step("b")
      .tool(build)
      .with({ image: input.image, cache: { enabled: true, paths: [] }, labels: [] });
    step("p").tool(push).with({ imageId: b.out.imageId });
    step("a").tool(apply).with({ manifest: input.manifest, replicas: input.replicas });
    return {};
  });
}

// A reference of a narrower type is accepted (an enum output into a string parameter).
function narrowerRefAccepted() {
  workflow("w", deployOptions, ({ step }) => {
    const a = step("a").tool(apply).with({ manifest: "m", replicas: 1 });
    step("n").tool(notify).with({ text: a.out.phase });
    return {};
  });
}

// A reference of the wrong type is rejected: a `Ref<number>` into a string parameter.
function wrongTypeRefRejected() {
  workflow("w", deployOptions, ({ step }) => {
    const b = step("b")
      .tool(build)
      .with({ image: "app", cache: { enabled: true, paths: [] }, labels: [] });
    // @ts-expect-error: Ref<number> is not a Param<string>
    step("p").tool(push).with({ imageId: b.out.sizeMb });
    return {};
  });
}

// A reference of a wider type is rejected: a `Ref<string>` into an enum parameter.
function widerRefRejected() {
  workflow("w", deployOptions, ({ input, step }) => {
    step("b")
      .tool(build)
      // @ts-expect-error: string is not "linux/amd64" | "linux/arm64"
      .with({ image: "app", platform: input.image, cache: { enabled: true, paths: [] }, labels: [] });
    return {};
  });
}

// A whole object reference is accepted where its shape matches, rejected where it does not.
function wholeObjectRef() {
  const consume = tool("consume", { input: z.object({ layers: z.object({ count: z.number() }) }), output: z.object({}) });
  workflow("w", deployOptions, ({ step }) => {
    const b = step("b")
      .tool(build)
      .with({ image: "app", cache: { enabled: true, paths: [] }, labels: [] });
    step("ok").tool(consume).with({ layers: b.out.manifest.layers });
    // @ts-expect-error: manifest is { digest, layers }, not { count }
    step("bad").tool(consume).with({ layers: b.out.manifest });
    return {};
  });
}

// Nested object parameters take references at their leaves.
function nestedParamsWithRefs() {
  workflow("w", deployOptions, ({ input, step }) => {
    const p = step("p").tool(push).with({ imageId: "x" });
    step("b")
      .tool(build)
      .with({ image: input.image, cache: { enabled: p.out.ok, paths: ["/tmp", input.manifest] }, labels: [] });
    step("b2")
      .tool(build)
      // @ts-expect-error: cache.enabled is a boolean, not a string
      .with({ image: input.image, cache: { enabled: input.image, paths: [] }, labels: [] });
    return {};
  });
}

// Arrays of references, arrays of objects with references, and an array reference of the right item type.
function arraysOfRefs() {
  workflow("w", deployOptions, ({ input, step }) => {
    const b = step("b")
      .tool(build)
      .with({ image: "app", cache: { enabled: true, paths: [] }, labels: [] });
    step("b2")
      .tool(build)
      .with({
        image: "app",
        cache: { enabled: true, paths: [input.image, b.out.imageId, "literal", b.out.items[0].id] },
        labels: [
          { key: "digest", value: b.out.manifest.digest },
          { key: input.manifest, value: "x" },
        ],
      });
    step("b3")
      .tool(build)
      .with({ image: "app", cache: { enabled: true, paths: [] }, labels: [{ key: "k", value: b.out.items[1].id }] });
    return {};
  });
}

// An array reference must have the parameter's item type.
function arrayRefItemType() {
  const ids = tool("ids", { input: z.object({ ids: z.array(z.object({ id: z.string(), bytes: z.number() })) }), output: z.object({}) });
  const keys = tool("keys", {
    input: z.object({ labels: z.array(z.object({ key: z.string(), value: z.string() })) }),
    output: z.object({}),
  });
  workflow("w", deployOptions, ({ step }) => {
    const b = step("b")
      .tool(build)
      .with({ image: "app", cache: { enabled: true, paths: [] }, labels: [] });
    step("ok").tool(ids).with({ ids: b.out.items });
    // @ts-expect-error: items are { id, bytes }, not { key, value }
    step("bad").tool(keys).with({ labels: b.out.items });
    return {};
  });
}

// A wrong-typed reference inside an array is rejected.
function wrongRefInArray() {
  workflow("w", deployOptions, ({ input, step }) => {
    step("b")
      .tool(build)
      // @ts-expect-error: replicas is a number, paths are strings
      .with({ image: "app", cache: { enabled: true, paths: [input.replicas] }, labels: [] });
    return {};
  });
}

// Template strings with references are strings: accepted for string parameters, whatever the reference's type.
function templateStrings() {
  workflow("w", deployOptions, ({ input, step }) => {
    const b = step("b")
      .tool(build)
      .with({ image: `${input.image}:${input.replicas}`, cache: { enabled: true, paths: [] }, labels: [] });
    step("n")
      .tool(notify)
      .with({ text: `built ${b.out.imageId} (${b.out.sizeMb} MB, ${b.out.items[0].id})` });
    return {};
  });
}

// A template string is not accepted for a number parameter.
function templateStringForNumber() {
  workflow("w", deployOptions, ({ input, step }) => {
    step("a")
      .tool(apply)
      // @ts-expect-error: replicas is a number
      .with({ manifest: "m", replicas: `${input.replicas}` });
    return {};
  });
}

// An optional parameter takes a literal, undefined, or a reference of the type; not a reference whose value may be
// missing (an optional input or output), since a missing value fails the step at run time instead of being undefined.
function optionalParamTakesOptionalRef() {
  workflow("w", deployOptions, ({ input, step }) => {
    const b = step("b")
      .tool(build)
      .with({ image: "app", cache: { enabled: true, paths: [] }, labels: [] });
    step("n1").tool(notify).with({ text: "t", channel: undefined });
    step("n2").tool(notify).with({ text: "t", channel: b.out.imageId });
    // @ts-expect-error an optional input may be missing
    step("n3").tool(notify).with({ text: "t", channel: input.env });
    // @ts-expect-error an optional output field may be missing
    step("n4").tool(notify).with({ text: "t", channel: b.out.warning });
    return {};
  });
}

// An optional reference is rejected where the parameter is required.
function optionalRefForRequiredParam() {
  workflow("w", deployOptions, ({ input, step }) => {
    const b = step("b")
      .tool(build)
      .with({ image: "app", cache: { enabled: true, paths: [] }, labels: [] });
    // @ts-expect-error: warning may be undefined, text may not
    step("n").tool(notify).with({ text: b.out.warning });
    // @ts-expect-error: env may be undefined, text may not
    step("n2").tool(notify).with({ text: input.env });
    return {};
  });
}

// A zod transform: `.with()` takes the schema's input type, `.out` gives the output type.
function transformInputVsOutput() {
  const parse = tool("parse", {
    input: z.object({ port: z.string().transform((s) => Number(s)) }),
    output: z.object({ n: z.string().transform((s) => s.length) }),
  });
  workflow("w", deployOptions, <W>({ step }: WorkflowBodyContext<DeployInput, W>) => {
    const p = step("p").tool(parse).with({ port: "8080" });
    expectTypeOf(p.out.n).toEqualTypeOf<Ref<number, W>>();
    // @ts-expect-error: the input side of port is a string
    step("p2").tool(parse).with({ port: 8080 });
    return {};
  });
}

// An unknown input reference in `.with()` is a compile error.
function unknownInputInWith() {
  workflow("w", deployOptions, ({ input, step }) => {
    // @ts-expect-error: no input imgae
    step("p").tool(push).with({ imageId: input.imgae });
    return {};
  });
}

// `.with()` needs an object: a bare reference or a primitive is rejected.
function withNeedsAnObject() {
  workflow("w", deployOptions, ({ input, step }) => {
    // @ts-expect-error: a string is not the parameter object
    step("p").tool(push).with("sha");
    // @ts-expect-error: nor is a reference
    step("p2").tool(push).with(input.image);
    return {};
  });
}

// A step whose tool has required parameters has no `.out` and cannot be ordered against until `.with()` gives them:
// forgetting them is a compile error where the step is used, not a failed input validation at run time.
function missingWithRejected() {
  workflow("w", deployOptions, ({ step }) => {
    const a = step("a").tool(apply).retry({ max: 1 }).describe("no parameters yet");
    // @ts-expect-error: Property 'out' does not exist on type 'StepNeedingParams<{ manifest: string; replicas: number }, ...>'
    step("n").tool(notify).with({ text: a.out.url });
    // @ts-expect-error: nor can another step be ordered after it
    step("n2").tool(notify).with({ text: "x" }).after(a);
    // @ts-expect-error: nor can it handle its failure
    step("n3").tool(notify).with({ text: "x" }).when(failed(a));
    // @ts-expect-error: nor is there .then() to hand it on without parameters
    a.then(step("n4").tool(notify).with({ text: "x" }));
    const b = a.with({ manifest: "m", replicas: 1 });
    step("n5").tool(notify).with({ text: b.out.url }).after(b).when(failed(b));
    return {};
  });
}

// A tool whose parameters are all optional needs no `.with()`.
function optionalParamsNeedNoWith() {
  workflow("w", deployOptions, ({ step }) => {
    const n = step("n").tool(notify).with({ text: "x" });
    const o = step("o").tool(tool("ping", { input: z.object({ host: z.string().optional() }), output: z.object({ ms: z.number() }) }));
    step("p")
      .tool(notify)
      .with({ text: `${o.out.ms}` })
      .after(n, o);
    return {};
  });
}

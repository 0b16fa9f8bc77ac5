/**
 * Type tests: `.out` and `input` are typed references (`Ref<T, W>`) whose fields complete. Type-checked by
 * `tsc --noEmit`, never run: every case is a function nobody calls.
 */
import { z } from "zod";
import { expectTypeOf } from "vitest";
import { tool, workflow, type Ref, type ValueOf, type WorkflowBodyContext } from "toolweave";
import { apply, build, deployInput, deployOptions, push, type DeployInput } from "./fixtures.js";

const buildParams = { image: "app", cache: { enabled: true, paths: [] }, labels: [] };

// `.out.field` is a `Ref` of the field's type, in the body's own scope `W` (named here by typing the body explicitly).
function outFieldIsRefInScope() {
  workflow("w", deployOptions, <W>({ step }: WorkflowBodyContext<DeployInput, W>) => {
    const b = step("b").tool(build).with(buildParams);
    expectTypeOf(b.out.imageId).toEqualTypeOf<Ref<string, W>>();
    expectTypeOf(b.out.sizeMb).toEqualTypeOf<Ref<number, W>>();
    expectTypeOf(b.out.cached).toEqualTypeOf<Ref<boolean, W>>();
    return {};
  });
}

// Without naming W: `ValueOf` gives the value type a reference stands for.
function valueOfGivesTheFieldType() {
  workflow("w", deployOptions, ({ step }) => {
    const b = step("b").tool(build).with(buildParams);
    expectTypeOf<ValueOf<typeof b.out.imageId>>().toEqualTypeOf<string>();
    expectTypeOf<ValueOf<typeof b.out>>().toEqualTypeOf<z.output<typeof build.output>>();
    return {};
  });
}

// Nested objects: every level is a reference, down to the leaves.
function nestedFields() {
  workflow("w", deployOptions, <W>({ step }: WorkflowBodyContext<DeployInput, W>) => {
    const b = step("b").tool(build).with(buildParams);
    expectTypeOf(b.out.manifest.layers).toEqualTypeOf<Ref<{ count: number }, W>>();
    expectTypeOf(b.out.manifest.layers.count).toEqualTypeOf<Ref<number, W>>();
    return {};
  });
}

// Array items: a literal index (0-31) is a `Ref` of the item even under noUncheckedIndexedAccess, and its fields complete.
function arrayItems() {
  workflow("w", deployOptions, <W>({ step }: WorkflowBodyContext<DeployInput, W>) => {
    const b = step("b").tool(build).with(buildParams);
    expectTypeOf(b.out.items).toEqualTypeOf<Ref<{ id: string; bytes: number }[], W>>();
    expectTypeOf(b.out.items[0]).toEqualTypeOf<Ref<{ id: string; bytes: number }, W>>();
    expectTypeOf(b.out.items[0].id).toEqualTypeOf<Ref<string, W>>();
    expectTypeOf(b.out.items[31].bytes).toEqualTypeOf<Ref<number, W>>();
    return {};
  });
}

// Beyond index 31, or with a computed index, an item is read through the index signature: honestly possibly undefined.
function arrayItemsDynamicIndex(i: number) {
  workflow("w", deployOptions, <W>({ step }: WorkflowBodyContext<DeployInput, W>) => {
    const b = step("b").tool(build).with(buildParams);
    expectTypeOf(b.out.items[32]).toEqualTypeOf<Ref<{ id: string; bytes: number }, W> | undefined>();
    expectTypeOf(b.out.items[i]).toEqualTypeOf<Ref<{ id: string; bytes: number }, W> | undefined>();
    // @ts-expect-error: object is possibly undefined (TS2532)
    b.out.items[i].id;
    return {};
  });
}

// An optional field's value type includes undefined.
function optionalFieldIncludesUndefined() {
  workflow("w", deployOptions, <W>({ step }: WorkflowBodyContext<DeployInput, W>) => {
    const b = step("b").tool(build).with(buildParams);
    expectTypeOf(b.out.warning).toEqualTypeOf<Ref<string | undefined, W>>();
    expectTypeOf<ValueOf<typeof b.out.warning>>().toEqualTypeOf<string | undefined>();
    return {};
  });
}

// A field under an optional object is reachable, and carries the undefined of its parent.
function fieldOfOptionalObject() {
  workflow("w", deployOptions, <W>({ step }: WorkflowBodyContext<DeployInput, W>) => {
    const b = step("b").tool(build).with(buildParams);
    expectTypeOf(b.out.extra.note).toEqualTypeOf<Ref<string | undefined, W>>();
    return {};
  });
}

// An unknown field is a compile error (TS2551 "Did you mean 'imageId'?").
function unknownOutField() {
  workflow("w", deployOptions, ({ step }) => {
    const b = step("b").tool(build).with(buildParams);
    // @ts-expect-error: no field imageID
    b.out.imageID;
    // @ts-expect-error: no nested field manifest.digset
    b.out.manifest.digset;
    // @ts-expect-error: no field on an array item
    b.out.items[0].size;
    return {};
  });
}

// A primitive reference has no fields.
function primitiveRefHasNoFields() {
  workflow("w", deployOptions, ({ step }) => {
    const b = step("b").tool(build).with(buildParams);
    // @ts-expect-error: a string reference has no `length` (it is not a string at build time)
    b.out.imageId.length;
    return {};
  });
}

// References are read-only.
function refsAreReadOnly() {
  workflow("w", deployOptions, ({ step }) => {
    const b = step("b").tool(build).with(buildParams);
    const other = step("o").tool(build).with(buildParams);
    // @ts-expect-error: TS2540 read-only property
    b.out.imageId = other.out.imageId;
    return {};
  });
}

// `input.*` are references typed by the zod output: a defaulted field is never undefined, an optional one may be.
function inputRefs() {
  workflow("w", deployOptions, <W>({ input }: WorkflowBodyContext<DeployInput, W>) => {
    expectTypeOf(input.image).toEqualTypeOf<Ref<string, W>>();
    expectTypeOf(input.replicas).toEqualTypeOf<Ref<number, W>>();
    expectTypeOf(input.env).toEqualTypeOf<Ref<"staging" | "prod" | undefined, W>>();
    return {};
  });
}

// The body's context is inferred from the zod input without any annotation.
function inputInferredFromSchema() {
  workflow("w", { description: "", input: deployInput }, ({ input }) => {
    expectTypeOf<ValueOf<typeof input.replicas>>().toEqualTypeOf<number>();
    expectTypeOf<ValueOf<typeof input.env>>().toEqualTypeOf<"staging" | "prod" | undefined>();
    return {};
  });
}

// An unknown input is a compile error.
function unknownInput() {
  workflow("w", deployOptions, ({ input }) => {
    // @ts-expect-error: no input imgae
    input.imgae;
    return {};
  });
}

// A sub-workflow step's `.out` is typed too, and the output of another tool is unrelated to this one's.
function outOfEachToolIsItsOwn() {
  workflow("w", deployOptions, ({ step }) => {
    const p = step("p").tool(push).with({ imageId: "x" });
    expectTypeOf<ValueOf<typeof p.out.ok>>().toEqualTypeOf<boolean>();
    // @ts-expect-error: push has no imageId output
    p.out.imageId;
    return {};
  });
}

// Awaiting a reference is harmless at run time (a reference is never a thenable) and typed as the reference itself.
function awaitingARefIsTheRef() {
  workflow("w", deployOptions, ({ step }) => {
    const b = step("b").tool(build).with(buildParams);
    expectTypeOf<Awaited<typeof b.out.imageId>>().toEqualTypeOf<typeof b.out.imageId>();
    return {};
  });
}

// A zod tuple output keeps its positions: `out.pair[0]` is a `Ref<string>`, `out.pair[1]` a `Ref<number>`, and there
// is no third.
function tupleItemsKeepPositions() {
  const pairs = tool("pairs", { input: z.object({}), output: z.object({ pair: z.tuple([z.string(), z.number()]) }) });
  workflow("w", deployOptions, ({ step }) => {
    const b = step("b").tool(pairs).with({});
    expectTypeOf<ValueOf<(typeof b.out.pair)[0]>>().toEqualTypeOf<string>();
    expectTypeOf<ValueOf<(typeof b.out.pair)[1]>>().toEqualTypeOf<number>();
    expectTypeOf<ValueOf<typeof b.out.pair>>().toEqualTypeOf<[string, number]>();
    // @ts-expect-error: a pair has no third item
    b.out.pair[2];
    step("n").tool(apply).with({ manifest: b.out.pair[0], replicas: b.out.pair[1] });
    // @ts-expect-error: position 0 is a string, not a number
    step("n2").tool(apply).with({ manifest: "m", replicas: b.out.pair[0] });
    return {};
  });
}

/**
 * Type tests: a map step (`step(id).forEach(list)`) sees its item typed, and its `.out` is the array of its tool's
 * output. Type-checked by `tsc --noEmit`, never run.
 */
import { z } from "zod";
import { expectTypeOf } from "vitest";
import { eq, tool, workflow, type MapStep, type Ref } from "toolweave";
import { apply, build, deployOptions, notify } from "./fixtures.js";

const buildParams = { image: "app", cache: { enabled: true, paths: [] }, labels: [] };
const fanIn = tool("fan_in", { input: z.object({ urls: z.array(z.object({ url: z.string() })) }), output: z.object({ n: z.number() }) });
const fanInNullable = tool("fan_in_nullable", {
  input: z.object({ urls: z.array(z.object({ url: z.string() }).nullable()) }),
  output: z.object({ n: z.number() }),
});

// The item has the list element's type, the index is a number, and `.out` is an array of the tool's output.
function itemAndOutTyped() {
  workflow("w", deployOptions, ({ step }) => {
    const b = step("b").tool(build).with(buildParams);
    const each = step("each")
      .forEach(b.out.items)
      .tool(apply)
      .with((item, index) => {
        expectTypeOf(item).toEqualTypeOf<Ref<{ id: string; bytes: number }, "w">>();
        expectTypeOf(index).toEqualTypeOf<Ref<number, "w">>();
        return { manifest: item.id, replicas: item.bytes };
      });
    expectTypeOf(each).toEqualTypeOf<
      MapStep<{ manifest: string; replicas: number }, z.output<typeof apply.output>, { id: string; bytes: number }, "w">
    >();
    expectTypeOf(each.out).toEqualTypeOf<Ref<z.output<typeof apply.output>[], "w">>();
    expectTypeOf(each.out[0].url).toEqualTypeOf<Ref<string, "w">>();
    // fans in to a tool that takes the array
    step("sum").tool(fanIn).with({ urls: each.out });
    return {};
  });
}

// A per-item condition makes room for the items it skips: `.out` holds `null` for them.
function perItemConditionMakesOutNullable() {
  workflow("w", deployOptions, ({ step }) => {
    const b = step("b").tool(build).with(buildParams);
    const each = step("each")
      .forEach(b.out.items)
      .tool(apply)
      .when((item) => eq(item.id, "keep"))
      .with((item) => ({ manifest: item.id, replicas: 1 }));
    expectTypeOf(each.out).toEqualTypeOf<Ref<(z.output<typeof apply.output> | null)[], "w">>();
    // @ts-expect-error: a tool that takes no nulls cannot take the result of a filtered map step
    step("sum").tool(fanIn).with({ urls: each.out });
    step("sum2").tool(fanInNullable).with({ urls: each.out });
    // a condition that does not read the item gates the whole step, and keeps `.out` as it is
    const all = step("all")
      .forEach(b.out.items)
      .tool(apply)
      .with((item) => ({ manifest: item.id, replicas: 1 }))
      .when(eq(b.out.cached, true));
    expectTypeOf(all.out).toEqualTypeOf<Ref<z.output<typeof apply.output>[], "w">>();
    return {};
  });
}

// The item's fields complete and are checked like any reference's.
function itemFieldsChecked() {
  workflow("w", deployOptions, ({ step }) => {
    const b = step("b").tool(build).with(buildParams);
    step("each")
      .forEach(b.out.items)
      .tool(apply)
      // @ts-expect-error: items have `id`, not `name`
      .with((item) => ({ manifest: item.name, replicas: 1 }));
    step("each2")
      .forEach(b.out.items)
      .tool(apply)
      // @ts-expect-error: `bytes` is a number, `manifest` a string
      .with((item) => ({ manifest: item.bytes, replicas: 1 }));
    return {};
  });
}

// Only a list can be mapped over, and only one of this workflow.
function forEachTakesAListOfThisWorkflow() {
  let leaked!: Ref<string[], unknown>;
  workflow("a", deployOptions, ({ step }) => {
    const b = step("b").tool(build).with(buildParams);
    // @ts-expect-error: imageId is a string, not a list
    step("each").forEach(b.out.imageId);
    return {};
  });
  workflow("b", deployOptions, ({ step }) => {
    // @ts-expect-error: a list of another workflow
    step("each").forEach(leaked);
    return {};
  });
}

// Inputs that are lists can be mapped over too; the options are typed.
function inputListsAndOptions() {
  const regions = z.object({ regions: z.array(z.string()) });
  workflow("w", { input: regions }, ({ input, step }) => {
    const each = step("each")
      .forEach(input.regions, { as: "region", concurrency: 2 })
      .tool(notify)
      .with((region) => ({ text: region }));
    expectTypeOf(each.out).toEqualTypeOf<Ref<z.output<typeof notify.output>[], "w">>();
    // @ts-expect-error: concurrency is a number
    step("each2").forEach(input.regions, { concurrency: "2" });
    return {};
  });
}

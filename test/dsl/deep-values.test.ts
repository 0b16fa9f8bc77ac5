// Values nested thousands of levels deep in the DSL (issue 12): `.with()` and the outputs used to overflow the call
// stack converting them to template JSON (toJson recursed once per level, and forever on a cycle). They are now
// refused at the template's bound (256 levels, src/util/json-depth.ts), naming the step, its place and the path.
import { z } from "zod";
import { describe, expect, it } from "vitest";
import { tool, workflow, WorkflowDefinitionError } from "toolweave";

const t = tool("t", { input: z.object({ v: z.unknown().optional() }), output: z.object({ x: z.string() }) });

/** `{ d: { d: ... 1 } }`, `levels` objects deep. */
const nested = (levels: number): unknown => {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = { d: value };
  return value;
};

const withParameter = (v: unknown) => () =>
  workflow("deep", { description: "", input: z.object({}) }, ({ step }) => {
    step("carry")
      .tool(t)
      .with({ v } as never);
    return {};
  });

const TOO_DEEP =
  "nested too deeply: a template may nest objects and arrays at most 256 levels deep, and this value is level 257. flatten it (a tool can take deep data from a variable or from another step's result)";

describe("a deep value in .with() or the outputs", () => {
  it("5,000 levels: a WorkflowDefinitionError naming the step, where it is declared and the path of level 257, not a RangeError", () => {
    let error: unknown;
    try {
      withParameter(nested(5_000))();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WorkflowDefinitionError);
    // template 1, steps 2, the step 3, parameters 4, v 5: level 257 is v and 252 "d"s down
    expect((error as Error).message).toMatch(
      new RegExp(
        `^workflow "deep": step "carry" at .*deep-values\\.test\\.ts:\\d+:\\d+ has, in its parameters, a value at parameters\\.v${"\\.d".repeat(252)} ${TOO_DEEP.replace(/[.()]/g, "\\$&")}$`,
      ),
    );
  });

  it("at the bound (252 levels below a parameter, level 256 of the template) the workflow builds; one more is refused", () => {
    const built = withParameter(nested(252))();
    expect(built.template.steps[0]!.parameters.v).toEqual(nested(252));
    expect(withParameter(nested(253))).toThrowError(/a value at parameters\.v(\.d){252} nested too deeply/);
  });

  it("arrays count as levels too, and the outputs have their own place in the template (level 2)", () => {
    let deepArray: unknown = [];
    for (let i = 0; i < 5_000; i++) deepArray = [deepArray];
    expect(withParameter(deepArray)).toThrowError(new RegExp(`a value at parameters\\.v${"\\[0\\]".repeat(252)} nested too deeply`));
    const outputs = (levels: number) => () =>
      workflow("out", { description: "", input: z.object({}) }, ({ step }) => {
        step("s").tool(t).with({});
        return { report: nested(levels) } as never;
      });
    expect(outputs(254)().template.outputs).toEqual({ report: nested(254) });
    expect(outputs(5_000)).toThrowError(
      /^workflow "out": the workflow outputs has, in its outputs, a value at outputs\.report(\.d){254} nested too deeply/,
    );
  });

  it("a value that contains itself: a WorkflowDefinitionError naming where the cycle closes", () => {
    const config: Record<string, unknown> = { name: "x", inner: { list: [] as unknown[] } };
    ((config.inner as Record<string, unknown>).list as unknown[]).push(config);
    expect(withParameter(config)).toThrowError(
      /step "carry" at .* has, in its parameters, a value that contains itself: parameters\.v\.inner\.list\[0\] is parameters\.v again. template values are JSON, which cannot hold a cycle; pass a copy without it$/,
    );
  });

  it("the same value twice (not a cycle) is fine", () => {
    const shared = { a: [1, 2] };
    expect(withParameter({ one: shared, two: shared })().template.steps[0]!.parameters.v).toEqual({
      one: { a: [1, 2] },
      two: { a: [1, 2] },
    });
  });
});

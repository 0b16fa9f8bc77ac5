// A step whose id no placeholder can name (issue 12; lint's `unreferenceable-step-id`): declaring it is fine, but
// reading its result used to make a placeholder that does not parse (with the parser's message) or, for "a.b", one
// that silently reads field "b" of something named "a". Now the DSL refuses the reference, naming both steps.
import { z } from "zod";
import { describe, expect, it } from "vitest";
import { eq, tool, workflow, WorkflowDefinitionError } from "toolweave";

const t = tool("t", { input: z.object({ v: z.unknown().optional() }), output: z.object({ x: z.string(), ok: z.boolean() }) });

describe("a step id that no placeholder can name", () => {
  it("can be declared, and ordered with .after(), when nothing reads its result", () => {
    const wf = workflow("ok", { description: "", input: z.object({}) }, ({ step }) => {
      const a = step("my step").tool(t).with({});
      step("b").tool(t).with({}).after(a);
      return {};
    });
    expect(wf.template.steps.map((s) => [s.id, s.dependsOn])).toEqual([
      ["my step", []],
      ["b", ["my step"]],
    ]);
  });

  it.each([
    [
      "my step",
      'it contains " ", and placeholder names have only ASCII letters, digits, "_", "$" and "-", not starting with a digit or "-". rename the step, e.g. to "my_step"',
    ],
    [
      "1build",
      'it starts with "1", and placeholder names have only ASCII letters, digits, "_", "$" and "-", not starting with a digit or "-". rename the step, e.g. to "_1build"',
    ],
    ["a.b", '"{{a.b}}" would read into "a". rename the step, e.g. to "a_b"'],
    [
      "ünïcode",
      'it contains "ü", and placeholder names have only ASCII letters, digits, "_", "$" and "-", not starting with a digit or "-". rename the step, e.g. to "unicode"',
    ],
    [
      "constructor",
      'placeholders refuse "constructor", which would reach an object\'s prototype. rename the step, e.g. to "constructor_step"',
    ],
  ])("%s: a reference to it is refused, naming both steps and a valid id", (id, why) => {
    const build = () =>
      workflow("w", { description: "", input: z.object({}) }, ({ step }) => {
        const a = step(id).tool(t).with({});
        step("b").tool(t).with({ v: a.out.x });
        return {};
      });
    expect(build).toThrowError(WorkflowDefinitionError);
    const message = (() => {
      try {
        build();
      } catch (error) {
        return (error as Error).message;
      }
      return "";
    })();
    expect(message).toMatch(
      new RegExp(
        `^workflow "w": step "b" at .*unreferenceable-step\\.test\\.ts:\\d+:\\d+ reads the result of step "${id.replace(".", "\\.")}" at .*unreferenceable-step\\.test\\.ts:\\d+:\\d+ in its parameters, but no placeholder can name "${id.replace(".", "\\.")}": `,
      ),
    );
    expect(message.endsWith(why)).toBe(true);
  });

  it("in a template string, a condition and the outputs too", () => {
    const body = (use: "text" | "condition" | "outputs") => () =>
      workflow("w", { description: "", input: z.object({}) }, ({ step }) => {
        const a = step("a.b").tool(t).with({});
        const b = step("b").tool(t);
        if (use === "text") b.with({ v: `got ${a.out.x}` });
        if (use === "condition") b.with({}).when(eq(a.out.ok, true));
        return use === "outputs" ? { x: a.out.x } : {};
      });
    expect(body("text")).toThrowError(
      /step "b" at .* reads the result of step "a\.b" at .* in its parameters, but no placeholder can name "a\.b"/,
    );
    expect(body("condition")).toThrowError(
      /step "b" at .* reads the result of step "a\.b" at .* in its condition, but no placeholder can name "a\.b"/,
    );
    expect(body("outputs")).toThrowError(
      /the workflow outputs reads the result of step "a\.b" at .* in its outputs, but no placeholder can name "a\.b"/,
    );
  });
});

// workflow()'s options at run time: input and description may be left out; timeoutMs bounds the run (DESIGN §9).
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { tool, workflow, WorkflowInputError } from "toolweave";

const greet = tool("greet", {
  input: z.object({ name: z.string() }),
  output: z.object({ text: z.string() }),
  run: ({ name }) => ({ text: `hello, ${name}` }),
});

const hang = tool("hang", {
  input: z.object({}),
  output: z.object({ done: z.boolean() }),
  run: (_input, { signal }) =>
    new Promise((_resolve, reject) => signal.addEventListener("abort", () => reject(signal.reason), { once: true })),
});

describe("workflow() without input or description", () => {
  const hello = workflow("hello", {}, ({ step }) => {
    const g = step("greet").tool(greet).with({ name: "world" });
    return { text: g.out.text };
  });

  it("builds a template without inputs and an empty description, and runs without variables", async () => {
    expect(hello.description).toBe("");
    expect(hello.template.description).toBe("");
    expect(hello.template.inputs).toBeUndefined();
    expect("inputs" in hello.template.toJSON()).toBe(false);
    const result = await hello.run();
    expect(result).toMatchObject({ status: "completed", outputs: { text: "hello, world" } });
    expect((await hello.run({})).status).toBe("completed");
  });

  it("refuses a variable it does not take, naming it", async () => {
    await expect(hello.run({ name: "x" } as unknown as Record<string, never>)).rejects.toThrow(WorkflowInputError);
    await expect(hello.run({ name: "x" } as unknown as Record<string, never>)).rejects.toThrow(/name/);
  });
});

describe("workflow() timeoutMs", () => {
  const bounded = workflow("bounded", { timeoutMs: 50 }, ({ step }) => {
    const h = step("wait").tool(hang).with({});
    step("after").tool(greet).with({ name: "x" }).after(h);
    return { done: h.out.done };
  });

  it("is the template's timeoutMs; the run ends cancelled, the running step aborted, the next one not run", async () => {
    expect(bounded.template.timeoutMs).toBe(50);
    expect(bounded.template.toJSON().timeoutMs).toBe(50);
    const result = await bounded.run();
    expect(result.status).toBe("cancelled");
    expect(result.error).toBe('workflow "bounded" timed out after 50 ms');
    expect(result.failedSteps).toMatchObject([{ id: "wait", error: 'workflow "bounded" timed out after 50 ms' }]);
    expect(result.skippedSteps).toEqual([{ id: "after", reason: 'workflow "bounded" timed out after 50 ms' }]);
    expect(result.outputs).toEqual({});
  });

  it("run(vars, { timeoutMs }) overrides it; a signal cancels too", async () => {
    expect(await bounded.run({}, { timeoutMs: 20 })).toMatchObject({
      status: "cancelled",
      error: 'workflow "bounded" timed out after 20 ms',
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("stop")), 10);
    expect(await bounded.run({}, { timeoutMs: null, signal: controller.signal })).toMatchObject({
      status: "cancelled",
      error: "cancelled: stop",
    });
  });

  it("a timeoutMs that is not a positive number is a definition error", () => {
    expect(() =>
      workflow("bad", { timeoutMs: 0 }, ({ step }) => {
        step("g").tool(greet).with({ name: "x" });
        return {};
      }),
    ).toThrow(/timeoutMs must be more than 0/);
  });
});

import { z } from "zod";
import { describe, expect, it } from "vitest";
import { createMonitor, failed, finished, tool, workflow, WorkflowInputError } from "toolweave";

const echo = tool("echo", {
  input: z.object({ text: z.string(), times: z.number().int().positive().default(1) }),
  output: z.object({ text: z.string(), length: z.number() }),
  run: ({ text, times }) => ({ text: text.repeat(times), length: text.length * times }),
});

describe("workflow.run", () => {
  const wf = workflow(
    "echo_twice",
    { description: "", input: z.object({ word: z.string().min(1), times: z.number().default(2) }) },
    ({ input, step }) => {
      const first = step("first").tool(echo).with({ text: input.word, times: input.times });
      const second = step("second")
        .tool(echo)
        .with({ text: `${first.out.text}!` });
      return { text: second.out.text, length: second.out.length };
    },
  );

  it("validates variables, applies defaults and returns typed outputs", async () => {
    const result = await wf.run({ word: "ab" });
    expect(result.status).toBe("completed");
    if (result.status !== "completed") return;
    const length: number = result.outputs.length;
    expect(result.outputs).toEqual({ text: "abab!", length: 5 });
    expect(length).toBe(5);
  });

  it("refuses invalid variables, naming the field", async () => {
    await expect(wf.run({ word: "" })).rejects.toThrowError(WorkflowInputError);
    await expect(wf.run({ word: 3 as unknown as string })).rejects.toThrowError(
      /workflow "echo_twice" was given invalid input:\n {2}- word: Invalid input: expected string, received number/,
    );
  });

  it("validates a tool's input before the call, naming workflow, step and field, without retrying", async () => {
    let calls = 0;
    const strict = tool("strict", {
      input: z.object({ port: z.number().int().max(65535) }),
      output: z.object({ ok: z.boolean() }),
      run: () => (calls++, { ok: true }),
    });
    const bad = workflow("ports", { description: "", input: z.object({ port: z.number() }) }, ({ input, step }) => {
      step("listen").tool(strict).with({ port: input.port }).retry({ max: 3, delayMs: 1 });
      return {};
    });
    const result = await bad.run({ port: 70000 });
    expect(calls).toBe(0);
    expect(result.failedSteps).toMatchObject([{ id: "listen", attempts: 1 }]);
    expect(result.failedSteps[0]!.error).toMatch(
      /^workflow "ports", step "listen": invalid input for tool "strict": port: Too big: expected number to be <=65535$/,
    );
  });

  it("validates a tool's output, naming the field", async () => {
    const liar = tool("liar", { input: z.object({}), output: z.object({ url: z.string() }), run: () => ({ url: 42 }) as never });
    const wf2 = workflow("lies", { description: "", input: z.object({}) }, ({ step }) => ({ url: step("s").tool(liar).out.url }));
    const result = await wf2.run({});
    expect(result.failedSteps[0]!.error).toBe(
      'workflow "lies", step "s": tool "liar" returned an invalid result: url: Invalid input: expected string, received number',
    );
  });

  it("takes implementations for tools without run, and overrides, through options.tools (still validated)", async () => {
    const remote = tool("remote_call", { input: z.object({ q: z.string() }), output: z.object({ answer: z.string() }) });
    const wf3 = workflow("remote", { description: "", input: z.object({ q: z.string() }) }, ({ input, step }) => ({
      answer: step("ask").tool(remote).with({ q: input.q }).out.answer,
    }));
    const missing = await wf3.run({ q: "x" });
    expect(missing.failedSteps[0]!.error).toMatch(/^unknown tool 'remote_call'/);
    const provided = await wf3.run({ q: "x" }, { tools: { remote_call: (p) => ({ answer: `A:${String(p.q)}` }) } });
    expect(provided.outputs).toEqual({ answer: "A:x" });
    const invalid = await wf3.run({ q: "x" }, { tools: { remote_call: () => ({ answer: 1 }) } });
    expect(invalid.failedSteps[0]!.error).toMatch(/tool "remote_call" returned an invalid result/);
  });

  it("runs sub-workflows with typed outputs, passing the monitor and events through", async () => {
    const dump = tool("dump", {
      input: z.object({ db: z.string() }),
      output: z.object({ file: z.string(), bytes: z.number() }),
      run: ({ db }) => ({ file: `/tmp/${db}.sql`, bytes: db.length * 100 }),
    });
    const backup = workflow("database_backup", { description: "", input: z.object({ db: z.string() }) }, ({ input, step }) => {
      const d = step("dump").tool(dump).with({ db: input.db });
      return { file: d.out.file, bytes: d.out.bytes };
    });
    const nightly = workflow("nightly", { description: "", input: z.object({ db: z.string() }) }, ({ input, step }) => {
      const b = step("backup").workflow(backup).with({ db: input.db });
      const report = step("report")
        .tool(echo)
        .with({ text: `backup ${b.out.file} (${b.out.bytes} bytes)` });
      return { report: report.out.text, bytes: b.out.bytes };
    });
    expect(nightly.template.getStep("backup")).toMatchObject({
      toolName: "execute_workflow",
      parameters: { workflow: "database_backup", context: { db: "{{db}}" } },
    });
    expect([...nightly.subWorkflows.keys()]).toEqual(["database_backup"]);
    expect([...nightly.tools.keys()].sort()).toEqual(["dump", "echo"]);
    const monitor = createMonitor();
    const events: string[] = [];
    const result = await nightly.run({ db: "orders" }, { monitor, onEvent: (e) => e.type === "step_finished" && events.push(e.stepId) });
    expect(result.outputs).toEqual({ report: "backup /tmp/orders.sql (600 bytes)", bytes: 600 });
    expect(monitor.toolCallLog.map((m) => m.toolName)).toEqual(["dump", "execute_workflow", "echo"]);
    expect(events).toEqual(["dump", "backup", "report"]);
  });

  it("runs a finished(...) step after its steps whatever their outcome: completed, failed or skipped", async () => {
    const log: string[] = [];
    const ok = tool("ok", { input: z.object({}), output: z.object({}), run: () => (log.push("ok"), {}) });
    const boom = tool("boom", {
      input: z.object({}),
      output: z.object({}),
      run: () => {
        throw new Error("boom");
      },
    });
    const stop = tool("stop", { input: z.object({}), output: z.object({}), run: () => (log.push("stop"), {}) });
    const wf5 = workflow("always", { description: "", input: z.object({}) }, ({ step }) => {
      const a = step("a").tool(ok);
      const b = step("b").tool(boom).after(a);
      const c = step("c").tool(ok).after(b);
      step("stop")
        .tool(stop)
        .when(finished(a, b, c));
      return {};
    });
    const result = await wf5.run({});
    expect(result.skippedSteps.map((s) => s.id)).toEqual(["c"]);
    expect(log).toEqual(["ok", "stop"]);
  });

  it("applies a sub-workflow's input defaults left out by the caller", async () => {
    const inner = workflow(
      "inner",
      { description: "", input: z.object({ word: z.string(), times: z.number().default(3) }) },
      ({ input, step }) => ({
        text: step("e").tool(echo).with({ text: input.word, times: input.times }).out.text,
      }),
    );
    const outer = workflow("outer", { description: "", input: z.object({}) }, ({ step }) => ({
      text: step("call").workflow(inner).with({ word: "ha" }).out.text,
    }));
    expect((await outer.run({})).outputs).toEqual({ text: "hahaha" });
  });

  it("retries, times out and runs failure handlers through the shared executor", async () => {
    let attempts = 0;
    const flaky = tool("flaky", {
      input: z.object({}),
      output: z.object({ attempt: z.number() }),
      run: (_i, ctx) => {
        attempts++;
        if (ctx.attempt < 3) throw new Error(`503 on attempt ${ctx.attempt}`);
        return { attempt: ctx.attempt };
      },
    });
    const hang = tool("hang", {
      input: z.object({}),
      output: z.object({}),
      run: (_i, ctx) => new Promise((_r, reject) => ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason))),
    });
    const cleanups: string[] = [];
    const clean = tool("clean", { input: z.object({ why: z.string() }), output: z.object({}), run: ({ why }) => (cleanups.push(why), {}) });
    const wf4 = workflow("resilience", { description: "", input: z.object({}) }, ({ step }) => {
      const call = step("call").tool(flaky).retry({ max: 3, delayMs: 1, backoff: "exponential" });
      const stuck = step("stuck").tool(hang).timeout(20);
      step("cleanup").tool(clean).with({ why: "stuck failed" }).when(failed(stuck));
      return { attempt: call.out.attempt };
    });
    const result = await wf4.run({});
    expect(attempts).toBe(3);
    expect(result.completedSteps.find((s) => s.id === "call")).toMatchObject({ attempts: 3 });
    expect(result.failedSteps).toMatchObject([{ id: "stuck", error: "timed out after 20 ms" }]);
    expect(cleanups).toEqual(["stuck failed"]);
    expect(result.outputs).toEqual({ attempt: 3 });
  });
});

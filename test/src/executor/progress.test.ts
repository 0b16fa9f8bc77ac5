// A tool's progress (ToolContext.progress) reaches the run's listener as step_progress events.
import { expect, it } from "vitest";
import { type ExecutionEvent, type ToolContext, WorkflowContext, WorkflowExecutor, WorkflowTemplate } from "toolweave";

const template = new WorkflowTemplate({
  name: "progress",
  inputs: { token: { type: "string" } },
  steps: [
    { id: "copy", toolName: "copy", parameters: { token: "{{token}}" } },
    { id: "each", toolName: "copy", forEach: "{{xs}}", parameters: { token: "{{item}}" } },
  ],
});

/** Reports two steps of progress, quoting its parameter in the message (as tools do with what they were given). */
const copy = (params: Record<string, unknown>, ctx: ToolContext) => {
  ctx.progress?.({ progress: 1, total: 2, message: `copying with ${String(params.token)}` });
  ctx.progress?.({ progress: 2 });
  return true;
};

it("turns a tool's progress into step_progress events, with the attempt, the item, and secrets masked", async () => {
  const events: ExecutionEvent[] = [];
  const result = await new WorkflowExecutor({ tools: { copy } }).execute(
    template,
    new WorkflowContext({ token: "s3cr3t-value", xs: ["a"] }),
    undefined,
    { secrets: ["token"], onEvent: (e) => void events.push(e) },
  );
  expect(result.status).toBe("completed");
  const progress = events.filter((e) => e.type === "step_progress").map(({ time: _, runId: __, ...rest }) => rest);
  expect(progress).toEqual([
    { type: "step_progress", stepId: "copy", attempt: 1, progress: 1, total: 2, message: "copying with [secret:token]" },
    { type: "step_progress", stepId: "copy", attempt: 1, progress: 2 },
    { type: "step_progress", stepId: "each", attempt: 1, progress: 1, total: 2, message: "copying with a", item: { index: 0, count: 1 } },
    { type: "step_progress", stepId: "each", attempt: 1, progress: 2, item: { index: 0, count: 1 } },
  ]);
});

it("gives tools a progress function that does nothing when nobody listens", async () => {
  let seen: unknown;
  const tools = { copy: (p: Record<string, unknown>, ctx: ToolContext) => ((seen = ctx.progress), copy(p, ctx)) };
  const result = await new WorkflowExecutor({ tools }).execute(template, new WorkflowContext({ token: "t", xs: [] }));
  expect(result.status).toBe("completed");
  expect(seen).toBeTypeOf("function");
});

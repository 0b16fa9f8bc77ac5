/**
 * Sub-workflow nesting (issue 12, class 14): a workflow that calls itself is refused with the chain of names, and a
 * chain of distinct sub-workflows nested ever deeper stops at a bound with a message, not a stack overflow.
 */
import { describe, expect, it } from "vitest";
import { MAX_SUB_WORKFLOW_DEPTH } from "../../src/executor/sub-workflow.js";
import { WorkflowContext, WorkflowExecutor, WorkflowTemplate } from "toolweave";

/** `levels` workflows w0 -> w1 -> ... each calling the next by name (as a generator of workflows might); the last runs a tool. */
function nested(levels: number): { root: WorkflowTemplate; library: { get(name: string): WorkflowTemplate | undefined } } {
  const byName = new Map<string, WorkflowTemplate>();
  for (let i = 0; i <= levels; i++) {
    const step =
      i === levels ? { id: "leaf", toolName: "leaf" } : { id: "call", toolName: "execute_workflow", parameters: { workflow: `w${i + 1}` } };
    byName.set(`w${i}`, new WorkflowTemplate({ name: `w${i}`, steps: [step] }));
  }
  return { root: byName.get("w0")!, library: { get: (name) => byName.get(name) } };
}

describe("sub-workflow nesting", () => {
  it("runs a chain of distinct sub-workflows up to the bound", async () => {
    const { root, library } = nested(MAX_SUB_WORKFLOW_DEPTH - 1);
    const result = await new WorkflowExecutor({ tools: { leaf: () => ({ ok: true }) }, library }).execute(root, new WorkflowContext());
    expect(result.status).toBe("completed");
  });

  it("stops a deeper chain (1,000 levels) with a message naming the chain, not a stack overflow", async () => {
    const { root, library } = nested(1_000);
    const result = await new WorkflowExecutor({ tools: { leaf: () => ({ ok: true }) }, library }).execute(root, new WorkflowContext());
    expect(result.status).toBe("failed");
    expect(result.error).toContain(`sub-workflows nest more than ${MAX_SUB_WORKFLOW_DEPTH} deep: w0 -> w1 -> w2 -> w3 -> ... (`);
    expect(result.error).not.toMatch(/Maximum call stack/);
  });

  it("refuses a workflow that calls itself through others, naming the chain", async () => {
    const a = new WorkflowTemplate({ name: "a", steps: [{ id: "to_b", toolName: "execute_workflow", parameters: { workflow: "b" } }] });
    const b = new WorkflowTemplate({ name: "b", steps: [{ id: "to_a", toolName: "execute_workflow", parameters: { workflow: "a" } }] });
    const library = { get: (name: string) => (name === "a" ? a : name === "b" ? b : undefined) };
    const result = await new WorkflowExecutor({ tools: {}, library }).execute(a, new WorkflowContext());
    expect(result.status).toBe("failed");
    expect(result.error).toContain("sub-workflow recursion: a -> b -> a");
  });
});

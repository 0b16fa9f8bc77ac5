// The template's workflow-level timeoutMs (DESIGN §9): its JSON form, the original format's timeout_seconds, its checks.
import { describe, expect, it } from "vitest";
import { WorkflowTemplate, WorkflowValidationError, templateSchema } from "toolweave";

const steps = [{ id: "s", toolName: "t" }];

describe("workflow timeoutMs", () => {
  it("round-trips through toJSON / fromJSON and is absent when not set", () => {
    const t = new WorkflowTemplate({ name: "w", timeoutMs: 5_000, steps });
    expect(t.toJSON().timeoutMs).toBe(5_000);
    expect(WorkflowTemplate.fromJSON(t.toJSON()).timeoutMs).toBe(5_000);
    expect("timeoutMs" in new WorkflowTemplate({ name: "w", steps }).toJSON()).toBe(false);
    expect(WorkflowTemplate.fromJSON({ name: "w", timeoutMs: null, steps }).timeoutMs).toBeUndefined();
  });

  it("the original format's template-level timeout_seconds becomes timeoutMs; both at once is a clash", () => {
    const t = WorkflowTemplate.fromJSON({ name: "w", timeout_seconds: 90, steps: [{ step_id: "s", tool_name: "t", timeout_seconds: 5 }] });
    expect(t.timeoutMs).toBe(90_000);
    expect(t.steps[0]!.timeoutMs).toBe(5_000);
    expect(() => WorkflowTemplate.fromJSON({ name: "w", timeout_seconds: 90, timeoutMs: 1, steps })).toThrow(
      /"timeout_seconds" and "timeoutMs" both set/,
    );
  });

  it.each([0, -1, Infinity])("%s is refused, by the zod schema and by validate() at the same path", (timeoutMs) => {
    const template = new WorkflowTemplate({ name: "w", timeoutMs, steps });
    let ownPaths: string[] = [];
    try {
      template.validate();
    } catch (error) {
      if (!(error instanceof WorkflowValidationError)) throw error;
      ownPaths = error.issues.map((i) => i.path.join("."));
    }
    expect(ownPaths).toEqual(["timeoutMs"]);
    const zodPaths = (templateSchema.safeParse({ ...template.toJSON(), timeoutMs }).error?.issues ?? []).map((i) => i.path.join("."));
    expect(zodPaths).toEqual(["timeoutMs"]);
    expect(() => WorkflowTemplate.fromJSON({ name: "w", timeoutMs: "soon", steps })).toThrow(WorkflowValidationError);
  });
});

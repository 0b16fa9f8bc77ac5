import { describe, expect, it } from "vitest";
import { WorkflowTemplate, WorkflowValidationError, templateSchema, type WorkflowStepOptions } from "toolweave";

/**
 * Typed templates skip the zod parse (it costs more than running the steps); their value rules are checked directly.
 * This table keeps the two in agreement: each bad value must be flagged at the same path by both.
 */
const cases: [string, Partial<WorkflowStepOptions>][] = [
  ["empty id", { id: "" }],
  ["empty toolName", { toolName: "" }],
  ["negative maxRetries", { maxRetries: -1 }],
  ["fractional maxRetries", { maxRetries: 1.5 }],
  ["negative retryDelayMs", { retryDelayMs: -5 }],
  ["zero timeoutMs", { timeoutMs: 0 }],
  ["negative timeoutMs", { timeoutMs: -1 }],
  ["unknown backoff", { backoff: "linear" as "fixed" }],
];

describe("value rules of typed templates agree with the zod schema", () => {
  it.each(cases)("%s", (_name, patch) => {
    const step = { id: "s", toolName: "t", ...patch };
    const template = new WorkflowTemplate({ name: "w", steps: [step] });
    const zodPaths = (templateSchema.safeParse(template.toJSON()).error?.issues ?? []).map((i) => i.path.join("."));
    let ownPaths: string[] = [];
    try {
      template.validate();
    } catch (error) {
      if (!(error instanceof WorkflowValidationError)) throw error;
      ownPaths = error.issues.map((i) => i.path.join("."));
    }
    expect(zodPaths.length).toBeGreaterThan(0);
    expect(ownPaths).toEqual(zodPaths);
  });

  it("a valid step passes both", () => {
    const template = new WorkflowTemplate({
      name: "w",
      steps: [{ id: "s", toolName: "t", maxRetries: 2, retryDelayMs: 0, timeoutMs: 10, backoff: "exponential" }],
    });
    expect(templateSchema.safeParse(template.toJSON()).success).toBe(true);
    expect(() => template.validate()).not.toThrow();
  });
});

/** Original-format steps that name one field twice (issue 12, class 16): reported, not silently resolved. */
import { describe, expect, it } from "vitest";
import { WorkflowTemplate, WorkflowValidationError } from "toolweave";

describe("an original-format step with two keys for one field", () => {
  it.each([
    [{ step_id: "build", id: "other", tool_name: "docker" }, ["steps", 0, "id"], '"step_id" and "id" both set the step\'s id: keep one'],
    [
      { step_id: "build", tool_name: "docker", toolName: "podman" },
      ["steps", 0, "toolName"],
      '"tool_name" and "toolName" both set the step\'s toolName: keep one',
    ],
    [
      { step_id: "build", tool_name: "docker", retry_count: 1, max_retries: 3 },
      ["steps", 0, "max_retries"],
      '"retry_count" and "max_retries" both set the step\'s maxRetries: keep one',
    ],
  ])("%j is refused at the second key", (step, path, detail) => {
    let error: unknown;
    try {
      WorkflowTemplate.fromJSON({ name: "w", steps: [step] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WorkflowValidationError);
    expect((error as WorkflowValidationError).issues).toMatchObject([{ code: "invalid_field", path, stepId: "build", message: detail }]);
  });

  it("one key per field still converts", () => {
    const template = WorkflowTemplate.fromJSON({
      name: "w",
      steps: [{ step_id: "build", tool_name: "docker", max_retries: 2, timeout_seconds: 5 }],
    });
    expect(template.steps[0]).toMatchObject({ id: "build", toolName: "docker", maxRetries: 2, timeoutMs: 5000 });
  });
});

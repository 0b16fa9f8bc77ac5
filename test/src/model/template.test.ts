import { describe, expect, it } from "vitest";
import { WorkflowStep, WorkflowTemplate, WorkflowValidationError, type TemplateIssue } from "toolweave";

/** The issues `fn` throws as a WorkflowValidationError, without messages (compared separately). */
function issuesOf(fn: () => unknown): TemplateIssue[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof WorkflowValidationError) return [...error.issues];
    throw error;
  }
  throw new Error("expected a WorkflowValidationError");
}

const deployToStaging = () =>
  new WorkflowTemplate({
    name: "deploy_to_staging",
    description: "Deploy application to staging environment",
    steps: [
      new WorkflowStep({ id: "build", toolName: "docker_build", parameters: { image: "myapp:latest" } }),
      new WorkflowStep({ id: "push", toolName: "docker_push", parameters: { image: "myapp:latest" }, dependsOn: ["build"] }),
      new WorkflowStep({ id: "deploy", toolName: "kubectl_apply", parameters: { manifest: "staging.yaml" }, dependsOn: ["push"] }),
    ],
  });

describe("WorkflowTemplate", () => {
  it("applies the documented defaults", () => {
    const wf = deployToStaging();
    expect(wf.category).toBe("general");
    expect(wf.tags).toEqual([]);
    expect(wf.getStep("build")).toMatchObject({
      dependsOn: [],
      condition: null,
      maxRetries: 0,
      retryDelayMs: 1000,
      backoff: "fixed",
      timeoutMs: null,
      description: "",
    });
    expect(wf.getStep("nope")).toBeUndefined();
    expect(() => wf.validate()).not.toThrow();
  });

  it("is immutable", () => {
    const wf = deployToStaging();
    expect(Object.isFrozen(wf)).toBe(true);
    expect(Object.isFrozen(wf.steps[0])).toBe(true);
    expect(() => (wf.steps as WorkflowStep[]).push(wf.steps[0]!)).toThrow();
  });

  it("round-trips through toJSON and fromJSON", () => {
    const wf = new WorkflowTemplate({
      name: "t",
      category: "deployment",
      tags: ["k8s"],
      inputs: { type: "object", properties: { image: { type: "string" } } },
      outputs: { url: "{{deploy.url}}" },
      steps: [
        {
          id: "build",
          toolName: "b",
          parameters: { image: "{{image}}", n: [1, { x: null }] },
          maxRetries: 2,
          backoff: "exponential",
          timeoutMs: 500,
        },
        { id: "deploy", toolName: "d", dependsOn: ["build"], condition: "{{build.success}}", source: { file: "a.ts", line: 3, column: 5 } },
      ],
    });
    const json = wf.toJSON();
    expect(json.version).toBe(1);
    expect(json.steps[1]!.source).toEqual({ file: "a.ts", line: 3, column: 5 });
    expect("source" in json.steps[0]!).toBe(false);
    const back = WorkflowTemplate.fromJSON(JSON.parse(JSON.stringify(json)));
    expect(back.toJSON()).toEqual(json);
  });

  it("reads the original system's snake_case files", () => {
    const legacy = {
      name: "legacy",
      description: "from the python system",
      metadata: { category: "devops" },
      steps: [
        { step_id: "build", tool_name: "docker_build", parameters: {}, retry_count: 3, retry_delay: 2.5, timeout_seconds: 30 },
        { id: "notify", tool_name: "slack", depends_on: ["build"], max_retries: 1, condition: "{{build.success}} == False" },
      ],
    };
    const wf = WorkflowTemplate.fromJSON(legacy);
    expect(wf.category).toBe("devops");
    expect(wf.getStep("build")).toMatchObject({ toolName: "docker_build", maxRetries: 3, retryDelayMs: 2500, timeoutMs: 30000 });
    expect(wf.getStep("notify")).toMatchObject({ dependsOn: ["build"], maxRetries: 1, condition: "{{build.success}} == False" });
  });

  it("accepts and ignores the original's parallel_groups (null or lists of step ids), also beside current-format steps", () => {
    const step = (id: string, deps: string[] = []) => ({
      step_id: id,
      tool_name: "t",
      parameters: {},
      depends_on: deps,
      condition: null,
      retry_count: 0,
      timeout_seconds: null,
    });
    const original = {
      name: "fan_out",
      description: "",
      steps: [step("a"), step("b"), step("c", ["a", "b"])],
      metadata: {},
      parallel_groups: [["a", "b"], ["c"]],
    };
    const wf = WorkflowTemplate.fromJSON(original);
    expect(wf.steps.map((s) => [s.id, s.dependsOn])).toEqual([
      ["a", []],
      ["b", []],
      ["c", ["a", "b"]],
    ]);
    expect(JSON.stringify(wf.toJSON())).not.toContain("parallel_groups");
    expect(WorkflowTemplate.fromJSON({ ...original, parallel_groups: null }).toJSON()).toEqual(wf.toJSON());
    const current = WorkflowTemplate.fromJSON({ name: "w", steps: [{ id: "a", toolName: "t" }], parallel_groups: null });
    expect(current.toJSON()).toEqual(WorkflowTemplate.fromJSON({ name: "w", steps: [{ id: "a", toolName: "t" }] }).toJSON());
    // only that key: other unknown keys are still refused
    expect(() => WorkflowTemplate.fromJSON({ ...original, parallel_group: null })).toThrow(/parallel_group/);
  });

  it("reports every problem at once, each with its step and field", () => {
    const wf = new WorkflowTemplate({
      name: "broken",
      steps: [
        { id: "a", toolName: "t", dependsOn: ["c"] },
        { id: "b", toolName: "t", dependsOn: ["b", "ghost"], parameters: { x: "{{a.__proto__.x}}" } },
        { id: "c", toolName: "t", dependsOn: ["a"], condition: "{{a.success}} ==" },
        { id: "a", toolName: "t" },
        { id: "d", toolName: "", maxRetries: -1, parameters: { y: ["ok", "{{unterminated"] } },
      ],
    });
    const issues = issuesOf(() => wf.validate());
    expect(issues.map((i) => [i.code, i.stepId, i.path.join(".")]).sort()).toEqual(
      [
        ["cycle", "a", "steps.0.dependsOn"],
        ["duplicate_step", "a", "steps.3.id"],
        ["invalid_condition", "c", "steps.2.condition"],
        ["invalid_field", "d", "steps.4.maxRetries"],
        ["invalid_field", "d", "steps.4.toolName"],
        ["invalid_placeholder", "b", "steps.1.parameters.x"],
        ["invalid_placeholder", "d", "steps.4.parameters.y.1"],
        ["self_dependency", "b", "steps.1.dependsOn.0"],
        ["unknown_dependency", "b", "steps.1.dependsOn.1"],
      ].sort(),
    );
    const byCode = Object.fromEntries(issues.map((i) => [i.code, i.message]));
    expect(byCode.cycle).toBe(
      'dependency cycle "a -> c -> a": none of these steps can ever start. remove one of the dependencies to break the cycle',
    );
    expect(byCode.unknown_dependency).toBe('step "b" depends on "ghost", which does not exist. steps are "a", "b", "c", "d"');
    expect(byCode.self_dependency).toContain('remove "b" from its dependsOn');
    expect(byCode.duplicate_step).toBe(
      'step id "a" is already used by the step first defined at steps[0]. step ids must be unique in a workflow',
    );
    const placeholderMessages = issues.filter((i) => i.code === "invalid_placeholder").map((i) => i.message);
    expect(placeholderMessages).toEqual([
      expect.stringContaining('"__proto__" is not allowed'),
      'invalid placeholder in "parameters.y[1]" of step "d": unterminated placeholder in "{{unterminated" at column 1. expecting "}}"',
    ]);
    const condition = issues.find((i) => i.code === "invalid_condition");
    expect(condition).toMatchObject({ condition: "{{a.success}} ==", offset: 16 });
  });

  it("names the error with the workflow and one line per problem", () => {
    const wf = new WorkflowTemplate({ name: "w", steps: [{ id: "a", toolName: "t", dependsOn: ["zz"] }] });
    expect(() => wf.validate()).toThrowError(
      /workflow "w" is invalid \(1 problem\):\n {2}- steps\[0\]\.dependsOn\[0\]: step "a" depends on "zz"/,
    );
  });

  it("rejects an empty name and an empty step list", () => {
    const issues = issuesOf(() => new WorkflowTemplate({ name: "", steps: [] }).validate());
    expect(issues.map((i) => i.message)).toEqual(["name must not be empty", "a workflow needs at least one step"]);
  });

  it("rejects a step whose id is also a declared input variable", () => {
    const wf = new WorkflowTemplate({
      name: "w",
      inputs: { type: "object", properties: { build: { type: "string" } } },
      steps: [{ id: "build", toolName: "t" }],
    });
    expect(issuesOf(() => wf.validate())).toMatchObject([{ code: "name_conflict", stepId: "build", variable: "build" }]);
  });

  it("rejects malformed placeholders in outputs", () => {
    const wf = new WorkflowTemplate({ name: "w", outputs: { url: "{{deploy.url" }, steps: [{ id: "deploy", toolName: "t" }] });
    expect(issuesOf(() => wf.validate())).toMatchObject([{ code: "invalid_placeholder", path: ["outputs", "url"] }]);
  });
});

describe("WorkflowTemplate.fromJSON", () => {
  it.each([
    [null, "a workflow template must be a JSON object, got null"],
    [[1], "a workflow template must be a JSON object, got an array"],
    ["{}", "a workflow template must be a JSON object, got string"],
  ])("refuses %j", (input, message) => {
    expect(issuesOf(() => WorkflowTemplate.fromJSON(input))).toMatchObject([{ code: "invalid_field", path: [], message }]);
  });

  it("reports shape problems and graph problems together", () => {
    const issues = issuesOf(() =>
      WorkflowTemplate.fromJSON({
        name: "w",
        steps: [
          { id: "a", toolName: 3, dependsOn: ["b"] },
          { id: "b", toolName: "t", dependsOn: ["a"], retries: 2 },
        ],
      }),
    );
    expect(issues.map((i) => [i.code, i.path.join(".")])).toEqual([
      ["invalid_field", "steps.0.toolName"],
      ["invalid_field", "steps.1.retries"],
      ["cycle", "steps.0.dependsOn"],
    ]);
    expect(issues[0]).toMatchObject({ stepId: "a" });
    expect(issues[0]!.message).toBe('"toolName" of step "a" must be a string, not 3');
    expect(issues[1]!.message).toMatch(/^unknown key "retries" in step "b"\. allowed keys are "id", "toolName", /);
  });

  it("validates the graph of a well-shaped template", () => {
    expect(issuesOf(() => WorkflowTemplate.fromJSON({ name: "w", steps: [{ id: "a", toolName: "t", dependsOn: ["a"] }] }))).toMatchObject([
      { code: "self_dependency" },
    ]);
  });
});

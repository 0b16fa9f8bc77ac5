/** A mistake in a workflow definition, found while building it: names the workflow, the step and the places. */
export class WorkflowDefinitionError extends Error {
  override readonly name = "WorkflowDefinitionError";
  constructor(
    readonly workflowName: string,
    detail: string,
  ) {
    super(`workflow "${workflowName}": ${detail}`);
  }
}

/** Variables given to `workflow.run()` that do not match the workflow's input schema. */
export class WorkflowInputError extends Error {
  override readonly name = "WorkflowInputError";
  constructor(
    readonly workflowName: string,
    readonly issues: readonly { path: readonly PropertyKey[]; message: string }[],
  ) {
    const lines = issues.map((i) => `  - ${i.path.length ? `${i.path.map(String).join(".")}: ` : ""}${i.message}`);
    super(`workflow "${workflowName}" was given invalid input:\n${lines.join("\n")}`);
  }
}

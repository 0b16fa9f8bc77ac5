/**
 * @module Value rules of an already-typed template (non-empty names, whole non-negative retry counts...).
 *
 * Untyped input is checked by the zod schema in `fromJSON`; a `WorkflowTemplate` built in code already has the
 * schema's shape, so only the value rules remain, and checking them directly costs a fraction of a full parse
 * on a 100,000-step template. A test keeps these rules and the schema's in agreement.
 */
import { MAX_TEMPLATE_DEPTH, TOO_DEEP_DETAIL, tooDeepPath } from "../util/json-depth.js";
import { PROTO_KEY_DETAIL, protoKeyPaths } from "../util/proto-keys.js";
import type { TemplateIssueData } from "./issues.js";
import type { WorkflowTemplate } from "./template.js";

export function checkValues(template: WorkflowTemplate): TemplateIssueData[] {
  const issues: TemplateIssueData[] = [];
  const bad = (path: (string | number)[], detail: string, stepId?: string): void => {
    issues.push(
      stepId === undefined || stepId === "" ? { code: "invalid_field", path, detail } : { code: "invalid_field", path, detail, stepId },
    );
  };
  if (template.name === "") bad(["name"], "name must not be empty");
  if (template.steps.length === 0) bad(["steps"], "a workflow needs at least one step");
  if (template.timeoutMs !== undefined && !(template.timeoutMs > 0 && Number.isFinite(template.timeoutMs)))
    bad(["timeoutMs"], `timeoutMs must be more than 0 or absent, got ${template.timeoutMs}`);
  const steps = template.steps;
  const at = (i: number, field: string): (string | number)[] => ["steps", i, field];
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    if (step.id === "") bad(at(i, "id"), "step id must not be empty");
    if (step.toolName === "") bad(at(i, "toolName"), "toolName must not be empty", step.id);
    if (!Number.isInteger(step.maxRetries) || step.maxRetries < 0)
      bad(at(i, "maxRetries"), `maxRetries must be a whole number of 0 or more, got ${step.maxRetries}`, step.id);
    if (!(step.retryDelayMs >= 0)) bad(at(i, "retryDelayMs"), `retryDelayMs must be 0 or more, got ${step.retryDelayMs}`, step.id);
    if (step.timeoutMs !== null && !(step.timeoutMs > 0))
      bad(at(i, "timeoutMs"), `timeoutMs must be more than 0 or null, got ${step.timeoutMs}`, step.id);
    if (step.backoff !== "fixed" && step.backoff !== "exponential")
      bad(at(i, "backoff"), `backoff must be "fixed" or "exponential", got "${String(step.backoff)}"`, step.id);
    for (const path of protoKeyPaths(step.parameters, at(i, "parameters"))) bad(path, PROTO_KEY_DETAIL, step.id);
  }
  for (const field of ["inputs", "outputs"] as const)
    for (const path of protoKeyPaths(template[field], [field])) bad(path, PROTO_KEY_DETAIL);
  // parameters and outputs are bounded where they are compiled (compileChecked); inputs are not compiled
  const deepInput = tooDeepPath(template.inputs, MAX_TEMPLATE_DEPTH, ["inputs"], 1);
  if (deepInput !== undefined) bad(deepInput, TOO_DEEP_DETAIL);
  return issues;
}

/**
 * @module Rule `failed-step-result`: a failure handler of step `s` (its condition runs it only when `s` failed:
 * `{{s.success}} == False`, `not {{s.success}}`, `{{s.error}} != None`, the DSL's `failed(s)`) reads a field of
 * `s`'s result (`{{s.resource_id}}`), in its parameters or its condition. A failed step has a result only when its
 * tool threw a `ToolError` with one (DESIGN §9); otherwise the reference cannot resolve and the handler fails too.
 * The step facts `success` and `error` are always there. A warning, not an error: whether a tool throws a ToolError
 * with that field is not known statically.
 */
import { parseCondition, type CompiledCondition } from "../../src/condition/index.js";
import { classifyOutcome } from "../../src/condition/outcome.js";
import { stepExpressionOf, stepVariables } from "../source-terms.js";
import { referencesOf } from "../step-facts.js";
import { defineRule } from "./rule.js";

const FACTS = new Set(["success", "error"]);

function compiled(condition: string | null): CompiledCondition | undefined {
  if (condition === null) return undefined;
  try {
    return parseCondition(condition);
  } catch {
    return undefined; // invalid-condition reports it
  }
}

export default defineRule({
  id: "failed-step-result",
  severity: "warning",
  docs: {
    description:
      "Report a failure handler that reads a field of the failed step's result (it has one only if its tool threw a ToolError with it)",
    bad: `{
  "name": "deploy_with_cleanup",
  "steps": [
    { "id": "deploy", "toolName": "kubectl_apply", "parameters": { "manifest": "{{manifest}}" } },
    {
      "id": "cleanup", "toolName": "cleanup_resources", "dependsOn": ["deploy"],
      "condition": "{{deploy.success}} == False",
      "parameters": { "resource_id": "{{deploy.resource_id}}" }
    }
  ]
}`,
    good: `{
  "name": "deploy_with_cleanup",
  "steps": [
    { "id": "deploy", "toolName": "kubectl_apply", "parameters": { "manifest": "{{manifest}}" } },
    {
      "id": "cleanup", "toolName": "cleanup_resources", "dependsOn": ["deploy"],
      "condition": "{{deploy.success}} == False",
      "parameters": { "manifest": "{{manifest}}", "reason": "{{deploy.error}}" }
    }
  ]
}`,
  },
  messages: {
    readsFailedResult:
      'step "{{step}}" runs only when "{{source}}" failed, but reads "{{placeholder}}" from its result, which a failed step has only when {{throws}}. otherwise "{{step}}" fails too: read "{{error}}" (the failure\'s message) instead, or have the tool fail with a result that has this field (and say so where it is read: {{suppress}})',
  },
  create(context) {
    const dsl = context.target.origin === "ts";
    return {
      step(step) {
        const condition = compiled(step.condition);
        if (!condition) return;
        let handles: Map<string, boolean> | undefined;
        const handlesFailureOf = (source: string): boolean => {
          handles ??= new Map();
          let yes = handles.get(source);
          if (yes === undefined) handles.set(source, (yes = classifyOutcome(condition.ast, source) === "failure"));
          return yes;
        };
        for (const site of referencesOf(step)) {
          const source = site.ref.root;
          const first = site.ref.path[0];
          if (source === step.id || !context.stepById.has(source) || (typeof first === "string" && FACTS.has(first))) continue;
          if (!handlesFailureOf(source)) continue;
          const placeholder = context.written(site);
          const variable = dsl ? (stepExpressionOf(placeholder) ?? stepVariables(context).get(source)) : undefined;
          context.report({
            path: site.path,
            range: site.range,
            messageId: "readsFailedResult",
            stepId: step.id,
            data: {
              step: step.id,
              source,
              placeholder,
              error: variable !== undefined ? `${variable}.error` : `{{${source}.error}}`,
              throws: dsl
                ? "its tool's run throws fail(message, { result }) (a ToolError)"
                : "its tool throws ToolError(message, { result })",
              suppress: dsl ? "// weave-ignore failed-step-result: <reason>" : `"lint": { "ignore": { "failed-step-result": "<reason>" } }`,
            },
          });
        }
      },
    };
  },
});

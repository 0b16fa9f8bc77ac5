/**
 * @module Rule `condition-scope`: a condition reads a step that is not in the step's own `dependsOn`. A condition is
 * evaluated once the dependencies finished, and a failed or skipped dependency skips the step unless the condition
 * asks about that very dependency: reading any other step is a race (not ordered before) or never sees a failure
 * (ordered only transitively: the step in between is skipped first).
 */
import { graphOf, referencesOf } from "../step-facts.js";
import { defineRule } from "./rule.js";

export default defineRule({
  id: "condition-scope",
  severity: "error",
  docs: {
    description: "Require a condition to read only the step's own dependencies",
    bad: `{
  "name": "deploy",
  "steps": [
    { "id": "build", "toolName": "docker_build" },
    { "id": "notify_on_failure", "toolName": "slack_send_message", "condition": "{{build.success}} == False" }
  ]
}`,
    good: `{
  "name": "deploy",
  "steps": [
    { "id": "build", "toolName": "docker_build" },
    { "id": "notify_on_failure", "toolName": "slack_send_message", "dependsOn": ["build"], "condition": "{{build.success}} == False" }
  ]
}`,
  },
  messages: {
    notOrdered:
      'the condition of step "{{step}}" reads "{{placeholder}}", but "{{source}}" is not a dependency and is not ordered before it. a condition may only read the step\'s dependencies: add "{{source}}" to dependsOn',
    transitive:
      'the condition of step "{{step}}" reads "{{placeholder}}", but "{{source}}" is not in its dependsOn. a condition may only read the step\'s dependencies: add "{{source}}" to dependsOn',
    readsItself:
      'the condition of step "{{step}}" reads "{{placeholder}}", its own result, which does not exist when the condition is evaluated. read a dependency instead',
  },
  create(context) {
    const graph = graphOf(context.steps);
    return {
      step(step) {
        let declared: ReadonlySet<string> | undefined;
        for (const site of referencesOf(step)) {
          const source = site.ref.root;
          const sourceStep = context.stepById.get(source);
          if (site.where !== "condition" || !sourceStep || (declared ??= new Set(step.dependsOn)).has(source)) continue;
          const messageId = source === step.id ? "readsItself" : graph.orderedBefore(sourceStep, step) ? "transitive" : "notOrdered";
          context.report({
            path: site.path,
            range: site.range,
            messageId,
            data: { step: step.id, placeholder: context.written(site), source },
            stepId: step.id,
          });
        }
      },
    };
  },
});

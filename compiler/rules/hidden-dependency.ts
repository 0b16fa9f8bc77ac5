/**
 * @module Rule `hidden-dependency`: a step's parameters read `{{s.…}}` of a step `s` that is not ordered before it
 * at all (not an ancestor in the dependency graph). The two steps may run in any order: a race. Conditions are
 * checked by `condition-scope`, which also requires the step to be a direct dependency.
 */
import { graphOf, referencesOf } from "../step-facts.js";
import { defineRule } from "./rule.js";

export default defineRule({
  id: "hidden-dependency",
  severity: "error",
  docs: {
    description: "Disallow reading the result of a step that is not ordered before the reader",
    bad: `{
  "name": "deploy",
  "steps": [
    { "id": "build", "toolName": "docker_build" },
    { "id": "deploy", "toolName": "kubectl_apply", "parameters": { "image": "{{build.imageId}}" } }
  ]
}`,
    good: `{
  "name": "deploy",
  "steps": [
    { "id": "build", "toolName": "docker_build" },
    { "id": "deploy", "toolName": "kubectl_apply", "parameters": { "image": "{{build.imageId}}" }, "dependsOn": ["build"] }
  ]
}`,
  },
  messages: {
    notOrdered: 'step "{{step}}" reads "{{placeholder}}", but "{{source}}" is not ordered before it. add "{{source}}" to dependsOn',
    readsItself:
      'step "{{step}}" reads "{{placeholder}}", its own result, which does not exist before it runs. read the value from a dependency or an input variable',
  },
  create(context) {
    const graph = graphOf(context.steps);
    return {
      step(step) {
        for (const site of referencesOf(step)) {
          if (site.where !== "parameters") continue;
          const source = site.ref.root;
          const sourceStep = context.stepById.get(source);
          if (!sourceStep) continue;
          const base = { path: site.path, range: site.range, stepId: step.id };
          if (source === step.id)
            context.report({ ...base, messageId: "readsItself", data: { step: step.id, placeholder: context.written(site) } });
          else if (!graph.orderedBefore(sourceStep, step))
            context.report({ ...base, messageId: "notOrdered", data: { step: step.id, placeholder: context.written(site), source } });
        }
      },
    };
  },
});

/**
 * @module Rule `implicit-dependency`: a step's parameters read `{{s.…}}` of a step `s` that is ordered before it
 * only through other steps, not by its own `dependsOn`. It works by the luck of the current graph: removing the
 * step in between silently turns it into a race.
 */
import { graphOf, referencesOf } from "../step-facts.js";
import { defineRule } from "./rule.js";

export default defineRule({
  id: "implicit-dependency",
  severity: "warning",
  docs: {
    description: "Require a step to declare in dependsOn every step whose result it reads",
    bad: `{
  "name": "deploy",
  "steps": [
    { "id": "build", "toolName": "docker_build" },
    { "id": "push", "toolName": "docker_push", "parameters": { "image": "{{build.imageId}}" }, "dependsOn": ["build"] },
    { "id": "deploy", "toolName": "kubectl_apply", "parameters": { "image": "{{build.imageId}}", "digest": "{{push.digest}}" }, "dependsOn": ["push"] }
  ]
}`,
    good: `{
  "name": "deploy",
  "steps": [
    { "id": "build", "toolName": "docker_build" },
    { "id": "push", "toolName": "docker_push", "parameters": { "image": "{{build.imageId}}" }, "dependsOn": ["build"] },
    { "id": "deploy", "toolName": "kubectl_apply", "parameters": { "image": "{{build.imageId}}", "digest": "{{push.digest}}" }, "dependsOn": ["build", "push"] }
  ]
}`,
  },
  messages: {
    transitive:
      'step "{{step}}" reads "{{placeholder}}", but "{{source}}" is ordered before it only through "{{via}}". add "{{source}}" to dependsOn to declare the dependency',
  },
  create(context) {
    const graph = graphOf(context.steps);
    return {
      step(step) {
        let declared: ReadonlySet<string> | undefined;
        for (const site of referencesOf(step)) {
          const source = site.ref.root;
          const sourceStep = context.stepById.get(source);
          if (site.where !== "parameters" || !sourceStep || source === step.id || (declared ??= new Set(step.dependsOn)).has(source))
            continue;
          if (!graph.orderedBefore(sourceStep, step)) continue;
          const via = graph.via(sourceStep, step)?.id ?? "?";
          context.report({
            path: site.path,
            range: site.range,
            messageId: "transitive",
            data: { step: step.id, placeholder: context.written(site), source, via },
            stepId: step.id,
          });
        }
      },
    };
  },
});

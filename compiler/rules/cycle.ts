/**
 * @module Rule `cycle`: steps that depend on each other in a loop; none of them can ever start. The cycle is named
 * from its earliest step in execution order (`a -> b -> a`) and reported once, at that step's `dependsOn`. A step
 * with two dependencies at different depths is not a cycle (the original system's level resolver said it was).
 */
import { graphOf } from "../step-facts.js";
import { defineRule } from "./rule.js";

export default defineRule({
  id: "cycle",
  severity: "error",
  docs: {
    description: "Disallow dependencies that form a cycle",
    bad: `{
  "name": "deploy",
  "steps": [
    { "id": "build", "toolName": "docker_build", "dependsOn": ["deploy"] },
    { "id": "deploy", "toolName": "kubectl_apply", "dependsOn": ["build"] }
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
    cycle: 'dependency cycle "{{cycle}}": none of these steps can ever start. remove one of the dependencies to break the cycle',
  },
  create(context) {
    return {
      after() {
        for (const issue of graphOf(context.steps).issues) {
          if (issue.code !== "cycle") continue;
          context.report({ path: issue.path, messageId: "cycle", data: { cycle: issue.cycle.join(" -> ") }, ...(issue.stepId ? { stepId: issue.stepId } : {}) });
        }
      },
    };
  },
});

/** @module Rule `unknown-dependency`: a step depends on a step id that does not exist in the workflow. */
import { ISSUE_KINDS } from "../../src/model/issue-catalogue.js";
import { closest, quoteList } from "../../src/util/closest-name.js";
import { dependencySites } from "../step-facts.js";
import { defineRule } from "./rule.js";

export default defineRule({
  id: "unknown-dependency",
  severity: ISSUE_KINDS.unknown_dependency.severity,
  docs: {
    description: "Disallow a dependency on a step that does not exist",
    bad: `{
  "name": "release",
  "steps": [
    { "id": "build", "toolName": "docker_build" },
    { "id": "push", "toolName": "docker_push", "parameters": { "image": "{{build.imageId}}" }, "dependsOn": ["biuld"] }
  ]
}`,
    good: `{
  "name": "release",
  "steps": [
    { "id": "build", "toolName": "docker_build" },
    { "id": "push", "toolName": "docker_push", "parameters": { "image": "{{build.imageId}}" }, "dependsOn": ["build"] }
  ]
}`,
  },
  messages: ISSUE_KINDS.unknown_dependency.messages,
  create(context) {
    let allIds: string[] | undefined; // made once, at the first unknown dependency
    return {
      step(step) {
        for (const { dep, path } of dependencySites(step)) {
          if (dep === step.id || context.stepById.has(dep)) continue;
          const ids = (allIds ??= [...context.stepById.keys()]);
          // a step is never suggested as its own dependency, but it is one of the workflow's steps
          const suggestion = closest(
            dep,
            ids.filter((id) => id !== step.id),
          );
          if (suggestion)
            context.report({ path, messageId: "didYouMean", data: { step: step.id, dependency: dep, suggestion }, stepId: step.id });
          else
            context.report({
              path,
              messageId: "unknown",
              data: { step: step.id, dependency: dep, steps: quoteList(ids) },
              stepId: step.id,
            });
        }
      },
    };
  },
});

/** @module Rule `self-dependency`: a step lists itself in `dependsOn`, so it could never start. */
import { ISSUE_KINDS } from "../../src/model/issue-catalogue.js";
import { dependencySites } from "../step-facts.js";
import { defineRule } from "./rule.js";

export default defineRule({
  id: "self-dependency",
  severity: ISSUE_KINDS.self_dependency.severity,
  docs: {
    description: "Disallow a step that lists itself in dependsOn",
    bad: `{
  "name": "deploy",
  "steps": [
    { "id": "build", "toolName": "docker_build", "dependsOn": ["build"] }
  ]
}`,
    good: `{
  "name": "deploy",
  "steps": [
    { "id": "build", "toolName": "docker_build", "dependsOn": [] }
  ]
}`,
  },
  messages: ISSUE_KINDS.self_dependency.messages,
  create(context) {
    return {
      step(step) {
        for (const { dep, path } of dependencySites(step)) {
          if (dep === step.id) context.report({ path, messageId: "selfDependency", data: { step: step.id }, stepId: step.id });
        }
      },
    };
  },
});

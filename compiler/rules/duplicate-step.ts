/** @module Rule `duplicate-step`: two steps share an id, so references and dependencies to it are ambiguous. */
import { ISSUE_KINDS } from "../../src/model/issue-catalogue.js";
import { graphOf } from "../step-facts.js";
import { defineRule } from "./rule.js";

export default defineRule({
  id: "duplicate-step",
  severity: ISSUE_KINDS.duplicate_step.severity,
  docs: {
    description: "Disallow two steps with the same id",
    bad: `{
  "name": "deploy",
  "steps": [
    { "id": "build", "toolName": "docker_build" },
    { "id": "build", "toolName": "docker_push" }
  ]
}`,
    good: `{
  "name": "deploy",
  "steps": [
    { "id": "build", "toolName": "docker_build" },
    { "id": "push", "toolName": "docker_push", "parameters": { "image": "{{build.imageId}}" }, "dependsOn": ["build"] }
  ]
}`,
  },
  messages: ISSUE_KINDS.duplicate_step.messages,
  create(context) {
    return {
      after() {
        for (const { step, first } of graphOf(context.steps).duplicates) {
          const at = context.target.locate(["steps", first.index, "id"]).start;
          context.report({
            path: ["steps", step.index, "id"],
            messageId: "duplicate",
            data: { step: step.id, first: `${at.line}:${at.column}` },
            stepId: step.id,
          });
        }
      },
    };
  },
});

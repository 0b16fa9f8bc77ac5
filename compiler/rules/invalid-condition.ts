/** @module Rule `invalid-condition`: a step condition that does not parse, reported at the offending character. */
import { ConditionSyntaxError, parseCondition } from "../../src/condition/index.js";
import { ISSUE_KINDS } from "../../src/model/issue-catalogue.js";
import { defineRule } from "./rule.js";

export default defineRule({
  id: "invalid-condition",
  severity: ISSUE_KINDS.invalid_condition.severity,
  docs: {
    description: "Require every step condition to be a valid condition expression",
    bad: `{
  "name": "deploy",
  "steps": [
    { "id": "build", "toolName": "docker_build" },
    { "id": "notify", "toolName": "slack_send_message", "dependsOn": ["build"], "condition": "{{build.success}} = False" }
  ]
}`,
    good: `{
  "name": "deploy",
  "steps": [
    { "id": "build", "toolName": "docker_build" },
    { "id": "notify", "toolName": "slack_send_message", "dependsOn": ["build"], "condition": "{{build.success}} == False" }
  ]
}`,
  },
  messages: ISSUE_KINDS.invalid_condition.messages,
  create(context) {
    return {
      step(step) {
        if (step.condition === null) return;
        try {
          parseCondition(step.condition);
        } catch (error) {
          if (!(error instanceof ConditionSyntaxError)) throw error;
          const detail = error.message.replace(/ at column \d+/, "");
          const start = Math.min(error.offset, step.condition.length);
          const range = { start, end: Math.min(start + 1, step.condition.length) };
          context.report({
            path: ["steps", step.index, "condition"],
            range,
            messageId: "syntax",
            data: { step: step.id, detail },
            stepId: step.id,
          });
        }
      },
    };
  },
});

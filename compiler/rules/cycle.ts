/**
 * @module Rule `cycle`: steps that depend on each other in a loop; none of them can ever start. The cycle is named
 * from its earliest step in execution order (`a -> b -> a`) and reported once, at that step's `dependsOn`. A step
 * with two dependencies at different depths is not a cycle (the original system's level resolver said it was). A
 * long cycle is named by its first steps, its last step and how many steps it has, so the message stays readable.
 */
import { ISSUE_KINDS } from "../../src/model/issue-catalogue.js";
import { describeChain, isLongChain } from "../../src/model/describe-chain.js";
import { graphOf } from "../step-facts.js";
import { defineRule } from "./rule.js";

export default defineRule({
  id: "cycle",
  severity: ISSUE_KINDS.cycle.severity,
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
  messages: ISSUE_KINDS.cycle.messages,
  create(context) {
    return {
      after() {
        for (const { at, ids } of graphOf(context.steps).cycles) {
          const path = ["steps", at.index, "dependsOn"];
          const cycle = describeChain(ids);
          if (!isLongChain(ids)) context.report({ path, messageId: "cycle", data: { cycle }, stepId: at.id });
          else context.report({ path, messageId: "longCycle", data: { cycle, count: ids.length - 1 }, stepId: at.id });
        }
      },
    };
  },
});

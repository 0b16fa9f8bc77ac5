/**
 * @module Rule `recursive-workflow`: a workflow that runs itself as a sub-workflow, directly (`execute_workflow` naming
 * its own name, or a DSL `step(id).workflow(w)` inside `w`) or through other workflows (`deploy -> rollout ->
 * deploy`). Such a run would never end; the executor fails the step when it sees the name again on the chain of
 * callers. Sub-workflows named by a string are looked up among the workflows of the lint run (a DSL workflow's among
 * its own sub-workflows), as the executor looks them up in its library; embedded templates are followed. Reported at
 * each step of the workflow that starts such a chain, naming the chain (shortened when long).
 */
import { describeChain } from "../../src/model/describe-chain.js";
import { callsOf, workflowName } from "../workflow-calls.js";
import { defineRule } from "./rule.js";

export default defineRule({
  id: "recursive-workflow",
  severity: "error",
  scope: "run",
  docs: {
    description: "Disallow a workflow that runs itself as a sub-workflow, directly or through other workflows",
    bad: `{
  "name": "deploy",
  "steps": [
    { "id": "build", "toolName": "docker_build", "parameters": { "image": "{{image}}" } },
    { "id": "rollout", "toolName": "execute_workflow", "parameters": { "workflow": "deploy", "context": { "image": "{{build.imageId}}" } }, "dependsOn": ["build"] }
  ]
}`,
    good: `{
  "name": "deploy",
  "steps": [
    { "id": "build", "toolName": "docker_build", "parameters": { "image": "{{image}}" } },
    { "id": "rollout", "toolName": "execute_workflow", "parameters": { "workflow": "rollout_to_regions", "context": { "image": "{{build.imageId}}" } }, "dependsOn": ["build"] }
  ]
}`,
  },
  messages: {
    runsItself:
      'step "{{step}}" runs workflow "{{workflow}}" as a sub-workflow, inside "{{workflow}}" itself: the run would never end (the executor fails the step with "sub-workflow recursion"). run a different workflow',
    runsItselfThrough:
      'step "{{step}}" runs sub-workflow "{{callee}}", which runs "{{workflow}}" again: {{chain}}. the run would never end (the executor fails the step with "sub-workflow recursion"). remove one of the sub-workflow steps of this chain',
  },
  create(context) {
    return {
      after() {
        const name = workflowName(context.target.template);
        if (name === undefined) return;
        for (const call of callsOf(context.target.template)) {
          const chain = context.workflows.chainBack(name, call.callee);
          if (!chain) continue;
          const at = { path: ["steps", call.stepIndex, "parameters", "workflow"], stepId: call.stepId };
          if (chain.length === 2) context.report({ ...at, messageId: "runsItself", data: { step: call.stepId, workflow: name } });
          else
            context.report({
              ...at,
              messageId: "runsItselfThrough",
              data: { step: call.stepId, workflow: name, callee: call.callee, chain: `"${describeChain(chain)}"` },
            });
        }
      },
    };
  },
});

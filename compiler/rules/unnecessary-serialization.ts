/**
 * @module Rule `unnecessary-serialization` (info): a declared dependency `d` of step `s` with no data flow and no
 * outcome check: `s` reads no `{{d…}}` in its parameters or condition. The dependency only makes `s` wait, which
 * may be wanted (a side effect such as a pushed image, or a gate: "deploy only if the tests passed"), or may be the
 * guide's "unnecessary serialization" that loses parallelism. The linter cannot tell, hence the info level: keep
 * the dependency when the order matters, or turn the rule off. Never reported for `execute_workflow` steps (a
 * sub-workflow may read what `d` produced outside the template), for steps on or behind a cycle, for unknown or
 * self dependencies (other rules report those), and a dependency listed twice is reported once, at its first.
 */
import { dependencySites, graphOf, referencesOf } from "../step-facts.js";
import { defineRule } from "./rule.js";

export default defineRule({
  id: "unnecessary-serialization",
  severity: "info",
  docs: {
    description: "Report a dependency whose result and outcome the step never reads, so it may run in parallel",
    bad: `{
  "name": "tests",
  "steps": [
    { "id": "test_unit", "toolName": "run_tests", "parameters": { "suite": "unit" } },
    { "id": "test_integration", "toolName": "run_tests", "parameters": { "suite": "integration" }, "dependsOn": ["test_unit"] }
  ]
}`,
    good: `{
  "name": "tests",
  "steps": [
    { "id": "test_unit", "toolName": "run_tests", "parameters": { "suite": "unit" } },
    { "id": "test_integration", "toolName": "run_tests", "parameters": { "suite": "integration" } },
    { "id": "report", "toolName": "report", "parameters": { "unit": "{{test_unit.summary}}", "integration": "{{test_integration.summary}}" }, "dependsOn": ["test_unit", "test_integration"] }
  ]
}`,
  },
  messages: {
    noDataFlow:
      'step "{{step}}" waits for "{{dependency}}" but reads none of its results and does not check its outcome. if the order does not matter, remove "{{dependency}}" from dependsOn so both can run in parallel',
  },
  create(context) {
    return {
      step(step) {
        if (step.toolName === "execute_workflow" || graphOf(context.steps).isStuck(step)) return;
        const read = new Set(referencesOf(step).map((site) => site.ref.root));
        const seen = new Set<string>();
        for (const { dep, path } of dependencySites(step)) {
          if (seen.has(dep) || dep === step.id || !context.stepById.has(dep)) continue;
          seen.add(dep);
          if (!read.has(dep)) context.report({ path, messageId: "noDataFlow", data: { step: step.id, dependency: dep }, stepId: step.id });
        }
      },
    };
  },
});

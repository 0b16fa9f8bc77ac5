/**
 * @module Rule `unnecessary-serialization` (info): the guide's anti-pattern, a chain of steps that each wait for the one
 * before and read nothing from it (`test_unit` → `test_integration` → `test_e2e`), so they run one after another for
 * no reason the template shows. A dependency only waits when the step reads none of its results in its parameters or
 * condition (no data flow, no outcome check); such a dependency is part of a chain when the step has no other
 * dependency and the dependency no other dependent. A chain of two such dependencies or more is reported once, at its
 * first; a single one is taken as a deliberate gate (a smoke test before a publish, a lock before staging), and so is
 * a step that several steps wait for (the guide's `setup` before parallel tests) or that waits for several (its
 * `report` after them all). A chain in which a step reads an earlier step of the chain is not reported either: the
 * order carries data. Never reported for `execute_workflow` steps (a sub-workflow may read what the step before
 * produced outside the template), nor for steps on or behind a cycle.
 */
import { dependencySites, graphOf, referencesOf } from "../step-facts.js";
import type { StepView } from "./rule.js";
import { defineRule } from "./rule.js";

/** Chains of more steps than this are named by their ends and how many steps lie between. */
const NAMED_IN_FULL = 6;

const describe = (ids: readonly string[]): string =>
  ids.length <= NAMED_IN_FULL
    ? ids.map((id) => `"${id}"`).join(" -> ")
    : `"${ids[0]}" -> "${ids[1]}" -> ... (${ids.length - 3} more) -> "${ids[ids.length - 1]}"`;

const ID = "unnecessary-serialization";

export default defineRule({
  id: ID,
  severity: "info",
  docs: {
    description: "Report a chain of steps that each wait for the one before without reading anything from it",
    bad: `{
  "name": "tests",
  "steps": [
    { "id": "test_unit", "toolName": "run_tests", "parameters": { "suite": "unit" } },
    { "id": "test_integration", "toolName": "run_tests", "parameters": { "suite": "integration" }, "dependsOn": ["test_unit"] },
    { "id": "test_e2e", "toolName": "run_tests", "parameters": { "suite": "e2e" }, "dependsOn": ["test_integration"] }
  ]
}`,
    good: `{
  "name": "tests",
  "steps": [
    { "id": "setup", "toolName": "setup_env" },
    { "id": "test_unit", "toolName": "run_tests", "parameters": { "suite": "unit" }, "dependsOn": ["setup"] },
    { "id": "test_integration", "toolName": "run_tests", "parameters": { "suite": "integration" }, "dependsOn": ["setup"] },
    { "id": "test_e2e", "toolName": "run_tests", "parameters": { "suite": "e2e" }, "dependsOn": ["setup"] },
    { "id": "report", "toolName": "report", "dependsOn": ["test_unit", "test_integration", "test_e2e"] }
  ]
}`,
  },
  messages: {
    chain:
      "steps {{chain}} run one after another, but none reads a result of the step before it or checks its outcome. if their order does not matter, {{fix}} so they run in parallel; if the order is a gate, keep it and say why {{suppress}}",
  },
  create(context) {
    const { steps } = context;
    const position = new Map(steps.map((s, i) => [s, i]));
    /** For each step, the dependency it only waits for, when that is a link of a chain (see the module comment). */
    const link = new Map<StepView, { dependency: StepView; path: readonly (string | number)[] }>();
    return {
      step(step) {
        if (step.toolName === "execute_workflow") return;
        const facts = graphOf(steps);
        const { graph } = facts;
        const deps = graph.dependencies[position.get(step)!]!;
        if (deps.length !== 1 || facts.isStuck(step)) return;
        const d = deps[0]!;
        const dependency = steps[d]!;
        if (graph.dependentsStart[d + 1]! - graph.dependentsStart[d]! !== 1) return;
        if (referencesOf(step).some((site) => site.ref.root === dependency.id)) return;
        const site = dependencySites(step).find((x) => x.dep === dependency.id);
        if (site) link.set(step, { dependency, path: site.path });
      },
      after() {
        const next = new Map<StepView, StepView>();
        for (const [step, { dependency }] of link) next.set(dependency, step);
        for (const [step, { dependency, path }] of link) {
          if (link.has(dependency)) continue; // not the first link of its chain
          const chain = [dependency, step];
          for (let s = next.get(step); s !== undefined; s = next.get(s)) chain.push(s);
          if (chain.length < 3) continue;
          // a step that reads an earlier step of the chain: the order carries data after all
          const place = new Map(chain.map((s, k) => [s.id, k]));
          if (chain.some((s, k) => referencesOf(s).some((site) => (place.get(site.ref.root) ?? k) < k))) continue;
          const ts = context.target.origin === "ts";
          const fix = ts ? "remove the .after() or .then() calls that order them" : "remove their dependsOn entries";
          const suppress = ts
            ? `in a comment on the line before: // weave-ignore ${ID}: <reason>`
            : `in step "${step.id}": "lint": { "ignore": { "${ID}": "<reason>" } }`;
          context.report({ path, messageId: "chain", data: { chain: describe(chain.map((s) => s.id)), fix, suppress }, stepId: step.id });
        }
      },
    };
  },
});

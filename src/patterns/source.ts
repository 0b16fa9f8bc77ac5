/**
 * @module A suggested workflow as a self-contained DSL module: its plan written by the code generator
 * (src/codegen/emit-source.ts), under a header that says where the workflow came from and what was inferred.
 */
import { allocateNames, emitModuleSource } from "../codegen/emit-source.js";
import type { WorkflowPlan } from "./suggest.js";

/**
 * The source of `plan` (from `planWorkflow`, or `PatternDetector.suggestWorkflowSource`).
 * @example writeFileSync("deploy.ts", emitWorkflowSource(planWorkflow(patterns[0], { name: "deploy" })))
 */
export function emitWorkflowSource(plan: WorkflowPlan): string {
  const names = allocateNames(
    plan.tools.map((t) => t.name),
    [plan.template.name],
  );
  return emitModuleSource({ header: headerLines(plan), tools: plan.tools, workflows: [plan], names });
}

function headerLines(plan: WorkflowPlan): string[] {
  const { template, pattern, mode, order, samplesUsed } = plan;
  const seen =
    pattern.frequency === undefined
      ? ""
      : ` (seen ${pattern.frequency} times${pattern.successRate === undefined ? "" : `, ${Math.round(pattern.successRate * 100)}% fully successful`}${pattern.avgDurationMs === undefined ? "" : `, ${Math.round(pattern.avgDurationMs)} ms on average`})`;
  const lines = [
    `${template.name}: suggested by the toolweave pattern detector from the tool sequence`,
    `${pattern.tools.join(" → ")}${seen}.`,
    "",
  ];
  if (mode === "data-flow") {
    lines.push(
      `Inferred from ${samplesUsed} sampled occurrence${samplesUsed === 1 ? "" : "s"}: a parameter equal to an earlier call's result field in`,
      "every sample is a reference (and a dependency), one equal in every sample a literal, any other a workflow input.",
    );
  } else {
    lines.push("No results were recorded to infer data flow from: parameters are literals and workflow inputs.");
  }
  if (order === "data-flow") {
    lines.push(
      "Steps depend on their data sources only: calls that exchange no data run in parallel. Add .after(...) where an",
      "order matters without data (a side effect).",
    );
  } else if (samplesUsed > 0) {
    lines.push(
      "Steps keep the observed order: a step also waits (.after(...)) for the calls that ended before it started in every",
      "sample; calls seen overlapping run in parallel. Remove an .after(...) where the order does not matter.",
    );
  } else {
    lines.push("No occurrences were sampled: the steps run one after another, in the observed order.");
  }
  lines.push(
    "",
    "The tools have no implementation: add a `run` to each, or pass them at run time (`run(vars, { tools })`,",
    "`weave run <file> --tools <module>`). Their schemas are inferred from the values seen: tighten them.",
  );
  return lines;
}

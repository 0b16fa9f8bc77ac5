/** Sanity checks that make a broken executor fail the benchmark instead of producing a pretty report. */
import type { ExecutionResult, WorkflowTemplate } from "../../src/index.js";

/** Completed, with every step completed exactly once and nothing failed or skipped. */
export function assertCompleted(result: ExecutionResult, template: WorkflowTemplate, label: string): void {
  const n = template.steps.length;
  if (result.status !== "completed") throw new Error(`${label}: status ${result.status}: ${result.error ?? "?"}`);
  if (result.failedSteps.length !== 0)
    throw new Error(`${label}: ${result.failedSteps.length} failed steps, first: ${JSON.stringify(result.failedSteps[0])}`);
  if (result.skippedSteps.length !== 0)
    throw new Error(`${label}: ${result.skippedSteps.length} skipped steps, first: ${JSON.stringify(result.skippedSteps[0])}`);
  if (result.completedSteps.length !== n) throw new Error(`${label}: ${result.completedSteps.length} completed steps, expected ${n}`);
  const ids = new Set<string>();
  for (const s of result.completedSteps) ids.add(s.id);
  if (ids.size !== n) throw new Error(`${label}: ${ids.size} distinct completed step ids, expected ${n}`);
  for (const s of template.steps) if (!ids.has(s.id)) throw new Error(`${label}: step ${s.id} not among completed steps`);
}

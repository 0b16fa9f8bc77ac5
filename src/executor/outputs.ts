import { referencesOf, substitute, type CompiledValue } from "../placeholder/placeholders.js";
import type { WorkflowContext } from "./context.js";
import { errorMessage } from "./errors.js";

/**
 * Resolves the workflow's outputs after the run. An output that reads a step which did not complete (failed or
 * skipped) is left out; any other unresolvable output is an error of the run, named with its key.
 */
export function resolveOutputs(
  compiled: CompiledValue | null,
  context: WorkflowContext,
): { values: Record<string, unknown>; error?: string } {
  if (compiled === null) return { values: {} };
  if (compiled.kind === "constant") return { values: { ...(compiled.value as Record<string, unknown>) } };
  if (compiled.kind !== "object") return { values: {} };
  const values: Record<string, unknown> = {};
  let error: string | undefined;
  for (const [key, plan] of compiled.entries) {
    try {
      values[key] = substitute(plan, context.resolve);
    } catch (e) {
      const stepDidNotComplete = referencesOf(plan).some(
        ({ root }) => context.getError(root) !== undefined || context.getSkipped(root) !== undefined,
      );
      if (!stepDidNotComplete) error ??= `output "${key}": ${errorMessage(e)}`;
    }
  }
  return error === undefined ? { values } : { values, error };
}

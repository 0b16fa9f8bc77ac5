/**
 * @module What a finished run reports: its status (`cancelled` when its signal or timeout stopped it, `failed` when a
 * step failed or an output could not be resolved, else `completed`), the error that says why, and the parallel
 * speedup (the sum of its steps' durations over its wall time).
 */
import type { ExecutionResult, ExecutionStatus } from "./types.js";

/** The steps that completed, failed and were skipped, in the order they did. */
export type StepLists = Pick<ExecutionResult, "completedSteps" | "failedSteps" | "skippedSteps">;

export interface RunEnd {
  readonly runId: string;
  readonly durationMs: number;
  readonly outputs: Record<string, unknown>;
  /** Why the run was cancelled (its signal, its timeout), if it was. */
  readonly cancelledBy: string | undefined;
  /** What failed first, if anything did. */
  readonly firstError: string | undefined;
}

export function runResult(steps: StepLists, end: RunEnd): ExecutionResult {
  const { durationMs, cancelledBy, firstError } = end;
  const failed = steps.failedSteps.length > 0 || firstError !== undefined;
  let busy = 0;
  for (const s of steps.completedSteps) busy += s.durationMs;
  for (const s of steps.failedSteps) busy += s.durationMs;
  const status: ExecutionStatus = cancelledBy !== undefined ? "cancelled" : failed ? "failed" : "completed";
  return {
    status,
    runId: end.runId,
    durationMs,
    ...(cancelledBy !== undefined ? { error: cancelledBy } : failed ? { error: firstError ?? "a step failed" } : {}),
    ...steps,
    parallelSpeedup: durationMs > 0 ? busy / durationMs : 1,
    outputs: end.outputs,
  };
}

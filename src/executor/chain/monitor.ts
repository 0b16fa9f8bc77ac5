/**
 * @module Records every attempt with the monitor (`ToolCallMetric`): its tool, step, run, start and duration, and how
 * it ended (a timeout, and a result the journal refused, included). Parameters, results and error messages are
 * recorded with the run's secret values masked.
 */
import type { Monitor } from "../../monitor/index.js";
import { MONITOR_MAX_VALUES } from "../../monitor/redact.js";
import type { SecretMask } from "../../secrets/mask.js";
import { errorMessage, failureResult } from "../errors.js";
import type { AttemptCall } from "./attempt-call.js";
import type { Interceptor } from "./compose.js";
import { after } from "./outcome.js";

/** Records each attempt's outcome with `monitor`, masking the run's secrets with `mask`. */
export function monitorCalls(monitor: Monitor, mask: SecretMask): Interceptor<AttemptCall> {
  const record = (call: AttemptCall, success: boolean, error: string | undefined, result: unknown): void => {
    const { context, startedAt } = call;
    monitor.record({
      toolName: call.toolName,
      stepId: context.stepId,
      executionId: context.runId,
      workflowName: context.workflowName,
      attempt: context.attempt,
      ...(context.item === undefined ? {} : { item: context.item }),
      // the attempt's own high-resolution start, on the epoch clock: `Date.now() - durationMs` (whole ms) could put a
      // sub-millisecond call before the one it followed, and the pattern detector orders calls by this
      timestamp: performance.timeOrigin + startedAt,
      durationMs: performance.now() - startedAt,
      success,
      ...(error === undefined ? {} : { error }),
      parameters: mask.isEmpty ? call.params : mask.value(call.params, MONITOR_MAX_VALUES),
      // a failed call's result is the partial result of a ToolError, when it has one
      ...(success || result !== undefined ? { result: mask.isEmpty ? result : mask.value(result, MONITOR_MAX_VALUES) } : {}),
    });
  };
  return function monitored(call, next) {
    return after(
      next,
      call,
      (value) => {
        record(call, true, undefined, value);
        return value;
      },
      (error) => {
        // a tool's error may quote what it was given: a secret must not reach the record
        record(call, false, mask.text(errorMessage(error)), failureResult(error)?.value);
        throw error;
      },
    );
  };
}

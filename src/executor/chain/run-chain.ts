/**
 * @module The chain of a run, outermost first:
 *
 * - `monitor` records what each attempt came to: its tool's outcome, its timeout, the journal's refusal of its result;
 * - `journal` (durable runs) writes `start`, and `done` for an outcome that counts;
 * - `cancellation` drops the outcomes of a cancelled run's attempts (the run failed their steps already), so neither
 *   of the above records them; only there when one of them is;
 * - `timeout` bounds the attempt (a step's `timeoutMs`);
 * - `attributeStrayErrors` (in process) ties the tool's stray errors to the attempt;
 * - then the call itself: the tool, in this process, or the executor's `invoker` (see `adapters/redis`).
 *
 * Retries are the run's: each is a new attempt through the same chain.
 */
import type { Monitor } from "../../monitor/index.js";
import type { SecretMask } from "../../secrets/mask.js";
import { trackingToolCalls } from "../stray-errors.js";
import type { LineageStep, ToolCall } from "../types.js";
import type { AttemptCall } from "./attempt-call.js";
import { attributeStrayErrors } from "./attribute-stray-errors.js";
import { dropWhenCancelled } from "./cancellation.js";
import { callTool, compose, type Interceptor, type Next } from "./compose.js";
import type { StepJournal } from "./journal.js";
import { monitorCalls } from "./monitor.js";
import { timeout } from "./timeout.js";

export interface RunChainOptions {
  readonly monitor: Monitor | undefined;
  /** The run's secret values, masked in what the monitor records. */
  readonly mask: SecretMask;
  /** A durable run's journal. */
  readonly journal: StepJournal | undefined;
  /** The run's own signal, aborted when the run is cancelled. */
  readonly runSignal: AbortSignal;
  /** Makes each call elsewhere (the executor's `invoker`); undefined: the tool is called in this process. */
  readonly invoke: ((call: ToolCall) => unknown) | undefined;
  /** The top-level run's id and, for a sub-workflow run, the steps that led to it: handed to `invoke`. */
  readonly callScope: { readonly rootRunId: string; readonly path: readonly LineageStep[] };
}

export function runChain(options: RunChainOptions): Next<AttemptCall> {
  const interceptors: Interceptor<AttemptCall>[] = [];
  if (options.monitor) interceptors.push(monitorCalls(options.monitor, options.mask));
  if (options.journal) interceptors.push(options.journal.intercept);
  if (interceptors.length > 0) interceptors.push(dropWhenCancelled(options.runSignal));
  interceptors.push(timeout);
  const { invoke } = options;
  if (invoke === undefined) {
    // a process that tracks tool calls turns tracking on before it runs anything (the weave CLI, as it starts)
    if (interceptors.length > 1 || trackingToolCalls()) return compose([...interceptors, attributeStrayErrors], callTool);
    // only the timeout, which passes a call without a bound through untouched: such a call goes straight to its tool
    const chain = compose(interceptors, callTool);
    return function inProcess(call) {
      return call.timeoutMs === null ? call.tool(call.params, call.context) : chain(call);
    };
  }
  const { rootRunId, path } = options.callScope;
  const secrets = options.mask.values;
  return compose(interceptors, function invokeElsewhere(call) {
    return invoke({
      toolName: call.toolName,
      params: call.params,
      context: call.context,
      timeoutMs: call.timeoutMs,
      rootRunId,
      scope: path,
      tool: call.tool,
      secrets,
    });
  });
}

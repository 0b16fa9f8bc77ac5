/**
 * @module The chain every attempt's tool call goes through, in the way of the interceptors of Temporal's SDK: each
 * piece takes the call and `next`, may change the call it passes on (a signal of its own, say), and may watch or
 * change the outcome. The run that schedules the steps calls the composed chain and knows none of the pieces; the
 * distributed worker composes the pieces that apply to it. See `run-chain.ts` for the order of a run's chain.
 */
import type { ToolContext, ToolFunction } from "../types.js";

/** What every piece of a chain needs of a call: the tool, what it is given, and the attempt's bound. */
export interface ChainCall {
  readonly tool: ToolFunction;
  readonly params: Record<string, unknown>;
  /** What the tool receives; an interceptor may pass on a copy with a signal of its own. */
  readonly context: ToolContext;
  /** Bound on the attempt, in milliseconds (null: none). */
  readonly timeoutMs: number | null;
}

/** The rest of the chain: returns the outcome (the value, or a thenable of it) or throws the failure. */
export type Next<C extends ChainCall = ChainCall> = (call: C) => unknown;

/** One piece of a chain. Outcomes are mapped with `after` (outcome.ts), so a synchronous call stays synchronous. */
export type Interceptor<C extends ChainCall = ChainCall> = (call: C, next: Next<C>) => unknown;

/**
 * Composes the pieces, the first outermost, around `invoke` (the call itself) into one function. Built once (per run,
 * per worker): a call then costs one function call per piece, and with no pieces it is `invoke` itself.
 */
export function compose<C extends ChainCall>(interceptors: readonly Interceptor<C>[], invoke: Next<C>): Next<C> {
  let next = invoke;
  for (let k = interceptors.length - 1; k >= 0; k--) {
    const interceptor = interceptors[k]!;
    const inner = next;
    next = function intercepted(call: C): unknown {
      return interceptor(call, inner);
    };
  }
  return next;
}

/** Calls the tool in this process. */
export function callTool(call: ChainCall): unknown {
  return call.tool(call.params, call.context);
}

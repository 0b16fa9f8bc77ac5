/**
 * @module The bound on each attempt (a step's `timeoutMs`): the attempt gets a signal of its own, aborted when the one
 * it was given aborts (the run's cancellation) or when the bound passes, with an {@link AttemptTimeoutError}; the
 * attempt then fails with that reason at once (see `abortable.ts`). Bounds above Node's timer limit (about 24.8 days)
 * are kept (`setLongTimeout`).
 */
import { setLongTimeout } from "../../util/long-timeout.js";
import { untilAborted } from "./abortable.js";
import type { ChainCall, Next } from "./compose.js";

/** An attempt that ran past its step's `timeoutMs`: the reason its signal was aborted with, and its failure. */
export class AttemptTimeoutError extends Error {
  override readonly name = "AttemptTimeoutError";

  constructor(
    /** The bound that passed, in milliseconds. */
    readonly timeoutMs: number,
  ) {
    super(`timed out after ${timeoutMs} ms`);
  }
}

/** Bounds the attempt by `call.timeoutMs`; a call without one passes through untouched. */
export function timeout<C extends ChainCall>(call: C, next: Next<C>): unknown {
  const ms = call.timeoutMs;
  if (ms === null) return next(call);
  const parent = call.context.signal;
  const controller = new AbortController();
  const onParentAbort = (): void => controller.abort(parent.reason);
  if (parent.aborted) controller.abort(parent.reason);
  else parent.addEventListener("abort", onParentAbort, { once: true });
  const timer = setLongTimeout(() => controller.abort(new AttemptTimeoutError(ms)), ms);
  const settled = (): void => {
    timer.clear();
    parent.removeEventListener("abort", onParentAbort);
  };
  let outcome: unknown;
  try {
    outcome = next({ ...call, context: { ...call.context, signal: controller.signal } });
  } catch (error) {
    settled();
    throw error;
  }
  return untilAborted(outcome, controller.signal, settled);
}

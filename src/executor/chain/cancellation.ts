/**
 * @module An attempt of a cancelled run has no outcome. Cancelling a run (its signal, its timeout, `failFast`) fails
 * the steps that are running there and then; what their tools do afterwards is dropped here, so the pieces outside
 * this one (the journal's `done`, the monitor's record) see nothing of those attempts, as if they had not returned.
 */
import type { ChainCall, Interceptor } from "./compose.js";
import { after, PendingOutcome } from "./outcome.js";

/** Drops the outcome of every attempt that settles once `runSignal` has aborted. */
export function dropWhenCancelled<C extends ChainCall>(runSignal: AbortSignal): Interceptor<C> {
  const onValue = (value: unknown): unknown => (runSignal.aborted ? new PendingOutcome() : value);
  const onError = (error: unknown): unknown => {
    if (runSignal.aborted) return new PendingOutcome();
    throw error;
  };
  return function cancellation(call, next) {
    return after(next, call, onValue, onError);
  };
}

/**
 * @module An attempt ends when its signal aborts: it fails with the signal's reason at once, and what the tool does
 * after that no longer counts (a tool that ignores its signal does not hold the attempt). The timeout piece races its
 * own signal this way; the distributed worker races each job's signal (its release, the coordinator's cancellation).
 */
import type { ChainCall, Next } from "./compose.js";
import { isThenable, PendingOutcome, whenSettled } from "./outcome.js";

/** Fails the attempt with its signal's reason as soon as the signal aborts, whatever the tool does. */
export function abortable<C extends ChainCall>(call: C, next: Next<C>): unknown {
  const signal = call.context.signal;
  return untilAborted(next(call), signal);
}

/**
 * The outcome, or `signal`'s reason as soon as it aborts, whichever comes first; `settled` runs once either has come.
 * A plain value (or a throw) has come already, whatever the signal says.
 */
export function untilAborted(outcome: unknown, signal: AbortSignal, settled?: () => void): unknown {
  let thenable: boolean;
  try {
    thenable = outcome instanceof PendingOutcome || isThenable(outcome);
  } catch (error) {
    settled?.();
    throw error;
  }
  if (!thenable) {
    settled?.();
    return outcome;
  }
  const result = new PendingOutcome();
  const onAbort = (): void => {
    if (result.settled) return;
    settled?.();
    result.reject(signal.reason);
  };
  const done = (): boolean => {
    if (result.settled) return false;
    signal.removeEventListener("abort", onAbort);
    settled?.();
    return true;
  };
  if (signal.aborted) onAbort();
  else signal.addEventListener("abort", onAbort, { once: true });
  whenSettled(
    outcome as PendingOutcome | PromiseLike<unknown>,
    (value) => void (done() && result.resolve(value)),
    (error) => void (done() && result.reject(error)),
  );
  return result;
}

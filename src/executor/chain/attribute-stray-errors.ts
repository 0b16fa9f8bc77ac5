/**
 * @module Runs each in-process tool call in its attempt's scope when the process tracks tool calls (the `weave` CLI,
 * see `stray-errors.ts`): an error the tool raises where nobody can catch it (a promise it never awaits, a timer
 * callback that throws) then fails this attempt, if it is still going, like an error the tool threw.
 */
import { inAttempt, trackingToolCalls, type RunningAttempt } from "../stray-errors.js";
import type { ChainCall, Next } from "./compose.js";
import { isThenable, PendingOutcome, whenSettled } from "./outcome.js";

export function attributeStrayErrors<C extends ChainCall>(call: C, next: Next<C>): unknown {
  if (!trackingToolCalls()) return next(call);
  let settled = false;
  let pending: PendingOutcome | undefined;
  const { context } = call;
  const scope: RunningAttempt = {
    runId: context.runId,
    stepId: context.stepId,
    attempt: context.attempt,
    // not once the attempt has ended: settled, timed out (its signal aborted), or cancelled with its run
    fail: (error) => !settled && pending !== undefined && !context.signal.aborted && pending.reject(error),
  };
  let outcome: unknown;
  let thenable: boolean;
  try {
    outcome = inAttempt(
      () => scope,
      () => next(call),
    );
    thenable = outcome instanceof PendingOutcome || isThenable(outcome);
  } catch (error) {
    settled = true;
    throw error;
  }
  if (!thenable) {
    settled = true;
    return outcome;
  }
  const result = (pending = new PendingOutcome());
  whenSettled(
    outcome as PendingOutcome | PromiseLike<unknown>,
    (value) => {
      settled = true;
      result.resolve(value);
    },
    (error) => {
      settled = true;
      result.reject(error);
    },
  );
  return result;
}

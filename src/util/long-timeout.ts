/**
 * @module Timers for delays of any length. Node's `setTimeout` keeps its delay in a signed 32-bit integer: above
 * 2³¹−1 ms (about 24.8 days) it warns and fires after 1 ms, so a step's 30-day timeout would fail it at once.
 * Longer delays are chained through timers that each stay under the bound.
 */

/** The longest delay `setTimeout` honours, in milliseconds. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A pending {@link setLongTimeout}; `clear()` cancels it (idempotent). */
export interface LongTimeout {
  clear(): void;
}

/** Calls `callback` once after `ms` milliseconds, however large `ms` is (`Infinity` never fires). */
export function setLongTimeout(callback: () => void, ms: number): LongTimeout {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const schedule = (remaining: number): void => {
    if (remaining === Infinity) return;
    timer =
      remaining > MAX_TIMER_MS
        ? setTimeout(() => schedule(remaining - MAX_TIMER_MS), MAX_TIMER_MS)
        : setTimeout(callback, Math.max(0, remaining));
  };
  schedule(ms);
  return {
    clear() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  };
}

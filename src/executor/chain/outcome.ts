/**
 * @module What a call through the chain returns: the tool's value itself when it returned one (so a run of synchronous
 * tools never waits for the microtask queue), or a thenable. The pieces of the chain map outcomes with {@link after},
 * which stays synchronous for a synchronous outcome and, for an asynchronous one, hands back a {@link PendingOutcome}
 * whose observers run as soon as it settles: however many interceptors wrap a call, its outcome reaches the run in the
 * same microtask as the tool's own promise settles, as if the run had called the tool itself.
 */

type Observer = readonly [onValue: (value: unknown) => void, onError: (error: unknown) => void];

const PENDING = 0;
const FULFILLED = 1;
const REJECTED = 2;

/**
 * An outcome still to come. Unlike a promise, it calls its observers synchronously when it settles (at once when
 * observed after), so wrapping a call costs no microtask. Settles once: later `resolve` and `reject` calls return false.
 * Never settling is how an interceptor drops an outcome that no longer counts (see `cancellation.ts`).
 */
export class PendingOutcome {
  #state = PENDING;
  #value: unknown;
  #observers: Observer[] | undefined;

  /** Settles with `value`; false when it had settled already. */
  resolve(value: unknown): boolean {
    return this.#settle(FULFILLED, value);
  }

  /** Settles with `error`; false when it had settled already. */
  reject(error: unknown): boolean {
    return this.#settle(REJECTED, error);
  }

  get settled(): boolean {
    return this.#state !== PENDING;
  }

  /** Observes the outcome (a thenable: `await` and `Promise.resolve` adopt it); returns nothing to chain on. */
  then(onValue: (value: unknown) => void, onError: (error: unknown) => void): void {
    if (this.#state === FULFILLED) return onValue(this.#value);
    if (this.#state === REJECTED) return onError(this.#value);
    (this.#observers ??= []).push([onValue, onError]);
  }

  #settle(state: typeof FULFILLED | typeof REJECTED, value: unknown): boolean {
    if (this.#state !== PENDING) return false;
    this.#state = state;
    this.#value = value;
    const observers = this.#observers;
    this.#observers = undefined;
    if (observers) for (const [onValue, onError] of observers) state === FULFILLED ? onValue(value) : onError(value);
    return true;
  }
}

/** Whether `value` is a thenable; throws what reading its `then` throws (a Proxy, a throwing getter). */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === "object" || typeof value === "function") &&
    typeof (value as PromiseLike<unknown>).then === "function"
  );
}

/** Observes a thenable: a {@link PendingOutcome} as it settles, a promise a microtask after. */
export function whenSettled(
  outcome: PendingOutcome | PromiseLike<unknown>,
  onValue: (value: unknown) => void,
  onError: (error: unknown) => void,
): void {
  if (outcome instanceof PendingOutcome) outcome.then(onValue, onError);
  // Promise.resolve adopts a foreign thenable in a job of its own: a `then` that throws rejects instead of escaping
  else Promise.resolve(outcome).then(onValue, onError);
}

/**
 * Calls `next(call)` and maps its outcome: `onValue` and `onError` return the new outcome's value (a
 * {@link PendingOutcome} they return is adopted) or throw its error. Synchronous in, synchronous out: a plain value
 * or a throw of `next` is mapped at once.
 */
export function after<C>(
  next: (call: C) => unknown,
  call: C,
  onValue: (value: unknown) => unknown,
  onError: (error: unknown) => unknown,
): unknown {
  let outcome: unknown;
  try {
    outcome = next(call);
  } catch (error) {
    return onError(error);
  }
  if (outcome instanceof PendingOutcome) return mapped(outcome, onValue, onError);
  let thenable: boolean;
  try {
    thenable = isThenable(outcome);
  } catch (error) {
    return onError(error);
  }
  return thenable ? mapped(outcome as PromiseLike<unknown>, onValue, onError) : onValue(outcome);
}

function mapped(
  outcome: PendingOutcome | PromiseLike<unknown>,
  onValue: (value: unknown) => unknown,
  onError: (error: unknown) => unknown,
): PendingOutcome {
  const result = new PendingOutcome();
  const settle = (f: (x: unknown) => unknown, x: unknown): void => {
    let next: unknown;
    try {
      next = f(x);
    } catch (error) {
      result.reject(error);
      return;
    }
    if (next instanceof PendingOutcome)
      next.then(
        (v) => result.resolve(v),
        (e) => result.reject(e),
      );
    else result.resolve(next);
  };
  whenSettled(
    outcome,
    (value) => settle(onValue, value),
    (error) => settle(onError, error),
  );
  return result;
}

/** An `onError` that passes the error on. */
export function rethrow(error: unknown): never {
  throw error;
}

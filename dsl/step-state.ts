import type { StepState } from "./workflow-build.js";

const STATE = Symbol.for("toolweave.step");

/** Attaches the declaration record to a builder handle (not enumerable, not part of the public type). */
export function attachState(handle: object, state: StepState): void {
  Object.defineProperty(handle, STATE, { value: state });
}

export function stateOf(handle: unknown): StepState {
  const state = typeof handle === "object" && handle !== null ? (handle as Record<symbol, StepState | undefined>)[STATE] : undefined;
  if (!state) throw new TypeError(`expected a step (from step(id).tool(...)), got ${handle === null ? "null" : typeof handle}`);
  return state;
}

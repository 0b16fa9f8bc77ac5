/**
 * @module Why a step failed without its tool failing it, or was stopped: typed, so a run passes the failure on as it
 * is, and the text is made only where it is shown (the step's error, the run's result, events, the journal).
 * Failures of an attempt are the chain's (`AttemptTimeoutError` in chain/timeout.ts, `ResultNotJournaledError` in
 * chain/journal.ts) or the tool's own.
 */
import { errorMessage } from "./errors.js";

/** A step's condition could not be evaluated (a reference to nothing, a type error): the step fails. */
export class ConditionError extends Error {
  override readonly name = "ConditionError";

  constructor(
    /** The condition as written. */
    readonly condition: string,
    cause: unknown,
  ) {
    super(`condition "${condition}": ${errorMessage(cause)}`, { cause });
  }
}

/** A step names a tool that the run does not have: the step fails before any attempt. */
export class UnknownToolError extends Error {
  override readonly name = "UnknownToolError";

  constructor(
    readonly toolName: string,
    /** The tools the run has, sorted. */
    readonly known: readonly string[],
  ) {
    super(`unknown tool '${toolName}'. known tools are ${known.map((t) => `'${t}'`).join(", ") || "none"}`);
  }
}

/**
 * The run was stopped (its caller's signal, its timeout, `failFast`, a broken journal): the reason its tools' signals
 * are aborted with, and the failure of the steps that were running. Its message says why.
 */
export class RunCancelledError extends Error {
  override readonly name = "RunCancelledError";
}

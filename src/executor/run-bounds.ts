/**
 * @module What stops a run from outside its steps: the caller's signal and the workflow's timeout (`timeoutMs`).
 */
import { setLongTimeout, type LongTimeout } from "../util/long-timeout.js";
import { errorMessage } from "./errors.js";

/** Watching a run's bounds; `clear` stops watching (the run is done, or cancelled). */
export interface RunBounds {
  clear(): void;
}

/**
 * Calls `stop` with why when `signal` aborts or `timeoutMs` passes (at once, and nothing is watched, when `signal`
 * has aborted already: then it returns undefined).
 */
export function watchRunBounds(
  workflowName: string,
  signal: AbortSignal | undefined,
  timeoutMs: number | undefined,
  stop: (why: string) => void,
): RunBounds | undefined {
  if (signal?.aborted) {
    stop(`cancelled: ${errorMessage(signal.reason)}`);
    return undefined;
  }
  const onAbort = (): void => stop(`cancelled: ${errorMessage(signal!.reason)}`);
  signal?.addEventListener("abort", onAbort, { once: true });
  let timer: LongTimeout | undefined;
  if (timeoutMs !== undefined) {
    timer = setLongTimeout(() => {
      timer = undefined;
      stop(`workflow "${workflowName}" timed out after ${timeoutMs} ms`);
    }, timeoutMs);
  }
  return {
    clear() {
      signal?.removeEventListener("abort", onAbort);
      timer?.clear();
      timer = undefined;
    },
  };
}

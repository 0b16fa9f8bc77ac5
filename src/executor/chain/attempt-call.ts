/**
 * @module One attempt of a step's tool call, as the run hands it to its chain.
 */
import type { ChainCall } from "./compose.js";

export interface AttemptCall extends ChainCall {
  readonly toolName: string;
  /** When this attempt started (`performance.now()`); the first attempt's is its step's start. */
  readonly startedAt: number;
  /** When the step's first attempt started: the step's duration counts from it, retries included. */
  readonly stepStartedAt: number;
}

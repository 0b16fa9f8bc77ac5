import type { WorkflowStep } from "../model/step.js";

/** Longest wait between attempts, whatever the backoff says. */
export const MAX_RETRY_DELAY_MS = 5 * 60_000;

/**
 * Delay before attempt `attempt + 1`, after `attempt` failed. Fixed: `retryDelayMs`. Exponential: `retryDelayMs * 2^(attempt-1)`,
 * with "equal jitter" (a uniform pick in the upper half) so many failing steps do not retry in lockstep.
 */
export function retryDelayMs(step: Pick<WorkflowStep, "retryDelayMs" | "backoff">, attempt: number, random: () => number): number {
  if (step.backoff === "fixed") return Math.min(step.retryDelayMs, MAX_RETRY_DELAY_MS);
  const ceiling = Math.min(step.retryDelayMs * 2 ** (attempt - 1), MAX_RETRY_DELAY_MS);
  return ceiling / 2 + random() * (ceiling / 2);
}

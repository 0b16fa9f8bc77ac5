/** Thrown by a tool to say that retrying cannot help (bad input, permission denied). */
export class NonRetryableError extends Error {
  override readonly name = "NonRetryableError";
  readonly nonRetryable = true;
}

export function isNonRetryable(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { nonRetryable?: unknown }).nonRetryable === true;
}

/** The message of anything thrown: tools may throw strings or plain objects. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === "string") return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}

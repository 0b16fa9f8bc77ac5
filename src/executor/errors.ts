/** Thrown by a tool to say that retrying cannot help (bad input, permission denied). */
export class NonRetryableError extends Error {
  override readonly name = "NonRetryableError";
  readonly nonRetryable = true;
}

export function isNonRetryable(error: unknown): boolean {
  try {
    return typeof error === "object" && error !== null && (error as { nonRetryable?: unknown }).nonRetryable === true;
  } catch {
    // a Proxy or a throwing getter: nothing says it is not retryable
    return false;
  }
}

/**
 * The message of anything thrown: tools may throw strings, plain objects, or values that resist printing (a Proxy,
 * a null-prototype object, a BigInt inside, a `message` getter that throws). Never throws: a run must be able to
 * record any failure.
 */
export function errorMessage(error: unknown): string {
  try {
    if (error instanceof Error) {
      const message: unknown = error.message;
      return typeof message === "string" && message !== "" ? message : String(error.name || "Error");
    }
    if (typeof error === "string") return error;
    if (typeof error === "bigint") return `${error}n`;
    const json = JSON.stringify(error);
    if (json !== undefined) return json;
    return String(error);
  } catch {
    // fall through to a description that reads nothing of the value
  }
  try {
    return String(error);
  } catch {
    return `a thrown ${error === null ? "null" : typeof error} that cannot be printed`;
  }
}

import type { JsonValue } from "../model/schema.js";
import { safeCopy, thrownReason } from "../util/safe-json.js";

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

/** How a {@link ToolError} is told apart from other errors, also one made by another copy of toolweave. */
const TOOL_ERROR = Symbol.for("toolweave.ToolError");

/** The options of a {@link ToolError}: plain data. */
export interface ToolErrorOptions<R = unknown> {
  /**
   * What the tool got done before it failed (an id to clean up, the items it did process): it becomes the failed
   * step's result, which failure handlers read (`{{deploy.resource_id}}`). Kept as JSON, as a journal or a worker
   * would carry it: a value JSON cannot hold becomes a marker (`"[Circular]"`, `"123n"`, `"[Unreadable: ...]"`).
   * @default none: the failed step has no result, and reading one of its fields is an error
   */
  readonly result?: R;
  /** `false`: retrying cannot help (as {@link NonRetryableError}), so the step's remaining retries are skipped. @default true */
  readonly retryable?: boolean;
  /** The error that caused this one (kept as `Error.cause`). */
  readonly cause?: unknown;
}

/**
 * Thrown by a tool that fails with partial results: the step fails (retried as usual unless `retryable: false`),
 * and its `result` is the failed step's result, for its failure handlers: `{{deploy.resource_id}}` resolves from it,
 * while `{{deploy.success}}` is false and `{{deploy.error}}` is this message.
 * @example
 * throw new ToolError("rollout timed out", { result: { resource_id: created.id } });
 */
export class ToolError<R = unknown> extends Error {
  override readonly name: string = "ToolError";
  /** The partial result; undefined when the tool gave none. */
  readonly result: R | undefined;
  /** Read by the retry logic (as `NonRetryableError`'s): true when `retryable: false` was given. */
  readonly nonRetryable: boolean;

  constructor(message: string, options: ToolErrorOptions<R> = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.result = options.result;
    this.nonRetryable = options.retryable === false;
  }

  /** Whether `value` is a ToolError (of this or any other copy of toolweave, or an error that carries a result the same way). */
  static isToolError(value: unknown): value is ToolError {
    try {
      return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[TOOL_ERROR] === true;
    } catch {
      return false;
    }
  }
}
Object.defineProperty(ToolError.prototype, TOOL_ERROR, { value: true });

/** Marks errors of another class (a worker's failure, seen by the coordinator) as carrying a result like a {@link ToolError}. */
export function markCarriesResult(prototype: object): void {
  Object.defineProperty(prototype, TOOL_ERROR, { value: true });
}

/**
 * The partial result a failure carries (a {@link ToolError}'s `result`), as JSON: a plain copy in which what JSON
 * cannot hold is a marker, never a throw. Undefined when the error carries none (or the result is `undefined`).
 */
export function failureResult(error: unknown): { readonly value: JsonValue } | undefined {
  if (!ToolError.isToolError(error)) return undefined;
  let result: unknown;
  try {
    result = (error as { result?: unknown }).result;
  } catch (reason) {
    return { value: `[Unreadable: ${thrownReason(reason)}]` };
  }
  if (result === undefined) return undefined;
  const copy = safeCopy(result, { mode: "json" });
  return copy.value === undefined ? undefined : { value: copy.value as JsonValue };
}

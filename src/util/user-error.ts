/**
 * @module Errors the user can fix (a bad flag, a missing file, an invalid template). The CLI prints them as
 * `weave: <message>` plus hint lines, never with a stack trace; the API throws them as they are.
 */
export class UserError extends Error {
  override readonly name = "UserError";
  constructor(
    message: string,
    /** Printed below the message, each indented. */
    readonly hints: readonly string[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Several problems of one input, each already a full line (`deploy.json: steps[1].id: ...`). Printed without the
 * `weave:` prefix, like a compiler's diagnostics.
 */
export class UserErrorList extends Error {
  override readonly name = "UserErrorList";
  constructor(readonly lines: readonly string[]) {
    super(lines.join("\n"));
  }
}

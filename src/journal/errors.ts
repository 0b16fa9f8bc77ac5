/** @module Errors of durable runs. Each has a `code`, so callers (the CLI) can tell them apart without `instanceof`. */

export class JournalError extends Error {
  override name = "JournalError";
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** No journal for that run id. */
export class JournalNotFoundError extends JournalError {
  override name = "JournalNotFoundError";
  constructor(
    readonly runId: string,
    readonly location: string,
  ) {
    super("JOURNAL_NOT_FOUND", `no journal for run "${runId}" (looked for ${location})`);
  }
}

/** A new run with the id of an existing one. */
export class JournalExistsError extends JournalError {
  override name = "JournalExistsError";
  constructor(
    readonly runId: string,
    readonly location: string,
  ) {
    super("JOURNAL_EXISTS", `run "${runId}" already has a journal (${location}). resume it, or start a new run with another id`);
  }
}

/** A record in the middle of a journal (or its header) does not parse: the journal was damaged, not merely cut short. */
export class JournalCorruptError extends JournalError {
  override name = "JournalCorruptError";
  constructor(
    readonly location: string,
    readonly line: number,
    readonly detail: string,
  ) {
    super("JOURNAL_CORRUPT", `journal ${location} is corrupt at line ${line}: ${detail}`);
  }
}

/** A journal in a format this version does not read. */
export class JournalVersionError extends JournalError {
  override name = "JournalVersionError";
  constructor(
    readonly location: string,
    readonly found: unknown,
    readonly supported: number,
  ) {
    super(
      "JOURNAL_VERSION",
      `journal ${location} is in format ${JSON.stringify(found)}, which this version of toolweave does not read (it writes format ${supported} and reads formats 2 to ${supported}). resume it with the toolweave that started it, or start a new run`,
    );
  }
}

/** Resuming with a workflow (or variables) other than the run started with. */
export class JournalMismatchError extends JournalError {
  override name = "JournalMismatchError";
  constructor(
    readonly runId: string,
    /** What differs, one item each: `step "push": parameters changed`. */
    readonly changes: readonly string[],
    what: "workflow" | "variables" = "workflow",
  ) {
    super(
      "JOURNAL_MISMATCH",
      what === "workflow"
        ? `the workflow changed since run "${runId}" started: ${changes.join("; ")}. start a new run`
        : `run "${runId}" was started with other variables: ${changes.join("; ")}. resume it with the same variables, or start a new run`,
    );
  }
}

/** Another process (or another resume in this one) holds the run. */
export class RunLockedError extends JournalError {
  override name = "RunLockedError";
  constructor(
    readonly runId: string,
    readonly holder: string,
    readonly lockFile?: string,
  ) {
    super(
      "RUN_LOCKED",
      `run "${runId}" is already being run by ${holder}${lockFile ? ` (lock ${lockFile})` : ""}. wait for it to end, or stop it first`,
    );
  }
}

/** A record that cannot be written as JSON (a result with a BigInt, a cycle, ...). */
export class JournalEncodeError extends JournalError {
  override name = "JournalEncodeError";
  constructor(detail: string, options?: { cause?: unknown }) {
    super("JOURNAL_ENCODE", detail, options);
  }
}

/** The journal could not be written (disk full, permissions): the run stops, and can be resumed from what was written. */
export class JournalWriteError extends JournalError {
  override name = "JournalWriteError";
  constructor(
    readonly location: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super("JOURNAL_WRITE", `cannot write journal ${location}: ${reason}`, options);
  }
}

/** Resuming a run started with secret inputs without giving their values again (the journal does not keep them). */
export class SecretsRequiredError extends JournalError {
  override name = "SecretsRequiredError";
  constructor(
    readonly runId: string,
    /** The secret inputs whose values are needed. */
    readonly secrets: readonly string[],
    detail?: string,
  ) {
    const names = secrets.map((s) => `"${s}"`).join(", ");
    super(
      "SECRETS_REQUIRED",
      `run "${runId}" was started with secret input${secrets.length === 1 ? "" : "s"} ${names}, which the journal does not keep${detail ? ` (${detail})` : ""}. give ${secrets.length === 1 ? "its value" : "their values"} again: ResumeOptions.secrets, or weave resume ${runId} ${secrets.map((s) => `--env-var ${s}=<ENV_VAR>`).join(" ")}`,
    );
  }
}

/** Resuming with a secret input whose value is not the one the run started with. */
export class SecretMismatchError extends JournalError {
  override name = "SecretMismatchError";
  constructor(
    readonly runId: string,
    readonly secrets: readonly string[],
  ) {
    const names = secrets.map((s) => `"${s}"`).join(", ");
    super(
      "SECRET_MISMATCH",
      `the value given for secret input${secrets.length === 1 ? "" : "s"} ${names} is not the one run "${runId}" started with: its journaled results were made with that one, and would be mixed with the new. give the same value, or start a new run`,
    );
  }
}

export function isJournalError(error: unknown): error is JournalError {
  return error instanceof JournalError;
}

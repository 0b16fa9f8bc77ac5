/**
 * @module The workflow library's typed errors. Each carries its facts as data (names, file, issues with paths and
 * positions); the message is derived from them.
 */
import type { TemplateIssue } from "../model/issues.js";
import { formatPath, type PathSegment } from "../placeholder/path.js";

const quoteList = (xs: readonly string[]): string => xs.map((x) => `"${x}"`).join(", ");

/** A custom workflow would take a built-in's name (or a built-in a custom one's) without being allowed to. */
export class BuiltinNameError extends Error {
  override readonly name = "BuiltinNameError";
  constructor(readonly workflowName: string) {
    super(
      `"${workflowName}" is the name of a built-in workflow. rename yours, or register it with { shadowBuiltin: true } to use it instead of the built-in`,
    );
  }
}

/**
 * `register` found a workflow of the same name (a custom one, or a built-in when registering a built-in) and was not
 * told to replace it. The library is unchanged.
 */
export class WorkflowExistsError extends Error {
  override readonly name = "WorkflowExistsError";
  constructor(readonly workflowName: string) {
    super(
      `a workflow named "${workflowName}" is already in the library; nothing was changed. ` +
        `register it with { replace: true } to replace that workflow, or give yours another name`,
    );
  }
}

export type LibraryFileIssueCode =
  | "unreadable"
  | "unwritable"
  | "invalid_json"
  | "invalid_format"
  | "unsupported_version"
  | "invalid_workflow"
  | "duplicate_name"
  | "name_mismatch"
  | "builtin_name";

/** One problem of a library file: where it is (the JSON path, and its line and column when known) and what. */
export interface LibraryFileIssue {
  readonly code: LibraryFileIssueCode;
  /** Path of the offending value in the file (`["workflows", 1, "steps", 0, "dependsOn", 0]`). */
  readonly path: readonly PathSegment[];
  /** The workflow concerned, by name (or by its place when it has no usable name). */
  readonly workflow?: string;
  /** 1-based position of the value (or of its nearest enclosing value) in the file. */
  readonly line?: number;
  readonly column?: number;
  readonly message: string;
  /** For `invalid_workflow`: the template issue, as `WorkflowTemplate.validate()` reports it. */
  readonly templateIssue?: TemplateIssue;
  /** For `unreadable` / `unwritable`: the file system's error code (`ENOSPC`, `ENOTDIR`, `EACCES`, ...). */
  readonly fsCode?: string;
}

/** `file:12:5: workflows[1] ("deploy"): steps[0].dependsOn[0]: message`. */
export function formatFileIssue(file: string, issue: LibraryFileIssue): string {
  const at = issue.line !== undefined ? `${file}:${issue.line}:${issue.column ?? 1}` : file;
  const where = issue.path.length > 0 ? `${formatPath(issue.path)}${issue.workflow !== undefined ? ` ("${issue.workflow}")` : ""}: ` : "";
  return `${at}: ${where}${issue.message}`;
}

/**
 * A library file that cannot be loaded (nothing of it was loaded) or saved to (nothing was written: the file is as
 * it was). Lists every problem found, each saying what is wrong and how to fix it.
 */
export class LibraryFileError extends Error {
  override readonly name = "LibraryFileError";
  /** What failed: loading the file (nothing was loaded) or saving to it (nothing was written). */
  readonly operation: "load" | "save";
  /**
   * @param options.operation what failed (default `"load"`)
   * @param options.cause the underlying error (a file system error)
   */
  constructor(
    readonly file: string,
    readonly issues: readonly LibraryFileIssue[],
    options: { readonly operation?: "load" | "save"; readonly cause?: unknown } = {},
  ) {
    const lines = issues.map((i) => `  ${formatFileIssue(file, i)}`);
    const operation = options.operation ?? "load";
    const problems = `${issues.length} problem${issues.length === 1 ? "" : "s"}`;
    const head =
      operation === "save"
        ? `cannot save workflow library "${file}" (${problems}); nothing was written`
        : `cannot load workflow library "${file}" (${problems}); nothing was loaded`;
    super(`${head}:\n${lines.join("\n")}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.operation = operation;
  }
}

/** A workflow both this library and the file changed since this library last read or wrote the file. */
export interface LibraryConflict {
  readonly name: string;
  /**
   * `both_changed`: each side changed it since the last read or write; `unknown_base`: this library never read it
   * from the file and the two differ.
   */
  readonly reason: "both_changed" | "unknown_base";
}

/** `saveToDisk` found conflicting changes (see {@link LibraryConflict}) and wrote nothing. */
export class LibraryConflictError extends Error {
  override readonly name = "LibraryConflictError";
  constructor(
    readonly file: string,
    readonly conflicts: readonly LibraryConflict[],
  ) {
    const names = conflicts.map((c) => c.name);
    super(
      `cannot save workflow library "${file}": ${quoteList(names)} changed in the file since this library last read or wrote it, and differ from this library's version${names.length === 1 ? "" : "s"}. nothing was written. ` +
        `load the file again to take its versions, or save with { onConflict: "ours" } to overwrite them`,
    );
  }
}

/** The library file's lock could not be taken (another process holds it) or was lost while saving. */
export class LibraryLockError extends Error {
  override readonly name = "LibraryLockError";
  constructor(
    readonly file: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** @module The workflow library: built-in and custom workflows, search, suggestions, and a shared library file. */
export {
  WorkflowLibrary,
  type LoadOptions,
  type RegisterOptions,
  type SearchQuery,
  type WorkflowLibraryOptions,
} from "./workflow-library.js";
export type { LockOptions, SaveOptions } from "./save.js";
export type { ToolMatch } from "./suggest.js";
export {
  BuiltinNameError,
  WorkflowExistsError,
  LibraryConflictError,
  LibraryFileError,
  LibraryLockError,
  formatFileIssue,
  type LibraryConflict,
  type LibraryFileIssue,
  type LibraryFileIssueCode,
} from "./errors.js";

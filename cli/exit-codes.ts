/** @module The exit codes of `weave`. */

export const EXIT = {
  completed: 0,
  failed: 1,
  usage: 2,
  /** The run was cancelled by its timeout (`--timeout`, the template's `timeoutMs`). */
  timedOut: 3,
  interrupted: 130,
} as const;

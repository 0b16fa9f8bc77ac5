/**
 * @module A workflow file run by `weave run` must not run its workflow itself while it loads: a top-level
 * `await deploy.run(...)` beside `export const deploy = workflow(...)` (the README's first snippet, copied into a file)
 * would run it once on import and once more from the CLI, side effects twice. While the CLI imports a file it sets a
 * process-wide note (by `Symbol.for`, so a file that uses its own copy of toolweave sees it too); `run()` then records
 * the attempt and refuses before any step starts, and the CLI says what happened and how to keep the two apart.
 */

/** The note the CLI sets while it imports a user's file. */
export const LOADING_FOR_CLI = Symbol.for("toolweave.loadingForCli");

/** What the CLI sets under {@link LOADING_FOR_CLI}: the file, and the workflows that tried to run while it loaded. */
export interface LoadingNote {
  readonly file: string;
  readonly runs: string[];
}

/** `code` of the error `run()` rejects with while the CLI is loading a file. */
export const RUN_WHILE_LOADING = "TOOLWEAVE_RUN_WHILE_LOADING";

/** Throws when the CLI is loading a file: the caller is that file's top-level code (or code it calls). */
export function refuseRunWhileLoading(workflowName: string): void {
  const note = (globalThis as { [LOADING_FOR_CLI]?: LoadingNote })[LOADING_FOR_CLI];
  if (note === undefined) return;
  note.runs.push(workflowName);
  throw Object.assign(
    new Error(
      `workflow "${workflowName}" was run while weave was loading ${note.file}: weave runs the workflow the file exports itself, so it is not run on import`,
    ),
    { code: RUN_WHILE_LOADING },
  );
}

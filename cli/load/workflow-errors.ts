import { UserError, UserErrorList } from "../../src/util/user-error.js";

interface Issue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

function named(error: unknown, name: string): error is Error {
  if (typeof error !== "object" || error === null) return false;
  const e = error as { name?: unknown; message?: unknown };
  return e.name === name && typeof e.message === "string";
}

/** A mistake in a workflow definition; its message names the workflow, the step and the places. */
export function isWorkflowDefinitionError(error: unknown): error is Error & { workflowName: string } {
  return named(error, "WorkflowDefinitionError");
}

export function isWorkflowInputError(error: unknown): error is Error & { workflowName: string; issues: readonly Issue[] } {
  return named(error, "WorkflowInputError") && Array.isArray((error as { issues?: unknown }).issues);
}

/** `input <path>: <message>` per issue, and how to set variables. */
export function inputUserError(workflowName: string, issues: readonly Issue[]): UserError {
  const lines = issues.map((i) => `input ${i.path.length > 0 ? i.path.map(String).join(".") : "(all)"}: ${i.message}`);
  // --var tag=1 reads 1 as JSON, a number: the fix is not obvious from zod's message alone
  const quoted = issues.filter((i) => i.path.length === 1 && /expected string, received (number|boolean|null)/.test(i.message));
  const quoteHints = quoted.map(
    (i) => `--var reads values as JSON when they parse: to pass ${String(i.path[0])} as text, quote it: --var '${String(i.path[0])}="..."'`,
  );
  return new UserError(`workflow "${workflowName}" was given invalid input`, [
    ...lines,
    ...quoteHints,
    "set variables with --var <name>=<value> (repeatable; n=3 is the number 3) or --vars <file.json>",
  ]);
}

/** A template problem the executor found at run time (a variable named like a step). */
export function isValidationError(error: unknown): error is Error & { issues: readonly { message: string }[] } {
  return named(error, "WorkflowValidationError") && Array.isArray((error as { issues?: unknown }).issues);
}

/** One line per issue. The template's field paths mean nothing in a .ts file, so they are left out. */
export function validationLines(file: string, workflowName: string, error: { issues: readonly { message: string }[] }): UserErrorList {
  return new UserErrorList(error.issues.map((i) => `${file}: workflow "${workflowName}": ${i.message}`));
}

/**
 * @module Resuming a run whose failure handlers ran. A handler (a step whose condition asks whether another step
 * failed: `{{deploy.success}} == False`) may undo what earlier steps did: `cleanup` removes the image `build` made.
 * Resuming such a run as if nothing happened would restore `build` as done and retry `deploy` against nothing, then
 * report `completed` over undone work. So, as a durable-execution engine redrives or resets a run:
 * - a plain resume of a run in which a handler ran after a failure is refused ({@link HandlersRanError}), naming
 *   the handlers and the steps whose failure they handled;
 * - `redoFrom: "<step>"` resets the run to before that step: it and every step downstream of it (by `dependsOn`, or
 *   by a reference in its parameters or condition) run again, their sub-workflow runs too, while the steps upstream
 *   keep their journaled results. The reset is journaled (a `redo` record) before anything runs, so a crash during
 *   the redo resumes the redo, not the old results. The redo must cover every handler that ran.
 */
import { JournalError } from "../journal/errors.js";
import type { RestoredRun } from "../journal/restore.js";
import type { TemplateAnalysis } from "../model/analyze.js";
import type { WorkflowTemplate } from "../model/template.js";
import { referencesOf } from "../placeholder/placeholders.js";

/** A handler that completed after a step it watches failed. */
export interface HandlerThatRan {
  readonly handler: string;
  /** The failed steps whose outcome its condition asks about. */
  readonly failed: readonly string[];
}

/**
 * The failure handlers of a run's state that completed, or were running when its process stopped (they may have
 * undone part of it), after a step they watch failed; in template order.
 */
export function handlersThatRan(template: WorkflowTemplate, analysis: TemplateAnalysis, state: RestoredRun): HandlerThatRan[] {
  const found: HandlerThatRan[] = [];
  template.steps.forEach((step, i) => {
    if (!state.completed.has(step.id) && !state.inFlight.has(step.id)) return;
    const failed = [...analysis.steps[i]!.outcomeChecks].filter((id) => state.unfinished.get(id)?.type === "failed");
    if (failed.length > 0) found.push({ handler: step.id, failed });
  });
  return found;
}

/** `from` and every step downstream of it: its dependents by `dependsOn` and by references, transitively. */
export function downstreamOf(template: WorkflowTemplate, analysis: TemplateAnalysis, from: string): Set<string> {
  // who reads whom: dependsOn edges plus the roots of each step's placeholders and condition references
  const readers = new Map<string, string[]>();
  const edge = (from: string, to: string): void => void (readers.get(from) ?? readers.set(from, []).get(from)!).push(to);
  template.steps.forEach((step, i) => {
    const compiled = analysis.steps[i]!;
    const read = new Set<string>(step.dependsOn);
    for (const ref of referencesOf(compiled.parameters)) read.add(ref.root);
    for (const ref of compiled.condition?.references ?? []) read.add(ref.root);
    for (const id of read) edge(id, step.id);
  });
  const out = new Set<string>([from]);
  const stack = [from];
  while (stack.length > 0) {
    for (const next of readers.get(stack.pop()!) ?? []) {
      if (!out.has(next)) {
        out.add(next);
        stack.push(next);
      }
    }
  }
  return out;
}

const quote = (ids: readonly string[]): string => ids.map((id) => `"${id}"`).join(", ");

/** A resume refused because failure handlers ran, or a redo that would leave one of them restored. */
export class HandlersRanError extends JournalError {
  override name = "HandlersRanError";
  constructor(
    readonly runId: string,
    readonly handlers: readonly HandlerThatRan[],
    /** The `redoFrom` that was given and does not cover every handler, if any. */
    readonly redoFrom?: string,
  ) {
    const ran = handlers.map((h) => `"${h.handler}" (on ${quote(h.failed)} failing)`).join(", ");
    const failed = [...new Set(handlers.flatMap((h) => h.failed))];
    const head =
      redoFrom === undefined
        ? `run "${runId}" has failure handlers that ran: ${ran}. they may have undone what the steps before them did, so a resume would retry ${quote(failed)} against that and could report "completed" over undone work`
        : `redoing run "${runId}" from "${redoFrom}" would keep the failure handler${handlers.length === 1 ? "" : "s"} ${ran} done: redo from a step that ${quote(failed)} depend${failed.length === 1 ? "s" : ""} on, or from ${failed.length === 1 ? "it" : "one of them"}`;
    super(
      "JOURNAL_HANDLERS_RAN",
      `${head}. redo the run from the first step whose work a handler undid (resume with redoFrom, weave resume --redo-from <step>), or start a new run`,
    );
  }
}

/** An unknown `redoFrom`. */
export class RedoStepError extends JournalError {
  override name = "RedoStepError";
  constructor(
    readonly runId: string,
    readonly step: string,
    readonly known: readonly string[],
  ) {
    super("JOURNAL_REDO_STEP", `cannot redo run "${runId}" from "${step}": the workflow has no such step. steps are ${quote(known)}`);
  }
}

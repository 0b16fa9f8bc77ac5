/**
 * @module What a journal says about a run, for resuming it: per run and sub-workflow run, the steps that completed
 * (with their results) and those that were in flight; how many sessions ran it; and how it ended, if it did.
 * The last record of a step decides: `done` restores it; `failed` and `skipped` are decided again (a resumed run
 * retries failed steps and re-evaluates skipped ones); a `start` with nothing after it was in flight; a `redo` that
 * names it (a resume from an earlier step) forgets it.
 */
import type { JsonValue } from "../model/schema.js";
import type { JournalRecord, RunPath } from "./types.js";

export interface RestoredStep {
  readonly result: unknown;
  readonly attempts: number;
  readonly durationMs: number;
}

/** An item of a map step that completed: reused on resume when the list still has the same item at its index. */
export interface RestoredItem {
  readonly result: unknown;
  /** The hash of the item's value when it ran. */
  readonly key: string | undefined;
}

export interface RestoredRun {
  /** Completed steps, in the order they completed. */
  readonly completed: Map<string, RestoredStep>;
  /** Steps whose last record is `start`: running when the process stopped. */
  readonly inFlight: Set<string>;
  /**
   * The last outcome recorded for each step that did not complete: `failed` or `skipped`, with the error or reason,
   * and for a failed step the partial result its tool failed with (a `ToolError`'s), when it had one.
   */
  readonly unfinished: Map<string, { type: "failed" | "skipped"; detail: string; result?: JsonValue }>;
  /** Items of map steps that did not complete as a whole, by step: each completed item by its index. */
  readonly items: Map<string, Map<number, RestoredItem>>;
  /** For a sub-workflow run: the workflow and its template hash when it (last) started. */
  sub?: { workflow: string; templateHash: string };
}

export type EndRecord = Extract<JournalRecord, { type: "end" }>;

export interface ResumeState {
  /** Sessions (processes) that have run it so far. */
  readonly sessions: number;
  /** How it ended, unless it was resumed after that. */
  readonly end: EndRecord | undefined;
  readonly root: RestoredRun;
  /** The state of a sub-workflow run (by the path of step ids that started it), if it started. */
  scope(path: RunPath): RestoredRun | undefined;
}

const keyOf = (scope: RunPath | undefined): string => (scope === undefined ? "" : scope.join("\u0000"));

function emptyScope(): RestoredRun {
  return { completed: new Map(), inFlight: new Set(), unfinished: new Map(), items: new Map() };
}

export function foldJournal(records: readonly JournalRecord[]): ResumeState {
  const scopes = new Map<string, RestoredRun>([["", emptyScope()]]);
  const stateOf = (scope: RunPath | undefined): RestoredRun => {
    const key = keyOf(scope);
    let state = scopes.get(key);
    if (!state) scopes.set(key, (state = emptyScope()));
    return state;
  };
  let sessions = 0;
  let end: EndRecord | undefined;
  for (const r of records) {
    switch (r.type) {
      case "session":
        sessions = Math.max(sessions, r.session);
        end = undefined;
        break;
      case "end":
        end = r;
        break;
      case "sub":
        stateOf(r.scope).sub = { workflow: r.workflow, templateHash: r.templateHash };
        break;
      case "start": {
        const s = stateOf(r.scope);
        s.completed.delete(r.step);
        s.unfinished.delete(r.step);
        s.inFlight.add(r.step);
        break;
      }
      case "done": {
        const s = stateOf(r.scope);
        if (r.item !== undefined) {
          // an item: the map step is still running, or was when the process stopped
          let items = s.items.get(r.step);
          if (!items) s.items.set(r.step, (items = new Map()));
          items.set(r.item, { result: r.result as JsonValue | undefined, key: r.itemKey });
          break;
        }
        s.items.delete(r.step);
        s.inFlight.delete(r.step);
        s.unfinished.delete(r.step);
        s.completed.delete(r.step); // keep completion order
        s.completed.set(r.step, { result: r.result as JsonValue | undefined, attempts: r.attempts, durationMs: r.durationMs });
        break;
      }
      case "redo": {
        // the run's own steps, and every sub-workflow run one of them started
        const root = stateOf(undefined);
        const redone = new Set(r.steps);
        for (const step of redone) {
          root.completed.delete(step);
          root.inFlight.delete(step);
          root.unfinished.delete(step);
          root.items.delete(step);
        }
        for (const key of [...scopes.keys()]) if (key !== "" && redone.has(key.split("\u0000")[0]!)) scopes.delete(key);
        break;
      }
      case "failed":
      case "skipped": {
        const s = stateOf(r.scope);
        s.inFlight.delete(r.step);
        s.completed.delete(r.step);
        if (r.type === "failed")
          s.unfinished.set(r.step, { type: r.type, detail: r.error, ...(r.result === undefined ? {} : { result: r.result }) });
        else s.unfinished.set(r.step, { type: r.type, detail: r.reason });
        break;
      }
    }
  }
  return { sessions, end, root: scopes.get("")!, scope: (path) => scopes.get(keyOf(path)) };
}

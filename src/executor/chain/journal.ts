/**
 * @module What a durable run writes to its journal. As a piece of the chain it appends a `start` record before each
 * attempt and a `done` record when one succeeds (a result the journal cannot keep fails the attempt, not retried,
 * with a {@link ResultNotJournaledError}: it could not be restored on resume). Beside the chain, the run tells it
 * how steps ended (`failed`, `skipped`) and how the run did (`end`).
 *
 * A finished step reaches its dependents only once its record is written (`completed`, `failed` take a `release`),
 * so no dependent starts before the step's outcome would survive a crash. The first write that fails breaks the
 * journal: `onBroken` is told (the run cancels itself), and no `failed` or `skipped` record is written after it.
 */
import type { JournalRecord, RunPath, RunJournal } from "../../journal/types.js";
import type { JsonValue } from "../../model/schema.js";
import { errorMessage } from "../errors.js";
import type { AttemptCall } from "./attempt-call.js";
import type { Interceptor } from "./compose.js";
import { after, rethrow } from "./outcome.js";

/** A step's result that its journal cannot keep (not JSON): the attempt fails, and is not retried. */
export class ResultNotJournaledError extends Error {
  override readonly name = "ResultNotJournaledError";
  /** Retrying returns a result of the same kind. */
  readonly nonRetryable = true;

  constructor(
    readonly stepId: string,
    cause: unknown,
  ) {
    super(errorMessage(cause), { cause });
  }
}

export class StepJournal {
  readonly #journal: RunJournal;
  /** Steps of sub-workflow runs carry the path of step ids that started them; the run's own steps none. */
  readonly #scope: RunPath | undefined;
  readonly #onBroken: (error: unknown) => void;
  /** `done` records being written, by step, until the run takes them (`completed`). */
  readonly #completions = new Map<string, Promise<void>>();
  #error: Error | undefined;

  /** @param onBroken told of the first write that failed (what it failed with) */
  constructor(journal: RunJournal, scope: RunPath | undefined, onBroken: (error: unknown) => void) {
    this.#journal = journal;
    this.#scope = scope;
    this.#onBroken = onBroken;
  }

  /** The first write that failed: what is not journaled is not durable, so the run has failed. */
  get error(): Error | undefined {
    return this.#error;
  }

  /** The piece of the chain: `start` before each attempt, `done` after one that succeeds. */
  readonly intercept: Interceptor<AttemptCall> = (call, next) => {
    const { stepId, attempt, item } = call.context;
    // an item of a map step: its records carry the item, and its step completes with its own record (mapCompleted)
    const itemFields = item === undefined ? {} : { item };
    this.#settle(this.#append({ type: "start", scope: this.#scope, step: stepId, ...itemFields, attempt, at: Date.now() }));
    return after(
      next,
      call,
      (value) => {
        let written: Promise<void>;
        try {
          const durationMs = performance.now() - call.stepStartedAt;
          written = this.#journal.append({
            type: "done",
            scope: this.#scope,
            step: stepId,
            ...itemFields,
            ...(call.itemKey === undefined ? {} : { itemKey: call.itemKey }),
            attempts: attempt,
            durationMs,
            result: value as JsonValue,
            at: Date.now(),
          });
        } catch (error) {
          throw new ResultNotJournaledError(stepId, error);
        }
        if (item === undefined) this.#completions.set(stepId, written);
        else this.#settle(written);
        return value;
      },
      rethrow,
    );
  };

  /**
   * A map step completed (every item's `done` is written before, records being in order): its own `done` record,
   * with the items' results; `release` runs once it is written.
   */
  mapCompleted(stepId: string, attempts: number, durationMs: number, value: unknown[], release: () => void): void {
    if (this.#error !== undefined) return release();
    this.#settle(
      this.#append({ type: "done", scope: this.#scope, step: stepId, attempts, durationMs, result: value as JsonValue, at: Date.now() }),
      release,
    );
  }

  /**
   * A step completed: `release` runs once its `done` record is written.
   * @returns false when no record of it is being written (release it now)
   */
  completed(stepId: string, release: () => void): boolean {
    const written = this.#completions.get(stepId);
    if (written === undefined) return false;
    this.#completions.delete(stepId);
    this.#settle(written, release);
    return true;
  }

  /**
   * A step failed: `release` runs once its `failed` record is written.
   * @param result the partial result its tool failed with (a `ToolError`'s), as JSON
   * @returns false when the journal is broken and nothing is written (release it now)
   */
  failed(
    stepId: string,
    attempts: number,
    durationMs: number,
    error: string,
    result: { readonly value: JsonValue } | undefined,
    release: () => void,
  ): boolean {
    if (this.#error !== undefined) return false;
    const partial = result === undefined ? {} : { result: result.value };
    this.#settle(
      this.#append({ type: "failed", scope: this.#scope, step: stepId, attempts, durationMs, error, ...partial, at: Date.now() }),
      release,
    );
    return true;
  }

  /** A step was skipped. Not held back: a skip is decided again on resume anyway. */
  skipped(stepId: string, reason: string): void {
    if (this.#error === undefined)
      this.#settle(this.#append({ type: "skipped", scope: this.#scope, step: stepId, reason, at: Date.now() }));
  }

  /** The run ended: resolves once its `end` record is written (or could not be: then `error` says why). */
  end(record: Omit<Extract<JournalRecord, { type: "end" }>, "type" | "at">): Promise<void> {
    return this.#append({ type: "end", ...record, at: Date.now() }).then(
      () => undefined,
      (error: unknown) => void (this.#error ??= asError(error)),
    );
  }

  #append(record: JournalRecord): Promise<void> {
    try {
      return this.#journal.append(record);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #settle(write: Promise<void>, release?: () => void): void {
    write.then(
      () => release?.(),
      (error: unknown) => {
        this.#broke(error);
        release?.();
      },
    );
  }

  #broke(error: unknown): void {
    if (this.#error !== undefined) return;
    this.#error = asError(error);
    this.#onBroken(error);
  }
}

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

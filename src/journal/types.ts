/**
 * @module The run journal: what a durable run writes as it goes, and the small store interface it is written
 * through. The embedded store is one JSONL file per run ({@link FileJournalStore}); another store (Redis, a
 * database) implements the same two interfaces.
 */
import type { JsonValue } from "../model/schema.js";
import type { SecretSpot } from "../secrets/mask.js";

/**
 * The journal format this version writes (2: every line carries an integrity check chained to the one before;
 * 3: secrets are masked, with the spots to unmask them, and a `done` record says `void` when the tool returned nothing;
 * 4: `start` and `done` records of a map step's items carry `item`, so a toolweave that does not know items refuses it).
 */
export const JOURNAL_FORMAT = 4;
/** Formats this version reads: a format-2 journal (no secrets, a `done` without `result` for nothing) resumes as before. */
export const READABLE_JOURNAL_FORMATS: readonly number[] = [2, 3, 4];

/** The first record of every journal: enough to know what the run is and to find its workflow again. */
export interface JournalHeader {
  readonly type: "run";
  /** {@link JOURNAL_FORMAT} of the toolweave that started the run. */
  readonly format: number;
  readonly runId: string;
  /** The workflow's name. */
  readonly workflow: string;
  /** `sha256:<hex>` of the template's canonical JSON (see `templateHash`). */
  readonly templateHash: string;
  /** The template itself (its JSON form), so the run can be resumed from the journal alone and a change described. */
  readonly template: { readonly [key: string]: JsonValue };
  /** Hashes of the sub-workflows its `execute_workflow` steps name, by name, as the executor's library had them. */
  readonly subWorkflows?: { readonly [name: string]: string };
  /** The variables, without the secret ones and with secrets masked in the rest (see `variableSecrets`). */
  readonly variables: { readonly [key: string]: JsonValue };
  /** The secret variables the run was started with: not kept here, given again on resume. */
  readonly secretInputs?: readonly string[];
  /** Where `variables` hold a secret that was masked, and which. */
  readonly variableSecrets?: readonly SecretSpot[];
  /** Per secret input, a salted slow hash of its value (`secretCheck`): a resume must give the same value. */
  readonly secretChecks?: { readonly [name: string]: string };
  /** Where the workflow came from (for `weave resume`: the file, the export, the tools module); opaque to the executor. */
  readonly origin?: { readonly [key: string]: JsonValue };
  /** ISO time the run started. */
  readonly createdAt: string;
}

/**
 * Path of the sub-workflow runs a step record belongs to: absent for the run's own steps, `["backup"]` for the steps
 * of the sub-workflow started by step "backup", `["backup", "verify"]` one level deeper.
 */
export type RunPath = readonly string[];

export type JournalRecord =
  /** A process started (1) or resumed (2, 3, ...) the run. */
  | { readonly type: "session"; readonly session: number; readonly pid: number; readonly host: string; readonly at: number }
  /** A sub-workflow run started, under the step path `scope`. */
  | { readonly type: "sub"; readonly scope: RunPath; readonly workflow: string; readonly templateHash: string; readonly at: number }
  /** An attempt of a step started (with `item`: of that item of a map step). */
  | {
      readonly type: "start";
      readonly scope?: RunPath;
      readonly step: string;
      readonly item?: number;
      readonly attempt: number;
      readonly at: number;
    }
  /**
   * A step completed; `result` is absent (and `void` true) when the tool returned `undefined`. With `item`, an item of a
   * map step completed: `itemKey` (the hash of the item's value) tells a resume whether the list still has it there.
   */
  | {
      readonly type: "done";
      readonly scope?: RunPath;
      readonly step: string;
      readonly item?: number;
      readonly itemKey?: string;
      readonly attempts: number;
      readonly durationMs: number;
      readonly result?: JsonValue;
      readonly void?: true;
      /** Where `result` holds a secret that was masked, and which. */
      readonly secrets?: readonly SecretSpot[];
      readonly at: number;
    }
  /** A step failed (its last attempt's error), with the partial result its tool failed with (a `ToolError`'s), if any. */
  | {
      readonly type: "failed";
      readonly scope?: RunPath;
      readonly step: string;
      readonly attempts: number;
      readonly durationMs: number;
      readonly error: string;
      readonly result?: JsonValue;
      /** Where `result` holds a secret that was masked, and which. */
      readonly secrets?: readonly SecretSpot[];
      readonly at: number;
    }
  /** A step was skipped. */
  | { readonly type: "skipped"; readonly scope?: RunPath; readonly step: string; readonly reason: string; readonly at: number }
  /**
   * A resume reset the run to before step `from` (`redoFrom`): the listed steps of the run (and their sub-workflow
   * runs) count as never run, whatever the records before this one say.
   */
  | { readonly type: "redo"; readonly from: string; readonly steps: readonly string[]; readonly at: number }
  /** The run finished (a later `session` record means it was resumed after that). */
  | {
      readonly type: "end";
      /** `cancelled`: stopped by the caller's signal or the workflow's timeout; resumable like a failed run. */
      readonly status: "completed" | "failed" | "cancelled";
      readonly durationMs: number;
      readonly parallelSpeedup: number;
      readonly outputs: { readonly [key: string]: JsonValue };
      /** Where `outputs` hold a secret that was masked, and which. */
      readonly secrets?: readonly SecretSpot[];
      readonly error?: string;
      readonly at: number;
    };

export type JournalRecordType = JournalRecord["type"];

/** A journal as read: its header, the records after it, and what was repaired or looks odd. */
export interface JournalContents {
  readonly runId: string;
  readonly header: JournalHeader;
  readonly records: readonly JournalRecord[];
  /** E.g. a torn last line that was dropped; each names the journal and the line. */
  readonly warnings: readonly string[];
  /** Where the journal lives, for messages: a file path, a key. */
  readonly location: string;
}

/** An open journal of a run, held by one process at a time (the store locks the run while it is open). */
export interface RunJournal extends JournalContents {
  /**
   * Appends a record. Records are written in the order of `append` calls; the promise resolves once this record (and
   * every one before it) is as durable as the store promises (the file store: in the OS, or on disk with `fsync`).
   * @throws JournalEncodeError synchronously when the record cannot be encoded (a result that is not JSON)
   */
  append(record: JournalRecord): Promise<void>;
  /** Waits for pending appends, then releases the run. Idempotent. */
  close(): Promise<void>;
}

/** Where journals live. */
export interface JournalStore {
  /**
   * Starts the journal of a new run with its header, and holds the run until the journal is closed.
   * @throws JournalExistsError when the run id is taken; RunLockedError when another process holds it
   */
  create(header: JournalHeader): Promise<RunJournal>;
  /**
   * Opens an existing run's journal to continue it: takes the run's lock, reads every record, and repairs a torn
   * last record (reported in `warnings`).
   * @throws JournalNotFoundError, RunLockedError, JournalCorruptError, JournalVersionError
   */
  open(runId: string): Promise<RunJournal>;
  /** Reads a journal without locking or changing it (a torn last record is left out and reported in `warnings`). */
  read(runId: string): Promise<JournalContents>;
  /** Where the run's journal is or would be, for messages. */
  locate(runId: string): string;
}

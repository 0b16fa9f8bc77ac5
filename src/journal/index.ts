/** @module Durable runs: the run journal, its stores, and reading a journal back for a resume. */
export * from "./types.js";
export * from "./errors.js";
export { FileJournalStore, checkRunId, type FileJournalStoreOptions } from "./file-store.js";
export { JournalChain, parseJournal, type ParsedJournal } from "./codec.js";
export { templateHash, hashJson, hashedTemplateJson, describeTemplateChange } from "./hash.js";
export { foldJournal, type ResumeState, type RestoredRun, type RestoredStep, type EndRecord } from "./restore.js";
export { acquireRunLock, processAlive, RunLock, type RunLockOptions } from "./run-lock.js";

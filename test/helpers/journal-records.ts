/** Journal records for the store tests (file and Redis): a minimal header and a completed step. */
import { JOURNAL_FORMAT, type JournalHeader, type JournalRecord } from "../../src/journal/index.js";

export const header = (runId: string): JournalHeader => ({
  type: "run",
  format: JOURNAL_FORMAT,
  runId,
  workflow: "w",
  templateHash: "sha256:00",
  template: { name: "w", steps: [] },
  variables: { n: 1 },
  createdAt: new Date(0).toISOString(),
});

export const done = (step: string, result: unknown = { v: step }): JournalRecord => ({
  type: "done",
  step,
  attempts: 1,
  durationMs: 1,
  result: result as never,
  at: 1,
});

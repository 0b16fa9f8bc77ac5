/**
 * Corrupted journals for the durable-runs benchmark: a real journal changed in the ways disks, crashes and people
 * change files, each read back through the file store and classified. "restored wrongly" (a record read that the
 * original journal does not have at that place) must stay 0.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { FileJournalStore, JournalCorruptError, JournalVersionError, type JournalRecord } from "../../src/index.js";

export const MUTATIONS = [
  "a character changed",
  "a line removed",
  "a line duplicated",
  "two lines swapped",
  "a forged line appended",
  "cut at a random byte",
] as const;
export type Mutation = (typeof MUTATIONS)[number];

export interface MutationCounts {
  readonly refused: number;
  /** A cut last line: dropped with a warning, every record kept an original one. */
  readonly recovered: number;
  readonly unchanged: number;
  readonly restoredWrongly: number;
}

function mutate(text: string, kind: Mutation, random: () => number): string {
  const lines = text.trimEnd().split("\n");
  const pick = (n: number): number => Math.floor(random() * n);
  switch (kind) {
    case "a character changed": {
      const at = pick(text.length);
      const code = 32 + pick(95);
      return `${text.slice(0, at)}${String.fromCharCode(code)}${text.slice(at + 1)}`;
    }
    case "a line removed":
      lines.splice(1 + pick(lines.length - 1), 1);
      return `${lines.join("\n")}\n`;
    case "a line duplicated": {
      const at = pick(lines.length);
      lines.splice(at, 0, lines[at]!);
      return `${lines.join("\n")}\n`;
    }
    case "two lines swapped": {
      const a = pick(lines.length);
      const b = pick(lines.length);
      [lines[a], lines[b]] = [lines[b]!, lines[a]!];
      return `${lines.join("\n")}\n`;
    }
    case "a forged line appended":
      return `${text}${JSON.stringify({ type: "done", step: "forged", attempts: 1, durationMs: 1, result: { ok: true }, at: 1 })}\n`;
    case "cut at a random byte":
      return text.slice(0, 1 + pick(text.length - 1));
  }
}

/** `count` mutations of each kind of the journal `runId` in `dir`, read back as `mutant.jsonl` in the same dir. */
export async function mutateJournal(
  dir: string,
  runId: string,
  text: string,
  count: number,
  random: () => number,
): Promise<Map<Mutation, MutationCounts>> {
  const store = new FileJournalStore({ dir });
  const original = (await store.read(runId)).records;
  const same = (a: JournalRecord, b: JournalRecord | undefined): boolean => JSON.stringify(a) === JSON.stringify(b);
  const out = new Map<Mutation, MutationCounts>();
  for (const kind of MUTATIONS) {
    let refused = 0;
    let recovered = 0;
    let unchanged = 0;
    let restoredWrongly = 0;
    for (let i = 0; i < count; i++) {
      const changed = mutate(text, kind, random);
      if (changed === text) {
        unchanged++;
        continue;
      }
      writeFileSync(join(dir, "mutant.jsonl"), changed);
      try {
        const read = await store.read("mutant");
        if (read.records.every((r, k) => same(r, original[k]))) recovered++;
        else restoredWrongly++;
      } catch (error) {
        if (error instanceof JournalCorruptError || error instanceof JournalVersionError) refused++;
        else throw error;
      }
    }
    out.set(kind, { refused, recovered, unchanged, restoredWrongly });
  }
  return out;
}

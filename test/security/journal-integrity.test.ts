/**
 * Journal integrity (issue 12, class 3): every line carries a check chained to the one before, so a journal whose
 * stored result was changed, or into which a `done` line was forged, is refused on resume with its file and line,
 * never restored as a step's result. A torn last line (a crash mid-write) is still recovered.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FileJournalStore, JournalCorruptError, JournalVersionError, WorkflowContext, WorkflowExecutor, WorkflowTemplate } from "toolweave";
import { weave } from "../cli/weave-process.js";

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "weave-integrity-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const template = new WorkflowTemplate({
  name: "pay",
  steps: [
    { id: "quote", toolName: "quote" },
    { id: "charge", toolName: "charge", dependsOn: ["quote"], parameters: { amount: "{{quote.amount}}" } },
  ],
});

/** A run that completes "quote" and fails "charge": a journal that a resume would continue from. */
async function failedRun(runId: string): Promise<{ store: FileJournalStore; file: string; text: string }> {
  const store = new FileJournalStore({ dir });
  const executor = new WorkflowExecutor({
    tools: { quote: () => ({ amount: 100 }), charge: () => Promise.reject(new Error("card declined")) },
    journal: store,
  });
  const result = await executor.execute(template, new WorkflowContext({ customer: "c-1" }), undefined, { runId });
  expect(result.status).toBe("failed");
  const file = store.locate(runId);
  return { store, file, text: await readFile(file, "utf8") };
}

/** Resumes with a `charge` that records what it was asked to charge. */
async function resume(store: FileJournalStore, runId: string): Promise<{ error: unknown; charged: unknown[] }> {
  const charged: unknown[] = [];
  const executor = new WorkflowExecutor({
    tools: { quote: () => ({ amount: 100 }), charge: (p) => (charged.push(p.amount), {}) },
    journal: store,
  });
  const error = await executor.resume(runId).then(
    () => undefined,
    (e: unknown) => e,
  );
  return { error, charged };
}

describe("a tampered journal", () => {
  it("a character changed inside a stored result is refused on resume, naming the file and line; nothing runs", async () => {
    const { store, file, text } = await failedRun("changed");
    const lines = text.split("\n");
    const at = lines.findIndex((l) => l.includes('"amount":100'));
    expect(at).toBeGreaterThan(0);
    lines[at] = lines[at]!.replace('"amount":100', '"amount":900');
    await writeFile(file, lines.join("\n"));
    const { error, charged } = await resume(store, "changed");
    expect(error).toBeInstanceOf(JournalCorruptError);
    expect((error as JournalCorruptError).line).toBe(at + 1);
    expect((error as Error).message).toBe(
      `journal ${file} is corrupt at line ${at + 1}: the integrity check fails: this line, or one before it, was changed, added or removed after it was written. the journal cannot be trusted to resume from; start a new run`,
    );
    expect(charged).toEqual([]);
  });

  it("a forged done line, added at the end or in the middle, is refused", async () => {
    const { store, file, text } = await failedRun("forged");
    const forged = JSON.stringify({ type: "done", step: "charge", attempts: 1, durationMs: 1, result: { ok: true }, at: Date.now() });
    await writeFile(file, `${text}${forged}\n`);
    expect(await resume(store, "forged")).toMatchObject({ error: expect.any(JournalCorruptError), charged: [] });
    // a line copied from elsewhere in the same journal: its check belongs after another line
    const lines = text.trimEnd().split("\n");
    await writeFile(file, `${[lines[0], lines[1], ...lines.slice(1)].join("\n")}\n`);
    const { error } = await resume(store, "forged");
    expect((error as JournalCorruptError).line).toBe(3);
  });

  it("a line removed, or the header of another run, breaks the chain", async () => {
    const { store, file, text } = await failedRun("removed");
    const lines = text.trimEnd().split("\n");
    await writeFile(file, `${[lines[0], ...lines.slice(2)].join("\n")}\n`);
    expect(((await resume(store, "removed")).error as JournalCorruptError).line).toBe(2);
    const other = await failedRun("other");
    await writeFile(file, `${[other.text.split("\n")[0], ...lines.slice(1)].join("\n")}\n`);
    expect(((await resume(store, "removed")).error as JournalCorruptError).line).toBe(2);
  });

  it("the untouched journal resumes: the failed step runs with the restored result", async () => {
    const { store } = await failedRun("intact");
    expect(await resume(store, "intact")).toEqual({ error: undefined, charged: [100] });
  });

  it("weave resume refuses it with the file and line, exit 2, no stack trace", async () => {
    const { file, text } = await failedRun("cli");
    await writeFile(file, text.replace('"amount":100', '"amount":101'));
    const outcome = await weave(["resume", "cli", "--runs-dir", dir]);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain(`journal ${file} is corrupt at line `);
    expect(outcome.stderr).toContain("the integrity check fails");
    expect(outcome.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("property: any change to a journal's text", () => {
  it("is refused, or is a torn last line that is dropped; a changed record is never restored", async () => {
    const { text } = await failedRun("property");
    const original = await new FileJournalStore({ dir }).read("property");
    let refused = 0;
    let torn = 0;
    await fc.assert(
      fc.asyncProperty(fc.nat(text.length - 1), fc.integer({ min: 32, max: 126 }), async (at, code) => {
        const changed = `${text.slice(0, at)}${String.fromCharCode(code)}${text.slice(at + 1)}`;
        fc.pre(changed !== text);
        await writeFile(join(dir, "mutant.jsonl"), changed);
        const read = await new FileJournalStore({ dir }).read("mutant").catch((e: unknown) => e);
        if (read instanceof JournalCorruptError || read instanceof JournalVersionError) return void refused++;
        if (read instanceof Error) throw read;
        const contents = read as Awaited<ReturnType<FileJournalStore["read"]>>;
        // only a cut-short last line may be dropped: every record read is an original one
        expect(contents.records).toEqual(original.records.slice(0, contents.records.length));
        expect(contents.records.length).toBe(original.records.length - 1);
        expect(contents.warnings).toHaveLength(1);
        torn++;
      }),
      { numRuns: 400 },
    );
    expect(refused).toBeGreaterThan(300);
    expect(refused + torn).toBe(400);
  });
});

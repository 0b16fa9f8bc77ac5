// The journal keeps a ToolError's partial result in the step's `failed` record (secrets masked, with the spots to put
// them back), so what a resume folds from the journal has it.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FileJournalStore, ToolError, WorkflowContext, WorkflowExecutor, WorkflowTemplate, type JournalRecord } from "toolweave";
import { foldJournal } from "../../../src/journal/restore.js";
import { JournalChain, parseJournal } from "../../../src/journal/codec.js";
import { unsealRecords } from "../../../src/journal/sealed.js";

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "weave-journal-tool-error-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const TOKEN = "tok_5f4e3d2c1b";

const template = new WorkflowTemplate({
  name: "guide_recovery",
  steps: [
    { id: "deploy", toolName: "deploy", parameters: { auth: "Bearer {{token}}" } },
    {
      id: "cleanup",
      toolName: "cleanup",
      parameters: { resource_id: "{{deploy.resource_id}}" },
      dependsOn: ["deploy"],
      condition: "{{deploy.success}} == False",
    },
  ],
});
const tools = {
  deploy: (p: Record<string, unknown>) => {
    throw new ToolError("rollout failed", { result: { resource_id: "r-1", auth: p.auth } });
  },
  cleanup: (p: Record<string, unknown>) => ({ cleaned: p.resource_id }),
};

async function journalOf(store: FileJournalStore, runId: string): Promise<{ text: string; records: JournalRecord[] }> {
  const text = await readFile(store.locate(runId), "utf8");
  return { text, records: parseJournal(text, runId).records };
}

describe("a ToolError's partial result in the journal", () => {
  it("is kept in the failed record, and folded into what a resume starts from", async () => {
    const store = new FileJournalStore({ dir });
    const result = await new WorkflowExecutor({ tools }).execute(template, new WorkflowContext({ token: "public" }), undefined, {
      runId: "plain",
      journal: store,
    });
    expect(result.completedSteps.map((s) => s.id)).toEqual(["cleanup"]);
    const { records } = await journalOf(store, "plain");
    expect(records.find((r) => r.type === "failed")).toMatchObject({
      type: "failed",
      step: "deploy",
      error: "rollout failed",
      result: { resource_id: "r-1", auth: "Bearer public" },
    });
    expect(foldJournal(records).root.unfinished.get("deploy")).toEqual({
      type: "failed",
      detail: "rollout failed",
      result: { resource_id: "r-1", auth: "Bearer public" },
    });
  });

  it("holds no secret: masked with the spots to unmask it, and unmasked whole with the secret given again", async () => {
    const store = new FileJournalStore({ dir });
    await new WorkflowExecutor({ tools }).execute(template, new WorkflowContext({ token: TOKEN }), undefined, {
      runId: "secret",
      journal: store,
      secrets: ["token"],
    });
    const { text, records } = await journalOf(store, "secret");
    expect(text).not.toContain(TOKEN);
    const failed = records.find((r) => r.type === "failed")!;
    expect(failed).toMatchObject({ result: { resource_id: "r-1", auth: "Bearer [secret:token]" }, secrets: [{ at: ["auth"] }] });
    const state = foldJournal(unsealRecords(records, { token: TOKEN }));
    expect(state.root.unfinished.get("deploy")?.result).toEqual({ resource_id: "r-1", auth: `Bearer ${TOKEN}` });
  });

  it("a failed record with secret spots and no result is refused as corrupt; with a result it is read", () => {
    const header = {
      type: "run",
      format: 3,
      runId: "t",
      workflow: "w",
      templateHash: "sha256:0",
      template: {},
      variables: {},
      createdAt: "2024-01-01T00:00:00Z",
    } as const;
    const failed = {
      type: "failed",
      step: "deploy",
      attempts: 1,
      durationMs: 1,
      error: "x",
      secrets: [{ at: ["auth"], text: [{ secret: "token" }] }],
      at: 1,
    } as const;
    const journal = (record: object) => {
      const chain = new JournalChain();
      return chain.encode(header) + chain.encode(record as JournalRecord);
    };
    expect(() => parseJournal(journal(failed), "t.jsonl")).toThrow(
      'journal t.jsonl is corrupt at line 2: a "failed" record with a bad "secrets"',
    );
    expect(parseJournal(journal({ ...failed, result: { auth: "[secret:token]" } }), "t.jsonl").records).toHaveLength(1);
  });
});

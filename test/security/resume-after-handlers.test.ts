/**
 * Resuming a run whose failure handler ran (issue 12, class 1). `cleanup` runs when `deploy` fails and removes the
 * image `build` made. A plain resume would restore `build` as done and retry `deploy` against nothing, then report
 * `completed`: it is refused instead, and `redoFrom` resets the run to before a step, durably.
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  FileJournalStore,
  HandlersRanError,
  RedoStepError,
  WorkflowContext,
  WorkflowExecutor,
  WorkflowTemplate,
  type Tools,
} from "toolweave";
import { foldJournal } from "../../src/journal/restore.js";
import { weave } from "../cli/weave-process.js";

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "weave-redo-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const template = new WorkflowTemplate({
  name: "release",
  steps: [
    { id: "build", toolName: "build", parameters: { dir: "{{dir}}" } },
    { id: "deploy", toolName: "deploy", dependsOn: ["build"], parameters: { image: "{{build.image}}" } },
    {
      id: "cleanup",
      toolName: "cleanup",
      dependsOn: ["deploy"],
      condition: "{{deploy.success}} == False",
      parameters: { image: "{{build.image}}" },
    },
    { id: "notes", toolName: "notes" },
  ],
});

/** Real files: build writes the image, cleanup removes it, deploy needs it (and fails until `fixed` exists). */
function tools(work: string, calls: string[]): Tools {
  return {
    build: async () => (calls.push("build"), await writeFile(join(work, "image"), "layers"), { image: join(work, "image") }),
    deploy: async (p) => {
      calls.push("deploy");
      if (!existsSync(join(work, "fixed"))) throw new Error("registry refused the push");
      return { deployed: await readFile(String(p.image), "utf8") };
    },
    cleanup: async (p) => (calls.push("cleanup"), await rm(String(p.image), { force: true }), { removed: true }),
    notes: () => (calls.push("notes"), { ok: true }),
  };
}

async function failedRun(runId: string): Promise<{ work: string; store: FileJournalStore; calls: string[] }> {
  const work = join(dir, runId);
  await mkdir(work, { recursive: true });
  const store = new FileJournalStore({ dir: join(dir, "runs") });
  const calls: string[] = [];
  const result = await new WorkflowExecutor({ tools: tools(work, calls), journal: store }).execute(
    template,
    new WorkflowContext({ dir: work }),
    undefined,
    { runId },
  );
  expect(result.status).toBe("failed");
  expect(calls.sort()).toEqual(["build", "cleanup", "deploy", "notes"]);
  expect(existsSync(join(work, "image"))).toBe(false);
  await writeFile(join(work, "fixed"), "");
  return { work, store, calls };
}

describe("resuming a run whose failure handler ran", () => {
  it("is refused, naming the handler and the failure it handled, and runs nothing", async () => {
    const { work, store } = await failedRun("plain");
    const calls: string[] = [];
    const error = await new WorkflowExecutor({ tools: tools(work, calls), journal: store }).resume("plain").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HandlersRanError);
    expect((error as HandlersRanError).handlers).toEqual([{ handler: "cleanup", failed: ["deploy"] }]);
    expect((error as Error).message).toContain('run "plain" has failure handlers that ran: "cleanup" (on "deploy" failing)');
    expect((error as Error).message).toContain("redoFrom");
    expect(calls).toEqual([]);
  });

  it("redoFrom the step whose work the handler undid runs it and everything downstream again, and keeps the rest", async () => {
    const { work, store } = await failedRun("redo");
    const calls: string[] = [];
    const result = await new WorkflowExecutor({ tools: tools(work, calls), journal: store }).resume("redo", { redoFrom: "build" });
    expect(result.status).toBe("completed");
    // notes is upstream of nothing redone: restored, not run; cleanup's condition is now false
    expect(calls).toEqual(["build", "deploy"]);
    expect(result.completedSteps.find((s) => s.id === "notes")).toMatchObject({ restored: true });
    expect(result.skippedSteps.map((s) => s.id)).toEqual(["cleanup"]);
    expect(existsSync(join(work, "image"))).toBe(true);
    // journaled: the redo record lists what was reset
    const journal = await store.read("redo");
    expect(journal.records.find((r) => r.type === "redo")).toMatchObject({
      type: "redo",
      from: "build",
      steps: ["build", "deploy", "cleanup"],
    });
  });

  it("refuses a redo that would keep the handler done, and an unknown step", async () => {
    const { work, store } = await failedRun("wrong");
    const executor = new WorkflowExecutor({ tools: tools(work, []), journal: store });
    const kept = await executor.resume("wrong", { redoFrom: "notes" }).catch((e: unknown) => e);
    expect(kept).toBeInstanceOf(HandlersRanError);
    expect((kept as Error).message).toContain('redoing run "wrong" from "notes" would keep the failure handler "cleanup"');
    const unknown = await executor.resume("wrong", { redoFrom: "biuld" }).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(RedoStepError);
    expect((unknown as Error).message).toBe(
      'cannot redo run "wrong" from "biuld": the workflow has no such step. steps are "build", "deploy", "cleanup", "notes"',
    );
  });

  it("a redo survives a crash: once journaled, the redone steps count as never run", () => {
    const at = 1;
    const state = foldJournal([
      { type: "session", session: 1, pid: 1, host: "h", at },
      { type: "done", step: "build", attempts: 1, durationMs: 1, result: { image: "x" }, at },
      { type: "failed", step: "deploy", attempts: 1, durationMs: 1, error: "refused", at },
      { type: "done", step: "cleanup", attempts: 1, durationMs: 1, result: {}, at },
      { type: "done", step: "notes", attempts: 1, durationMs: 1, result: {}, at },
      { type: "sub", scope: ["build"], workflow: "inner", templateHash: "sha256:0", at },
      { type: "done", scope: ["build"], step: "inner_step", attempts: 1, durationMs: 1, result: {}, at },
      { type: "session", session: 2, pid: 2, host: "h", at },
      { type: "redo", from: "build", steps: ["build", "deploy", "cleanup"], at },
    ]);
    expect([...state.root.completed.keys()]).toEqual(["notes"]);
    expect(state.root.unfinished.size).toBe(0);
    expect(state.scope(["build"])).toBeUndefined();
  });
});

describe("weave resume after a failure handler ran", () => {
  it("refuses with exit 2 and the way out, then --redo-from completes the run", async () => {
    const work = join(dir, "cli");
    await mkdir(work, { recursive: true });
    await writeFile(join(work, "release.json"), JSON.stringify(template.toJSON()));
    await writeFile(
      join(work, "tools.mjs"),
      `import { existsSync } from "node:fs";
import { readFile, rm, writeFile } from "node:fs/promises";
export default {
  build: async ({ dir }) => (await writeFile(dir + "/image", "layers"), { image: dir + "/image" }),
  deploy: async ({ image }) => { if (!existsSync(${JSON.stringify(join(work, "fixed"))})) throw new Error("registry refused the push"); return { deployed: await readFile(image, "utf8") }; },
  cleanup: async ({ image }) => (await rm(image, { force: true }), { removed: true }),
  notes: () => ({ ok: true }),
};
`,
    );
    const runs = join(work, "runs");
    const first = await weave(
      ["run", "release.json", "--tools", "tools.mjs", "--var", `dir=${work}`, "--run-id", "r1", "--runs-dir", runs],
      { cwd: work },
    );
    expect(first.code).toBe(1);
    await writeFile(join(work, "fixed"), "");

    const refused = await weave(["resume", "r1", "--runs-dir", runs], { cwd: work });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('weave: run "r1" has failure handlers that ran: "cleanup" (on "deploy" failing)');
    expect(refused.stderr).toContain("  for example: weave resume r1 --redo-from <step>");
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    expect(refused.stdout).toBe("");

    const redone = await weave(["resume", "r1", "--runs-dir", runs, "--redo-from", "build", "--json"], { cwd: work });
    expect(redone.stderr).toContain('weave: redoing run "r1" from "build"');
    expect(redone.code).toBe(0);
    expect(JSON.parse(redone.stdout)).toMatchObject({ status: "completed", journal: { session: 2 } });
    expect(existsSync(join(work, "image"))).toBe(true);
  });
});

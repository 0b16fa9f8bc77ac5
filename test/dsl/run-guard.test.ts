// While weave run imports a file, a workflow's run() refuses (the file would run it on import and the CLI again);
// at any other time it runs.
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { tool, workflow } from "toolweave";
import { LOADING_FOR_CLI, RUN_WHILE_LOADING, type LoadingNote } from "../../dsl/run-guard.js";

const calls: string[] = [];
const noop = tool("noop", { input: z.object({}), output: z.object({ ok: z.boolean() }), run: () => (calls.push("noop"), { ok: true }) });
const wf = workflow("guarded", { description: "one step", input: z.object({}) }, ({ step }) => {
  step("only").tool(noop).with({});
  return {};
});

const global = globalThis as { [LOADING_FOR_CLI]?: LoadingNote };
afterEach(() => void delete global[LOADING_FOR_CLI]);

describe("run() while the CLI loads a file", () => {
  it("rejects before any step, and notes the workflow for the CLI", async () => {
    const note: LoadingNote = { file: "deploy.ts", runs: [] };
    global[LOADING_FOR_CLI] = note;
    calls.length = 0;
    await expect(wf.run({})).rejects.toMatchObject({
      code: RUN_WHILE_LOADING,
      message: expect.stringContaining('workflow "guarded" was run while weave was loading deploy.ts'),
    });
    expect(note.runs).toEqual(["guarded"]);
    expect(calls).toEqual([]);
  });

  it("runs as usual otherwise", async () => {
    calls.length = 0;
    expect((await wf.run({})).status).toBe("completed");
    expect(calls).toEqual(["noop"]);
  });
});

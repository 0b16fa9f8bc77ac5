// A durable run cancelled by its timeout or by the caller's signal: its journal ends "cancelled", and it resumes.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FileJournalStore, WorkflowContext, WorkflowExecutor, WorkflowTemplate, type ToolContext } from "toolweave";

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "weave-cancelled-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// build -> deploy -> notify; deploy waits for its signal the first time, answers at once after that
const template = new WorkflowTemplate({
  name: "release",
  timeoutMs: 80,
  steps: [
    { id: "build", toolName: "t", parameters: { v: "{{version}}" } },
    { id: "deploy", toolName: "slow", parameters: { image: "{{build.image}}" }, dependsOn: ["build"] },
    { id: "notify", toolName: "t", parameters: { url: "{{deploy.url}}" }, dependsOn: ["deploy"] },
  ],
  outputs: { url: "{{deploy.url}}" },
});

function tools() {
  const calls: string[] = [];
  let hang = true;
  return {
    calls,
    stopHanging: () => (hang = false),
    tools: {
      t: (p: Record<string, unknown>, ctx: ToolContext) => {
        calls.push(ctx.stepId);
        return { image: `img:${String(p.v)}`, sent: true };
      },
      slow: (_p: Record<string, unknown>, ctx: ToolContext) => {
        calls.push(ctx.stepId);
        if (!hang) return { url: "https://staging" };
        return new Promise((_resolve, reject) => ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason), { once: true }));
      },
    },
  };
}

const endRecord = async (location: string): Promise<Record<string, unknown>> => {
  const lines = (await readFile(location, "utf8"))
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { record?: Record<string, unknown> } & Record<string, unknown>);
  const records = lines.map((l) => l.record ?? l);
  return records.filter((r) => r.type === "end").at(-1)!;
};

describe("a cancelled durable run", () => {
  it("times out: the journal's end record says cancelled; resume runs the rest and completes", async () => {
    const store = new FileJournalStore({ dir });
    const t = tools();
    const executor = new WorkflowExecutor({ tools: t.tools, journal: store });
    const first = await executor.execute(template, new WorkflowContext({ version: "1.2" }), undefined, { runId: "release-timeout" });
    expect(first.status).toBe("cancelled");
    expect(first.error).toBe('workflow "release" timed out after 80 ms');
    expect(first.completedSteps.map((s) => s.id)).toEqual(["build"]);
    expect(first.skippedSteps.map((s) => s.id)).toEqual(["notify"]);
    expect(await endRecord(first.journal!.location)).toMatchObject({
      type: "end",
      status: "cancelled",
      error: 'workflow "release" timed out after 80 ms',
    });

    t.stopHanging();
    const resumed = await executor.resume("release-timeout");
    expect(resumed.status).toBe("completed");
    expect(resumed.outputs).toEqual({ url: "https://staging" });
    expect(resumed.completedSteps.find((s) => s.id === "build")?.restored).toBe(true);
    // build ran once, in the first session
    expect(t.calls).toEqual(["build", "deploy", "deploy", "notify"]);
    expect(await endRecord(resumed.journal!.location)).toMatchObject({ type: "end", status: "completed" });
  });

  it("by the caller's signal: resumable too, with a longer bound given for the resume", async () => {
    const store = new FileJournalStore({ dir });
    const t = tools();
    const executor = new WorkflowExecutor({ tools: t.tools, journal: store });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("maintenance window")), 20);
    const first = await executor.execute(template, new WorkflowContext({ version: "2" }), undefined, {
      runId: "release-signal",
      signal: controller.signal,
      timeoutMs: null,
    });
    expect(first).toMatchObject({ status: "cancelled", error: "cancelled: maintenance window" });
    expect(await endRecord(first.journal!.location)).toMatchObject({ status: "cancelled", error: "cancelled: maintenance window" });

    // still hanging: a resume bounded by its own timeoutMs is cancelled again, then one without a bound completes
    const again = await executor.resume("release-signal", { timeoutMs: 30 });
    expect(again).toMatchObject({ status: "cancelled", error: 'workflow "release" timed out after 30 ms' });
    t.stopHanging();
    const done = await executor.resume("release-signal");
    expect(done.status).toBe("completed");
    expect(done.journal?.session).toBe(3);
  });
});

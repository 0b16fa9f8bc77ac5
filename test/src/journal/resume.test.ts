// executor.resume: what comes back from the journal, what runs again, and what is refused.
import { appendFile, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { tool, workflow } from "toolweave";
import {
  HandlersRanError,
  FileJournalStore,
  JournalMismatchError,
  RunLockedError,
  WorkflowContext,
  WorkflowExecutor,
  WorkflowTemplate,
  type ExecutionEvent,
  type ToolContext,
  type WorkflowResolver,
} from "toolweave";
import { events, gate } from "../../helpers/tools.js";
import { CrashableStore } from "./crash-store.js";

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "weave-resume-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Tools that answer at once and remember every call: step, idempotency key, parameters. */
function recorder() {
  const calls: { stepId: string; key: string; params: Record<string, unknown>; attempt: number }[] = [];
  const fn = (params: Record<string, unknown>, ctx: ToolContext) => {
    calls.push({ stepId: ctx.stepId, key: ctx.idempotencyKey, params, attempt: ctx.attempt });
    return { v: `${ctx.stepId}!`, n: 2 };
  };
  return { calls, fn, steps: () => calls.map((c) => c.stepId) };
}

const flush = () => new Promise((r) => setTimeout(r, 5));

// a -> b -> c, a -> d; c reads a's and b's results; outputs read a, c and d
const diamond = new WorkflowTemplate({
  name: "diamond",
  steps: [
    { id: "a", toolName: "t", parameters: { x: "{{x}}" } },
    { id: "b", toolName: "t", parameters: { from: "{{a.v}}" }, dependsOn: ["a"] },
    { id: "c", toolName: "t", parameters: { a: "{{a.v}}", b: "{{b.v}}" }, dependsOn: ["a", "b"], condition: "{{a.n}} > 1" },
    { id: "d", toolName: "t", parameters: {}, dependsOn: ["a"] },
  ],
  outputs: { a: "{{a.v}}", c: "{{c.v}}", d: "{{d.v}}" },
});

describe("executor.resume", () => {
  it("does not run completed steps again: their results come back (references, conditions, outputs); in-flight steps run again", async () => {
    const store = new CrashableStore(dir);
    const g = gate();
    const first = new WorkflowExecutor({ tools: { t: g.tool } }).execute(diamond, new WorkflowContext({ x: 1 }), undefined, {
      runId: "diamond-1",
      journal: store,
    });
    void first;
    await g.started("a");
    g.release("a", { v: "A", n: 5 });
    await g.started("b");
    await g.started("d");
    g.release("d", { v: "D" });
    await flush();
    await store.crash(); // b is running
    expect(store.written.filter((r) => r.type === "done").map((r) => (r as { step: string }).step)).toEqual(["a", "d"]);

    const r = recorder();
    const seen = events();
    const result = await new WorkflowExecutor({ tools: { t: r.fn } }).resume("diamond-1", { journal: store.inner, onEvent: seen.onEvent });
    expect(result.status).toBe("completed");
    expect(r.steps()).toEqual(["b", "c"]);
    // b read a's journaled result; c's condition ({{a.n}} > 1) saw it too
    expect(r.calls[0]!.params).toEqual({ from: "A" });
    expect(r.calls[1]!.params).toEqual({ a: "A", b: "b!" });
    expect(result.outputs).toEqual({ a: "A", c: "c!", d: "D" });
    expect(result.completedSteps.map((s) => [s.id, s.restored ?? false])).toEqual([
      ["a", true],
      ["d", true],
      ["b", false],
      ["c", false],
    ]);
    expect(result.journal).toEqual({ location: store.locate("diamond-1"), session: 2, restored: 2, rerun: ["b"] });
    const started = seen.all.find((e) => e.type === "run_started") as Extract<ExecutionEvent, { type: "run_started" }>;
    expect(started.resumed).toEqual({ session: 2, restored: 2, inFlight: ["b"] });
    expect(seen.all.filter((e) => e.type === "step_finished" && e.restored).map((e) => (e as { stepId: string }).stepId)).toEqual([
      "a",
      "d",
    ]);
    // the same idempotency key in both sessions
    expect(r.calls[0]!.key).toBe("diamond-1:b");
  });

  it("a run that completed is not run again: its result comes back from the journal", async () => {
    const store = new FileJournalStore({ dir });
    const r = recorder();
    const done = await new WorkflowExecutor({ tools: { t: r.fn } }).execute(diamond, new WorkflowContext({ x: 1 }), undefined, {
      runId: "diamond-done",
      journal: store,
    });
    expect(done.status).toBe("completed");
    expect(done.journal).toMatchObject({ session: 1, restored: 0 });
    const again = recorder();
    const result = await new WorkflowExecutor({ tools: { t: again.fn } }).resume("diamond-done", { journal: store });
    expect(again.calls).toEqual([]);
    expect(result.status).toBe("completed");
    expect(result.outputs).toEqual(done.outputs);
    expect(result.completedSteps.map((s) => s.id).sort()).toEqual(["a", "b", "c", "d"]);
    expect(result.completedSteps.every((s) => s.restored)).toBe(true);
    // nothing was appended
    const lines = (await readFile(store.locate("diamond-done"), "utf8")).trim().split("\n");
    expect(lines.at(-1)).toMatch(/^\{"type":"end","status":"completed"/);
  });

  it("a run whose failure handler ran is resumed only from a step (redoFrom): that step gets its full retry budget, skipped steps are decided again", async () => {
    const wf = new WorkflowTemplate({
      name: "handler",
      steps: [
        { id: "migrate", toolName: "migrate", maxRetries: 1, retryDelayMs: 1 },
        { id: "cleanup", toolName: "t", dependsOn: ["migrate"], condition: "{{migrate.success}} == False" },
        { id: "announce", toolName: "t", parameters: { m: "{{migrate.v}}" }, dependsOn: ["migrate"] },
      ],
    });
    const store = new FileJournalStore({ dir });
    let broken = true;
    const attempts: number[] = [];
    const r = recorder();
    const migrate = (_p: Record<string, unknown>, ctx: ToolContext) => {
      attempts.push(ctx.attempt);
      if (broken) throw new Error("schema locked");
      return { v: "migrated" };
    };
    const executor = new WorkflowExecutor({ tools: { t: r.fn, migrate } });
    const failed = await executor.execute(wf, new WorkflowContext(), undefined, { runId: "handler-1", journal: store });
    expect(failed.status).toBe("failed");
    expect(r.steps()).toEqual(["cleanup"]);
    expect(failed.skippedSteps.map((s) => s.id)).toEqual(["announce"]);

    broken = false;
    attempts.length = 0;
    // cleanup ran after migrate failed: a plain resume is refused (see test/security/resume-after-handlers.test.ts)
    await expect(executor.resume("handler-1", { journal: store })).rejects.toBeInstanceOf(HandlersRanError);
    expect(attempts).toEqual([]);
    const resumed = await executor.resume("handler-1", { journal: store, redoFrom: "migrate" });
    expect(resumed.status).toBe("completed");
    expect(attempts).toEqual([1]);
    // announce, skipped before, now runs; cleanup is decided again (migrate succeeded: skipped)
    expect(r.steps()).toEqual(["cleanup", "announce"]);
    expect(resumed.completedSteps.map((s) => s.id)).toEqual(["migrate", "announce"]);
    expect(resumed.skippedSteps.map((s) => s.id)).toEqual(["cleanup"]);
    expect(resumed.journal!.session).toBe(2);

    // a handler running when the process stopped counts as having run; the redo gives migrate its whole retry
    // budget again, and the handler runs after the failure
    const wf2 = new WorkflowTemplate({ ...wf, name: "handler2" });
    broken = true;
    attempts.length = 0;
    const store2 = new CrashableStore(dir);
    const g = gate();
    const first = new WorkflowExecutor({ tools: { t: g.tool, migrate } }).execute(wf2, new WorkflowContext(), undefined, {
      runId: "handler-2",
      journal: store2,
    });
    void first;
    await g.started("cleanup"); // migrate failed twice, the handler is running: crash
    await store2.crash();
    expect(attempts).toEqual([1, 2]);
    attempts.length = 0;
    const r2 = recorder();
    await expect(
      new WorkflowExecutor({ tools: { t: r2.fn, migrate } }).resume("handler-2", { journal: store2.inner }),
    ).rejects.toBeInstanceOf(HandlersRanError);
    const again = await new WorkflowExecutor({ tools: { t: r2.fn, migrate } }).resume("handler-2", {
      journal: store2.inner,
      redoFrom: "migrate",
    });
    expect(attempts).toEqual([1, 2]);
    expect(r2.steps()).toEqual(["cleanup"]);
    expect(again.status).toBe("failed");
    expect(again.error).toBe('step "migrate" failed: schema locked');
  });

  it("sub-workflows: their completed steps come back too, their in-flight steps run again, keyed by the sub-run id", async () => {
    const backup = new WorkflowTemplate({
      name: "backup",
      steps: [
        { id: "dump", toolName: "t", parameters: { db: "{{db}}" } },
        { id: "upload", toolName: "t", parameters: { file: "{{dump.v}}" }, dependsOn: ["dump"] },
      ],
      outputs: { url: "{{upload.v}}" },
    });
    const library: WorkflowResolver = { get: (name) => (name === "backup" ? backup : undefined) };
    const nightly = new WorkflowTemplate({
      name: "nightly",
      steps: [
        { id: "prep", toolName: "t" },
        {
          id: "save",
          toolName: "execute_workflow",
          parameters: { workflow: "backup", context: { db: "{{prep.v}}" } },
          dependsOn: ["prep"],
        },
        { id: "notify", toolName: "t", parameters: { url: "{{save.url}}" }, dependsOn: ["save"] },
      ],
      outputs: { url: "{{save.url}}" },
    });
    const store = new CrashableStore(dir);
    const g = gate();
    const keys: string[] = [];
    const gated = (p: Record<string, unknown>, ctx: ToolContext) => (keys.push(ctx.idempotencyKey), g.tool(p, ctx));
    void new WorkflowExecutor({ tools: { t: gated }, library }).execute(nightly, new WorkflowContext(), undefined, {
      runId: "nightly-1",
      journal: store,
    });
    await g.started("prep");
    g.release("prep", { v: "orders" });
    await g.started("dump");
    g.release("dump", { v: "orders.sql" });
    await g.started("upload");
    await store.crash();
    expect(keys).toEqual(["nightly-1:prep", "nightly-1/save:dump", "nightly-1/save:upload"]);

    const r = recorder();
    const result = await new WorkflowExecutor({ tools: { t: r.fn }, library }).resume("nightly-1", { journal: store.inner });
    expect(result.status).toBe("completed");
    expect(r.calls.map((c) => [c.key, c.params])).toEqual([
      ["nightly-1/save:upload", { file: "orders.sql" }],
      ["nightly-1:notify", { url: "upload!" }],
    ]);
    expect(result.outputs).toEqual({ url: "upload!" });

    // a sub-workflow that changed since is refused before anything runs
    const changed = new WorkflowTemplate({ ...backup, steps: [...backup.steps, { id: "verify", toolName: "t" }] });
    const otherLibrary: WorkflowResolver = { get: (name) => (name === "backup" ? changed : undefined) };
    await expect(
      new WorkflowExecutor({ tools: { t: r.fn }, library: otherLibrary }).resume("nightly-1", { journal: store.inner }),
    ).rejects.toThrow('the workflow changed since run "nightly-1" started: sub-workflow "backup" changed. start a new run');
  });

  it("refuses a workflow that changed, naming what changed, and variables that differ", async () => {
    const store = new FileJournalStore({ dir });
    const r = recorder();
    const executor = new WorkflowExecutor({ tools: { t: r.fn, x: () => ({}) } });
    const failing = new WorkflowTemplate({ ...diamond, steps: [...diamond.steps, { id: "e", toolName: "x", parameters: { q: 1 } }] });
    await executor.execute(failing, new WorkflowContext({ x: 1 }), undefined, { runId: "changed", journal: store });
    const edited = new WorkflowTemplate({
      ...failing,
      steps: [
        ...failing.steps.slice(0, 2).map((s) => (s.id === "b" ? { ...s, parameters: { from: "{{a.n}}" } } : s)),
        failing.steps[3]!,
        { id: "e2", toolName: "x" },
      ],
    });
    const error = await executor.resume("changed", { journal: store, workflow: edited }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JournalMismatchError);
    expect((error as Error).message).toBe(
      'the workflow changed since run "changed" started: steps "c", "e" removed; step "e2" added; step "b": parameters changed. start a new run',
    );
    // moving a step in its file (another source position) is not a change
    const moved = new WorkflowTemplate({
      ...failing,
      steps: failing.steps.map((s) => ({ ...s, source: { file: "w.ts", line: 9, column: 1 } })),
    });
    await expect(executor.resume("changed", { journal: store, workflow: moved, variables: { x: 1 } })).resolves.toMatchObject({
      status: "completed",
    });
    await expect(executor.resume("changed", { journal: store, variables: { x: 2, y: true } })).rejects.toThrow(
      'run "changed" was started with other variables: x was 1, now 2; y was not set, now true. resume it with the same variables, or start a new run',
    );
  });

  it("two resumes of the same run at once: one runs it, the other is refused", async () => {
    const store = new CrashableStore(dir);
    const g = gate();
    void new WorkflowExecutor({ tools: { t: g.tool } }).execute(diamond, new WorkflowContext({ x: 1 }), undefined, {
      runId: "twice",
      journal: store,
    });
    await g.started("a");
    await store.crash();
    const slow = gate();
    const executor = new WorkflowExecutor({ tools: { t: slow.tool } });
    // which of the two takes the lock depends on timing; the other must be refused while the winner waits on the gate
    const attempts = [executor.resume("twice", { journal: store.inner }), executor.resume("twice", { journal: store.inner })].map(
      (p, index) =>
        p.then(
          (result) => ({ index, result, error: undefined }),
          (error: unknown) => ({ index, result: undefined, error }),
        ),
    );
    const refused = await Promise.race(attempts);
    expect(refused.error).toBeInstanceOf(RunLockedError);
    const one = attempts[1 - refused.index]!.then(({ result, error }) => {
      if (error !== undefined) throw error;
      return result!;
    });
    await slow.started("a");
    slow.release("a", { v: "A", n: 1 });
    await slow.started("b");
    slow.release("b", { v: "B" });
    await slow.started("d");
    slow.release("d", { v: "D" });
    const result = await one;
    // c's condition ({{a.n}} > 1) is false: skipped
    expect(result.status).toBe("completed");
    expect(result.skippedSteps.map((s) => s.id)).toEqual(["c"]);
    // once it is done, the run can be resumed (and, completed, runs nothing)
    await expect(executor.resume("twice", { journal: store.inner })).resolves.toMatchObject({ status: "completed" });
  });

  it("a dependent starts only after its dependency's record is in the journal", async () => {
    const order: string[] = [];
    const inner = new FileJournalStore({ dir });
    const slowStore = {
      locate: (id: string) => inner.locate(id),
      read: (id: string) => inner.read(id),
      open: (id: string) => inner.open(id),
      async create(header: Parameters<FileJournalStore["create"]>[0]) {
        const j = await inner.create(header);
        return Object.assign(Object.create(j) as typeof j, {
          append: (record: Parameters<typeof j.append>[0]) => {
            const p = j.append(record);
            return p
              .then(() => new Promise<void>((res) => setTimeout(res, 15)))
              .then(() => {
                if (record.type === "done") order.push(`written ${record.step}`);
              });
          },
          close: () => j.close(),
        });
      },
    };
    const chain = new WorkflowTemplate({
      name: "chain",
      steps: [
        { id: "a", toolName: "t" },
        { id: "b", toolName: "t", dependsOn: ["a"] },
      ],
    });
    const t = (_p: unknown, ctx: ToolContext) => void order.push(`run ${ctx.stepId}`);
    const result = await new WorkflowExecutor({ tools: { t } }).execute(chain, new WorkflowContext(), undefined, {
      runId: "ordered",
      journal: slowStore,
    });
    expect(result.status).toBe("completed");
    expect(order).toEqual(["run a", "written a", "run b", "written b"]);
  });

  it("a journal that cannot be written stops the run (what is not journaled is not durable); a torn tail is reported on resume", async () => {
    const inner = new FileJournalStore({ dir });
    let appends = 0;
    const failing = {
      locate: (id: string) => inner.locate(id),
      read: (id: string) => inner.read(id),
      open: (id: string) => inner.open(id),
      async create(header: Parameters<FileJournalStore["create"]>[0]) {
        const j = await inner.create(header);
        return Object.assign(Object.create(j) as typeof j, {
          append: (record: Parameters<typeof j.append>[0]) =>
            ++appends > 4 ? Promise.reject(new Error("ENOSPC: no space left on device")) : j.append(record),
          close: () => j.close(),
        });
      },
    };
    const r = recorder();
    const result = await new WorkflowExecutor({ tools: { t: r.fn } }).execute(diamond, new WorkflowContext({ x: 1 }), undefined, {
      runId: "full",
      journal: failing,
    });
    expect(result.status).toBe("failed");
    expect(result.error).toBe("cancelled: ENOSPC: no space left on device");
    // session, start a, done a, start b|d: then the disk was full; b and d were cancelled, c skipped
    expect(r.steps()).toEqual(["a", "b", "d"]);

    await appendFile(inner.locate("full"), '{"type":"done","step":"b","attem');
    const warnings: string[] = [];
    const resumed = await new WorkflowExecutor({ tools: { t: r.fn } }).resume("full", {
      journal: inner,
      onWarning: (w) => warnings.push(w),
    });
    expect(warnings).toEqual([
      `journal ${inner.locate("full")}: line 6 is incomplete (a write cut short, e.g. by a crash); recovered the run up to line 5`,
    ]);
    expect(resumed.status).toBe("completed");
    expect(resumed.completedSteps.filter((s) => s.restored).map((s) => s.id)).toEqual(["a"]);
  });

  it("a result that is not JSON fails its step in a durable run (it could not come back on resume)", async () => {
    const wf = new WorkflowTemplate({ name: "bigint", steps: [{ id: "a", toolName: "big" }] });
    const result = await new WorkflowExecutor({ tools: { big: () => ({ n: 10n }) } }).execute(wf, new WorkflowContext(), undefined, {
      runId: "bigint",
      journal: new FileJournalStore({ dir }),
    });
    expect(result.status).toBe("failed");
    expect(result.failedSteps[0]!.error).toMatch(/^the result of step "a" cannot be journaled: Do not know how to serialize a BigInt/);
  });

  it("a result nested too deeply for JSON fails its step with a message that says so (not a stack overflow's)", async () => {
    let deep: unknown = 1;
    for (let i = 0; i < 20_000; i++) deep = [deep];
    const wf = new WorkflowTemplate({ name: "deep", steps: [{ id: "a", toolName: "deep" }] });
    const result = await new WorkflowExecutor({ tools: { deep: () => deep } }).execute(wf, new WorkflowContext(), undefined, {
      runId: "deep",
      journal: new FileJournalStore({ dir }),
    });
    expect(result.status).toBe("failed");
    expect(result.failedSteps[0]!.error).toBe(
      'the result of step "a" cannot be journaled: it is nested too deeply to be written as JSON (thousands of levels). a durable run keeps JSON values only',
    );
  });

  it("an executor with a journal makes every run durable (a random run id unless given); journal: false opts a run out", async () => {
    const store = new FileJournalStore({ dir });
    const r = recorder();
    const executor = new WorkflowExecutor({ tools: { t: r.fn }, journal: store });
    const result = await executor.execute(diamond, new WorkflowContext({ x: 1 }));
    expect(result.journal!.location).toBe(store.locate(result.runId));
    expect((await store.read(result.runId)).header).toMatchObject({ workflow: "diamond", variables: { x: 1 } });
    const plain = await executor.execute(diamond, new WorkflowContext({ x: 1 }), undefined, { journal: false });
    expect(plain.journal).toBeUndefined();
    await expect(store.read(plain.runId)).rejects.toThrow(/no journal for run/);
  });

  it("every tool call gets an idempotency key runId:stepId, durable or not, through the DSL too", async () => {
    const keys: string[] = [];
    const t = (_p: unknown, ctx: ToolContext) => void keys.push(ctx.idempotencyKey);
    const wf = new WorkflowTemplate({ name: "k", steps: [{ id: "one", toolName: "t" }] });
    await new WorkflowExecutor({ tools: { t } }).execute(wf, new WorkflowContext(), undefined, { runId: "r1" });
    expect(keys).toEqual(["r1:one"]);
    const echo = tool("echo", {
      input: z.object({}),
      output: z.object({ key: z.string() }),
      run: (_input, ctx) => ({ key: ctx.idempotencyKey }),
    });
    const dsl = workflow("keys", { description: "", input: z.object({}) }, ({ step }) => ({ key: step("s").tool(echo).with({}).out.key }));
    expect((await dsl.run({}, { runId: "r2" })).outputs).toEqual({ key: "r2:s" });
  });

  it("the DSL: run with a journal, crash, resume with workflow.resume (variables from the journal, or checked)", async () => {
    let release: () => void = () => undefined;
    let stepTwoCalls = 0;
    const one = tool("one", { input: z.object({ n: z.number() }), output: z.object({ m: z.number() }), run: ({ n }) => ({ m: n * 10 }) });
    const two = tool("two", {
      input: z.object({ m: z.number() }),
      output: z.object({ total: z.number() }),
      run: ({ m }) => {
        stepTwoCalls++;
        return stepTwoCalls === 1 ? new Promise<never>((r) => (release = () => r as never)) : { total: m + 1 };
      },
    });
    const wf = workflow(
      "dsl_durable",
      { description: "", input: z.object({ n: z.number(), label: z.string().default("x") }) },
      ({ input, step }) => {
        const a = step("a").tool(one).with({ n: input.n });
        const b = step("b").tool(two).with({ m: a.out.m });
        return { total: b.out.total };
      },
    );
    const store = new CrashableStore(dir);
    void wf.run({ n: 4 }, { runId: "dsl-1", journal: store });
    while (stepTwoCalls === 0) await flush();
    await store.crash();
    release();
    await expect(wf.resume("dsl-1", { journal: store.inner, variables: { n: 5 } })).rejects.toThrow(
      /was started with other variables: n was 4, now 5/,
    );
    const result = await wf.resume("dsl-1", { journal: store.inner, variables: { n: 4 } });
    expect(result.status).toBe("completed");
    if (result.status === "completed") expect(result.outputs.total).toBe(41);
    expect(stepTwoCalls).toBe(2);
    const header = (await store.inner.read("dsl-1")).header;
    // the parsed variables, defaults included
    expect(header.variables).toEqual({ n: 4, label: "x" });
  });
});

// Map steps (DESIGN §9): `forEach` runs a step's tool once per item of a list, items scheduled by the run's own queue.
// A suite of the runtime: test/src/executor/map-steps.test.ts runs it in-process, test/adapters/redis on BullMQ workers.
import { afterEach, expect, it } from "vitest";
import {
  createMonitor,
  WorkflowContext,
  WorkflowTemplate,
  type ExecutionEvent,
  type WorkflowStepOptions as StepInput,
  type ToolContext,
} from "toolweave";
import type { Engine } from "../../../helpers/engines.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** list -> deploy (one per region) -> report (fans in the array). */
function regions(deploy: Partial<StepInput> = {}, report: Partial<StepInput> = {}): WorkflowTemplate {
  return new WorkflowTemplate({
    name: "multi_region",
    steps: [
      { id: "list", toolName: "list" },
      {
        id: "deploy",
        toolName: "deploy",
        dependsOn: ["list"],
        forEach: "{{list.regions}}",
        parameters: { region: "{{item.name}}", slot: "{{index}}", label: "{{item.name}}-{{index}}" },
        ...deploy,
      },
      {
        id: "report",
        toolName: "report",
        dependsOn: ["deploy"],
        parameters: { all: "{{deploy}}", second: "{{deploy[1].url}}" },
        ...report,
      },
    ],
    outputs: { urls: "{{deploy}}", count: "{{report.count}}" },
  });
}

const FOUR = [{ name: "eu" }, { name: "us" }, { name: "ap" }, { name: "sa" }];

export function defineMapStepTests(engine: Engine): void {
  afterEach(() => engine.cleanup());

  it("runs the tool once per item, binds item and index, and keeps item order whatever order items finish in", async () => {
    const calls: { params: Record<string, unknown>; item: number | undefined; key: string }[] = [];
    const executor = engine.executor({
      tools: {
        list: () => ({ regions: FOUR }),
        // the first items finish last
        deploy: async (params, ctx: ToolContext) => {
          calls.push({ params, item: ctx.item, key: ctx.idempotencyKey });
          await sleep(5 * (4 - (params.slot as number)));
          return { url: `https://${params.region as string}.example` };
        },
        report: (params) => ({ count: (params.all as unknown[]).length, second: params.second }),
      },
    });
    const result = await executor.execute(regions(), new WorkflowContext());
    expect(result.status).toBe("completed");
    expect(result.outputs).toEqual({
      urls: FOUR.map((r) => ({ url: `https://${r.name}.example` })),
      count: 4,
    });
    expect(calls.map((c) => c.params).sort((a, b) => (a.slot as number) - (b.slot as number))).toEqual([
      { region: "eu", slot: 0, label: "eu-0" },
      { region: "us", slot: 1, label: "us-1" },
      { region: "ap", slot: 2, label: "ap-2" },
      { region: "sa", slot: 3, label: "sa-3" },
    ]);
    expect(calls.map((c) => c.item).sort()).toEqual([0, 1, 2, 3]);
    expect(calls.find((c) => c.item === 2)?.key).toBe(`${result.runId}:deploy[2]`);
    expect(result.completedSteps.find((s) => s.id === "deploy")?.attempts).toBe(4);
  });

  it('names the item with "as", and takes the list from a variable', async () => {
    const template = new WorkflowTemplate({
      name: "greet",
      steps: [{ id: "hello", toolName: "echo", forEach: "{{people}}", as: "person", parameters: { text: "hi {{person}} ({{index}})" } }],
      outputs: { all: "{{hello}}" },
    });
    const executor = engine.executor({ tools: { echo: (p) => p.text } });
    const result = await executor.execute(template, new WorkflowContext({ people: ["ada", "alan"] }));
    expect(result.outputs).toEqual({ all: ["hi ada (0)", "hi alan (1)"] });
  });

  it("completes with [] for an empty list, without calling the tool, and the fan-in step runs", async () => {
    let deployed = 0;
    const executor = engine.executor({
      tools: { list: () => ({ regions: [] }), deploy: () => ++deployed, report: (p) => ({ count: (p.all as unknown[]).length }) },
    });
    const result = await executor.execute(regions({}, { parameters: { all: "{{deploy}}" } }), new WorkflowContext());
    expect(result.status).toBe("completed");
    expect(deployed).toBe(0);
    expect(result.outputs).toEqual({ urls: [], count: 0 });
  });

  it("fails the step when forEach is not a list, naming the placeholder and what it got; dependents are skipped", async () => {
    const executor = engine.executor({ tools: { list: () => ({ regions: { eu: 1 } }), deploy: () => 1, report: () => 1 } });
    const result = await executor.execute(regions(), new WorkflowContext());
    expect(result.status).toBe("failed");
    expect(result.failedSteps).toEqual([
      expect.objectContaining({
        id: "deploy",
        error: '"forEach": "{{list.regions}}" must resolve to a list to run the step once per item, but it is an object',
      }),
    ]);
    expect(result.skippedSteps.map((s) => s.id)).toEqual(["report"]);
  });

  it("fails the step once the other items settle when one fails, naming it; the others' results are its partial result", async () => {
    const settled: number[] = [];
    const template = new WorkflowTemplate({
      name: "partial",
      steps: [
        { id: "deploy", toolName: "deploy", forEach: "{{regions}}", parameters: { region: "{{item}}" } },
        {
          id: "rollback",
          toolName: "rollback",
          dependsOn: ["deploy"],
          condition: "{{deploy.success}} == false",
          parameters: { why: "{{deploy.error}}", first: "{{deploy[0]}}" },
        },
      ],
    });
    let rolledBack: Record<string, unknown> | undefined;
    const executor = engine.executor({
      tools: {
        deploy: async (p, ctx) => {
          if (p.region === "us") throw new Error("quota exceeded");
          await sleep(20);
          settled.push(ctx.item!);
          return `ok-${p.region as string}`;
        },
        rollback: (p) => {
          rolledBack = p;
          return true;
        },
      },
    });
    const result = await executor.execute(template, new WorkflowContext({ regions: ["eu", "us", "ap"] }));
    expect(result.status).toBe("failed");
    expect(settled.sort()).toEqual([0, 2]);
    const failed = result.failedSteps.find((s) => s.id === "deploy")!;
    expect(failed.error).toBe("item 1 of 3 failed: quota exceeded");
    expect(failed.result).toEqual(["ok-eu", null, "ok-ap"]);
    expect(failed.items).toEqual({ count: 3, completed: 2, failed: 1, skipped: 0 });
    expect(rolledBack).toEqual({ why: "item 1 of 3 failed: quota exceeded", first: "ok-eu" });
  });

  it("counts every failed item in the message", async () => {
    const template = new WorkflowTemplate({ name: "all_fail", steps: [{ id: "s", toolName: "boom", forEach: "{{xs}}" }] });
    const executor = engine.executor({
      tools: {
        boom: (_p, ctx) => {
          throw new Error(`no ${ctx.item}`);
        },
      },
    });
    const result = await executor.execute(template, new WorkflowContext({ xs: [1, 2, 3] }));
    expect(result.failedSteps[0]?.error).toBe("item 0 of 3 failed: no 0 (and 2 more items)");
  });

  it("retries each item on its own, and the monitor records each call with its item", async () => {
    const tries = new Map<number, number>();
    const monitor = createMonitor();
    const template = new WorkflowTemplate({
      name: "flaky_items",
      steps: [{ id: "s", toolName: "flaky", forEach: "{{xs}}", maxRetries: 2, retryDelayMs: 1 }],
      outputs: { all: "{{s}}" },
    });
    const retried: ExecutionEvent[] = [];
    const executor = engine.executor({
      monitor,
      tools: {
        flaky: (_p, ctx) => {
          tries.set(ctx.item!, (tries.get(ctx.item!) ?? 0) + 1);
          if (ctx.item === 1 && ctx.attempt < 3) throw new Error("flaky");
          return ctx.item! * 10;
        },
      },
    });
    const result = await executor.execute(template, new WorkflowContext({ xs: ["a", "b", "c"] }), undefined, {
      onEvent: (e) => void (e.type === "step_retried" && retried.push(e)),
    });
    expect(result.outputs).toEqual({ all: [0, 10, 20] });
    expect([...tries.entries()].sort()).toEqual([
      [0, 1],
      [1, 3],
      [2, 1],
    ]);
    expect(result.completedSteps[0]?.attempts).toBe(5);
    expect(retried.map((e) => e.type === "step_retried" && e.item)).toEqual([
      { index: 1, count: 3 },
      { index: 1, count: 3 },
    ]);
    expect(result.completedSteps[0]?.items).toEqual({ count: 3, completed: 3, failed: 0, skipped: 0 });
    expect(monitor.toolCallLog.map((r) => [r.item, r.attempt, r.success]).sort()).toEqual([
      [0, 1, true],
      [1, 1, false],
      [1, 2, false],
      [1, 3, true],
      [2, 1, true],
    ]);
  });

  it("bounds the items running at once by the step's concurrency and by the run's", async () => {
    let running = 0;
    let most = 0;
    // long enough for every item to have reached its tool (a worker's jobs take a moment to arrive)
    const tool = async () => {
      most = Math.max(most, ++running);
      await sleep(5 + 2 * engine.slackMs);
      running--;
      return 1;
    };
    const template = (concurrency?: number) =>
      new WorkflowTemplate({
        name: "bounded",
        steps: [
          { id: "s", toolName: "t", forEach: "{{xs}}", ...(concurrency === undefined ? {} : { concurrency }) },
          { id: "other", toolName: "t" },
        ],
      });
    const xs = Array.from({ length: 12 }, (_, i) => i);
    await engine.executor({ tools: { t: tool } }).execute(template(2), new WorkflowContext({ xs }));
    expect(most).toBe(3); // two items and the other step
    most = 0;
    await engine.executor({ tools: { t: tool }, concurrency: 4 }).execute(template(), new WorkflowContext({ xs }));
    expect(most).toBe(4);
    most = 0;
    await engine.executor({ tools: { t: tool } }).execute(template(), new WorkflowContext({ xs }));
    expect(most).toBe(13);
  });

  it("times out each item on its own", async () => {
    const T = 30 + 10 * engine.slackMs;
    const template = new WorkflowTemplate({ name: "slow_item", steps: [{ id: "s", toolName: "t", forEach: "{{xs}}", timeoutMs: T }] });
    const slow = engine.executor({
      tools: { t: (_p, ctx: ToolContext) => (ctx.item === 2 ? sleep(10 * T) : sleep(1)).then(() => ctx.item) },
    });
    expect((await slow.execute(template, new WorkflowContext({ xs: [1, 2] }))).status).toBe("completed");
    const result = await slow.execute(template, new WorkflowContext({ xs: [1, 2, 3] }));
    expect(result.failedSteps[0]?.error).toMatch(new RegExp(`^item 2 of 3 failed: .*timed out after ${T} ?ms`));
    expect(result.failedSteps[0]?.result).toEqual([0, 1, null]);
  });

  it("decides a condition that reads the item per item (null for one it skips), and one that does not once", async () => {
    const template = new WorkflowTemplate({
      name: "filtered",
      steps: [
        { id: "s", toolName: "t", forEach: "{{xs}}", condition: "{{item.on}} == true", parameters: { n: "{{item.n}}" } },
        { id: "off", toolName: "t", forEach: "{{xs}}", condition: "{{enabled}} == true", parameters: { n: "{{item.n}}" } },
      ],
      outputs: { s: "{{s}}" },
    });
    const events: ExecutionEvent[] = [];
    const executor = engine.executor({ tools: { t: (p) => p.n } });
    const result = await executor.execute(
      template,
      new WorkflowContext({
        enabled: false,
        xs: [
          { on: true, n: 1 },
          { on: false, n: 2 },
          { on: true, n: 3 },
        ],
      }),
      undefined,
      { onEvent: (e) => void events.push(e) },
    );
    expect(result.outputs).toEqual({ s: [1, null, 3] });
    expect(result.completedSteps.find((s) => s.id === "s")?.items).toEqual({ count: 3, completed: 2, failed: 0, skipped: 1 });
    expect(result.skippedSteps).toEqual([{ id: "off", reason: 'condition "{{enabled}} == true" is false' }]);
    const items = events.filter((e) => e.type === "item_finished");
    expect(items.map((e) => [e.item.index, e.item.count, e.status])).toEqual(
      expect.arrayContaining([
        [0, 3, "completed"],
        [1, 3, "skipped"],
        [2, 3, "completed"],
      ]),
    );
    const started = events.filter((e) => e.type === "step_started");
    expect(started.map((e) => e.item)).toEqual([
      { index: 0, count: 3 },
      { index: 2, count: 3 },
    ]);
  });

  it("aborts running items when the run is cancelled, and failFast cancels at the first failed item", async () => {
    const aborted: number[] = [];
    const hang = (_p: unknown, ctx: ToolContext) =>
      new Promise((_resolve, reject) => {
        ctx.signal.addEventListener("abort", () => {
          aborted.push(ctx.item!);
          reject(ctx.signal.reason);
        });
      });
    // long enough for every item to have reached its tool
    const timeoutMs = 40 + 10 * engine.slackMs;
    const template = new WorkflowTemplate({ name: "hang", timeoutMs, steps: [{ id: "s", toolName: "hang", forEach: "{{xs}}" }] });
    const events: ExecutionEvent[] = [];
    const onEvent = (e: ExecutionEvent) => void events.push(e);
    const result = await engine
      .executor({ tools: { hang } })
      .execute(template, new WorkflowContext({ xs: [1, 2, 3] }), undefined, { onEvent });
    expect(result.status).toBe("cancelled");
    await engine.toolSawAbort(() => expect([...aborted].sort()).toEqual([0, 1, 2]));
    // every item that started settles in the events, before its step does
    const why = `workflow "hang" timed out after ${timeoutMs} ms`;
    const settledItems = (from: readonly ExecutionEvent[]): unknown[] =>
      from.flatMap((e): unknown[] =>
        e.type === "item_finished" ? [[e.item.index, e.status, e.error]] : e.type === "step_finished" ? ["step"] : [],
      );
    expect(settledItems(events)).toEqual([[0, "stopped", why], [1, "stopped", why], [2, "stopped", why], "step"]);
    expect(result.failedSteps[0]?.items).toEqual({ count: 3, completed: 0, failed: 0, skipped: 0 });

    aborted.length = 0;
    const failing = new WorkflowTemplate({ name: "fail_fast", steps: [{ id: "s", toolName: "t", forEach: "{{xs}}" }] });
    const tools = {
      t: (p: Record<string, unknown>, ctx: ToolContext) =>
        ctx.item === 1 ? sleep(5 + 10 * engine.slackMs).then(() => Promise.reject(new Error("bad item"))) : hang(p, ctx),
    };
    events.length = 0;
    const fast = await engine
      .executor({ tools, failFast: true })
      .execute(failing, new WorkflowContext({ xs: [1, 2, 3] }), undefined, { onEvent });
    expect(fast.status).toBe("failed");
    const stopped = "stopped by failFast: item 1 of 3 failed: bad item";
    expect(settledItems(events)).toEqual([[1, "failed", "bad item"], [0, "stopped", stopped], [2, "stopped", stopped], "step"]);
    expect(fast.failedSteps[0]?.error).toBe("item 1 of 3 failed: bad item");
    // the attempts of the items failFast stopped count too
    expect(fast.failedSteps[0]?.attempts).toBe(3);
    await engine.toolSawAbort(() => expect([...aborted].sort()).toEqual([0, 2]));
  });

  it("runs a sub-workflow per item, each a run of its own", async () => {
    const monitor = createMonitor();
    const inner = new WorkflowTemplate({
      name: "greet_one",
      steps: [{ id: "say", toolName: "say", parameters: { who: "{{who}}" } }],
      outputs: { said: "{{say}}" },
    });
    const template = new WorkflowTemplate({
      name: "greet_all",
      steps: [
        {
          id: "each",
          toolName: "execute_workflow",
          forEach: "{{people}}",
          parameters: { workflow: inner.toJSON(), context: { who: "{{item}}" } },
        },
      ],
      outputs: { all: "{{each}}" },
    });
    const executor = engine.executor({ monitor, tools: { say: (p) => `hi ${p.who as string}` } });
    const result = await executor.execute(template, new WorkflowContext({ people: ["ada", "alan"] }));
    expect(result.outputs).toEqual({ all: [{ said: "hi ada" }, { said: "hi alan" }] });
    expect(
      monitor.toolCallLog
        .filter((r) => r.toolName === "say")
        .map((r) => r.executionId)
        .sort(),
    ).toEqual([`${result.runId}/each[0]`, `${result.runId}/each[1]`]);
  });
}

// Map steps (DESIGN §9): `forEach` runs a step's tool once per item of a list, items scheduled by the run's own queue.
import { describe, expect, it } from "vitest";
import {
  createMonitor,
  FileJournalStore,
  WorkflowContext,
  WorkflowExecutor,
  WorkflowTemplate,
  WorkflowValidationError,
  type ExecutionEvent,
  type JsonValue,
  type WorkflowStepOptions as StepInput,
  type ToolContext,
} from "toolweave";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

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

describe("map steps", () => {
  it("runs the tool once per item, binds item and index, and keeps item order whatever order items finish in", async () => {
    const calls: { params: Record<string, unknown>; item: number | undefined; key: string }[] = [];
    const executor = new WorkflowExecutor({
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
    const executor = new WorkflowExecutor({ tools: { echo: (p) => p.text } });
    const result = await executor.execute(template, new WorkflowContext({ people: ["ada", "alan"] }));
    expect(result.outputs).toEqual({ all: ["hi ada (0)", "hi alan (1)"] });
  });

  it("completes with [] for an empty list, without calling the tool, and the fan-in step runs", async () => {
    let deployed = 0;
    const executor = new WorkflowExecutor({
      tools: { list: () => ({ regions: [] }), deploy: () => ++deployed, report: (p) => ({ count: (p.all as unknown[]).length }) },
    });
    const result = await executor.execute(regions({}, { parameters: { all: "{{deploy}}" } }), new WorkflowContext());
    expect(result.status).toBe("completed");
    expect(deployed).toBe(0);
    expect(result.outputs).toEqual({ urls: [], count: 0 });
  });

  it("fails the step when forEach is not a list, naming the placeholder and what it got; dependents are skipped", async () => {
    const executor = new WorkflowExecutor({ tools: { list: () => ({ regions: { eu: 1 } }), deploy: () => 1, report: () => 1 } });
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
    const executor = new WorkflowExecutor({
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
    expect(rolledBack).toEqual({ why: "item 1 of 3 failed: quota exceeded", first: "ok-eu" });
  });

  it("counts every failed item in the message", async () => {
    const template = new WorkflowTemplate({ name: "all_fail", steps: [{ id: "s", toolName: "boom", forEach: "{{xs}}" }] });
    const executor = new WorkflowExecutor({
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
    const executor = new WorkflowExecutor({
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
    expect(retried.map((e) => (e as { item?: number }).item)).toEqual([1, 1]);
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
    const tool = async () => {
      most = Math.max(most, ++running);
      await sleep(3);
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
    await new WorkflowExecutor({ tools: { t: tool } }).execute(template(2), new WorkflowContext({ xs }));
    expect(most).toBe(3); // two items and the other step
    most = 0;
    await new WorkflowExecutor({ tools: { t: tool }, concurrency: 4 }).execute(template(), new WorkflowContext({ xs }));
    expect(most).toBe(4);
    most = 0;
    await new WorkflowExecutor({ tools: { t: tool } }).execute(template(), new WorkflowContext({ xs }));
    expect(most).toBe(13);
  });

  it("times out each item on its own", async () => {
    const template = new WorkflowTemplate({ name: "slow_item", steps: [{ id: "s", toolName: "t", forEach: "{{xs}}", timeoutMs: 30 }] });
    const executor = new WorkflowExecutor({ tools: { t: (p) => sleep(p.item === undefined ? 0 : 0).then(() => sleep(1)) } });
    const slow = new WorkflowExecutor({
      tools: { t: (_p, ctx: ToolContext) => (ctx.item === 2 ? sleep(1_000) : sleep(1)).then(() => ctx.item) },
    });
    expect((await executor.execute(template, new WorkflowContext({ xs: [1, 2] }))).status).toBe("completed");
    const result = await slow.execute(template, new WorkflowContext({ xs: [1, 2, 3] }));
    expect(result.failedSteps[0]?.error).toMatch(/^item 2 of 3 failed: .*timed out after 30 ?ms/);
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
    const executor = new WorkflowExecutor({ tools: { t: (p) => p.n } });
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
    const template = new WorkflowTemplate({ name: "hang", timeoutMs: 40, steps: [{ id: "s", toolName: "hang", forEach: "{{xs}}" }] });
    const result = await new WorkflowExecutor({ tools: { hang } }).execute(template, new WorkflowContext({ xs: [1, 2, 3] }));
    expect(result.status).toBe("cancelled");
    expect(aborted.sort()).toEqual([0, 1, 2]);

    aborted.length = 0;
    const failing = new WorkflowTemplate({ name: "fail_fast", steps: [{ id: "s", toolName: "t", forEach: "{{xs}}" }] });
    const tools = {
      t: (p: Record<string, unknown>, ctx: ToolContext) =>
        ctx.item === 1 ? sleep(5).then(() => Promise.reject(new Error("bad item"))) : hang(p, ctx),
    };
    const fast = await new WorkflowExecutor({ tools, failFast: true }).execute(failing, new WorkflowContext({ xs: [1, 2, 3] }));
    expect(fast.status).toBe("failed");
    expect(fast.failedSteps[0]?.error).toBe("item 1 of 3 failed: bad item");
    expect(aborted.sort()).toEqual([0, 2]);
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
    const executor = new WorkflowExecutor({ monitor, tools: { say: (p) => `hi ${p.who as string}` } });
    const result = await executor.execute(template, new WorkflowContext({ people: ["ada", "alan"] }));
    expect(result.outputs).toEqual({ all: [{ said: "hi ada" }, { said: "hi alan" }] });
    expect(
      monitor.toolCallLog
        .filter((r) => r.toolName === "say")
        .map((r) => r.executionId)
        .sort(),
    ).toEqual([`${result.runId}/each[0]`, `${result.runId}/each[1]`]);
  });

  it("refuses a durable run with a map step before anything is journaled, and a run on an invoker", async () => {
    const dir = mkdtempSync(join(tmpdir(), "weave-map-"));
    try {
      const template = new WorkflowTemplate({ name: "m", steps: [{ id: "s", toolName: "t", forEach: "{{xs}}" }] });
      const store = new FileJournalStore({ dir });
      const durable = new WorkflowExecutor({ tools: { t: () => 1 }, journal: store });
      await expect(durable.execute(template, new WorkflowContext({ xs: [1] }))).rejects.toThrow(
        'workflow "m" has map step "s" (forEach), which cannot run durably (with a journal, or resumed) yet',
      );
      expect(readdirSync(dir)).toEqual([]);
      const queued = new WorkflowExecutor({ tools: { t: () => 1 }, invoker: { invoke: (call) => call.tool(call.params, call.context) } });
      await expect(queued.execute(template, new WorkflowContext({ xs: [1] }))).rejects.toThrow("cannot run on workers");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("map steps in validate()", () => {
  const problems = (steps: StepInput[], inputs?: Record<string, JsonValue>): string[] => {
    try {
      new WorkflowTemplate({ name: "w", steps, ...(inputs ? { inputs } : {}) }).validate();
      return [];
    } catch (error) {
      if (!(error instanceof WorkflowValidationError)) throw error;
      return error.issues.map((i) => i.message);
    }
  };

  it.each([
    {
      name: "forEach that is not one placeholder",
      steps: [{ id: "s", toolName: "t", forEach: "{{a}}, {{b}}" }],
      says: 'the "forEach" of step "s" must be one placeholder naming a list, like "{{list.files}}", not "{{a}}, {{b}}"',
    },
    {
      name: "forEach that is plain text",
      steps: [{ id: "s", toolName: "t", forEach: "regions" }],
      says: 'the "forEach" of step "s" must be one placeholder naming a list, like "{{list.files}}", not "regions"',
    },
    {
      name: "as without forEach",
      steps: [{ id: "s", toolName: "t", as: "region" }],
      says: 'step "s" has "as", which only a map step has. add "forEach" with the list to run over, or remove "as"',
    },
    {
      name: "concurrency without forEach",
      steps: [{ id: "s", toolName: "t", concurrency: 2 }],
      says: 'step "s" has "concurrency", which only a map step has. add "forEach" with the list to run over, or remove "concurrency"',
    },
    {
      name: "an item named like a step",
      steps: [
        { id: "region", toolName: "t" },
        { id: "s", toolName: "t", forEach: "{{xs}}", as: "region" },
      ],
      says: 'step "s" names its item "region", which is also the name of a step, so "{{region}}" would be ambiguous. pick another name with "as"',
    },
    {
      name: "an item read outside a map step",
      steps: [{ id: "s", toolName: "t", parameters: { x: "{{item.name}}" } }],
      inputs: { type: "object", properties: { xs: { type: "array" } } },
      says: 'step "s" reads "{{item}}", but it is not a map step and nothing else has that name. add "forEach" to run it once per item of a list',
    },
  ])("$name", ({ steps, inputs, says }) => {
    expect(problems(steps as StepInput[], inputs as Record<string, JsonValue> | undefined)).toEqual([says]);
  });

  it("accepts an item named like nothing else, and {{item}} from a declared variable outside a map step", () => {
    expect(problems([{ id: "s", toolName: "t", forEach: "{{xs}}", as: "x", concurrency: 3, parameters: { v: "{{x}}" } }])).toEqual([]);
    expect(
      problems([{ id: "s", toolName: "t", parameters: { v: "{{item}}" } }], { type: "object", properties: { item: { type: "string" } } }),
    ).toEqual([]);
  });

  it("keeps the map fields in the template's JSON, and only on map steps", () => {
    const json = new WorkflowTemplate({
      name: "w",
      steps: [
        { id: "a", toolName: "t" },
        { id: "s", toolName: "t", forEach: "{{xs}}", as: "x", concurrency: 3 },
      ],
    }).toJSON();
    expect(json.steps[0]).not.toHaveProperty("forEach");
    expect(json.steps[1]).toMatchObject({ forEach: "{{xs}}", as: "x", concurrency: 3 });
    expect(WorkflowTemplate.fromJSON(json).steps[1]?.forEach).toBe("{{xs}}");
  });
});

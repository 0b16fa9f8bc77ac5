// Map steps (DESIGN §9) in-process: the runtime suite (suites/map-steps.ts, also run on BullMQ workers), what durable
// runs refuse, and what validate() says of a map step's mistakes.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import {
  FileJournalStore,
  WorkflowContext,
  WorkflowExecutor,
  WorkflowTemplate,
  WorkflowValidationError,
  type JsonValue,
  type WorkflowStepOptions as StepInput,
} from "toolweave";
import { inProcess } from "../../helpers/engines.js";
import { defineMapStepTests } from "./suites/map-steps.js";
import { CrashableStore } from "../journal/crash-store.js";

describe("map steps", () => defineMapStepTests(inProcess));

describe("map steps in durable runs", () => {
  const template = new WorkflowTemplate({
    name: "durable_map",
    steps: [
      { id: "deploy", toolName: "deploy", forEach: "{{regions}}", parameters: { region: "{{item}}" } },
      { id: "report", toolName: "report", dependsOn: ["deploy"], parameters: { all: "{{deploy}}" } },
    ],
    outputs: { all: "{{deploy}}", n: "{{report}}" },
  });

  it("journals each item, so a resume runs only the items that did not complete", async () => {
    const dir = mkdtempSync(join(tmpdir(), "weave-map-"));
    try {
      const store = new FileJournalStore({ dir });
      const calls: string[] = [];
      const flaky = new WorkflowExecutor({
        tools: {
          deploy: (p) => {
            calls.push(p.region as string);
            if (p.region === "us") throw new Error("quota exceeded");
            return `ok-${p.region as string}`;
          },
          report: (p) => (p.all as unknown[]).length,
        },
      });
      const first = await flaky.execute(template, new WorkflowContext({ regions: ["eu", "us", "ap"] }), undefined, {
        runId: "m1",
        journal: store,
      });
      expect(first.status).toBe("failed");
      expect(first.failedSteps[0]?.error).toBe("item 1 of 3 failed: quota exceeded");
      const records = (await store.read("m1")).records;
      expect(records.filter((r) => r.type === "done").map((r) => [(r as { step: string }).step, (r as { item?: number }).item])).toEqual([
        ["deploy", 0],
        ["deploy", 2],
      ]);

      calls.length = 0;
      const fixed = new WorkflowExecutor({
        tools: {
          deploy: (p) => {
            calls.push(p.region as string);
            return `ok-${p.region as string}`;
          },
          report: (p) => (p.all as unknown[]).length,
        },
      });
      const resumed = await fixed.resume("m1", { journal: store });
      expect(resumed.status).toBe("completed");
      expect(calls).toEqual(["us"]);
      expect(resumed.outputs).toEqual({ all: ["ok-eu", "ok-us", "ok-ap"], n: 3 });

      // completed as a whole, the map step comes back whole: nothing runs
      calls.length = 0;
      const again = await fixed.resume("m1", { journal: store });
      expect(again.outputs).toEqual(resumed.outputs);
      expect(calls).toEqual([]);
      expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("map steps in a durable run that crashed", () => {
  it("runs again only the items that were in flight when the process stopped", async () => {
    const dir = mkdtempSync(join(tmpdir(), "weave-map-crash-"));
    try {
      const store = new CrashableStore(dir);
      const template = new WorkflowTemplate({
        name: "crash_map",
        steps: [{ id: "each", toolName: "t", forEach: "{{xs}}", parameters: { x: "{{item}}" } }],
        outputs: { all: "{{each}}" },
      });
      // item 1 never answers in the first session
      const first = new WorkflowExecutor({ tools: { t: (p) => (p.x === "b" ? new Promise(() => undefined) : `${p.x as string}!`) } });
      void first.execute(template, new WorkflowContext({ xs: ["a", "b", "c"] }), undefined, { runId: "crash-1", journal: store });
      await vi.waitFor(() => expect(store.written.filter((r) => r.type === "done")).toHaveLength(2));
      await store.crash();

      const calls: unknown[] = [];
      const result = await new WorkflowExecutor({
        tools: {
          t: (p, ctx) => {
            calls.push([p.x, ctx.item, ctx.idempotencyKey]);
            return `${p.x as string}!`;
          },
        },
      }).resume("crash-1", { journal: store.inner });
      expect(result.status).toBe("completed");
      expect(calls).toEqual([["b", 1, "crash-1:each[1]"]]);
      expect(result.outputs).toEqual({ all: ["a!", "b!", "c!"] });
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

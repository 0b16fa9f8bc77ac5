// Map steps (DESIGN §9) in-process: the runtime suite (suites/map-steps.ts, also run on BullMQ workers), what durable
// runs refuse, and what validate() says of a map step's mistakes.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
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

describe("map steps", () => defineMapStepTests(inProcess));

describe("map steps and durable runs", () => {
  it("refuses a durable run with a map step before anything is journaled", async () => {
    const dir = mkdtempSync(join(tmpdir(), "weave-map-"));
    try {
      const template = new WorkflowTemplate({ name: "m", steps: [{ id: "s", toolName: "t", forEach: "{{xs}}" }] });
      const store = new FileJournalStore({ dir });
      const durable = new WorkflowExecutor({ tools: { t: () => 1 }, journal: store });
      await expect(durable.execute(template, new WorkflowContext({ xs: [1] }))).rejects.toThrow(
        'workflow "m" has map step "s" (forEach), which cannot run durably (with a journal, or resumed) yet',
      );
      expect(readdirSync(dir)).toEqual([]);
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

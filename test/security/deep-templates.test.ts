/**
 * Templates nested thousands of levels deep (issue 12, item 13). Every recursive walk over a template (zod's parse,
 * compiling placeholders, canonical JSON, JSON Schema walks, the JSON tree a library file's problems are located
 * with, the JSON error locator) overflows the stack somewhere past ~1,300 levels, which surfaced as "internal error".
 * Templates are bounded at 256 levels where they are accepted (fromJSON, the library file, a template built in
 * code), with a validation error naming the path where the bound is passed, before any of those walks runs.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  LibraryFileError,
  WorkflowContext,
  WorkflowExecutor,
  WorkflowLibrary,
  WorkflowTemplate,
  WorkflowValidationError,
  type TemplateData,
} from "toolweave";
import { findJsonErrorOffset } from "../../src/util/json-location.js";

/** The bound (src/util/json-depth.ts's MAX_TEMPLATE_DEPTH), spelled out: the tests say what users get. */
const MAX_TEMPLATE_DEPTH = 256;

let dir = "";
beforeAll(async () => void (dir = await mkdtemp(join(tmpdir(), "weave-deep-"))));
afterAll(() => rm(dir, { recursive: true, force: true }));

/** `{"d":{"d":...1...}}`, `levels` objects, as text (JSON.stringify itself overflows on such values). */
const deepText = (levels: number): string => `${'{"d":'.repeat(levels)}1${"}".repeat(levels)}`;
const templateText = (levels: number): string =>
  `{"name":"deep","steps":[{"id":"a","toolName":"t","parameters":{"p":${deepText(levels)}}}]}`;
/** The path where a template with `levels` objects under parameters.p passes the bound. */
const limitPath = (): string => `steps[0].parameters.p${".d".repeat(MAX_TEMPLATE_DEPTH - 4)}`;

function validationError(fn: () => unknown): WorkflowValidationError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(WorkflowValidationError);
    return error as WorkflowValidationError;
  }
  throw new Error("expected a WorkflowValidationError");
}

describe("WorkflowTemplate.fromJSON: at most 256 levels", () => {
  it.each([1_300, 5_000, 100_000])(
    "parameters %i levels deep: a validation error at the path where level 257 starts, no stack overflow",
    (levels) => {
      const error = validationError(() => WorkflowTemplate.fromJSON(JSON.parse(templateText(levels))));
      expect(error.workflowName).toBe("deep");
      expect(error.issues).toHaveLength(1);
      const [issue] = error.issues;
      // template (1), steps (2), the step (3), parameters (4), p (5), then d after d: level 257 is d number 252
      expect(issue!.path).toEqual(["steps", 0, "parameters", "p", ...Array.from({ length: MAX_TEMPLATE_DEPTH - 4 }, () => "d")]);
      expect(issue!.message).toMatch(
        /^nested too deeply: a template may nest objects and arrays at most 256 levels deep, and this value is level 257\. flatten it/,
      );
      expect(error.message).toContain(`${limitPath()}: nested too deeply`);
    },
  );

  it("a template exactly 256 levels deep is accepted and runs", async () => {
    const template = WorkflowTemplate.fromJSON(JSON.parse(templateText(MAX_TEMPLATE_DEPTH - 4)));
    const result = await new WorkflowExecutor({ tools: { t: () => ({ ok: true }) } }).execute(template, new WorkflowContext());
    expect(result.status).toBe("completed");
  });

  it("inputs, outputs and an embedded sub-workflow are bounded the same way", () => {
    const deep = JSON.parse(deepText(300)) as unknown;
    for (const [field, json] of [
      ["inputs", { name: "w", inputs: { p: deep }, steps: [{ id: "a", toolName: "t" }] }],
      ["outputs", { name: "w", outputs: { p: deep }, steps: [{ id: "a", toolName: "t" }] }],
      [
        "steps",
        {
          name: "w",
          steps: [
            {
              id: "a",
              toolName: "execute_workflow",
              parameters: { workflow: { name: "inner", steps: [{ id: "b", toolName: "t", parameters: { p: deep } }] } },
            },
          ],
        },
      ],
    ] as const) {
      const error = validationError(() => WorkflowTemplate.fromJSON(json));
      expect(error.issues[0]!.path[0]).toBe(field);
      expect(error.issues[0]!.path).toHaveLength(MAX_TEMPLATE_DEPTH);
    }
  });

  it("a chain of 63 embedded sub-workflows (the executor's own bound is 64) still fits", () => {
    let inner: Record<string, unknown> = { name: "w63", steps: [{ id: "leaf", toolName: "leaf" }] };
    for (let i = 62; i >= 0; i--)
      inner = { name: `w${i}`, steps: [{ id: "call", toolName: "execute_workflow", parameters: { workflow: inner } }] };
    expect(() => WorkflowTemplate.fromJSON(inner as unknown as TemplateData)).not.toThrow();
  });
});

describe("a template built in code: the same bound when it is validated or run", () => {
  it("parameters 5,000 levels deep: validate() and execute() report the path, no stack overflow", async () => {
    const template = new WorkflowTemplate({
      name: "code",
      steps: [{ id: "a", toolName: "t", parameters: { p: JSON.parse(deepText(5_000)) } }],
    });
    const error = validationError(() => template.validate());
    expect(error.issues.map((i) => [i.stepId, i.path.length])).toEqual([["a", MAX_TEMPLATE_DEPTH]]);
    await expect(new WorkflowExecutor({ tools: { t: () => ({}) } }).execute(template, new WorkflowContext())).rejects.toBeInstanceOf(
      WorkflowValidationError,
    );
  });

  it("parameters that refer to themselves (a cycle nests without end): the same error, not a stack overflow", () => {
    const cyclic: Record<string, unknown> = { name: "c" };
    cyclic.self = cyclic;
    const template = new WorkflowTemplate({ name: "code", steps: [{ id: "a", toolName: "t", parameters: { p: cyclic as never } }] });
    const error = validationError(() => template.validate());
    expect(error.issues.map((i) => [i.stepId, i.path.slice(0, 6)])).toEqual([["a", ["steps", 0, "parameters", "p", "self", "self"]]]);
  });

  it("outputs and inputs 5,000 levels deep too", () => {
    const deep = JSON.parse(deepText(5_000)) as never;
    for (const [field, options] of [
      ["outputs", { outputs: { o: deep } }],
      ["inputs", { inputs: { i: deep } }],
    ] as const) {
      const template = new WorkflowTemplate({ name: "code", steps: [{ id: "a", toolName: "t" }], ...options });
      const error = validationError(() => template.validate());
      expect(error.issues.map((i) => [i.path[0], i.path.length])).toEqual([[field, MAX_TEMPLATE_DEPTH]]);
    }
  });
});

describe("WorkflowLibrary.loadFromDisk: a deep workflow is a located LibraryFileError", () => {
  it("5,000 levels: the file, the workflow, the path, the line and column of the value where the bound is passed", async () => {
    const file = join(dir, "deep-library.json");
    const text = `{"version":1,"workflows":[\n${templateText(5_000)}]}`;
    await writeFile(file, text);
    const library = new WorkflowLibrary();
    const error = await library.loadFromDisk(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LibraryFileError);
    const [issue] = (error as LibraryFileError).issues;
    expect(issue).toMatchObject({ code: "invalid_workflow", workflow: "deep", line: 2 });
    expect(issue!.path).toEqual(["workflows", 0, ...(issue!.templateIssue!.path as (string | number)[])]);
    // the column of the key "d" that holds the first object past the bound: in object number 252 of the chain
    const line = text.split("\n")[1]!;
    const object252 = line.indexOf('{"d":') + (MAX_TEMPLATE_DEPTH - 5) * '{"d":'.length;
    expect(issue!.column).toBe(object252 + 2);
    expect(line.slice(issue!.column! - 2, issue!.column! + 3)).toBe('{"d":');
    expect((error as Error).message).toContain("nested too deeply");
    expect(library.listAll().every((w) => library.isBuiltin(w.name))).toBe(true);
  });
});

describe("the JSON error locator", () => {
  it("locates the end of a text truncated 100,000 levels deep without overflowing the stack", () => {
    const text = `{"name":"x","steps":[{"p":${"[".repeat(100_000)}`;
    expect(findJsonErrorOffset(text)).toBe(text.length);
    expect(findJsonErrorOffset(`${"[".repeat(100_000)}1,]${"]".repeat(99_999)}`)).toBe(100_002);
    expect(findJsonErrorOffset(`${"[".repeat(100_000)}${"]".repeat(100_000)}`)).toBe(-1);
  });
});

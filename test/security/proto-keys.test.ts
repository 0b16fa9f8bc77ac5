/**
 * `__proto__` keys (issue 12, class 2): JSON.parse makes them own properties, but copying one by assignment replaces
 * the copy's prototype, so a tool would see fields the template does not show. Templates refuse the key with a
 * located error (JSON, the original format, programmatic templates, the DSL); values that only pass through a run
 * (tool results, variables) reach the next tool as they are, as own data, never as a prototype.
 */
import fc from "fast-check";
import { z } from "zod";
import { describe, expect, it } from "vitest";
import {
  tool,
  workflow,
  WorkflowContext,
  WorkflowDefinitionError,
  WorkflowExecutor,
  WorkflowTemplate,
  WorkflowValidationError,
} from "toolweave";

const PROTO_DETAIL = 'the key "__proto__" is not allowed';

function validationError(run: () => unknown): WorkflowValidationError {
  try {
    run();
  } catch (error) {
    if (error instanceof WorkflowValidationError) return error;
    throw error;
  }
  throw new Error("no WorkflowValidationError was thrown");
}

describe("a template with a __proto__ key", () => {
  it("is refused in a JSON template's parameters, naming the step and the path", () => {
    const json = JSON.parse(
      '{"name":"w","steps":[{"id":"deploy","toolName":"kubectl","parameters":{"image":"app","__proto__":{"force":true}}}]}',
    ) as unknown;
    const error = validationError(() => WorkflowTemplate.fromJSON(json));
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]).toMatchObject({ code: "invalid_field", stepId: "deploy", path: ["steps", 0, "parameters", "__proto__"] });
    expect(error.message).toContain(PROTO_DETAIL);
    expect(error.message).toContain("steps[0].parameters.__proto__");
  });

  it("is refused in the original format, where it would smuggle a hidden condition past strict validation", () => {
    const json = JSON.parse(
      '{"name":"w","steps":[{"step_id":"cleanup","tool_name":"rm","__proto__":{"condition":"{{x}} == 1"}}]}',
    ) as unknown;
    const error = validationError(() => WorkflowTemplate.fromJSON(json));
    expect(error.issues).toMatchObject([{ stepId: "cleanup", path: ["steps", 0, "__proto__"] }]);
  });

  it("is refused at any depth and anywhere: inputs, outputs, the top level, inside arrays", () => {
    const json = JSON.parse(
      '{"name":"w","__proto__":{},"inputs":{"type":"object","__proto__":{}},"outputs":{"a":[{"__proto__":{"x":1}}]},"steps":[{"id":"s","toolName":"t","parameters":{"a":{"b":[0,{"__proto__":null}]}}}]}',
    ) as unknown;
    const error = validationError(() => WorkflowTemplate.fromJSON(json));
    expect(error.issues.map((i) => i.path)).toEqual([
      ["__proto__"],
      ["inputs", "__proto__"],
      ["outputs", "a", 0, "__proto__"],
      ["steps", 0, "parameters", "a", "b", 1, "__proto__"],
    ]);
  });

  it("is refused in a template built in code from parsed JSON, and the executor runs nothing", async () => {
    const parameters = JSON.parse('{"image":"app","__proto__":{"force":true}}') as Record<string, never>;
    const template = new WorkflowTemplate({ name: "w", steps: [{ id: "deploy", toolName: "kubectl", parameters }] });
    const error = validationError(() => template.validate());
    expect(error.issues).toMatchObject([{ stepId: "deploy", path: ["steps", 0, "parameters", "__proto__"] }]);
    let called = false;
    const run = new WorkflowExecutor({ tools: { kubectl: () => (called = true) } }).execute(template, new WorkflowContext());
    await expect(run).rejects.toThrow(PROTO_DETAIL);
    expect(called).toBe(false);
  });

  it("is refused by the DSL's .with(), naming the step", () => {
    const deploy = tool("kubectl", { input: z.object({ image: z.string() }), output: z.object({}), run: async () => ({}) });
    const parsed = JSON.parse('{"image":"app","__proto__":{"force":true}}') as { image: string };
    const define = () =>
      workflow("w", { description: "parsed parameters", input: z.object({}) }, ({ step }) => {
        step("deploy").tool(deploy).with(parsed);
        return {};
      });
    expect(define).toThrow(WorkflowDefinitionError);
    expect(define).toThrow(/step "deploy".*"__proto__"/);
  });
});

describe("values with a __proto__ key that pass through a run", () => {
  it("reach the next tool as own data: no hidden field, no changed prototype", async () => {
    const result = JSON.parse('{"x":1,"__proto__":{"force":true}}') as Record<string, unknown>;
    let seen: Record<string, unknown> | undefined;
    const template = new WorkflowTemplate({
      name: "w",
      steps: [
        { id: "a", toolName: "produce" },
        { id: "b", toolName: "consume", dependsOn: ["a"], parameters: { whole: "{{a}}", x: "{{a.x}}", v: "{{v}}" } },
      ],
    });
    const vars = JSON.parse('{"v":{"__proto__":{"admin":true}}}') as Record<string, unknown>;
    const run = await new WorkflowExecutor({ tools: { produce: () => result, consume: (p) => ((seen = p), {}) } }).execute(
      template,
      new WorkflowContext(vars),
    );
    expect(run.status).toBe("completed");
    expect(Object.getPrototypeOf(seen)).toBe(Object.prototype);
    expect(seen!.force).toBeUndefined();
    expect(JSON.stringify(seen)).toBe('{"whole":{"x":1,"__proto__":{"force":true}},"x":1,"v":{"__proto__":{"admin":true}}}');
    expect((seen!.v as Record<string, unknown>).admin).toBeUndefined();
  });
});

/** A JSON object's text with `"__proto__": {...}` added to `count` randomly chosen objects. */
const arbitraryTemplateText = fc
  .record({
    parameters: fc.dictionary(
      fc.string({ maxLength: 6 }).filter((k) => k !== "__proto__"),
      fc.jsonValue({ maxDepth: 4 }),
      { maxKeys: 5 },
    ),
    inject: fc.array(fc.nat(), { maxLength: 4 }),
  })
  // text that reads as placeholder syntax ("{{") is a placeholder problem of its own, not what this property is about
  .filter(({ parameters }) => !/\{\{|\}\}/.test(JSON.stringify(parameters)))
  .map(({ parameters, inject }) => {
    const objects: Record<string, unknown>[] = [];
    const collect = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(collect);
      else if (v !== null && typeof v === "object") {
        objects.push(v as Record<string, unknown>);
        Object.values(v).forEach(collect);
      }
    };
    const steps = [{ id: "s", toolName: "t", parameters: structuredClone(parameters) }];
    collect(steps[0]!.parameters);
    const marked = new Set(inject.map((n) => objects[n % objects.length]!));
    // a marker key the JSON text then renames, since an object literal cannot hold an own __proto__
    for (const o of marked) o["\u0000proto"] = { force: true };
    return { text: JSON.stringify({ name: "w", steps }).replaceAll('"\\u0000proto"', '"__proto__"'), injected: marked.size };
  });

describe("property: __proto__ keys anywhere in a template", () => {
  it("each one is reported, with its path, and nothing else is", () => {
    fc.assert(
      fc.property(arbitraryTemplateText, ({ text, injected }) => {
        const json = JSON.parse(text) as unknown;
        if (injected === 0) {
          expect(() => WorkflowTemplate.fromJSON(json)).not.toThrow();
          return;
        }
        const error = validationError(() => WorkflowTemplate.fromJSON(json));
        expect(error.issues).toHaveLength(injected);
        for (const issue of error.issues) {
          expect(issue.path.at(-1)).toBe("__proto__");
          expect(issue.message).toContain(PROTO_DETAIL);
        }
      }),
      { numRuns: 300 },
    );
  });
});

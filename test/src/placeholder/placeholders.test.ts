import { describe, expect, it } from "vitest";
import { WorkflowContext, UnresolvedReferenceError, PlaceholderSyntaxError, WorkflowExecutor, WorkflowTemplate } from "toolweave";
import { compileCollecting, compileValue, parseText, renderText, type PlaceholderIssue } from "../../../src/placeholder/placeholders.js";

const ctx = () => {
  const c = new WorkflowContext({
    source_url: "s3://in",
    base_path: "/data",
    process_id: 42,
    config: { batch_size: 100 },
    timeout_seconds: 30,
    replicas: 3,
    flags: ["a", "b"],
  });
  c.setResult("list_issues", { issue_id: 17, issue_description: "crash on start", items: [{ id: "x1" }, { id: "x2", tags: ["p0"] }] });
  c.setResult("deploy", { status: { config: { replicas: 5 } }, success: "custom" });
  c.declareSteps(new Set(["list_issues", "deploy", "later"]));
  return c;
};

describe("substitution", () => {
  it("handles the guide's dynamic parameters example", () => {
    expect(
      ctx().substitute({
        input: "{{source_url}}",
        output: "{{base_path}}/{{process_id}}.json",
        config: { batch_size: "{{config.batch_size}}", timeout: "{{timeout_seconds}}" },
      }),
    ).toEqual({ input: "s3://in", output: "/data/42.json", config: { batch_size: 100, timeout: 30 } });
  });

  it.each([
    ["{{replicas}}", 3],
    ["{{ replicas }}", 3],
    ["{{flags}}", ["a", "b"]],
    ["{{config}}", { batch_size: 100 }],
    ["{{list_issues.issue_id}}", 17],
    ["{{list_issues.items[1].tags[0]}}", "p0"],
    ["{{deploy.status.config.replicas}}", 5],
    ["Fix issue {{list_issues.issue_id}}", "Fix issue 17"],
    ["{{config}} / {{flags}}", '{"batch_size":100} / ["a","b"]'],
    ["{{list_issues.items[0].id}}-{{list_issues.items[1].id}}", "x1-x2"],
    ["no placeholders", "no placeholders"],
  ])("%s → %j", (template, expected) => {
    expect(ctx().substitute(template)).toEqual(expected);
  });

  it("keeps non-string values and nested structures", () => {
    expect(ctx().substitute([1, true, null, { a: ["{{replicas}}"] }])).toEqual([1, true, null, { a: [3] }]);
  });

  it("reads step facts from the result when it has them, else from the engine", () => {
    const c = ctx();
    c.setResult("plain", "just text");
    c.setError("broken", "boom");
    c.setSkipped("skipped", 'dependency "broken" failed');
    c.declareSteps(new Set(["plain", "broken", "skipped", "deploy"]));
    expect(c.substitute("{{plain.success}}")).toBe(true);
    expect(c.substitute("{{plain.error}}")).toBeNull();
    expect(c.substitute("{{deploy.success}}")).toBe("custom");
    expect(c.substitute("{{broken.success}}")).toBe(false);
    expect(c.substitute("{{broken.error}}")).toBe("boom");
    expect(c.substitute("{{skipped.success}}")).toBe(false);
    expect(c.substitute("{{skipped.error}}")).toBe('dependency "broken" failed');
  });
});

describe("strict errors name the placeholder", () => {
  it.each([
    ["{{nope}}", '"{{nope}}": no variable or step named "nope". variables are "source_url", "base_path"'],
    ["{{later.url}}", 'step "later" has not finished yet. add "later" to dependsOn'],
    [
      "{{list_issues.missing}}",
      'step "list_issues" completed, but its result at "missing": no field "missing". fields are "issue_id", "issue_description", "items"',
    ],
    ["{{list_issues.items[5]}}", "index 5 is out of range (length 2)"],
    ["{{replicas.x}}", 'variable "replicas" at "x": a number has no fields'],
    ["{{config[0]}}", "an object is not an array"],
  ])("%s", (template, message) => {
    expect(() => ctx().substitute(template)).toThrowError(UnresolvedReferenceError);
    expect(() => ctx().substitute(template)).toThrowError(message);
  });

  it("never renders a missing value as an empty string inside text", () => {
    expect(() => ctx().substitute("PR: {{create_pr.pr_url}}")).toThrowError(/cannot resolve "\{\{create_pr.pr_url\}\}"/);
  });

  it("says which step failed when its result is read", () => {
    const c = ctx();
    c.setError("build", "exit 1");
    expect(() => c.substitute("{{build.image_id}}")).toThrowError('step "build" failed (exit 1), so it has no result');
  });

  it("never follows the prototype chain", () => {
    const c = new WorkflowContext({ obj: {} });
    expect(() => c.substitute("{{obj.toString}}")).toThrowError(/no field "toString"/);
    expect(() => c.substitute("{{obj.hasOwnProperty}}")).toThrowError(UnresolvedReferenceError);
  });
});

describe("syntax", () => {
  it.each([
    ["{{a.__proto__}}", 4, '"__proto__" is not allowed'],
    ["x {{a.constructor.name}}", 6, '"constructor" is not allowed'],
    ["{{prototype}}", 2, '"prototype" is not allowed'],
    ["{{}}", 0, "empty placeholder"],
    ["ok {{a", 3, "unterminated placeholder"],
    ["{{a[x]}}", 4, "while parsing index"],
    ["{{a..b}}", 4, "expecting a name"],
    ["{{a b}}", 3, 'unexpected " "'],
    ["{{1a}}", 2, 'unexpected "1"'],
  ])("%s is an error at offset %i", (text, offset, message) => {
    let error: unknown;
    try {
      parseText(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PlaceholderSyntaxError);
    expect((error as PlaceholderSyntaxError).offset).toBe(offset);
    expect((error as PlaceholderSyntaxError).message).toContain(message);
  });

  it("parses each value once into a plan; values without placeholders stay as they are", () => {
    const value = { a: [1, 2], b: { c: "plain" } };
    const plan = compileValue(value);
    expect(plan).toEqual({ kind: "constant", value });
    expect(compileValue("{{x}}")).toMatchObject({ kind: "reference", ref: { root: "x", path: [] } });
    expect(compileValue("id {{x.items[0]}}")).toMatchObject({ kind: "text", parts: ["id ", { root: "x", path: ["items", 0] }] });
  });

  it("collects every malformed placeholder in one pass, each at its path; compileValue throws the first", () => {
    const value = { a: "{{ok}}", b: ["x", "{{bad.}}", { c: "{{}}" }], d: "{{open", e: "{{a}} and {{b..}} and {{c.}}" };
    const issues: PlaceholderIssue[] = [];
    const plan = compileCollecting(value, ["steps", 0, "parameters"], issues);
    expect(issues.map((i) => [i.path, i.error.offset])).toEqual([
      [["steps", 0, "parameters", "b", 1], 6],
      [["steps", 0, "parameters", "b", 2, "c"], 0],
      [["steps", 0, "parameters", "d"], 0],
      [["steps", 0, "parameters", "e"], 14],
    ]);
    expect(plan).toMatchObject({ kind: "object" });
    expect(() => compileValue(value)).toThrowError(issues[0]!.error.message);
    const clean: PlaceholderIssue[] = [];
    expect(compileCollecting({ a: ["{{x.y[2]}}"] }, [], clean)).toEqual(compileValue({ a: ["{{x.y[2]}}"] }));
    expect(clean).toEqual([]);
  });

  it("accepts step ids with dashes", () => {
    const c = new WorkflowContext();
    c.setResult("deploy-us", { url: "u" });
    expect(c.substitute("{{deploy-us.url}}")).toBe("u");
  });
});

describe("getResult", () => {
  it("returns the whole result, a nested field or an item", () => {
    const c = ctx();
    expect(c.getResult("deploy", "status.config.replicas")).toBe(5);
    expect(c.getResult("list_issues", "items[0]")).toEqual({ id: "x1" });
    expect(c.getResult("list_issues", "items[1].tags[0]")).toBe("p0");
    expect(c.getResult("list_issues")).toMatchObject({ issue_id: 17 });
    expect(c.getResult("list_issues", "nope")).toBeUndefined();
    expect(c.getResult("ghost")).toBeUndefined();
  });

  it("records errors", () => {
    const c = new WorkflowContext();
    c.setError("a", "boom");
    expect(c.getError("a")).toBe("boom");
    expect(c.getError("b")).toBeUndefined();
  });
});

// issue 12: a tool's result nested thousands of levels deep, embedded in text, used to fail its step with
// "Maximum call stack size exceeded" (JSON.stringify recurses); it is written whole, without recursion.
describe("text of a value nested deeper than JSON.stringify can follow", () => {
  const nested = (levels: number, inner: unknown, wrap: (v: unknown) => unknown): unknown => {
    let value = inner;
    for (let i = 0; i < levels; i++) value = wrap(value);
    return value;
  };

  it("renders a 20,000-deep array, and a deep object, exactly as JSON.stringify would with stack enough", () => {
    expect(renderText(nested(20_000, [], (v) => [v]))).toBe(`${"[".repeat(20_001)}${"]".repeat(20_001)}`);
    const deep = nested(20_000, { leaf: [1, "two", null, true], skipped: undefined, when: new Date(0) }, (v) => ({ d: v, n: 1.5 }));
    expect(renderText(deep)).toBe(
      `${'{"d":'.repeat(20_000)}{"leaf":[1,"two",null,true],"when":"1970-01-01T00:00:00.000Z"}${',"n":1.5}'.repeat(20_000)}`,
    );
  });

  it("a step reads it in text: the run completes and the tool gets the whole text", async () => {
    const deep = nested(20_000, [], (v) => [v]);
    let got: unknown;
    const template = WorkflowTemplate.fromJSON({
      name: "deep_text",
      steps: [
        { id: "a", toolName: "deep", parameters: {} },
        { id: "b", toolName: "echo", parameters: { text: "x {{a}}" }, dependsOn: ["a"] },
      ],
    });
    const tools = { deep: () => deep, echo: (p: Record<string, unknown>) => ((got = p.text), { ok: true }) };
    const result = await new WorkflowExecutor({ tools }).execute(template, new WorkflowContext({}));
    expect(result.error).toBeUndefined();
    expect(result.status).toBe("completed");
    expect(got).toBe(`x ${"[".repeat(20_001)}${"]".repeat(20_001)}`);
  });

  it("what JSON cannot hold, deep down, is a TypeError naming where, not a stack overflow", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => renderText(nested(20_000, cyclic, (v) => [v]))).toThrowError(
      new TypeError(`cannot write the value as JSON text: it holds a value that contains itself (a cycle) at ${"[0]".repeat(20_000)}.self`),
    );
    expect(() => renderText(nested(20_000, 1n, (v) => ({ d: v })))).toThrowError(
      /^cannot write the value as JSON text: it holds a BigInt at d(\.d)+$/,
    );
  });
});

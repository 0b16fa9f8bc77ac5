import { describe, expect, it } from "vitest";
import { readJsonTarget } from "../../compiler/json-target.js";

const read = (text: string) => {
  const { target, diagnostics } = readJsonTarget("t.json", text);
  return { target: target!, diagnostics };
};
/** The text a span covers. */
const covered = (text: string, span: { start: { offset: number }; end: { offset: number } }) =>
  text.slice(span.start.offset, span.end.offset);

describe("readJsonTarget", () => {
  it("reads a template in the current format, with inputs from inputs.properties", () => {
    const text =
      '{"name": "w", "inputs": {"type": "object", "properties": {"image": {}, "env": {}}}, "steps": [{"id": "a", "toolName": "t"}]}';
    const { target, diagnostics } = read(text);
    expect(diagnostics).toEqual([]);
    expect(target.origin).toBe("json");
    expect(target.tools).toBeUndefined();
    expect([...target.inputs!]).toEqual(["image", "env"]);
    expect(target.template).toEqual(JSON.parse(text));
  });

  it("leaves inputs unknown when the template has none", () => {
    expect(read('{"name": "w", "steps": []}').target.inputs).toBeUndefined();
  });

  it("reports a syntax error at its exact position, with no target", () => {
    const text = '{\n  "name": "w",\n  "steps": [1 2]\n}';
    const { target, diagnostics } = readJsonTarget("t.json", text);
    expect(target).toBeUndefined();
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({
      ruleId: "invalid-template",
      severity: "error",
      message: 'invalid JSON: unexpected "2". expecting ","',
    });
    expect(diagnostics[0]!.span.start).toEqual({ line: 3, column: 15, offset: 31 });
  });

  it("locates value nodes, falling back to the nearest existing ancestor", () => {
    const text = '{"name": "w", "steps": [{"id": "a", "toolName": "t", "parameters": {"x": [1, {"y": true}]}}]}';
    const { target } = read(text);
    expect(covered(text, target.locate(["steps", 0, "toolName"]))).toBe('"t"');
    expect(covered(text, target.locate(["steps", 0, "parameters", "x", 1, "y"]))).toBe("true");
    expect(covered(text, target.locate(["steps", 0, "dependsOn"]))).toBe(
      '{"id": "a", "toolName": "t", "parameters": {"x": [1, {"y": true}]}}',
    );
    expect(covered(text, target.locate(["steps", 3]))).toBe('[{"id": "a", "toolName": "t", "parameters": {"x": [1, {"y": true}]}}]');
    expect(covered(text, target.locate([]))).toBe(text);
  });

  it("takes the last of duplicate keys, as JSON.parse does", () => {
    const text = '{"name": "a", "name": "b", "steps": []}';
    const { target } = read(text);
    expect((target.template as { name: string }).name).toBe("b");
    expect(covered(text, target.locate(["name"]))).toBe('"b"');
  });

  it("narrows a string span to a range of its content, through escapes", () => {
    const text = String.raw`{"x": "a\"b\\c\u00e9 {{v}} \n{{w}}"}`;
    const { target } = read(text);
    const value = (target.template as { x: string }).x;
    const v = value.indexOf("{{v}}");
    expect(covered(text, target.locate(["x"], { start: v, end: v + 5 }))).toBe("{{v}}");
    const w = value.indexOf("{{w}}");
    expect(covered(text, target.locate(["x"], { start: w, end: w + 5 }))).toBe("{{w}}");
    expect(covered(text, target.locate(["x"], { start: 1, end: 2 }))).toBe('\\"');
    expect(covered(text, target.locate(["x"], { start: 0, end: value.length }))).toBe(text.slice(7, -2));
  });

  it("converts the original snake_case format and maps spans back to its keys", () => {
    const text =
      '{"name": "w", "metadata": {"category": "ops"}, "steps": [{"step_id": "a", "tool_name": "t", "dependencies": ["b"], "max_retries": 2, "retry_delay": 0.5, "timeout_seconds": 5}]}';
    const { target } = read(text);
    expect(target.template).toMatchObject({
      category: "ops",
      steps: [{ id: "a", toolName: "t", dependsOn: ["b"], maxRetries: 2, retryDelayMs: 500, timeoutMs: 5000 }],
    });
    const at = (path: (string | number)[]) => covered(text, target.locate(path));
    expect(at(["steps", 0, "id"])).toBe('"a"');
    expect(at(["steps", 0, "toolName"])).toBe('"t"');
    expect(at(["steps", 0, "dependsOn", 0])).toBe('"b"');
    expect(at(["steps", 0, "maxRetries"])).toBe("2");
    expect(at(["steps", 0, "retryDelayMs"])).toBe("0.5");
    expect(at(["steps", 0, "timeoutMs"])).toBe("5");
    expect(at(["category"])).toBe('"ops"');
  });
});

describe("readJsonTarget on a file nested deeper than the JSON reader can follow", () => {
  it("reports the deepest point as invalid JSON instead of overflowing the call stack", () => {
    const depth = 100_000;
    const text = `{"name": "w", "steps": [{"id": "a", "toolName": "t", "parameters": ${'{"x": '.repeat(depth)}1${"}".repeat(depth)}}]}`;
    const { target, diagnostics } = readJsonTarget("t.json", text);
    expect(target).toBeUndefined();
    expect(diagnostics.map((d) => [d.ruleId, d.message, d.span.start.offset])).toEqual([
      [
        "invalid-template",
        `invalid JSON: nested ${depth + 3} levels deep here, deeper than the JSON reader can follow. flatten the values`,
        text.lastIndexOf("{"),
      ],
    ]);
  });
});

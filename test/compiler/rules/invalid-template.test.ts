import { describe, expect, it } from "vitest";
import { formatMessage, lintTarget } from "../../../compiler/lint-engine.js";
import rule from "../../../compiler/rules/invalid-template.js";
import { runRule, targetOf } from "./run-rule.js";

const steps = (step: string) => `{"name": "w", "steps": [${step}]}`;

runRule("invalid-template", {
  valid: [
    steps('{"id": "a", "toolName": "t"}'),
    steps('{"id": "a", "toolName": "t", "parameters": {"x": "{{a.b[0].c}} and {{ v }}"}, "maxRetries": 2, "backoff": "exponential"}'),
    // the original snake_case format is converted, not rejected
    '{"name": "w", "metadata": {"category": "ops"}, "steps": [{"step_id": "a", "tool_name": "t", "retry_delay": 0.5, "timeout_seconds": 5}]}',
    '{"name": "w", "steps": [{"id": "a", "toolName": "t"}], "outputs": {"u": "{{a.url}}"}}',
    // map steps: the item and its index are bound per item; the list's step is a dependency
    steps(
      '{"id": "l", "toolName": "t"}, {"id": "m", "toolName": "t", "dependsOn": ["l"], "forEach": "{{l.xs}}", "as": "x", "concurrency": 2, "parameters": {"v": "{{x.name}} {{index}}"}}',
    ),
  ],
  invalid: [
    {
      code: steps('{"id": "a", "toolName": 3}'),
      errors: [
        {
          messageId: "wrongType",
          data: { field: '"toolName" of step "a"', expected: "a string", actual: "3" },
          line: 1,
          column: 49,
          endLine: 1,
          endColumn: 50,
        },
      ],
    },
    {
      code: steps('{"id": "a"}'),
      errors: [{ message: '"toolName" is missing in step "a". it is required', line: 1, column: 25, endLine: 1, endColumn: 36 }],
    },
    {
      code: '{"name": "", "steps": []}',
      errors: [
        { message: '"name" must not be empty', line: 1, column: 10, endLine: 1, endColumn: 12 },
        { message: '"steps" must not be empty. a workflow needs at least one step', line: 1, column: 23, endLine: 1, endColumn: 25 },
      ],
    },
    {
      code: steps('{"id": "a", "toolName": "t", "dependson": []}'),
      errors: [
        {
          messageId: "unknownKeySuggest",
          data: { key: '"dependson"', owner: 'step "a"', suggestion: '"dependsOn"' },
          line: 1,
          column: 67,
          endLine: 1,
          endColumn: 69,
        },
      ],
    },
    {
      code: '{"name": "w", "steps": [{"id": "a", "toolName": "t", "zzz": 1}], "extra": true}',
      errors: [
        { messageId: "unknownKey", line: 1, column: 61, endLine: 1, endColumn: 62 },
        { messageId: "unknownKey", line: 1, column: 75, endLine: 1, endColumn: 79 },
      ],
    },
    {
      code: steps('{"id": "a", "toolName": "t", "maxRetries": -1, "backoff": "linear", "timeoutMs": 0}'),
      errors: [
        {
          messageId: "badValue",
          data: { field: '"maxRetries" of step "a"', problem: "must be at least 0, not -1" },
          line: 1,
          column: 68,
          endLine: 1,
          endColumn: 70,
        },
        { message: '"backoff" of step "a" must be "fixed" or "exponential", not "linear"', line: 1, column: 83, endLine: 1, endColumn: 91 },
        { message: '"timeoutMs" of step "a" must be greater than 0, not 0', line: 1, column: 106, endLine: 1, endColumn: 107 },
      ],
    },
    {
      name: "a malformed placeholder, at the exact character",
      code: steps('{"id": "a", "toolName": "t", "parameters": {"x": "pre {{a.b!c}} post"}}'),
      errors: [
        {
          message:
            'invalid placeholder in "parameters.x" of step "a": unexpected "!" while parsing reference "a.b!c". expecting ".", "[" or "}}"',
          line: 1,
          column: 84,
          endLine: 1,
          endColumn: 85,
        },
      ],
    },
    {
      name: "escapes before the placeholder are accounted for",
      code: steps('{"id": "a", "toolName": "t", "parameters": {"x": "\\"q\\" {{ a..b }}"}}'),
      errors: [{ messageId: "invalidPlaceholder", line: 1, column: 86, endLine: 1, endColumn: 87 }],
    },
    {
      code: steps('{"id": "a", "toolName": "t", "parameters": {"x": "{{open"}}'),
      errors: [
        {
          message: 'invalid placeholder in "parameters.x" of step "a": unterminated placeholder in "{{open". expecting "}}"',
          line: 1,
          column: 75,
          endLine: 1,
          endColumn: 76,
        },
      ],
    },
    {
      code: '{"name": "w", "steps": [{"id": "a", "toolName": "t"}], "outputs": {"u": "{{}}"}}',
      errors: [
        {
          message: 'invalid placeholder in "outputs.u": empty placeholder "{{}}" in "{{}}"',
          line: 1,
          column: 74,
          endLine: 1,
          endColumn: 75,
        },
      ],
    },
    { code: "[]", errors: [{ message: "the template must be an object, not an array", line: 1, column: 1, endLine: 1, endColumn: 3 }] },
    {
      code: '{"name": "w", "steps": [5]}',
      errors: [{ message: "step #1 must be an object, not 5", line: 1, column: 25, endLine: 1, endColumn: 26 }],
    },
    {
      name: "snake_case file: spans point at the original keys",
      code: '{"name": "w", "steps": [{"step_id": "a", "tool_name": 7, "retry_count": "3"}]}',
      errors: [
        { messageId: "wrongType", line: 1, column: 55, endLine: 1, endColumn: 56 },
        { message: '"maxRetries" of step "a" must be a number, not "3"', line: 1, column: 73, endLine: 1, endColumn: 76 },
      ],
    },
    {
      name: "the original format's parallel_groups is accepted and noted (info) at its value",
      code: '{"name": "w", "steps": [{"step_id": "a", "tool_name": "t"}], "parallel_groups": [["a"]]}',
      errors: [{ messageId: "ignoredParallelGroupsList", severity: "info", line: 1, column: 81, endLine: 1, endColumn: 88 }],
    },
    {
      name: "parallel_groups: null, in a file with no other key of the original format",
      code: '{"name": "w", "steps": [{"id": "a", "toolName": "t"}], "parallel_groups": null}',
      errors: [{ messageId: "ignoredParallelGroups", severity: "info", line: 1, column: 75, endLine: 1, endColumn: 79 }],
    },
    // JSON syntax errors, reported by the JSON reader under the same id
    {
      code: '{"name": "w", "steps": [{"id": "a", "toolName": "t",}]}',
      errors: [
        {
          messageId: "invalidJson",
          data: { detail: 'unexpected "}" after ",". trailing commas are not allowed' },
          line: 1,
          column: 53,
          endLine: 1,
          endColumn: 54,
        },
      ],
    },
    {
      code: '{"name": "w" "steps": []}',
      errors: [{ message: 'invalid JSON: unexpected "\\"steps\\"". expecting ","', line: 1, column: 14, endLine: 1, endColumn: 21 }],
    },
    {
      code: "",
      name: "empty file",
      errors: [{ message: "invalid JSON: unexpected end of file. expecting a value", line: 1, column: 1, endLine: 1, endColumn: 1 }],
    },
    {
      code: '{"name": "w", "steps": [{"id": "a", "toolName": "t"}]} // c',
      errors: [
        { message: 'invalid JSON: unexpected "// c". comments are not allowed in JSON', line: 1, column: 56, endLine: 1, endColumn: 60 },
      ],
    },
    {
      code: '{\n  "name": "w",\n  "steps": [\n    {"id": "a", "toolName": "t", "parameters": {"x": "line 4 {{ a. }}"}}\n  ]\n}',
      errors: [{ messageId: "invalidPlaceholder", line: 4, column: 67, endLine: 4, endColumn: 68 }],
    },
    {
      code: steps('{"id": "m", "toolName": "t", "forEach": "{{a}} and {{b}}"}'),
      errors: [
        { messageId: "notOnePlaceholder", data: { step: "m", value: '"{{a}} and {{b}}"' }, line: 1, column: 65, endLine: 1, endColumn: 82 },
      ],
    },
    {
      code: steps('{"id": "m", "toolName": "t", "forEach": "{{xs"}'),
      errors: [{ messageId: "invalidPlaceholder", line: 1, column: 66, endLine: 1, endColumn: 67 }],
    },
    {
      code: steps('{"id": "m", "toolName": "t", "as": "x"}'),
      errors: [{ messageId: "notMapStep", data: { step: "m", field: "as" }, line: 1, column: 60, endLine: 1, endColumn: 63 }],
    },
    {
      code: steps('{"id": "index", "toolName": "t"}, {"id": "m", "toolName": "t", "forEach": "{{xs}}"}'),
      errors: [
        { messageId: "itemShadows", data: { step: "m", name: "index", shadows: "step" }, line: 1, column: 99, endLine: 1, endColumn: 107 },
      ],
    },
    {
      code: '{"name": "w", "inputs": {"type": "object", "properties": {"xs": {"type": "array"}}}, "steps": [{"id": "s", "toolName": "t", "parameters": {"v": "{{item.name}}"}}]}',
      errors: [
        { messageId: "itemOutsideMap", data: { step: "s", placeholder: "{{item}}" }, line: 1, column: 145, endLine: 1, endColumn: 160 },
      ],
    },
  ],
});

describe("invalid-template on values nested deeper than the schema check can follow", () => {
  it("reports the deepest point instead of overflowing the call stack", () => {
    // built as an object: a JSON text this deep stops at the JSON reader (see json-target.test.ts)
    let value: unknown = "{{a.value}}";
    for (let i = 0; i < 100_000; i++) value = { x: value };
    const template = {
      name: "w",
      steps: [
        { id: "a", toolName: "t" },
        { id: "b", toolName: "t", dependsOn: ["a"], parameters: { deep: value } },
      ],
    };
    const { target } = targetOf('{"name": "w", "steps": []}');
    const deepTarget = { ...target!, template };
    const found = lintTarget(deepTarget).map((d) => [d.ruleId, d.message]);
    expect(found).toEqual([
      ["invalid-template", formatMessage(rule.messages.tooDeep, { field: '"parameters" of step "b"', depth: 100_003 })],
    ]);
  });
});

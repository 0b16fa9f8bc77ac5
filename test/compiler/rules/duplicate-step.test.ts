import { runRule } from "./run-rule.js";

runRule("duplicate-step", {
  valid: [
    '{"name": "w", "steps": [{"id": "a", "toolName": "t"}, {"id": "b", "toolName": "t"}]}',
    '{"name": "w", "steps": [{"id": "a", "toolName": "t"}, {"id": "A", "toolName": "t"}]}',
  ],
  invalid: [
    {
      code: '{"name": "w", "steps": [{"id": "a", "toolName": "t"}, {"id": "a", "toolName": "t"}]}',
      errors: [{ messageId: "duplicate", data: { step: "a", first: "1:32" }, line: 1, column: 62, endLine: 1, endColumn: 65 }],
    },
    {
      name: "every later copy points back at the first",
      code: '{\n  "name": "w",\n  "steps": [\n    {"id": "a", "toolName": "t"},\n    {"id": "b", "toolName": "t"},\n    {"id": "a", "toolName": "t"},\n    {"id": "a", "toolName": "t"}\n  ]\n}',
      errors: [
        {
          message: 'step id "a" is already used by the step first defined at 4:12. step ids must be unique in a workflow',
          line: 6,
          column: 12,
          endLine: 6,
          endColumn: 15,
        },
        { messageId: "duplicate", data: { step: "a", first: "4:12" }, line: 7, column: 12, endLine: 7, endColumn: 15 },
      ],
    },
    {
      name: "snake_case step_id",
      code: '{"name": "w", "steps": [{"step_id": "a", "tool_name": "t"}, {"step_id": "a", "tool_name": "t"}]}',
      errors: [{ messageId: "duplicate", data: { step: "a", first: "1:37" }, line: 1, column: 73, endLine: 1, endColumn: 76 }],
    },
  ],
});

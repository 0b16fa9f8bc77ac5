import { runRule } from "./run-rule.js";

runRule("unreferenceable-step-id", {
  valid: [
    '{"name": "w", "steps": [{"id": "build", "toolName": "t"}, {"id": "deploy-us", "toolName": "t"}, {"id": "$x", "toolName": "t"}, {"id": "_1", "toolName": "t"}, {"id": "B2", "toolName": "t"}]}',
    { name: "snake_case step_id", code: '{"name": "w", "steps": [{"step_id": "fetch_data", "tool_name": "t"}]}' },
    {
      name: "a field named constructor is fine: only the id is a placeholder root",
      code: '{"name": "w", "steps": [{"id": "a", "toolName": "t", "parameters": {"constructor": 1}}]}',
    },
  ],
  invalid: [
    {
      name: "a space",
      code: '{"name": "w", "steps": [{"id": "my step", "toolName": "t"}]}',
      errors: [
        {
          message:
            'step id "my step" cannot be named in a placeholder: it contains a space, and placeholder names have only ASCII letters, digits, "_", "$" and "-", so no later step, condition or output can read this step\'s result. rename it, e.g. to "my_step"',
          line: 1,
          column: 32,
          endLine: 1,
          endColumn: 41,
        },
      ],
    },
    {
      name: "a leading digit",
      code: '{"name": "w", "steps": [{"id": "1build", "toolName": "t"}]}',
      errors: [
        {
          messageId: "start",
          data: { step: "1build", character: "1", suggestion: "_1build" },
          line: 1,
          column: 32,
          endLine: 1,
          endColumn: 40,
        },
      ],
    },
    {
      name: "a leading dash",
      code: '{"name": "w", "steps": [{"id": "-lint", "toolName": "t"}]}',
      errors: [
        { messageId: "start", data: { step: "-lint", character: "-", suggestion: "lint" }, line: 1, column: 32, endLine: 1, endColumn: 39 },
      ],
    },
    {
      name: "a dot or a bracket: the placeholder parses, but reads into another name",
      code: '{"name": "w", "steps": [{"id": "a.b", "toolName": "t"}, {"id": "a[0]", "toolName": "t"}]}',
      errors: [
        {
          messageId: "path",
          data: { step: "a.b", placeholder: "{{a.b}}", root: "a", character: ".", suggestion: "a_b" },
          line: 1,
          column: 32,
          endLine: 1,
          endColumn: 37,
        },
        {
          messageId: "path",
          data: { step: "a[0]", placeholder: "{{a[0]}}", root: "a", character: "[", suggestion: "a_0" },
          line: 1,
          column: 64,
          endLine: 1,
          endColumn: 70,
        },
      ],
    },
    {
      name: "non-ASCII letters: named with their code point; the suggestion drops the accents",
      code: '{"name": "w", "steps": [{"id": "ünïcode", "toolName": "t"}]}',
      errors: [
        {
          messageId: "character",
          data: { step: "ünïcode", character: '"ü" (U+00FC)', suggestion: "unicode" },
          line: 1,
          column: 32,
          endLine: 1,
          endColumn: 41,
        },
      ],
    },
    {
      name: "a name placeholders refuse",
      code: '{"name": "w", "steps": [{"id": "constructor", "toolName": "t"}]}',
      errors: [
        {
          messageId: "forbidden",
          data: { step: "constructor", suggestion: "constructor_step" },
          line: 1,
          column: 32,
          endLine: 1,
          endColumn: 45,
        },
      ],
    },
    {
      name: "the suggestion is an id no other step has",
      code: '{"name": "w", "steps": [{"id": "my_step", "toolName": "t"}, {"id": "my step", "toolName": "t"}, {"id": "my_step_2", "toolName": "t"}]}',
      errors: [
        {
          messageId: "character",
          data: { step: "my step", character: "a space", suggestion: "my_step_3" },
          line: 1,
          column: 68,
          endLine: 1,
          endColumn: 77,
        },
      ],
    },
    {
      name: "snake_case step_id with no ASCII letter at all",
      code: '{"name": "w", "steps": [{"step_id": "デプロイ", "tool_name": "t"}]}',
      errors: [
        {
          messageId: "character",
          data: { step: "デプロイ", character: '"デ" (U+30C7)', suggestion: "step" },
          line: 1,
          column: 37,
          endLine: 1,
          endColumn: 43,
        },
      ],
    },
    {
      name: "reported at the id, on its own line, also when something depends on the step",
      code: '{\n  "name": "w",\n  "steps": [\n    {"id": "build image", "toolName": "t"},\n    {"id": "push", "toolName": "t", "dependsOn": ["build image"]}\n  ]\n}',
      errors: [
        {
          messageId: "character",
          data: { step: "build image", character: "a space", suggestion: "build_image" },
          line: 4,
          column: 12,
          endLine: 4,
          endColumn: 25,
        },
      ],
    },
  ],
});

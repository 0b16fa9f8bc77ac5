import { runRule } from "./run-rule.js";

runRule("unknown-dependency", {
  valid: [
    '{"name": "w", "steps": [{"id": "build", "toolName": "t"}, {"id": "push", "toolName": "t", "dependsOn": ["build"]}]}',
    // a self-dependency is another rule's finding
    '{"name": "w", "steps": [{"id": "a", "toolName": "t", "dependsOn": ["a"]}]}',
  ],
  invalid: [
    {
      code: '{"name": "w", "steps": [{"id": "build", "toolName": "t"}, {"id": "push", "toolName": "t", "dependsOn": ["biuld"]}]}',
      errors: [
        {
          messageId: "didYouMean",
          data: { step: "push", dependency: "biuld", suggestion: "build" },
          line: 1,
          column: 105,
          endLine: 1,
          endColumn: 112,
        },
      ],
    },
    {
      code: '{"name": "w", "steps": [{"id": "build", "toolName": "t"}, {"id": "push", "toolName": "t", "dependsOn": ["build", "zzz"]}]}',
      errors: [
        {
          message: 'step "push" depends on "zzz", which does not exist. steps are "build", "push"',
          line: 1,
          column: 114,
          endLine: 1,
          endColumn: 119,
        },
      ],
    },
    {
      name: "snake_case depends_on",
      code: '{"name": "w", "steps": [{"step_id": "build", "tool_name": "t"}, {"step_id": "push", "tool_name": "t", "depends_on": ["biuld"]}]}',
      errors: [{ messageId: "didYouMean", line: 1, column: 118, endLine: 1, endColumn: 125 }],
    },
    {
      name: "snake_case dependencies",
      code: '{"name": "w", "steps": [{"step_id": "build", "tool_name": "t"}, {"step_id": "push", "tool_name": "t", "dependencies": ["nope"]}]}',
      errors: [
        {
          messageId: "unknown",
          data: { step: "push", dependency: "nope", steps: '"build", "push"' },
          line: 1,
          column: 120,
          endLine: 1,
          endColumn: 126,
        },
      ],
    },
    {
      name: 'the only step: the list of steps names it (not "none")',
      code: '{"name": "w", "steps": [{"id": "deploy", "toolName": "t", "dependsOn": ["build"]}]}',
      errors: [
        {
          message: 'step "deploy" depends on "build", which does not exist. steps are "deploy"',
          line: 1,
          column: 73,
          endLine: 1,
          endColumn: 80,
        },
      ],
    },
  ],
});

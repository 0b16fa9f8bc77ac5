import { runRule } from "./run-rule.js";

runRule("self-dependency", {
  valid: ['{"name": "w", "steps": [{"id": "a", "toolName": "t"}, {"id": "b", "toolName": "t", "dependsOn": ["a"]}]}'],
  invalid: [
    {
      code: '{"name": "w", "steps": [{"id": "a", "toolName": "t", "dependsOn": ["a"]}]}',
      errors: [{ messageId: "selfDependency", data: { step: "a" }, line: 1, column: 68, endLine: 1, endColumn: 71 }],
    },
    {
      name: "snake_case depends_on",
      code: '{"name": "w", "steps": [{"step_id": "a", "tool_name": "t", "depends_on": ["a"]}]}',
      errors: [
        {
          message: 'step "a" depends on itself, so it can never start. remove "a" from its dependsOn',
          line: 1,
          column: 75,
          endLine: 1,
          endColumn: 78,
        },
      ],
    },
  ],
});

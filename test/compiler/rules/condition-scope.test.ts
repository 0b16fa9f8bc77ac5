import { runRule } from "./run-rule.js";

runRule("condition-scope", {
  valid: [
    // the guide's notify_on_failure
    '{"name": "w", "steps": [{"id": "build", "toolName": "t"}, {"id": "notify_on_failure", "toolName": "t", "dependsOn": ["build"], "condition": "{{build.success}} == False"}]}',
    // variables may be read
    '{"name": "w", "steps": [{"id": "a", "toolName": "t", "condition": "{{env}} == \'prod\'"}]}',
  ],
  invalid: [
    {
      name: "not ordered at all",
      code: '{"name": "w", "steps": [{"id": "build", "toolName": "t"}, {"id": "n", "toolName": "t", "condition": "{{build.success}} == False"}]}',
      errors: [
        {
          messageId: "notOrdered",
          data: { step: "n", placeholder: "{{build.success}}", source: "build" },
          line: 1,
          column: 102,
          endLine: 1,
          endColumn: 119,
        },
      ],
    },
    {
      name: "an ancestor, but not a dependency",
      code: '{"name": "w", "steps": [{"id": "build", "toolName": "t"}, {"id": "test", "toolName": "t", "dependsOn": ["build"], "parameters": {"x": "{{build.v}}"}}, {"id": "n", "toolName": "t", "dependsOn": ["test"], "condition": "{{test.success}} and {{build.success}}"}]}',
      errors: [
        {
          message:
            'the condition of step "n" reads "{{build.success}}", but "build" is not in its dependsOn. a condition may only read the step\'s dependencies: add "build" to dependsOn',
          line: 1,
          column: 239,
          endLine: 1,
          endColumn: 256,
        },
      ],
    },
    {
      code: '{"name": "w", "steps": [{"id": "n", "toolName": "t", "condition": "{{n.success}}"}]}',
      errors: [
        { messageId: "readsItself", data: { step: "n", placeholder: "{{n.success}}" }, line: 1, column: 68, endLine: 1, endColumn: 81 },
      ],
    },
  ],
});

import { runRule } from "./run-rule.js";

runRule("implicit-dependency", {
  valid: [
    '{"name": "w", "steps": [{"id": "build", "toolName": "t"}, {"id": "push", "toolName": "t", "dependsOn": ["build"]}, {"id": "deploy", "toolName": "t", "dependsOn": ["build", "push"], "parameters": {"image": "{{build.imageId}}"}}]}',
    // not ordered at all is hidden-dependency's finding
    '{"name": "w", "steps": [{"id": "build", "toolName": "t"}, {"id": "deploy", "toolName": "t", "parameters": {"image": "{{build.imageId}}"}}]}',
    // two parents at different depths, both declared
    '{"name": "w", "steps": [{"id": "a", "toolName": "t"}, {"id": "b", "toolName": "t", "dependsOn": ["a"]}, {"id": "c", "toolName": "t", "dependsOn": ["b"]}, {"id": "d", "toolName": "t", "dependsOn": ["a", "c"], "parameters": {"x": "{{a.v}}", "y": "{{c.v}}"}}]}',
  ],
  invalid: [
    {
      code: '{"name": "w", "steps": [{"id": "build", "toolName": "t"}, {"id": "push", "toolName": "t", "dependsOn": ["build"]}, {"id": "deploy", "toolName": "t", "dependsOn": ["push"], "parameters": {"image": "{{build.imageId}}"}}]}',
      errors: [
        {
          messageId: "transitive",
          data: { step: "deploy", placeholder: "{{build.imageId}}", source: "build", via: "push" },
          line: 1,
          column: 198,
          endLine: 1,
          endColumn: 215,
        },
      ],
    },
    {
      name: "diamond: the root is reached through both parents",
      code: '{"name": "w", "steps": [{"id": "root", "toolName": "t"}, {"id": "left", "toolName": "t", "dependsOn": ["root"]}, {"id": "right", "toolName": "t", "dependsOn": ["root"]}, {"id": "join", "toolName": "t", "dependsOn": ["left", "right"], "parameters": {"x": "{{root.v}}"}}]}',
      errors: [
        {
          message:
            'step "join" reads "{{root.v}}", but "root" is ordered before it only through "left". add "root" to dependsOn to declare the dependency',
          line: 1,
          column: 256,
          endLine: 1,
          endColumn: 266,
        },
      ],
    },
    {
      name: "two parents at different depths: the middle step is only transitive",
      code: '{"name": "w", "steps": [{"id": "a", "toolName": "t"}, {"id": "b", "toolName": "t", "dependsOn": ["a"]}, {"id": "c", "toolName": "t", "dependsOn": ["b"]}, {"id": "d", "toolName": "t", "dependsOn": ["a", "c"], "parameters": {"x": "{{a.v}}", "y": "{{b.v}}"}}]}',
      errors: [
        {
          messageId: "transitive",
          data: { step: "d", placeholder: "{{b.v}}", source: "b", via: "c" },
          line: 1,
          column: 246,
          endLine: 1,
          endColumn: 253,
        },
      ],
    },
    {
      name: "snake_case file",
      code: '{"name": "w", "steps": [{"step_id": "build", "tool_name": "t"}, {"step_id": "push", "tool_name": "t", "depends_on": ["build"]}, {"step_id": "deploy", "tool_name": "t", "depends_on": ["push"], "parameters": {"image": "{{build.image_id}}"}}]}',
      errors: [{ messageId: "transitive", line: 1, column: 218, endLine: 1, endColumn: 236 }],
    },
  ],
});

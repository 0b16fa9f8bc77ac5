import { runRule } from "./run-rule.js";

runRule("unnecessary-serialization", {
  valid: [
    // data flow
    '{"name": "w", "steps": [{"id": "a", "toolName": "t"}, {"id": "b", "toolName": "t", "dependsOn": ["a"], "parameters": {"x": "{{a.v}}"}}]}',
    // an outcome check: the guide's cleanup-on-failure
    '{"name": "w", "steps": [{"id": "deploy", "toolName": "t"}, {"id": "cleanup_on_failure", "toolName": "cleanup", "dependsOn": ["deploy"], "condition": "{{deploy.success}} == False"}]}',
    // a sub-workflow may read what its dependency produced outside the template
    '{"name": "w", "steps": [{"id": "a", "toolName": "t"}, {"id": "b", "toolName": "execute_workflow", "dependsOn": ["a"], "parameters": {"workflow": "other"}}]}',
    // unknown and self dependencies are other rules' findings
    '{"name": "w", "steps": [{"id": "a", "toolName": "t", "dependsOn": ["a", "zzz"]}]}',
    // steps on a cycle are the cycle rule's finding
    '{"name": "w", "steps": [{"id": "a", "toolName": "t", "dependsOn": ["b"]}, {"id": "b", "toolName": "t", "dependsOn": ["a"]}]}',
    // the guide's "good: parallel execution"
    '{"name": "w", "steps": [{"id": "setup", "toolName": "t"}, {"id": "test_unit", "toolName": "t", "dependsOn": ["setup"], "parameters": {"dir": "{{setup.dir}}"}}, {"id": "test_e2e", "toolName": "t", "dependsOn": ["setup"], "parameters": {"dir": "{{setup.dir}}"}}, {"id": "report", "toolName": "t", "dependsOn": ["test_unit", "test_e2e"], "parameters": {"u": "{{test_unit.summary}}", "e": "{{test_e2e.summary}}"}}]}',
  ],
  invalid: [
    {
      name: "the guide's bad example: unnecessary serialization",
      code: '{"name": "w", "steps": [{"id": "test_unit", "toolName": "t"}, {"id": "test_integration", "toolName": "t", "dependsOn": ["test_unit"]}, {"id": "test_e2e", "toolName": "t", "dependsOn": ["test_integration"]}]}',
      errors: [
        { messageId: "noDataFlow", data: { step: "test_integration", dependency: "test_unit" }, line: 1, column: 121, endLine: 1, endColumn: 132 },
        { messageId: "noDataFlow", data: { step: "test_e2e", dependency: "test_integration" }, line: 1, column: 186, endLine: 1, endColumn: 204 },
      ],
    },
    {
      name: "one of several dependencies, a repeated one reported once",
      code: '{"name": "w", "steps": [{"id": "a", "toolName": "t"}, {"id": "b", "toolName": "t"}, {"id": "c", "toolName": "t", "dependsOn": ["a", "b", "a"], "parameters": {"x": "{{a.v}}"}}]}',
      errors: [{ message: 'step "c" waits for "b" but reads none of its results and does not check its outcome. if the order does not matter, remove "b" from dependsOn so both can run in parallel', line: 1, column: 133, endLine: 1, endColumn: 136 }],
    },
    {
      name: "snake_case file",
      code: '{"name": "w", "steps": [{"step_id": "build", "tool_name": "t"}, {"step_id": "push", "tool_name": "t", "depends_on": ["build"]}]}',
      errors: [{ messageId: "noDataFlow", line: 1, column: 118, endLine: 1, endColumn: 125 }],
    },
  ],
});

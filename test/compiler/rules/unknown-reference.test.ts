import { runRule } from "./run-rule.js";

runRule("unknown-reference", {
  valid: [
    // inputs unknown: any root may be a variable given at run time
    '{"name": "w", "steps": [{"id": "a", "toolName": "t", "parameters": {"x": "{{anything}}"}}]}',
    // inputs unknown: a root near a step id is fine when it reads no field (a plain variable such as {{builds}})
    '{"name": "w", "steps": [{"id": "build", "toolName": "t"}, {"id": "b", "toolName": "t", "dependsOn": ["build"], "parameters": {"x": "{{biuld}}"}}]}',
    // inputs unknown: a field of a variable far from every step id
    '{"name": "w", "steps": [{"id": "build", "toolName": "t"}, {"id": "b", "toolName": "t", "dependsOn": ["build"], "parameters": {"x": "{{config.replicas}}"}}]}',
    '{"name": "w", "inputs": {"properties": {"image": {}}}, "steps": [{"id": "a", "toolName": "t", "parameters": {"x": "{{image}}"}}, {"id": "b", "toolName": "t", "dependsOn": ["a"], "parameters": {"y": "{{a.out}}"}}]}',
    // an embedded sub-workflow's placeholders are its own variables, resolved in the sub-run
    '{"name": "w", "inputs": {"properties": {}}, "steps": [{"id": "a", "toolName": "execute_workflow", "parameters": {"workflow": {"name": "sub", "steps": [{"id": "s", "toolName": "t", "parameters": {"v": "{{v}}"}}]}, "context": {"v": 1}}}]}',
    // a malformed placeholder is invalid-template's finding
    '{"name": "w", "inputs": {"properties": {}}, "steps": [{"id": "a", "toolName": "t", "parameters": {"x": "{{a..b}}"}}]}',
  ],
  invalid: [
    {
      name: "inputs unknown: a field of a near-miss of a step id is a likely typo, a warning",
      code: '{"name": "w", "steps": [{"id": "build", "toolName": "t"}, {"id": "b", "toolName": "t", "dependsOn": ["build"], "parameters": {"x": "{{biuld.image}}"}}]}',
      errors: [{ messageId: "likelyStepTypo", severity: "warning", data: { placeholder: "{{biuld.image}}", where: 'in step "b"', name: "biuld", suggestion: "build" }, line: 1, column: 133, endLine: 1, endColumn: 148 }],
    },
    {
      code: '{"name": "w", "inputs": {"properties": {"image": {}}}, "steps": [{"id": "a", "toolName": "t", "parameters": {"x": "img: {{imgae}}"}}]}',
      errors: [{ messageId: "didYouMean", data: { placeholder: "{{imgae}}", where: 'in step "a"', name: "imgae", suggestion: "image" }, line: 1, column: 121, endLine: 1, endColumn: 130 }],
    },
    {
      code: '{"name": "w", "inputs": {"properties": {"image": {}}}, "steps": [{"id": "a", "toolName": "t", "parameters": {"x": ["ok", {"y": "{{zzzzzz.b}}"}]}}]}',
      errors: [{ message: '"{{zzzzzz.b}}" in step "a" refers to "zzzzzz", which is neither a step nor an input variable. inputs are "image"; steps are "a"', line: 1, column: 129, endLine: 1, endColumn: 141 }],
    },
    {
      name: "in a condition, suggesting a step",
      code: '{"name": "w", "inputs": {"properties": {}}, "steps": [{"id": "build", "toolName": "t"}, {"id": "b", "toolName": "t", "dependsOn": ["build"], "condition": "{{biuld.success}} == True"}]}',
      errors: [{ messageId: "didYouMean", data: { placeholder: "{{biuld.success}}", where: 'in the condition of step "b"', name: "biuld", suggestion: "build" }, line: 1, column: 156, endLine: 1, endColumn: 173 }],
    },
    {
      name: "in the workflow outputs",
      code: '{"name": "w", "inputs": {"properties": {"image": {}}}, "steps": [{"id": "a", "toolName": "t"}], "outputs": {"u": "{{imagee}}"}}',
      errors: [{ messageId: "didYouMean", data: { placeholder: "{{imagee}}", where: 'in output "u"', name: "imagee", suggestion: "image" }, line: 1, column: 115, endLine: 1, endColumn: 125 }],
    },
  ],
});

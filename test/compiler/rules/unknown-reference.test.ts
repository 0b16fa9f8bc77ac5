import { runRule } from "./run-rule.js";

runRule("unknown-reference", {
  valid: [
    // inputs unknown: any root may be a variable given at run time
    '{"name": "w", "steps": [{"id": "a", "toolName": "t", "parameters": {"x": "{{anything}}"}}]}',
    // inputs unknown: a short root near a step id that reads no field may be a variable ({{bld}} beside a step "build")
    '{"name": "w", "steps": [{"id": "build", "toolName": "t"}, {"id": "b", "toolName": "t", "dependsOn": ["build"], "parameters": {"x": "{{bld}}"}}]}',
    // inputs unknown: three edits from a step id is not a near-miss
    '{"name": "w", "steps": [{"id": "deploy", "toolName": "t"}, {"id": "b", "toolName": "t", "dependsOn": ["deploy"], "parameters": {"x": "{{delay.ms}}"}}]}',
    // inputs unknown: an output may echo a variable as a whole, and may read a step's field
    '{"name": "w", "steps": [{"id": "deploy", "toolName": "t"}], "outputs": {"version": "{{version}}", "url": "{{deploy.url}}", "all": {"nested": ["{{deploy.urls[0]}}"]}}}',
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
      name: "inputs unknown: a field of a near-miss of a step id is an error",
      code: '{"name": "w", "steps": [{"id": "build", "toolName": "t"}, {"id": "b", "toolName": "t", "dependsOn": ["build"], "parameters": {"x": "{{biuld.image_id}}"}}]}',
      errors: [
        {
          messageId: "likelyStepTypo",
          data: { placeholder: "{{biuld.image_id}}", where: 'in step "b"', name: "biuld", suggestion: "build" },
          line: 1,
          column: 133,
          endLine: 1,
          endColumn: 151,
        },
      ],
    },
    {
      name: "inputs unknown: a near-miss without a field, two edits from a long step id, in a condition",
      code: '{"name": "w", "steps": [{"id": "deploy", "toolName": "t"}, {"id": "b", "toolName": "t", "dependsOn": ["deploy"], "condition": "{{delpoy}} == None", "parameters": {"x": "{{deplyo.url}}"}}]}',
      errors: [
        {
          message:
            '"{{delpoy}}" in the condition of step "b" refers to "delpoy", which is not a step, and the template declares no inputs. did you mean step "deploy"? (if "delpoy" is a variable given at run time, declare it in "inputs")',
          line: 1,
          column: 128,
          endLine: 1,
          endColumn: 138,
        },
        {
          messageId: "likelyStepTypo",
          data: { placeholder: "{{deplyo.url}}", where: 'in step "b"', name: "deplyo", suggestion: "deploy" },
          line: 1,
          column: 170,
          endLine: 1,
          endColumn: 184,
        },
      ],
    },
    {
      name: "inputs unknown: a workflow output reading a field of no step",
      code: '{"name": "w", "steps": [{"id": "build", "toolName": "t"}, {"id": "push", "toolName": "t", "dependsOn": ["build"]}], "outputs": {"url": "{{deploy.url}}"}}',
      errors: [
        {
          messageId: "unknownOutputStep",
          data: { placeholder: "{{deploy.url}}", where: 'in output "url"', name: "deploy", steps: '"build", "push"' },
          line: 1,
          column: 137,
          endLine: 1,
          endColumn: 151,
        },
      ],
    },
    {
      name: "inputs unknown: a near-miss in a nested output",
      code: '{"name": "w", "steps": [{"id": "deploy", "toolName": "t"}], "outputs": {"urls": {"eu": ["{{deplyo.url}}"]}}}',
      errors: [
        {
          messageId: "likelyStepTypo",
          data: { placeholder: "{{deplyo.url}}", where: 'in output "urls"', name: "deplyo", suggestion: "deploy" },
          line: 1,
          column: 90,
          endLine: 1,
          endColumn: 104,
        },
      ],
    },
    {
      name: "inputs declared: an output naming no step nor input",
      code: '{"name": "w", "inputs": {"properties": {"image": {}}}, "steps": [{"id": "build", "toolName": "t"}], "outputs": {"url": "{{deploy.url}}"}}',
      errors: [
        {
          messageId: "unknown",
          data: { placeholder: "{{deploy.url}}", where: 'in output "url"', name: "deploy", inputs: '"image"', steps: '"build"' },
          line: 1,
          column: 121,
          endLine: 1,
          endColumn: 135,
        },
      ],
    },
    {
      code: '{"name": "w", "inputs": {"properties": {"image": {}}}, "steps": [{"id": "a", "toolName": "t", "parameters": {"x": "img: {{imgae}}"}}]}',
      errors: [
        {
          messageId: "didYouMean",
          data: { placeholder: "{{imgae}}", where: 'in step "a"', name: "imgae", suggestion: "image" },
          line: 1,
          column: 121,
          endLine: 1,
          endColumn: 130,
        },
      ],
    },
    {
      code: '{"name": "w", "inputs": {"properties": {"image": {}}}, "steps": [{"id": "a", "toolName": "t", "parameters": {"x": ["ok", {"y": "{{zzzzzz.b}}"}]}}]}',
      errors: [
        {
          message:
            '"{{zzzzzz.b}}" in step "a" refers to "zzzzzz", which is neither a step nor an input variable. inputs are "image"; steps are "a"',
          line: 1,
          column: 129,
          endLine: 1,
          endColumn: 141,
        },
      ],
    },
    {
      name: "in a condition, suggesting a step",
      code: '{"name": "w", "inputs": {"properties": {}}, "steps": [{"id": "build", "toolName": "t"}, {"id": "b", "toolName": "t", "dependsOn": ["build"], "condition": "{{biuld.success}} == True"}]}',
      errors: [
        {
          messageId: "didYouMean",
          data: { placeholder: "{{biuld.success}}", where: 'in the condition of step "b"', name: "biuld", suggestion: "build" },
          line: 1,
          column: 156,
          endLine: 1,
          endColumn: 173,
        },
      ],
    },
    {
      name: "in the workflow outputs",
      code: '{"name": "w", "inputs": {"properties": {"image": {}}}, "steps": [{"id": "a", "toolName": "t"}], "outputs": {"u": "{{imagee}}"}}',
      errors: [
        {
          messageId: "didYouMean",
          data: { placeholder: "{{imagee}}", where: 'in output "u"', name: "imagee", suggestion: "image" },
          line: 1,
          column: 115,
          endLine: 1,
          endColumn: 125,
        },
      ],
    },
  ],
});

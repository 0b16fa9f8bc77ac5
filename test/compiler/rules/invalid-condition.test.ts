import { runRule } from "./run-rule.js";

const wf = (condition: string) =>
  `{"name": "w", "steps": [{"id": "a", "toolName": "t"}, {"id": "b", "toolName": "t", "dependsOn": ["a"], "condition": ${JSON.stringify(condition)}}]}`;

runRule("invalid-condition", {
  valid: [
    wf("{{a.success}} == False"),
    wf("not {{a.success}} or ({{a.count}} >= 3 && '{{a.env}}-eu' != 'x')"),
    wf("{{a.error}} != None"),
    '{"name": "w", "steps": [{"id": "a", "toolName": "t", "condition": null}]}',
  ],
  invalid: [
    {
      code: wf("{{a.success}} = False"),
      errors: [
        {
          message:
            'invalid condition of step "b": unexpected "=" while parsing condition. expecting a comparison operator, "and", "or" or end of condition. did you mean "=="?',
          line: 1,
          column: 132,
          endLine: 1,
          endColumn: 133,
        },
      ],
    },
    {
      name: "at the end of the condition",
      code: wf("{{a.success}} == "),
      errors: [{ messageId: "syntax", line: 1, column: 135, endLine: 1, endColumn: 135 }],
    },
    {
      name: "inside a placeholder, after an escaped quote",
      code: wf('"x" == {{a.!}}'),
      errors: [
        {
          messageId: "syntax",
          data: { step: "b", detail: 'unexpected "!" while parsing reference "a.!". expecting a name' },
          line: 1,
          column: 131,
          endLine: 1,
          endColumn: 132,
        },
      ],
    },
    {
      name: "snake_case file",
      code: '{"name": "w", "steps": [{"step_id": "a", "tool_name": "t"}, {"step_id": "b", "tool_name": "t", "depends_on": ["a"], "condition": "({{a.success}}"}]}',
      errors: [{ messageId: "syntax", line: 1, column: 145, endLine: 1, endColumn: 145 }],
    },
  ],
});

import { runRule } from "./run-rule.js";

const DIAMOND =
  '{"name": "w", "steps": [{"id": "root", "toolName": "t"}, {"id": "left", "toolName": "t", "dependsOn": ["root"]}, {"id": "right", "toolName": "t", "dependsOn": ["root"]}, {"id": "join", "toolName": "t", "dependsOn": ["left", "right"], "parameters": {"x": "{{left.v}} {{right.v}}"}}, {"id": "other", "toolName": "t"}, {"id": "tail", "toolName": "t", "dependsOn": ["join"], "parameters": {"o": "{{other.v}}"}}]}';

runRule("hidden-dependency", {
  valid: [
    '{"name": "w", "steps": [{"id": "build", "toolName": "t"}, {"id": "deploy", "toolName": "t", "dependsOn": ["build"], "parameters": {"image": "{{build.imageId}}"}}]}',
    // reading an ancestor through a diamond is ordered (implicit-dependency's business, not a race)
    '{"name": "w", "steps": [{"id": "root", "toolName": "t"}, {"id": "left", "toolName": "t", "dependsOn": ["root"]}, {"id": "right", "toolName": "t", "dependsOn": ["root"]}, {"id": "join", "toolName": "t", "dependsOn": ["left", "right"], "parameters": {"x": "{{root.v}}"}}]}',
    // two parents at different depths: "a" is reached directly and through b -> c
    '{"name": "w", "steps": [{"id": "a", "toolName": "t"}, {"id": "b", "toolName": "t", "dependsOn": ["a"]}, {"id": "c", "toolName": "t", "dependsOn": ["b"]}, {"id": "d", "toolName": "t", "dependsOn": ["a", "c"], "parameters": {"x": "{{a.v}} {{c.v}}"}}]}',
    // variables are not steps
    '{"name": "w", "steps": [{"id": "a", "toolName": "t", "parameters": {"x": "{{image}}"}}]}',
    // conditions are condition-scope's business
    '{"name": "w", "steps": [{"id": "build", "toolName": "t"}, {"id": "n", "toolName": "t", "condition": "{{build.success}} == False"}]}',
  ],
  invalid: [
    {
      name: "a map step's list from a step it does not depend on",
      code: '{"name": "w", "steps": [{"id": "list", "toolName": "t"}, {"id": "each", "toolName": "t", "forEach": "{{list.files}}", "parameters": {"f": "{{item}}"}}]}',
      errors: [
        {
          message: 'step "each" reads "{{list.files}}", but "list" is not ordered before it. add "list" to dependsOn',
          line: 1,
          column: 102,
          endLine: 1,
          endColumn: 116,
        },
      ],
    },
    {
      name: "the guide's bad example: implicit dependencies via variable substitution",
      code: '{"name": "w", "steps": [{"id": "build", "toolName": "t"}, {"id": "deploy", "toolName": "t", "parameters": {"image": "{{build.imageId}}"}}]}',
      errors: [
        {
          messageId: "notOrdered",
          data: { step: "deploy", placeholder: "{{build.imageId}}", source: "build" },
          line: 1,
          column: 118,
          endLine: 1,
          endColumn: 135,
        },
      ],
    },
    {
      name: "a step defined later",
      code: '{"name": "w", "steps": [{"id": "deploy", "toolName": "t", "parameters": {"image": "{{build.imageId}}"}}, {"id": "build", "toolName": "t"}]}',
      errors: [
        {
          message: 'step "deploy" reads "{{build.imageId}}", but "build" is not ordered before it. add "build" to dependsOn',
          line: 1,
          column: 84,
          endLine: 1,
          endColumn: 101,
        },
      ],
    },
    {
      code: '{"name": "w", "steps": [{"id": "a", "toolName": "t", "parameters": {"x": "{{a.out}}"}}]}',
      errors: [{ messageId: "readsItself", data: { step: "a", placeholder: "{{a.out}}" }, line: 1, column: 75, endLine: 1, endColumn: 84 }],
    },
    {
      name: "diamond: the parents are ordered, an unrelated step is not",
      code: DIAMOND,
      errors: [
        {
          messageId: "notOrdered",
          data: { step: "tail", placeholder: "{{other.v}}", source: "other" },
          line: 1,
          column: 393,
          endLine: 1,
          endColumn: 404,
        },
      ],
    },
    {
      name: "siblings reading each other",
      code: '{"name": "w", "steps": [{"id": "left", "toolName": "t", "parameters": {"x": "{{right.v}}"}}, {"id": "right", "toolName": "t", "parameters": {"x": "{{left.v}}"}}]}',
      errors: [
        { messageId: "notOrdered", line: 1, column: 78, endLine: 1, endColumn: 89 },
        { messageId: "notOrdered", line: 1, column: 148, endLine: 1, endColumn: 158 },
      ],
    },
    {
      name: "snake_case file",
      code: '{"name": "w", "steps": [{"step_id": "build", "tool_name": "t"}, {"step_id": "deploy", "tool_name": "t", "parameters": {"image": "{{build.image_id}}"}}]}',
      errors: [
        {
          messageId: "notOrdered",
          data: { step: "deploy", placeholder: "{{build.image_id}}", source: "build" },
          line: 1,
          column: 130,
          endLine: 1,
          endColumn: 148,
        },
      ],
    },
    {
      name: 'escapes (\\", \\u00e9, \\\\) before the placeholder keep the span exact',
      code: '{"name": "w", "steps": [{"id": "build", "toolName": "t"}, {"id": "deploy", "toolName": "t", "parameters": {"image": "tag \\"\\u00e9\\\\\\" {{build.imageId}}"}}]}',
      errors: [{ messageId: "notOrdered", line: 1, column: 135, endLine: 1, endColumn: 152 }],
    },
  ],
});

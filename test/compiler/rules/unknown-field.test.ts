import { runRule } from "./run-rule.js";
import { objectTree, tool } from "./trees.js";

const tools = new Map([
  tool(
    "docker_build",
    objectTree({
      imageId: "leaf",
      meta: { size: "leaf" },
      tags: { kind: "array", items: objectTree({ name: "leaf" }) },
      extra: objectTree({}, true),
    }),
  ),
  tool("opaque"),
  tool("x"),
  tool("execute_workflow", objectTree({})),
]);
const ts = (code: string) => ({ code, tools });
/** A map step over a variable, running docker_build per item, then a step that reads its array of outputs. */
const mapReader = (params: string) =>
  ts(
    `{"name": "w", "steps": [{"id": "builds", "toolName": "docker_build", "forEach": "{{images}}"}, {"id": "d", "toolName": "x", "dependsOn": ["builds"], "parameters": ${params}}]}`,
  );
const reader = (params: string) =>
  ts(
    `{"name": "w", "steps": [{"id": "build", "toolName": "docker_build"}, {"id": "d", "toolName": "x", "dependsOn": ["build"], "parameters": ${params}}]}`,
  );

runRule("unknown-field", {
  valid: [
    // a map step's result is an array of its tool's outputs
    mapReader('{"a": "{{builds}}", "b": "{{builds[1].imageId}}", "c": "{{builds[0].tags[0].name}}"}'),
    reader(
      '{"a": "{{build.imageId}}", "b": "{{build.meta.size}}", "c": "{{build.tags[0].name}}", "d": "{{build}}", "e": "{{build.extra.anything.at.all}}"}',
    ),
    // the step facts always exist
    reader('{"a": "{{build.success}}", "b": "{{build.error}}"}'),
    // an output that could not be read statically
    ts(
      '{"name": "w", "steps": [{"id": "o", "toolName": "opaque"}, {"id": "d", "toolName": "x", "dependsOn": ["o"], "parameters": {"a": "{{o.whatever}}"}}]}',
    ),
    // a sub-workflow step yields the sub-workflow's outputs, not those of a tool named execute_workflow
    ts(
      '{"name": "w", "steps": [{"id": "sub", "toolName": "execute_workflow", "parameters": {"workflow": "other", "context": {}}}, {"id": "d", "toolName": "x", "dependsOn": ["sub"], "parameters": {"a": "{{sub.url}}"}}]}',
    ),
    // tools unknown (a template file): silent
    '{"name": "w", "steps": [{"id": "build", "toolName": "docker_build"}, {"id": "d", "toolName": "x", "dependsOn": ["build"], "parameters": {"a": "{{build.nope}}"}}]}',
  ],
  invalid: [
    {
      code: mapReader('{"a": "{{builds.imageId}}"}'),
      errors: [
        {
          message:
            '"{{builds.imageId}}" reads "imageId" of step "builds", but "builds" is an array in the output of tool "docker_build". use an index such as "[0]"',
          line: 1,
          column: 171,
          endLine: 1,
          endColumn: 189,
        },
      ],
    },
    {
      code: reader('{"a": "{{build.imageID}}"}'),
      errors: [
        {
          messageId: "noSuchFieldSuggest",
          data: {
            placeholder: "{{build.imageID}}",
            field: "imageID",
            step: "build",
            tool: "docker_build",
            parent: "build",
            name: "imageID",
            suggestion: "imageId",
          },
          line: 1,
          column: 144,
          endLine: 1,
          endColumn: 161,
        },
      ],
    },
    {
      code: reader('{"b": "{{build.meta.zzz}}"}'),
      errors: [
        {
          message:
            '"{{build.meta.zzz}}" reads "meta.zzz" of step "build", but the output of tool "docker_build" has no field "zzz" there. fields are "size"',
          line: 1,
          column: 144,
          endLine: 1,
          endColumn: 162,
        },
      ],
    },
    {
      code: reader('{"c": "{{build.tags.first}}"}'),
      errors: [
        {
          messageId: "notAnArray",
          data: { placeholder: "{{build.tags.first}}", field: "tags.first", step: "build", tool: "docker_build", parent: "tags" },
          line: 1,
          column: 144,
          endLine: 1,
          endColumn: 164,
        },
      ],
    },
    {
      code: reader('{"e": "{{build.imageId.length}}"}'),
      errors: [
        {
          messageId: "notAnObject",
          data: {
            placeholder: "{{build.imageId.length}}",
            field: "imageId.length",
            step: "build",
            tool: "docker_build",
            parent: "imageId",
          },
          line: 1,
          column: 144,
          endLine: 1,
          endColumn: 168,
        },
      ],
    },
    {
      name: "in the workflow outputs",
      code: ts('{"name": "w", "steps": [{"id": "build", "toolName": "docker_build"}], "outputs": {"o": "{{build.nope}}"}}'),
      errors: [{ messageId: "noSuchField", line: 1, column: 89, endLine: 1, endColumn: 103 }],
    },
  ],
});

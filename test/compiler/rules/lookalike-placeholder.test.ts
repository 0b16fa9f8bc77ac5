import { describe, expect, it } from "vitest";
import { findLookalikes } from "../../../compiler/rules/lookalike-placeholder.js";
import { brief, useLintFiles } from "../lint-files.js";
import { runRule } from "./run-rule.js";

const WRITTEN = "placeholders are written {{...}}";
const DOLLAR = "${...} is not substituted in a template";
const BRACES = "a placeholder has two braces on each side";

runRule("lookalike-placeholder", {
  valid: [
    // real placeholders, with inner spaces, next to braces of JSON text, after a $ (a price: $12)
    '{"name": "w", "steps": [{"id": "build", "toolName": "t"}, {"id": "push", "toolName": "t", "dependsOn": ["build"], "parameters": {"a": "{{ build.imageId }}", "b": "{\\"id\\": {{build.imageId}}}", "c": "${{build.price}}"}}]}',
    // shell and format-string syntax naming no step nor input: ordinary text
    '{"name": "w", "steps": [{"id": "build", "toolName": "t", "parameters": {"cmd": "echo ${HOME} ${PATH:-/bin} $(date)", "fmt": "{name} is {age}", "json": "{\\"a\\": 1, \\"b\\": {\\"c\\": [1]}}"}}]}',
    // JSON in a string whose inner object closes next to the outer one: {"a": {name}} is no unbalanced placeholder
    '{"name": "w", "steps": [{"id": "build", "toolName": "t", "parameters": {"json": "{\\"a\\": {name}}"}}]}',
    // an HTML tag, a heredoc, shifts naming no step
    '{"name": "w", "steps": [{"id": "build", "toolName": "t", "parameters": {"html": "<b>build</b>", "sh": "cat <<EOF", "cmp": "a << b >> c"}}]}',
    // three braces are invalid-template\'s (a malformed placeholder), not a lookalike
    '{"name": "w", "steps": [{"id": "a", "toolName": "t", "parameters": {"x": "{{{a.b}}}"}}]}',
    // an embedded sub-workflow template is a workflow of its own
    '{"name": "w", "steps": [{"id": "a", "toolName": "execute_workflow", "parameters": {"workflow": {"name": "sub", "steps": [{"id": "s", "toolName": "t", "parameters": {"v": "${a.x}"}}]}, "context": {}}}]}',
  ],
  invalid: [
    {
      name: "<<step.field>>",
      code: '{"name": "w", "steps": [{"id": "build", "toolName": "t"}, {"id": "push", "toolName": "t", "dependsOn": ["build"], "parameters": {"image": "<<build.imageId>>"}}]}',
      errors: [
        {
          messageId: "lookalike",
          data: { found: "<<build.imageId>>", where: 'in step "push"', why: WRITTEN, suggestion: '"{{build.imageId}}"' },
          line: 1,
          column: 140,
          endLine: 1,
          endColumn: 157,
        },
      ],
    },
    {
      name: "${step.field} in a shell command, beside a ${HOME} that names nothing",
      code: '{"name": "w", "steps": [{"id": "build", "toolName": "t"}, {"id": "push", "toolName": "t", "dependsOn": ["build"], "parameters": {"cmd": "docker push ${build.imageId} && echo ${HOME}"}}]}',
      errors: [
        {
          message: `"\${build.imageId}" in step "push" is passed on as literal text: ${DOLLAR}. did you mean "{{build.imageId}}"?`,
          line: 1,
          column: 150,
          endLine: 1,
          endColumn: 166,
        },
      ],
    },
    {
      name: "one brace, one brace missing on the left, one missing on the right (also an invalid-template error)",
      code: '{"name": "w", "steps": [{"id": "build", "toolName": "t"}, {"id": "push", "toolName": "t", "dependsOn": ["build"], "parameters": {"a": "{build.imageId}", "b": "{ build.imageId}}", "c": "{{ build.imageId }"}}]}',
      errors: [
        {
          messageId: "lookalike",
          data: { found: "{build.imageId}", where: 'in step "push"', why: BRACES, suggestion: '"{{build.imageId}}"' },
          line: 1,
          column: 136,
          endLine: 1,
          endColumn: 151,
        },
        {
          messageId: "lookalike",
          data: { found: "{ build.imageId}}", where: 'in step "push"', why: BRACES, suggestion: '"{{build.imageId}}"' },
          line: 1,
          column: 160,
          endLine: 1,
          endColumn: 177,
        },
        {
          messageId: "unclosed",
          data: { found: "{{ build.imageId }", where: 'in step "push"', suggestion: '"{{build.imageId}}"' },
          line: 1,
          column: 186,
          endLine: 1,
          endColumn: 204,
        },
      ],
    },
    {
      name: "declared inputs: a typo of one, a format-string input, and a typo of a step in an output",
      code: '{"name": "w", "inputs": {"properties": {"image": {}}}, "steps": [{"id": "build", "toolName": "t", "parameters": {"tag": "${imgae}:{image}"}}], "outputs": {"id": "<<biuld.imageId>>"}}',
      errors: [
        {
          messageId: "lookalike",
          data: { found: "${imgae}", where: 'in step "build"', why: DOLLAR, suggestion: '"{{image}}"' },
          line: 1,
          column: 122,
          endLine: 1,
          endColumn: 130,
        },
        {
          messageId: "lookalike",
          data: { found: "{image}", where: 'in step "build"', why: BRACES, suggestion: '"{{image}}"' },
          line: 1,
          column: 131,
          endLine: 1,
          endColumn: 138,
        },
        {
          messageId: "lookalike",
          data: { found: "<<biuld.imageId>>", where: 'in output "id"', why: WRITTEN, suggestion: '"{{build.imageId}}"' },
          line: 1,
          column: 163,
          endLine: 1,
          endColumn: 180,
        },
      ],
    },
    {
      name: "in a condition's string literal",
      code: '{"name": "w", "steps": [{"id": "deploy", "toolName": "t"}, {"id": "n", "toolName": "t", "dependsOn": ["deploy"], "condition": "\'{deploy.status}\' == \'ok\' and {{deploy.success}}"}]}',
      errors: [
        {
          messageId: "lookalike",
          data: { found: "{deploy.status}", where: 'in the condition of step "n"', why: BRACES, suggestion: '"{{deploy.status}}"' },
          line: 1,
          column: 129,
          endLine: 1,
          endColumn: 144,
        },
      ],
    },
    {
      name: "<<...>> is no other syntax a tool expects: reported whatever it names",
      code: '{"name": "w", "steps": [{"id": "a", "toolName": "t", "parameters": {"key": "<<API_KEY>>"}}]}',
      errors: [
        {
          messageId: "lookalike",
          data: { found: "<<API_KEY>>", where: 'in step "a"', why: WRITTEN, suggestion: '"{{API_KEY}}"' },
          line: 1,
          column: 77,
          endLine: 1,
          endColumn: 88,
        },
      ],
    },
  ],
});

describe("findLookalikes", () => {
  // kind, the characters, the reference; "?" marks the ambiguous ones, reported only when they name a step or an input
  const kinds = (text: string) =>
    findLookalikes(text).map((l) => [`${l.kind}${l.distinct ? "" : "?"}`, text.slice(l.start, l.end), l.ref.text]);
  it.each([
    ["<<a.b[0].c>>", [["angle", "<<a.b[0].c>>", "a.b[0].c"]]],
    ["x ${ a } y", [["dollar?", "${ a }", "a"]]],
    ["{a}", [["single?", "{a}", "a"]]],
    ["{{a}", [["unclosed", "{{a}", "a"]]],
    ["{a}}", [["unopened", "{a}}", "a"]]],
    ["{{a}} {{b}}} ${{c}} {{{d}}}", []],
    ['{"a": {b}}', [["single?", "{b}", "b"]]],
    ["{a b} {1a} <<a..b>> ${a-b.c}", [["dollar?", "${a-b.c}", "a-b.c"]]],
    ["a << b >> c", [["angle?", "<< b >>", "b"]]],
  ])("%s", (text, want) => {
    expect(kinds(text)).toEqual(want);
  });
});

describe("lookalike-placeholder in a DSL file", () => {
  const { lintFiles } = useLintFiles("weave-lookalike-");

  it("checks what is left after extraction (a template literal's ${} is code) and suggests the DSL reference", async () => {
    const source = `import { z } from "zod";
import { tool, workflow } from "toolweave";

export const dockerBuild = tool("docker_build", { input: z.object({ image: z.string() }), output: z.object({ imageId: z.string() }) });
export const dockerPush = tool("docker_push", { input: z.object({ image: z.string(), note: z.string() }), output: z.object({ digest: z.string() }) });

export const release = workflow("release", { input: z.object({ image: z.string() }) }, ({ input, step }) => {
  const build = step("build").tool(dockerBuild).with({ image: input.image });
  const push = step("push").tool(dockerPush).with({ image: "\${build.imageId}", note: \`pushed <<image>> as \${build.out.imageId}\` });
  return { digest: "{push.digest}}" };
});
`;
    const found = (await lintFiles({ "release.ts": source })).filter((d) => d.ruleId === "lookalike-placeholder").map(brief);
    expect(found).toEqual([
      '9:61 lookalike-placeholder: "${build.imageId}" in step "push" is passed on as literal text: ${...} is substituted only in a template literal (in backquotes). did you mean build.out.imageId?',
      `9:94 lookalike-placeholder: "<<image>>" in step "push" is passed on as literal text: ${WRITTEN}. did you mean a template literal with \${input.image}?`,
      `10:21 lookalike-placeholder: "{push.digest}}" in output "digest" is passed on as literal text: ${BRACES}. did you mean push.out.digest?`,
    ]);
  });
});

import { describe, expect, it } from "vitest";
import { brief, useLintFiles } from "../lint-files.js";
import { runRule } from "./run-rule.js";

const TOOL_ERROR = "its tool throws ToolError(message, { result })";
const JSON_SUPPRESS = '"lint": { "ignore": { "failed-step-result": "<reason>" } }';
const DSL_THROWS = "its tool's run throws fail(message, { result }) (a ToolError)";
const DSL_SUPPRESS = "// weave-ignore failed-step-result: <reason>";

runRule("failed-step-result", {
  valid: [
    // the handler reads the facts: the error message, the outcome
    '{"name": "w", "steps": [{"id": "deploy", "toolName": "t"}, {"id": "cleanup", "toolName": "c", "dependsOn": ["deploy"], "condition": "{{deploy.success}} == False", "parameters": {"reason": "{{deploy.error}}", "ok": "{{deploy.success}}"}}]}',
    // a handler of deploy reads another step's result, which completed (cleanup-on-failure's staged release)
    '{"name": "w", "steps": [{"id": "build", "toolName": "t"}, {"id": "deploy", "toolName": "t", "dependsOn": ["build"]}, {"id": "cleanup", "toolName": "c", "dependsOn": ["build", "deploy"], "condition": "{{deploy.success}} == False", "parameters": {"id": "{{build.imageId}}"}}]}',
    // runs on success: the result is there
    '{"name": "w", "steps": [{"id": "deploy", "toolName": "t"}, {"id": "n", "toolName": "c", "dependsOn": ["deploy"], "condition": "{{deploy.success}} == True", "parameters": {"url": "{{deploy.url}}"}}]}',
    '{"name": "w", "steps": [{"id": "deploy", "toolName": "t"}, {"id": "n", "toolName": "c", "dependsOn": ["deploy"], "condition": "not ({{deploy.success}} == False)", "parameters": {"url": "{{deploy.url}}"}}]}',
    // a condition on a field, not on the outcome: the step is skipped when deploy fails
    '{"name": "w", "steps": [{"id": "deploy", "toolName": "t"}, {"id": "n", "toolName": "c", "dependsOn": ["deploy"], "condition": "{{deploy.replicas}} > 2", "parameters": {"url": "{{deploy.url}}"}}]}',
    // runs whatever happened (finished(deploy)): not a failure handler (only one that runs on failure alone is)
    '{"name": "w", "steps": [{"id": "deploy", "toolName": "t"}, {"id": "n", "toolName": "c", "dependsOn": ["deploy"], "condition": "{{deploy.success}} != null", "parameters": {"url": "{{deploy.url}}"}}]}',
    // a condition that does not parse is invalid-condition's
    '{"name": "w", "steps": [{"id": "deploy", "toolName": "t"}, {"id": "n", "toolName": "c", "dependsOn": ["deploy"], "condition": "{{deploy.success}} ==", "parameters": {"url": "{{deploy.url}}"}}]}',
  ],
  invalid: [
    {
      name: "the user guide's error recovery: cleanup reads the failed deploy's resource_id",
      code: '{"name": "w", "steps": [{"id": "deploy", "toolName": "t"}, {"id": "cleanup", "toolName": "c", "dependsOn": ["deploy"], "condition": "{{deploy.success}} == False", "parameters": {"resource_id": "{{deploy.resource_id}}"}}]}',
      errors: [
        {
          message: `step "cleanup" runs only when "deploy" failed, but reads "{{deploy.resource_id}}" from its result, which a failed step has only when ${TOOL_ERROR}. otherwise "cleanup" fails too: read "{{deploy.error}}" (the failure's message) instead, or have the tool fail with a result that has this field (and say so where it is read: ${JSON_SUPPRESS})`,
          line: 1,
          column: 195,
          endLine: 1,
          endColumn: 217,
        },
      ],
    },
    {
      name: "not {{s.success}}; a field in the condition and one inside text",
      code: '{"name": "w", "steps": [{"id": "deploy", "toolName": "t"}, {"id": "h", "toolName": "c", "dependsOn": ["deploy"], "condition": "not {{deploy.success}} and {{deploy.status}} == \'partial\'", "parameters": {"text": "left {{deploy.items[0].id}} behind"}}]}',
      errors: [
        {
          messageId: "readsFailedResult",
          data: {
            step: "h",
            source: "deploy",
            placeholder: "{{deploy.status}}",
            error: "{{deploy.error}}",
            throws: TOOL_ERROR,
            suppress: JSON_SUPPRESS,
          },
          line: 1,
          column: 155,
          endLine: 1,
          endColumn: 172,
        },
        {
          messageId: "readsFailedResult",
          data: {
            step: "h",
            source: "deploy",
            placeholder: "{{deploy.items[0].id}}",
            error: "{{deploy.error}}",
            throws: TOOL_ERROR,
            suppress: JSON_SUPPRESS,
          },
          line: 1,
          column: 217,
          endLine: 1,
          endColumn: 239,
        },
      ],
    },
    {
      name: "a handler of two steps ({{a.error}} != None, == false) reading the whole result of one and a field of the other",
      code: '{"name": "w", "steps": [{"id": "a", "toolName": "t"}, {"id": "b", "toolName": "t"}, {"id": "h", "toolName": "c", "dependsOn": ["a", "b"], "condition": "{{a.error}} != None or {{b.success}} == false", "parameters": {"all": "{{b}}", "x": "{{a.x}}"}}]}',
      errors: [
        {
          messageId: "readsFailedResult",
          data: { step: "h", source: "b", placeholder: "{{b}}", error: "{{b.error}}", throws: TOOL_ERROR, suppress: JSON_SUPPRESS },
          line: 1,
          column: 224,
          endLine: 1,
          endColumn: 229,
        },
        {
          messageId: "readsFailedResult",
          data: { step: "h", source: "a", placeholder: "{{a.x}}", error: "{{a.error}}", throws: TOOL_ERROR, suppress: JSON_SUPPRESS },
          line: 1,
          column: 238,
          endLine: 1,
          endColumn: 245,
        },
      ],
    },
  ],
});

describe("failed-step-result in a DSL file", () => {
  const { lintFiles } = useLintFiles("weave-failed-step-result-");

  it("names the references as the source writes them (apply.out.resource_id, apply.error) and the DSL's fail(...)", async () => {
    const source = `import { z } from "zod";
import { failed, not, succeeded, tool, workflow } from "toolweave";

export const kubectlApply = tool("kubectl_apply", { input: z.object({ manifest: z.string() }), output: z.object({ url: z.string(), resource_id: z.string() }) });
export const cleanup = tool("cleanup", { input: z.object({ id: z.string(), reason: z.string() }), output: z.object({ ok: z.boolean() }) });

export const deploy = workflow("deploy", { input: z.object({ manifest: z.string() }) }, ({ input, step }) => {
  const apply = step("deploy").tool(kubectlApply).with({ manifest: input.manifest });
  step("cleanup").tool(cleanup).with({ id: apply.out.resource_id, reason: apply.error }).when(failed(apply));
  step("notify").tool(cleanup).with({ id: "{{deploy.resource_id}}", reason: \`deploy failed: \${apply.error}\` }).when(not(succeeded(apply)));
  step("report").tool(cleanup).with({ id: apply.out.url, reason: "done" }).when(succeeded(apply));
  return { url: apply.out.url };
});
`;
    expect((await lintFiles({ "deploy.ts": source })).filter((d) => d.ruleId === "failed-step-result").map(brief)).toEqual([
      `9:44 failed-step-result: step "cleanup" runs only when "deploy" failed, but reads "apply.out.resource_id" from its result, which a failed step has only when ${DSL_THROWS}. otherwise "cleanup" fails too: read "apply.error" (the failure's message) instead, or have the tool fail with a result that has this field (and say so where it is read: ${DSL_SUPPRESS})`,
      `10:44 failed-step-result: step "notify" runs only when "deploy" failed, but reads "{{deploy.resource_id}}" from its result, which a failed step has only when ${DSL_THROWS}. otherwise "notify" fails too: read "apply.error" (the failure's message) instead, or have the tool fail with a result that has this field (and say so where it is read: ${DSL_SUPPRESS})`,
    ]);
  });
});

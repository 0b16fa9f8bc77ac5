import { describe, expect, it } from "vitest";
import rule from "../../../compiler/rules/unnecessary-serialization.js";
import { useLintFiles } from "../lint-files.js";
import { runRule } from "./run-rule.js";

const step = (id: string, extra: Record<string, unknown> = {}) => JSON.stringify({ id, toolName: "t", ...extra });
const template = (...steps: string[]) => `{"name": "w", "steps": [${steps.join(", ")}]}`;
const JSON_FIX = "remove their dependsOn entries";
const chainMessage = (chain: string, at: string, ts = false) =>
  rule.messages.chain
    .replace("{{chain}}", chain)
    .replace("{{fix}}", ts ? "remove the .after() or .then() calls that order them" : JSON_FIX)
    .replace(
      "{{suppress}}",
      ts
        ? "in a comment on the line before: // weave-ignore unnecessary-serialization: <reason>"
        : `in step "${at}": "lint": { "ignore": { "unnecessary-serialization": "<reason>" } }`,
    );

runRule("unnecessary-serialization", {
  valid: [
    // data flow
    template(
      step("a"),
      step("b", { dependsOn: ["a"], parameters: { x: "{{a.v}}" } }),
      step("c", { dependsOn: ["b"], parameters: { x: "{{b.v}}" } }),
    ),
    // an outcome check: the guide's cleanup-on-failure
    '{"name": "w", "steps": [{"id": "deploy", "toolName": "t"}, {"id": "cleanup_on_failure", "toolName": "cleanup", "dependsOn": ["deploy"], "condition": "{{deploy.success}} == False"}]}',
    // a sub-workflow may read what its dependency produced outside the template
    template(
      step("a"),
      step("b", { dependsOn: ["a"] }),
      JSON.stringify({ id: "c", toolName: "execute_workflow", dependsOn: ["b"], parameters: { workflow: "other" } }),
    ),
    // unknown and self dependencies are other rules' findings
    '{"name": "w", "steps": [{"id": "a", "toolName": "t", "dependsOn": ["a", "zzz"]}]}',
    // steps on a cycle are the cycle rule's finding
    template(step("a", { dependsOn: ["c"] }), step("b", { dependsOn: ["a"] }), step("c", { dependsOn: ["b"] })),
    // the guide's "good: parallel execution", exactly as written (no parameters): a gate before several steps, a barrier after them
    template(
      step("setup"),
      step("test_unit", { dependsOn: ["setup"] }),
      step("test_integration", { dependsOn: ["setup"] }),
      step("test_e2e", { dependsOn: ["setup"] }),
      step("report", { dependsOn: ["test_unit", "test_integration", "test_e2e"] }),
    ),
    // one step that waits for another without reading it: a gate (a lock before staging)
    template(step("acquire_lock"), step("deploy_staging", { dependsOn: ["acquire_lock"], parameters: { env: "staging" } })),
    // a smoke test before publish: publish reads the build and waits for the smoke test
    template(
      step("build"),
      step("smoke_test", { dependsOn: ["build"], parameters: { image: "{{build.image}}" } }),
      step("publish", { dependsOn: ["build", "smoke_test"], parameters: { image: "{{build.image}}" } }),
    ),
    // the same gate where publish waits for the smoke test only (and reads the build through it)
    template(
      step("build"),
      step("smoke_test", { dependsOn: ["build"], parameters: { image: "{{build.image}}" } }),
      step("publish", { dependsOn: ["smoke_test"], parameters: { image: "{{build.image}}" } }),
    ),
    // a gate before several steps, each of them gated again
    template(step("approve"), step("deploy_eu", { dependsOn: ["approve"] }), step("deploy_us", { dependsOn: ["approve"] })),
    // a chain whose last step reads its first: the order carries data (lock, deploy, release the lock)
    template(
      step("lock"),
      step("deploy", { dependsOn: ["lock"] }),
      step("unlock", { dependsOn: ["deploy"], parameters: { token: "{{lock.token}}" } }),
    ),
  ],
  invalid: [
    {
      name: "the guide's bad example: unnecessary serialization, reported once, at its first dependency",
      code: template(
        step("test_unit"),
        step("test_integration", { dependsOn: ["test_unit"] }),
        step("test_e2e", { dependsOn: ["test_integration"] }),
      ),
      errors: [
        {
          message: chainMessage('"test_unit" -> "test_integration" -> "test_e2e"', "test_integration"),
          line: 1,
          column: 113,
          endLine: 1,
          endColumn: 124,
        },
      ],
    },
    {
      name: "snake_case file, a chain of four",
      code: '{"name": "w", "steps": [{"step_id": "a", "tool_name": "t"}, {"step_id": "b", "tool_name": "t", "depends_on": ["a"]}, {"step_id": "c", "tool_name": "t", "depends_on": ["b"]}, {"step_id": "d", "tool_name": "t", "depends_on": ["c"]}]}',
      errors: [{ message: chainMessage('"a" -> "b" -> "c" -> "d"', "b"), line: 1, column: 111, endLine: 1, endColumn: 114 }],
    },
    {
      name: "a chain after a gate: the gate's dependents start chains of their own",
      code: template(
        step("setup"),
        step("a", { dependsOn: ["setup"] }),
        step("b", { dependsOn: ["setup"] }),
        step("a2", { dependsOn: ["a"] }),
        step("a3", { dependsOn: ["a2"] }),
      ),
      errors: [{ message: chainMessage('"a" -> "a2" -> "a3"', "a2"), line: 1, column: 193, endLine: 1, endColumn: 196 }],
    },
    {
      name: "a long chain is named by its ends",
      code: template(
        ...["s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7"].map((id, i) => step(id, i > 0 ? { dependsOn: [`s${i - 1}`] } : {})),
      ),
      errors: [{ message: chainMessage('"s0" -> "s1" -> ... (5 more) -> "s7"', "s1"), line: 1, column: 92, endLine: 1, endColumn: 96 }],
    },
    {
      name: "in a DSL file, the fix names .after() and .then()",
      code: { code: template(step("a"), step("b", { dependsOn: ["a"] }), step("c", { dependsOn: ["b"] })), origin: "ts" },
      errors: [{ message: chainMessage('"a" -> "b" -> "c"', "b", true), line: 1, column: 90, endLine: 1, endColumn: 93 }],
    },
  ],
});

describe("in a DSL file, through the compiler", () => {
  const { lintFiles } = useLintFiles("weave-unnecessary-serialization-");
  const TOOLS = `import { z } from "zod";
import { tool, workflow } from "toolweave";
export const prepare = tool("prepare_env", { input: z.object({}), output: z.object({ dir: z.string() }) });
export const runTests = tool("run_tests", { input: z.object({ suite: z.string() }), output: z.object({ summary: z.string() }) });
export const report = tool("publish_report", { input: z.object({}), output: z.object({ url: z.string() }) });
`;

  it("the guide's recommended fan-out (BP5: setup, three tests in parallel, report after all) yields no finding", async () => {
    const source = `${TOOLS}
export const tests = workflow("guide_parallel_tests", { input: z.object({}) }, ({ step }) => {
  const setup = step("setup").tool(prepare).with({});
  const unit = step("test_unit").tool(runTests).with({ suite: "unit" }).after(setup);
  const integration = step("test_integration").tool(runTests).with({ suite: "integration" }).after(setup);
  const e2e = step("test_e2e").tool(runTests).with({ suite: "e2e" }).after(setup);
  const done = step("report").tool(report).with({}).after(unit, integration, e2e);
  return { url: done.out.url };
});
`;
    expect(await lintFiles({ "tests.ts": source })).toEqual([]);
  });

  it("the guide's anti-pattern is one finding, at the first .after()", async () => {
    const source = `${TOOLS}
export const tests = workflow("guide_serial_tests", { input: z.object({}) }, ({ step }) => {
  const unit = step("test_unit").tool(runTests).with({ suite: "unit" });
  const integration = step("test_integration").tool(runTests).with({ suite: "integration" }).after(unit);
  const e2e = step("test_e2e").tool(runTests).with({ suite: "e2e" }).after(integration);
  return { summary: e2e.out.summary };
});
`;
    expect(
      (await lintFiles({ "tests.ts": source })).map((d) => `${d.span.start.line}:${d.span.start.column} ${d.ruleId}: ${d.message}`),
    ).toEqual([
      `9:100 unnecessary-serialization: ${chainMessage('"test_unit" -> "test_integration" -> "test_e2e"', "test_integration", true)}`,
    ]);
  });
});

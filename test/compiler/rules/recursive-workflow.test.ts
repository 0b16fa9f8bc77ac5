import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { lint } from "../../../compiler/api.js";
import { runRule } from "./run-rule.js";

/** A one-line template whose steps each run the named workflow (`{ workflow: "name" }` or an embedded template). */
const wf = (name: string, ...calls: (string | object)[]): string =>
  JSON.stringify({
    name,
    steps: calls.map((workflow, i) => ({ id: `call_${i}`, toolName: "execute_workflow", parameters: { workflow } })),
  });

/** The span of the `parameters.workflow` value of step `call_<k>` in one-line code. */
function callAt(code: string, k = 0): { line: number; column: number; endLine: number; endColumn: number } {
  const step = code.indexOf(`"id":"call_${k}"`);
  const start = code.indexOf('"workflow":', step) + '"workflow":'.length;
  const value = JSON.stringify((JSON.parse(code) as { steps: { parameters: { workflow: unknown } }[] }).steps[k]!.parameters.workflow);
  return { line: 1, column: start + 1, endLine: 1, endColumn: start + value.length + 1 };
}

const direct = wf("deploy", "deploy");
const indirect = wf("a", "b");
const viaEmbedded = wf("a", { name: "c", steps: [{ id: "back", toolName: "execute_workflow", parameters: { workflow: "a" } }] });
const twice = wf("a", "b", "c");
const ring = Array.from({ length: 10 }, (_, i) => wf(`w${i}`, `w${(i + 1) % 10}`));

runRule("recursive-workflow", {
  valid: [
    // a different workflow, not in the run
    wf("deploy", "rollout"),
    // named by a placeholder: only known at run time
    wf("deploy", "{{which}}"),
    // a diamond: top runs left and right, which both run leaf
    { code: wf("top", "left", "right"), workflows: [wf("left", "leaf"), wf("right", "leaf"), wf("leaf")] },
    // a chain that ends
    { code: wf("a", "b"), workflows: [wf("b", "c"), wf("c")] },
    // e runs itself, but top is not on that loop (e's own file reports it)
    { code: wf("top", "e"), workflows: [wf("e", "e")] },
    // an embedded template that runs another workflow
    wf("a", { name: "c", steps: [{ id: "x", toolName: "execute_workflow", parameters: { workflow: "b" } }] }),
  ],
  invalid: [
    {
      name: "runs itself by name",
      code: direct,
      errors: [{ messageId: "runsItself", data: { step: "call_0", workflow: "deploy" }, ...callAt(direct) }],
    },
    {
      name: "through another workflow of the run",
      code: { code: indirect, workflows: [wf("b", "a")] },
      errors: [
        {
          messageId: "runsItselfThrough",
          data: { step: "call_0", workflow: "a", callee: "b", chain: '"a -> b -> a"' },
          ...callAt(indirect),
        },
      ],
    },
    {
      name: "through an embedded template",
      code: viaEmbedded,
      errors: [
        {
          messageId: "runsItselfThrough",
          data: { step: "call_0", workflow: "a", callee: "c", chain: '"a -> c -> a"' },
          ...callAt(viaEmbedded),
        },
      ],
    },
    {
      name: "each step that starts a chain back, with the shortest chain",
      code: { code: twice, workflows: [wf("b", "c"), wf("c", "d", "a"), wf("d", "a")] },
      errors: [
        {
          messageId: "runsItselfThrough",
          data: { step: "call_0", workflow: "a", callee: "b", chain: '"a -> b -> c -> a"' },
          ...callAt(twice, 0),
        },
        {
          messageId: "runsItselfThrough",
          data: { step: "call_1", workflow: "a", callee: "c", chain: '"a -> c -> a"' },
          ...callAt(twice, 1),
        },
      ],
    },
    {
      name: "a long chain is named by its first and last workflows and how many are left out",
      code: { code: ring[0]!, workflows: ring.slice(1) },
      errors: [
        {
          messageId: "runsItselfThrough",
          data: { step: "call_0", workflow: "w0", callee: "w1", chain: '"w0 -> w1 -> w2 -> w3 -> w4 -> ... (4 more) -> w9 -> w0"' },
          ...callAt(ring[0]!),
        },
      ],
    },
    {
      name: "the original format",
      code: '{"name": "a", "steps": [{"step_id": "again", "tool_name": "execute_workflow", "parameters": {"workflow": "a"}}]}',
      errors: [{ messageId: "runsItself", data: { step: "again", workflow: "a" }, line: 1, column: 106, endLine: 1, endColumn: 109 }],
    },
  ],
});

describe("recursive-workflow in DSL workflows (lint)", () => {
  const cwd = fileURLToPath(new URL("../fixtures/recursion/", import.meta.url));
  const found = (paths: string[]) =>
    lint({ cwd, paths }).then((r) =>
      r.diagnostics.map((d) => `${d.span.file}:${d.span.start.line}:${d.span.start.column} ${d.ruleId}: ${d.message}`),
    );

  it("reports a body that runs its own workflow, at the .workflow() argument", async () => {
    expect(await found(["self.ts"])).toEqual([
      'self.ts:8:26 recursive-workflow: step "again" runs workflow "selfish" as a sub-workflow, inside "selfish" itself: the run would never end (the executor fails the step with "sub-workflow recursion"). run a different workflow',
    ]);
  });

  it("reports each workflow of a loop through files, with the chain from it", async () => {
    const tail =
      'the run would never end (the executor fails the step with "sub-workflow recursion"). remove one of the sub-workflow steps of this chain';
    expect(await found(["ping.ts", "pong.ts"])).toEqual([
      `ping.ts:9:28 recursive-workflow: step "to_pong" runs sub-workflow "pong", which runs "ping" again: "ping -> pong -> ping". ${tail}`,
      `pong.ts:9:28 recursive-workflow: step "to_ping" runs sub-workflow "ping", which runs "pong" again: "pong -> ping -> pong". ${tail}`,
    ]);
  });

  it("follows the sub-workflows a DSL workflow imports, even when their files are not linted", async () => {
    expect((await found(["ping.ts"])).map((line) => line.split(" recursive-workflow:")[0])).toEqual(["ping.ts:9:28"]);
  });

  it("stays silent on a diamond of sub-workflows", async () => {
    expect(await found(["diamond.ts"])).toEqual([]);
  });
});

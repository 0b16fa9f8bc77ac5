/**
 * Rule `invalid-suppression`: a suppression that names no rule or an unknown one, gives no reason (and so suppresses
 * nothing), or suppresses nothing. Its findings come from compiler/suppressions.ts, after every other finding, so
 * the cases are whole files linted with the real compiler API.
 */
import { describe, expect, it } from "vitest";
import { lint } from "../../../compiler/api.js";
import { formatMessage } from "../../../compiler/lint-engine.js";
import rule from "../../../compiler/rules/invalid-suppression.js";
import { rules } from "../../../compiler/rules/index.js";
import { quoteList } from "../../../src/util/closest-name.js";
import { useLintFiles } from "../lint-files.js";

const { writeFiles } = useLintFiles("weave-invalid-suppression-");
const RULES = quoteList(rules.map((r) => r.id).sort(), rules.length);

/** A template whose step b waits for a and reads it: no finding unless `b` says otherwise. */
const template = (lint: object, top?: object): string =>
  `${JSON.stringify({
    name: "w",
    ...(top ? { lint: top } : {}),
    steps: [
      { id: "a", toolName: "t" },
      { id: "b", toolName: "t", dependsOn: ["a"], parameters: { x: "{{a.v}}" }, lint },
    ],
  })}\n`;

const DSL = (comment: string): string => `import { z } from "zod";
import { tool, workflow } from "toolweave";
export const t = tool("t", { input: z.object({ x: z.string() }), output: z.object({ v: z.string() }) });
export const w = workflow("w", { input: z.object({}) }, ({ step }) => {
  const a = step("a").tool(t).with({ x: "1" });
  ${comment}
  const b = step("b").tool(t).with({ x: a.out.v });
  return { v: b.out.v };
});
`;

type Case = readonly [
  name: string,
  files: Record<string, string>,
  expected: readonly { at: string; messageId: keyof typeof rule.messages; data: Record<string, string> }[],
];

const CASES: readonly Case[] = [
  ["a comment that names no rule", { "w.ts": DSL("// weave-ignore") }, [{ at: "w.ts:6:3", messageId: "noRule", data: {} }]],
  [
    "a comment without a reason suppresses nothing",
    { "w.ts": DSL("// weave-ignore unknown-field") },
    [
      {
        at: "w.ts:6:19",
        messageId: "noReason",
        data: { rule: "unknown-field", how: "write why after a colon: // weave-ignore unknown-field: <reason>" },
      },
    ],
  ],
  [
    "a comment whose reason lacks its colon",
    { "w.ts": DSL("// weave-ignore unknown-field the tool is generated") },
    [
      {
        at: "w.ts:6:19",
        messageId: "noReason",
        data: { rule: "unknown-field", how: "write why after a colon: // weave-ignore unknown-field: <reason>" },
      },
    ],
  ],
  [
    "a comment naming an unknown rule, with a near one",
    { "w.ts": DSL("// weave-ignore unknown-feild: generated") },
    [
      {
        at: "w.ts:6:19",
        messageId: "unknownRule",
        data: { rule: "unknown-feild", choices: `did you mean "unknown-field"? rules are ${RULES}` },
      },
    ],
  ],
  [
    "a comment that suppresses nothing",
    { "w.ts": DSL("// weave-ignore unknown-field: generated") },
    [{ at: "w.ts:6:19", messageId: "unused", data: { rule: "unknown-field", where: "on line 7 or in the step that starts there" } }],
  ],
  [
    "a step field with an empty reason",
    { "w.json": template({ ignore: { cycle: " " } }) },
    [{ at: "w.json:1:146", messageId: "noReason", data: { rule: "cycle", how: 'write why: "cycle": "<reason>"' } }],
  ],
  [
    "a step field naming an unknown rule",
    { "w.json": template({ ignore: { "no-such-rule": "x" } }) },
    [{ at: "w.json:1:153", messageId: "unknownRule", data: { rule: "no-such-rule", choices: `rules are ${RULES}` } }],
  ],
  [
    "a step field that suppresses nothing",
    { "w.json": template({ ignore: { cycle: "x" } }) },
    [{ at: "w.json:1:146", messageId: "unused", data: { rule: "cycle", where: 'in step "b"' } }],
  ],
  [
    "a template field that suppresses nothing",
    { "w.json": template({}, { ignore: { cycle: "x" } }) },
    [{ at: "w.json:1:39", messageId: "unused", data: { rule: "cycle", where: "in this template" } }],
  ],
  [
    "the suppression of a rule turned off is not unused; other problems are still reported",
    {
      "w.json": template({ ignore: { cycle: "x", "unknown-tool": "" } }),
      "weave.config.json": '{ "lint": { "rules": { "cycle": "off", "unknown-tool": "off" } } }',
    },
    [{ at: "w.json:1:165", messageId: "noReason", data: { rule: "unknown-tool", how: 'write why: "unknown-tool": "<reason>"' } }],
  ],
];

describe("invalid-suppression", () => {
  it.each(CASES)("%s", async (_name: string, files: Record<string, string>, expected: Case[2]) => {
    const result = await lint({ cwd: writeFiles(files) });
    const found = result.diagnostics.map((d) => ({
      at: `${d.span.file}:${d.span.start.line}:${d.span.start.column}`,
      ruleId: d.ruleId,
      severity: d.severity,
      message: d.message,
    }));
    expect(found).toEqual(
      expected.map((e) => ({
        at: e.at,
        ruleId: "invalid-suppression",
        severity: "warning",
        message: formatMessage(rule.messages[e.messageId], e.data),
      })),
    );
    expect(result.suppressed).toEqual([]);
  });

  it("is configured like any rule: its severity, or off", async () => {
    const files = { "w.json": template({ ignore: { cycle: "x" } }) };
    const severity = async (setting: string) =>
      (
        await lint({
          cwd: writeFiles({ ...files, "weave.config.json": `{ "lint": { "rules": { "invalid-suppression": "${setting}" } } }` }),
        })
      ).diagnostics.map((d) => d.severity);
    expect(await severity("error")).toEqual(["error"]);
    expect(await severity("info")).toEqual(["info"]);
    expect(await severity("off")).toEqual([]);
  });
});

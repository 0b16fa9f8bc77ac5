/** Constructs that cannot be extracted without running code: exactly one `non-static` error, at the construct. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createExtractor } from "../../../compiler/extract/index.js";

const HEADER = `import { z } from "zod";
import { tool, workflow, eq } from "toolweave";
const t = tool("t", { input: z.object({ a: z.unknown() }), output: z.object({ ok: z.boolean() }) });
let mutable = "x";
function buildParams(env: string) { return { a: env }; }
`;

/** `body` goes inside the workflow body; `at` is the text the diagnostic must start at; `says` part of its message. */
const CASES: { name: string; body: string; input?: string; at: string; says: string }[] = [
  {
    name: "a function call as parameters",
    body: `step("deploy").tool(t).with(buildParams("prod"));`,
    at: `buildParams("prod")`,
    says: `cannot determine the parameters of step "deploy" without running code: "buildParams("prod")" is a function call. write the object literal inline, or reference a const`,
  },
  {
    name: "a loop",
    body: `for (const r of ["a", "b"]) step(r).tool(t).with({ a: 1 });`,
    at: `for (const r`,
    says: `is a loop. declare each step with its own statement`,
  },
  {
    name: "an if statement",
    body: `if (Math.random() > 0.5) step("x").tool(t).with({ a: 1 });`,
    at: `if (Math`,
    says: "is an if statement",
  },
  {
    name: "a spread of a reference",
    body: `step("s").tool(t).with({ ...input });`,
    at: `...input`,
    says: "a spread of a value that is not a static object",
  },
  { name: "a computed key", body: `const k = "a";\n  step("s").tool(t).with({ [k]: 1 });`, at: `[k]`, says: "a computed property key" },
  {
    name: "a ternary on a runtime value",
    body: `step("s").tool(t).with({ a: input.flag ? "x" : "y" });`,
    at: `input.flag ?`,
    says: `the parameters of step "s" without running code: "input.flag ? "x" : "y"" is a conditional expression`,
  },
  {
    name: "a let from outside",
    body: `step("s").tool(t).with({ a: mutable });`,
    at: `mutable }`,
    says: "declared with a let or var declaration",
  },
  {
    name: "an undeclared name",
    body: `step("s").tool(t).with({ a: nowhere });`,
    at: `nowhere`,
    says: "not a const of this file or an import of one",
  },
  { name: "a tool made by a function", body: `step("s").tool(makeTool()).with({});`, at: `makeTool()`, says: `the tool of step "s"` },
  { name: "a computed step id", body: "step(`s-${input.flag}`).tool(t).with({});", at: "`s-${", says: "a step id" },
  {
    name: "an unknown condition helper",
    body: `step("s").tool(t).with({ a: 1 }).when(isReady());`,
    at: `isReady()`,
    says: `the condition of step "s"`,
  },
  {
    name: "a condition from a comparison operator",
    body: `step("s").tool(t).with({ a: 1 }).when(input.n > 2);`,
    at: `input.n > 2`,
    says: "an operator expression",
  },
  {
    name: "an await",
    body: `const x = await Promise.resolve(1);\n  step("s").tool(t).with({ a: x });`,
    at: `await Promise`,
    says: "an await expression",
  },
  {
    name: "a schema outside the subset",
    body: `step("s").tool(t).with({ a: 1 });`,
    input: `z.object({ a: z.string().transform((s) => s.trim()) })`,
    at: `transform(`,
    says: 'the input schema of workflow "w"',
  },
  {
    name: "a non-literal timeout",
    body: `step("s").tool(t).with({ a: 1 }).timeout(Number("5"));`,
    at: `Number("5")`,
    says: `the timeout of step "s"`,
  },
  {
    name: "a map step over a value that is not a reference",
    body: `step("each").forEach(["a", "b"]).tool(t).with((x) => ({ a: x }));`,
    at: `["a", "b"]`,
    says: `cannot determine the list of map step "each" without running code`,
  },
  {
    name: "a map step's parameters from a function with a block body",
    input: "z.object({ xs: z.array(z.string()) })",
    body: `step("each").forEach(input.xs).tool(t).with((x) => { return { a: x }; });`,
    at: `(x) => {`,
    says: "is a function with a block body. write it with an expression body: (item) => ({ ... })",
  },
  {
    name: "a map step's item destructured",
    input: "z.object({ xs: z.array(z.object({ k: z.string() })) })",
    body: `step("each").forEach(input.xs).tool(t).with(({ k }) => ({ a: k }));`,
    at: `{ k }`,
    says: "is a destructured parameter. name the item and index: (item, index) => ...",
  },
];

describe("non-static constructs", () => {
  const dir = mkdtempSync(join(tmpdir(), "weave-nonstatic-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  for (const [i, c] of CASES.entries()) {
    it(c.name, () => {
      const text = `${HEADER}export const w = workflow("w", { description: "d", input: ${c.input ?? "z.object({ flag: z.boolean(), n: z.number() })"} }, ({ input, step }) => {\n  ${c.body}\n  return {};\n});\n`;
      const file = `case${i}.ts`;
      writeFileSync(join(dir, file), text);
      const result = createExtractor({ cwd: dir, files: [file] }).extract();
      expect(result.workflows).toEqual([]);
      expect(result.diagnostics).toHaveLength(1);
      const [d] = result.diagnostics;
      expect(d!.ruleId).toBe("non-static");
      expect(d!.severity).toBe("error");
      expect(d!.workflow).toBe("w");
      expect(d!.span.file).toBe(file);
      expect(d!.message).toContain(c.says);
      expect(text.slice(d!.span.start.offset)).toMatch(new RegExp(`^${c.at.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
      const lines = text.slice(0, d!.span.start.offset).split("\n");
      expect([d!.span.start.line, d!.span.start.column]).toEqual([lines.length, lines.at(-1)!.length + 1]);
    });
  }

  it("a namespace member that the imported file does not export", () => {
    writeFileSync(
      join(dir, "ns-tools.ts"),
      `import { z } from "zod";\nimport { tool } from "toolweave";\nexport const fetch = tool("fetch", { input: z.object({}), output: z.object({}) });\n`,
    );
    const text = `import { z } from "zod";\nimport { workflow } from "toolweave";\nimport * as t from "./ns-tools.js";\nexport const w = workflow("w", { description: "d", input: z.object({}) }, ({ step }) => {\n  step("s").tool(t.fetsh);\n  return {};\n});\n`;
    writeFileSync(join(dir, "ns-case.ts"), text);
    const result = createExtractor({ cwd: dir, files: ["ns-case.ts"] }).extract();
    expect(result.workflows).toEqual([]);
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]!.message).toContain('not an export of "ns-tools.ts"');
    expect(text.slice(result.diagnostics[0]!.span.start.offset)).toMatch(/^t\.fetsh|^fetsh/);
  });
});

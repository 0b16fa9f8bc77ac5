/**
 * Issue 12, item 9: lint is linear in the steps and never recurses per step or per level of nesting. Generated
 * 10,000-step chains (a DSL file and a JSON template) lint with their expected findings, a 10,000-step cycle is
 * reported as a cycle, and long chains of consts, deep nesting and re-export loops end in findings, not in a stack
 * overflow. No timing here: the compiler benchmark (bench/compiler.bench.ts) measures the chains.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { lint } from "../../compiler/api.js";
import type { Diagnostic } from "../../compiler/diagnostic.js";
import { formatMessage } from "../../compiler/lint-engine.js";
import cycle from "../../compiler/rules/cycle.js";
import { chainStep, dslChain, jsonChain, jsonCycle } from "./chain-workflows.js";

const N = 10_000;
const SLOW = 120_000; // a 10,000-step TypeScript file is parsed and interpreted: generous for a loaded machine
const temp = mkdtempSync(path.join(os.tmpdir(), "weave-chains-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** Lints files written into a fresh directory; findings as `line rule: message`. */
async function lintFiles(files: Record<string, string>): Promise<string[]> {
  const dir = mkdtempSync(path.join(temp, "case-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  const { diagnostics } = await lint({ cwd: dir, paths: Object.keys(files) });
  return diagnostics.map((d: Diagnostic) => `${d.span.file}:${d.span.start.line} ${d.ruleId}: ${d.message}`);
}

/** A JSON template whose steps are given in the order listed. */
const template = (name: string, steps: object[]) =>
  `{\n  "name": "${name}",\n  "steps": [\n${steps.map((s) => `    ${JSON.stringify(s)}`).join(",\n")}\n  ]\n}\n`;
/** Step i of a plain chain: depends on and reads step i-1. */
const chainLink = (i: number) => ({
  id: chainStep(i),
  toolName: "pass",
  parameters: i > 0 ? { value: `{{${chainStep(i - 1)}.value}}` } : {},
  ...(i > 0 ? { dependsOn: [chainStep(i - 1)] } : {}),
});

describe(`a ${N.toLocaleString("en")}-step chain`, () => {
  it(
    "in the DSL: the findings planted at its ends, nothing else",
    async () => {
      const before = chainStep(N - 2);
      expect(await lintFiles({ "chain.ts": dslChain(N) })).toEqual([
        `chain.ts:${N + 6} unknown-field: "${before}.out.valeu" reads "valeu" of step "${before}", but the output of tool "pass" has no field "valeu" there. did you mean "value"?`,
      ]);
    },
    SLOW,
  );

  it("as a JSON template: a read of a later step, a transitive read across the whole chain, a transitive condition", async () => {
    const last = chainStep(N - 1);
    expect(await lintFiles({ "chain.json": jsonChain(N) })).toEqual([
      `chain.json:5 hidden-dependency: step "s1" reads "{{${last}.value}}", but "${last}" is not ordered before it. add "${last}" to dependsOn`,
      `chain.json:${N + 3} implicit-dependency: step "${last}" reads "{{s0.value}}", but "s0" is ordered before it only through "${chainStep(N - 2)}". add "s0" to dependsOn to declare the dependency`,
      `chain.json:${N + 3} condition-scope: the condition of step "${last}" reads "{{s0.success}}", but "s0" is not in its dependsOn. a condition may only read the step's dependencies: add "s0" to dependsOn`,
    ]);
  });

  it("declared last step first: no findings (the order of declaration does not deepen any walk)", async () => {
    const steps = Array.from({ length: N }, (_, i) => chainLink(i)).reverse();
    expect(await lintFiles({ "reversed.json": template("reversed", steps) })).toEqual([]);
  });

  it("where every step also reads the first one: one implicit-dependency per step, each through its predecessor", async () => {
    const steps = Array.from({ length: N }, (_, i) =>
      i > 1 ? { ...chainLink(i), parameters: { value: `{{${chainStep(i - 1)}.value}}`, first: "{{s0.value}}" } } : chainLink(i),
    );
    const found = await lintFiles({ "fan.json": template("fan", steps) });
    expect(found).toHaveLength(N - 2);
    expect(found.at(-1)).toBe(
      `fan.json:${N + 3} implicit-dependency: step "${chainStep(N - 1)}" reads "{{s0.value}}", but "s0" is ordered before it only through "${chainStep(N - 2)}". add "s0" to dependsOn to declare the dependency`,
    );
  });
});

describe(`a ${N.toLocaleString("en")}-step cycle`, () => {
  it("is one cycle finding, naming its first steps, its last step and its length", async () => {
    const cycleText = `s0 -> s1 -> s2 -> s3 -> s4 -> ... (${N - 6} more) -> ${chainStep(N - 1)} -> s0`;
    expect(await lintFiles({ "cycle.json": jsonCycle(N) })).toEqual([
      `cycle.json:4 cycle: ${formatMessage(cycle.messages.longCycle, { count: N, cycle: cycleText })}`,
    ]);
  });

  it("two steps in a cycle with the whole chain stuck behind them: one short cycle", async () => {
    const steps = Array.from({ length: N }, (_, i) => (i === 0 ? { ...chainLink(0), dependsOn: ["s1"] } : chainLink(i)));
    expect(await lintFiles({ "stuck.json": template("stuck", steps) })).toEqual([
      `stuck.json:4 cycle: ${formatMessage(cycle.messages.cycle, { cycle: "s0 -> s1 -> s0" })}`,
    ]);
  });
});

describe("deep values and long chains of definitions end in findings, not in a stack overflow", () => {
  const header = [
    'import { z } from "zod";',
    'import { tool, workflow } from "toolweave";',
    'export const pass = tool("pass", { input: z.object({ value: z.string() }), output: z.object({ value: z.string() }) });',
  ];

  it(
    "5,000 consts, each the one before: read like one",
    async () => {
      const consts = Array.from({ length: 5000 }, (_, i) => (i === 0 ? 'const c0 = "x";' : `const c${i} = c${i - 1};`));
      const body = [
        'export const w = workflow("consts", { description: "", input: z.object({}) }, ({ step }) => {',
        '  step("s0").tool(pass).with({ value: c4999 });',
        "});",
      ];
      expect(await lintFiles({ "consts.ts": [...header, ...consts, ...body].join("\n") })).toEqual([]);
    },
    SLOW,
  );

  it(
    "2,000 workflows, each running the one before as a sub-workflow: extracted from the innermost out",
    async () => {
      const lines = [
        ...header.slice(0, 2),
        'const w0 = workflow("w0", { description: "", input: z.object({}) }, ({ step }) => { step("s").workflow(leaf).with({}); return {}; });',
      ];
      lines.splice(2, 0, 'const leaf = workflow("leaf", { description: "", input: z.object({}) }, () => ({}));');
      for (let i = 1; i < 2000; i++)
        lines.push(
          `${i === 1999 ? "export " : ""}const w${i} = workflow("w${i}", { description: "", input: z.object({}) }, ({ step }) => { step("s").workflow(w${i - 1}).with({}); return {}; });`,
        );
      expect(await lintFiles({ "nested.ts": lines.join("\n") })).toEqual([]);
    },
    SLOW,
  );

  it(
    "2,000 workflows running each other in a loop: one recursive-workflow finding, the loop named in short",
    async () => {
      const lines = [...header.slice(0, 2)];
      for (let i = 0; i < 2000; i++)
        lines.push(
          `${i === 0 ? "export " : ""}const w${i} = workflow("w${i}", { description: "", input: z.object({}) }, ({ step }) => { step("s").workflow(w${(i + 1) % 2000}).with({}); return {}; });`,
        );
      const found = await lintFiles({ "loop.ts": lines.join("\n") });
      expect(found).toHaveLength(1);
      expect(found[0]).toContain(
        'loop.ts:3 recursive-workflow: step "s" runs sub-workflow "w1", which runs "w0" again: "w0 -> w1 -> w2 -> w3 -> w4 -> ... (1994 more) -> w1999 -> w0"',
      );
    },
    SLOW,
  );

  it("a file nested deeper than TypeScript's parser can follow", async () => {
    const value = `${"{ a: ".repeat(5000)}"x"${" }".repeat(5000)}`;
    const body = [
      'export const w = workflow("deep", { description: "", input: z.object({}) }, ({ step }) => {',
      `  step("s0").tool(pass).with({ value: ${value} });`,
      "});",
    ];
    expect(await lintFiles({ "deep.ts": [...header, ...body].join("\n") })).toEqual([
      "deep.ts:1 non-static: cannot read this file: its expressions are nested more deeply than the TypeScript parser can follow. build deeply nested values from consts",
    ]);
  });

  it("re-exports in a loop end the search for a name", async () => {
    const found = await lintFiles({
      "a.ts": 'export * from "./b.js";\n',
      "b.ts": 'export * from "./a.js";\n',
      "w.ts": [
        ...header.slice(0, 2),
        'import { missing } from "./a.js";',
        'export const w = workflow("w", { description: "", input: z.object({}) }, ({ step }) => {',
        '  step("s0").tool(missing);',
        "});",
      ].join("\n"),
    });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(
      /^w\.ts:5 non-static: cannot determine the tool of step "s0" without running code: "missing" is imported from "\.\/a\.js"/,
    );
  });
});

/** `update()` re-reads changed files (and their importers) and returns the full current result. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { createExtractor } from "../../../compiler/extract/index.js";

const TOOLS = (name: string) => `import { z } from "zod";
import { tool } from "toolweave";
export const mark = tool("${name}", { input: z.object({ v: z.string() }), output: z.object({ path: z.string() }) });
`;
const WF = (name: string, value: string) => `import { z } from "zod";
import { workflow } from "toolweave";
import { mark } from "./tools.js";
export const w = workflow("${name}", { description: "d", input: z.object({ v: z.string() }) }, ({ input, step }) => {
  const a = step("a").tool(mark).with({ v: ${value} });
  step("b").tool(mark).with({ v: a.out.path });
  return {};
});
`;

/** A temp dir removed when the test finishes. */
function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe("update", () => {
  it("reads a file created after the extractor started, and forgets a deleted one", () => {
    const dir = scratchDir("weave-update-new-");
    writeFileSync(join(dir, "tools.ts"), TOOLS("mark"));
    writeFileSync(join(dir, "wf.ts"), WF("first", "input.v"));
    const extractor = createExtractor({ cwd: dir, files: ["wf.ts", "tools.ts"] });
    expect(extractor.extract().workflows.map((w) => w.name)).toEqual(["first"]);
    writeFileSync(join(dir, "later.ts"), WF("second", "input.v"));
    expect(
      extractor
        .update(["later.ts"])
        .workflows.map((w) => w.name)
        .sort(),
    ).toEqual(["first", "second"]);
    rmSync(join(dir, "later.ts"));
    expect(extractor.update(["later.ts"]).workflows.map((w) => w.name)).toEqual(["first"]);
  });

  it("reflects an edited file, an edited import, and a file becoming non-static and static again", () => {
    const dir = scratchDir("weave-update-");
    writeFileSync(join(dir, "tools.ts"), TOOLS("mark"));
    writeFileSync(join(dir, "wf.ts"), WF("w1", "input.v"));
    const extractor = createExtractor({ cwd: dir, files: ["wf.ts", "tools.ts"] });
    expect(extractor.extract().workflows[0]!.template.steps[0]!.parameters).toEqual({ v: "{{v}}" });

    writeFileSync(join(dir, "wf.ts"), WF("w2", '"literal"'));
    let result = extractor.update(["wf.ts"]);
    expect(result.workflows.map((w) => [w.name, w.template.steps[0]!.parameters])).toEqual([["w2", { v: "literal" }]]);

    writeFileSync(join(dir, "tools.ts"), TOOLS("stamp"));
    result = extractor.update([join(dir, "tools.ts")]);
    expect(result.workflows[0]!.template.steps.map((s) => s.toolName)).toEqual(["stamp", "stamp"]);

    writeFileSync(join(dir, "wf.ts"), WF("w3", "String(1)"));
    result = extractor.update(["wf.ts"]);
    expect(result.workflows).toEqual([]);
    expect(result.diagnostics.map((d) => [d.ruleId, d.span.start.line])).toEqual([["non-static", 5]]);

    writeFileSync(join(dir, "wf.ts"), WF("w4", "input.v"));
    result = extractor.update(["wf.ts"]);
    expect(result.diagnostics).toEqual([]);
    expect(result.workflows.map((w) => w.name)).toEqual(["w4"]);
  });

  it("re-reads one file of 100 (timing reported, not asserted)", () => {
    const dir = scratchDir("weave-update100-");
    writeFileSync(join(dir, "tools.ts"), TOOLS("mark"));
    const files = Array.from({ length: 100 }, (_, i) => `wf${i}.ts`);
    files.forEach((f, i) => writeFileSync(join(dir, f), WF(`w${i}`, "input.v")));
    const extractor = createExtractor({ cwd: dir, files });
    let t = performance.now();
    expect(extractor.extract().workflows).toHaveLength(100);
    const full = performance.now() - t;
    writeFileSync(join(dir, "wf42.ts"), WF("changed", '"x"'));
    t = performance.now();
    const result = extractor.update(["wf42.ts"]);
    const one = performance.now() - t;
    expect(result.workflows).toHaveLength(100);
    expect(result.workflows[42]!.name).toBe("changed");
    console.log(`100 files: extract ${full.toFixed(1)} ms, update of one file ${one.toFixed(1)} ms`);
  });
});

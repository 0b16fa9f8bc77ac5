/** For every workflow a real file exports, the statically extracted template equals the one the DSL builds at run time. */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { createExtractor } from "../../../compiler/extract/index.js";

const ROOT = resolve(import.meta.dirname, "../../..");
const FILES = [
  "examples/cleanup-on-failure.ts",
  "examples/database-backup.ts",
  "examples/deploy-to-staging.ts",
  "examples/docs-index.ts",
  "examples/error-recovery.ts",
  "examples/flaky-api.ts",
  "examples/github-issue-to-pr.ts",
  "examples/multi-region-deploy.ts",
  "examples/nightly-maintenance.ts",
  "test/compiler/fixtures/extract/design-example.ts",
  "test/compiler/fixtures/extract/subset.ts",
  "test/compiler/fixtures/extract/namespace.ts",
  "test/cli/fixtures/ts/cancel.ts",
  "test/cli/fixtures/ts/deploy.ts",
  "test/cli/fixtures/ts/failing.ts",
  "test/cli/fixtures/ts/no-run.ts",
  "test/cli/fixtures/ts/outside.ts",
  "test/cli/fixtures/ts/sub-workflow.ts",
  "test/cli/fixtures/ts/two-workflows.ts",
  "test/cli/fixtures/ts/secrets.ts",
  "test/cli/fixtures/ts/no-input.ts",
  "test/cli/fixtures/ts/timeout.ts",
];

const started = performance.now();
const extracted = createExtractor({ cwd: ROOT, files: FILES }).extract();
const elapsedMs = performance.now() - started;

describe("static extraction equals the runtime template", () => {
  it("reports nothing non-static for the examples and fixtures", () => {
    console.log(`extracted ${extracted.workflows.length} workflows from ${FILES.length} files in ${elapsedMs.toFixed(0)} ms`);
    expect(extracted.diagnostics).toEqual([]);
  });

  for (const file of FILES) {
    it(file, async () => {
      const module = (await import(pathToFileURL(resolve(ROOT, file)).href)) as Record<string, unknown>;
      const runtime = Object.entries(module).filter(([, v]) => (v as { kind?: unknown })?.kind === "toolweave.workflow");
      const mine = extracted.workflows.filter((w) => w.file === file);
      expect(mine.map((w) => w.exportName).sort()).toEqual(runtime.map(([k]) => k).sort());
      const text = readFileSync(resolve(ROOT, file), "utf8");
      for (const [exportName, wf] of runtime) {
        const expected = (wf as { template: { toJSON(): unknown } }).template.toJSON();
        const got = mine.find((w) => w.exportName === exportName)!;
        const { steps, ...rest } = got.template;
        expect({ ...rest, steps: steps.map(({ source: _source, ...step }) => step) }).toEqual(expected);
        for (const step of steps) {
          expect(step.source?.file).toBe(file);
          const line = text.split("\n")[step.source!.line - 1]!;
          expect(line.slice(step.source!.column - 1)).toMatch(
            new RegExp(`^[\\w.]+\\(${JSON.stringify(step.id).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\)`),
          );
        }
      }
    });
  }
});

// The round-trip property on random templates in the original format: steps listed in any order, dependencies,
// references to earlier and later steps (hidden dependencies, reads of steps that wait for the reader), variables,
// text, nested values, conditions of every form, retries and timeouts. Every migrated module type-checks, and the
// compiler extracts the migrated template from it but for the explicit dependencies and the dropped conditions.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lint } from "../../../compiler/api.js";
import type { TemplateData } from "../../../src/model/schema.js";
import { WorkflowTemplate } from "../../../src/model/template.js";
import { migrate, migrationModules, type MigratedWorkflow } from "../../../cli/migrate/index.js";
import { expectedSourceTemplate, withoutSource } from "./expected.js";
import { emitDir, relativeToRoot, ROOT, typecheck } from "../../helpers/emitted-source.js";
import { pairArb, workflowArb } from "./random-templates.js";

// KEEP=1 keeps the modules in tmp/migrate-property-keep (SEED and RUNS choose the samples)
const DIR = process.env.KEEP ? path.join(ROOT, "tmp", "migrate-property-keep") : emitDir("migrate-property");

describe("weave migrate on random templates", () => {
  it("type-checks, and compiles back to the migrated template but for the dependencies it made explicit", async () => {
    const samples = fc.sample(workflowArb, { numRuns: Number(process.env.RUNS ?? 40), seed: Number(process.env.SEED ?? 20240611) });
    const migrated: { w: MigratedWorkflow; file: string; raw: unknown }[] = [];
    samples.forEach((raw, k) => {
      const template = WorkflowTemplate.fromJSON({ name: `random_${k}`, ...raw });
      const migration = migrate([{ file: `random_${k}.json`, workflows: [template] }]);
      const [module] = migrationModules(migration, (n) => `${n}.ts`);
      const file = path.join(DIR, module!.fileName);
      writeFileSync(file, module!.source);
      migrated.push({ w: migration.workflows[0]!, file, raw });
    });
    const pairs = fc.sample(pairArb, { numRuns: Number(process.env.RUNS ?? 40) / 2, seed: Number(process.env.SEED ?? 20240611) + 1 });
    pairs.forEach(({ sub, parent }, k) => {
      const subName = `sub_${k}`;
      const calls = JSON.parse(JSON.stringify(parent).replaceAll('"workflow":"SUB"', `"workflow":"${subName}"`)) as typeof parent;
      const templates = [
        WorkflowTemplate.fromJSON({ name: subName, ...sub }),
        WorkflowTemplate.fromJSON({ name: `parent_${k}`, ...calls }),
      ];
      const migration = migrate([{ file: `pair_${k}.json`, workflows: templates }]);
      for (const module of migrationModules(migration, (n) => `${n}.ts`)) {
        const file = path.join(DIR, module.fileName);
        writeFileSync(file, module.source);
        migrated.push({ w: migration.workflows.find((w) => w.name === module.workflow)!, file, raw: { sub, calls } });
      }
    });
    const result = await lint({ cwd: ROOT, paths: migrated.map((m) => relativeToRoot(m.file)) });
    for (const { w, file, raw } of migrated) {
      const extracted = result.workflows.find((x) => x.file === relativeToRoot(file));
      expect(
        extracted,
        `${w.name}: ${JSON.stringify(raw)}\n${result.diagnostics
          .filter((d) => d.span.file === relativeToRoot(file))
          .map((d) => d.message)
          .join("\n")}`,
      ).toBeDefined();
      expect(withoutSource(extracted!.template), `${w.name}: ${JSON.stringify(raw)}`).toEqual(expectedSourceTemplate(w));
      const module = (await import(pathToFileURL(file).href)) as Record<
        string,
        { kind?: string; name?: string; template?: { toJSON(): TemplateData } }
      >;
      const built = Object.values(module).find((v) => v.kind === "toolweave.workflow" && v.name === w.name);
      expect(withoutSource(built!.template!.toJSON()), `${w.name} at run time`).toEqual(expectedSourceTemplate(w));
    }
    expect(typecheck(DIR)).toBe("");
  }, 180_000);
});

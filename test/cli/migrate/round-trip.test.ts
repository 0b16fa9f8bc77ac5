// The crucial property of weave migrate: for every fixture (the guide's examples in the original snake_case format,
// and tricky ones), the emitted TypeScript type-checks, and the compiler extracts from it (and the DSL builds when it
// runs) the migrated JSON template, except for exactly the dependencies migration made explicit and the conditions
// it had to leave out (each with a TODO and a note).
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { BUILTIN_TEMPLATES } from "../../../src/library/builtins.generated.js";
import { lint } from "../../../compiler/api.js";
import { parseLibraryFile } from "../../../src/library/library-file.js";
import type { TemplateData } from "../../../src/model/schema.js";
import { migrate, migrationModules, type Migration } from "../../../cli/migrate/index.js";
import { expectedSourceTemplate, withoutSource } from "./expected.js";
import { emitDir, relativeToRoot, ROOT, typecheck } from "../../helpers/emitted-source.js";

const FIXTURES = path.join(import.meta.dirname, "fixtures");
const DIR = emitDir("migrate-round-trip");

interface Case {
  readonly fixture: string;
  readonly migration: Migration;
  /** Module file (absolute) of each workflow, by name. */
  readonly files: ReadonlyMap<string, string>;
}

async function migrateFixture(fixture: string, text = readFileSync(path.join(FIXTURES, fixture), "utf8")): Promise<Case> {
  const parsed = await parseLibraryFile(text);
  if (!parsed.ok) throw new Error(`${fixture}: ${JSON.stringify(parsed.issues)}`);
  const migration = migrate([{ file: `fixtures/${fixture}`, workflows: parsed.workflows }]);
  const base = fixture.replace(/\.json$/, "");
  const files = new Map<string, string>();
  for (const m of migrationModules(migration, (name) => `${base}.${name}.ts`)) {
    const target = path.join(DIR, m.fileName);
    writeFileSync(target, m.source);
    files.set(m.workflow, target);
  }
  return { fixture, migration, files };
}

const fixtures = readdirSync(FIXTURES)
  .filter((f) => f.endsWith(".json"))
  .sort();
const cases: Case[] = [];
beforeAll(async () => {
  for (const f of fixtures) cases.push(await migrateFixture(f));
  // toolweave's own templates (the built-in library, compiled from the DSL): their inputs schemas are kept too
  cases.push(await migrateFixture("builtins.json", JSON.stringify({ version: 1, workflows: BUILTIN_TEMPLATES })));
});

describe("weave migrate: round trip through the DSL", () => {
  it("has the guide's examples and the tricky cases among its fixtures", () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(8);
    const names = cases.flatMap((c) => c.migration.workflows.map((w) => w.name));
    for (const name of [
      "deploy_to_staging",
      "deploy_multi_region",
      "github_pr_workflow",
      "build_with_alert",
      "call_unstable_api",
      "process_data",
      "nightly_maintenance",
      "implicit_dependency",
    ]) {
      expect(names).toContain(name);
    }
  });

  it("keeps the built-in workflows' inputs (types, defaults, descriptions) and runs database_backup as a sub-workflow", () => {
    const builtins = cases.find((c) => c.fixture === "builtins.json")!.migration;
    expect(builtins.notes.ts).toEqual([]);
    expect(builtins.workflows.every((w) => w.plan.inputSource !== undefined)).toBe(true);
    expect(builtins.workflows.find((w) => w.name === "database_migration")!.subWorkflows).toEqual(["database_backup"]);
  });

  it("writes source that type-checks with tsc", () => {
    expect(typecheck(DIR)).toBe("");
  }, 180_000);

  it("compiles statically (weave compile) to the migrated template, but for exactly the explicit dependencies and the dropped conditions", async () => {
    const paths = cases.flatMap((c) => [...c.files.values()].map(relativeToRoot));
    const result = await lint({ cwd: ROOT, paths });
    for (const c of cases) {
      for (const w of c.migration.workflows) {
        const file = relativeToRoot(c.files.get(w.name)!);
        const extracted = result.workflows.find((x) => x.file === file && x.name === w.name);
        expect(extracted, `${c.fixture}: ${w.name}`).toBeDefined();
        expect(withoutSource(extracted!.template), `${c.fixture}: ${w.name}`).toEqual(expectedSourceTemplate(w));
      }
    }
  }, 120_000);

  it("builds the same template when the modules run", async () => {
    for (const c of cases) {
      for (const w of c.migration.workflows) {
        const module = (await import(pathToFileURL(c.files.get(w.name)!).href)) as Record<
          string,
          { kind?: string; name?: string; template?: { toJSON(): TemplateData } }
        >;
        const built = Object.values(module).find((v) => v.kind === "toolweave.workflow" && v.name === w.name);
        expect(built, `${c.fixture}: ${w.name}`).toBeDefined();
        expect(withoutSource(built!.template!.toJSON()), `${c.fixture}: ${w.name}`).toEqual(expectedSourceTemplate(w));
      }
    }
  });
});

/**
 * `weave init`: what the scaffold holds, and what it refuses. That the scaffold then installs from a registry and
 * its lint, type check, run and tests pass is test/package/publish.test.ts (the packed package, a real registry).
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, STACK, useWorkdirs, weave } from "../weave-process.js";

const dirs = useWorkdirs("toolweave-init-");
const VERSION = (JSON.parse(await readFile(join(ROOT, "package.json"), "utf8")) as { version: string }).version;

describe("weave init", () => {
  it("scaffolds a project that depends on this version of toolweave, with strict types, a workflow, its test and CI", async () => {
    const project = await dirs.workdir("My Flows");
    const init = await weave(["init", project]);
    expect(init.stderr).toBe("");
    expect(init.code).toBe(0);
    expect(init.stdout).toContain("npm install");

    const pkg = JSON.parse(await readFile(join(project, "package.json"), "utf8")) as Record<string, Record<string, string>>;
    expect(pkg.name).toBe("my-flows");
    // the running CLI's own version, from the registry: a project that CI installs with npm ci
    expect(pkg.dependencies!.toolweave).toBe(`^${VERSION}`);
    expect(pkg.scripts).toMatchObject({
      start: "weave run workflows/docs-report.ts",
      test: "vitest run",
      lint: "weave lint",
      build: "weave compile workflows --out templates",
      typecheck: "tsc --noEmit",
    });
    expect(Object.keys(pkg.devDependencies!)).toEqual(["@types/node", "typescript", "vitest"]);
    expect(await readFile(join(project, ".gitignore"), "utf8")).toContain("node_modules/");
    const ci = await readFile(join(project, ".github/workflows/weave.yml"), "utf8");
    expect(ci).toContain("npx weave lint --format github");
    expect(ci).toContain("npm run build -- --check --format github");
    // the templates it ships are what its workflows compile to: its CI passes from the first commit
    const check = await weave(["compile", "workflows", "--out", "templates", "--check"], { cwd: project });
    expect(check.stderr).toContain("templates is what weave compile writes (2 files)");
    expect(check.code).toBe(0);

    const tsconfig = JSON.parse(await readFile(join(project, "tsconfig.json"), "utf8")) as { compilerOptions: Record<string, unknown> };
    for (const flag of ["strict", "exactOptionalPropertyTypes", "noUncheckedIndexedAccess", "noImplicitOverride"])
      expect(tsconfig.compilerOptions[flag]).toBe(true);
    expect(await readFile(join(project, "workflows/docs-report.ts"), "utf8")).toBe(
      await readFile(join(ROOT, "scaffold/workflows/docs-report.ts"), "utf8"),
    );
    expect(await readFile(join(project, "test/docs-report.test.ts"), "utf8")).toContain('from "../workflows/docs-report.js"');
  });

  it("writes nothing when a file exists, names it, and overwrites only with --force", async () => {
    const project = await dirs.workdir("existing");
    await mkdir(project, { recursive: true });
    await writeFile(join(project, "package.json"), '{ "name": "mine" }\n');

    const refused = await weave(["init", project]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("this file exists: package.json");
    expect(refused.stderr).toContain("--force");
    expect(refused.stderr).not.toMatch(STACK);
    expect(await readFile(join(project, "package.json"), "utf8")).toBe('{ "name": "mine" }\n');
    await expect(readFile(join(project, "workflows/tools.ts"), "utf8")).rejects.toThrow(/ENOENT/);

    const forced = await weave(["init", project, "--force"]);
    expect(forced.code).toBe(0);
    expect(JSON.parse(await readFile(join(project, "package.json"), "utf8"))).toMatchObject({ name: "existing", type: "module" });
  });

  it("refuses a path that is a file", async () => {
    const file = join(await dirs.workdir("afile"));
    await writeFile(file, "x");
    const outcome = await weave(["init", file]);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain("is not a directory");
  });
});

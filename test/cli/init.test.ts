/**
 * `weave init`: the scaffold is a working project. Its node_modules links to this checkout's packages (as
 * `npm install` would resolve them, without the network), then its lint, type check, run and tests pass.
 */
import { execFile } from "node:child_process";
import { mkdir, readFile, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cleanEnv, ROOT, STACK, useWorkdirs, weave } from "./weave-process.js";

const dirs = useWorkdirs("toolweave-init-");

function node(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd, timeout: 60_000, env: cleanEnv({ NO_COLOR: "1" }) }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

async function linkDependencies(project: string): Promise<void> {
  await mkdir(join(project, "node_modules"), { recursive: true });
  await symlink(ROOT, join(project, "node_modules", "toolweave"), "dir");
  for (const name of ["zod", "vitest", "typescript", "@types"]) {
    await symlink(join(ROOT, "node_modules", name), join(project, "node_modules", name), "dir");
  }
}

describe("weave init", () => {
  it("scaffolds a project whose lint, type check, workflow and tests all pass", async () => {
    const project = await dirs.workdir("My Flows");
    const init = await weave(["init", project]);
    expect(init.stderr).toBe("");
    expect(init.code).toBe(0);
    expect(init.stdout).toContain("npm install");

    const pkg = JSON.parse(await readFile(join(project, "package.json"), "utf8")) as Record<string, Record<string, string>>;
    expect(pkg.name).toBe("my-flows");
    expect(pkg.dependencies!.toolweave).toBe(`file:${ROOT.replace(/\/$/, "")}`);
    expect(Object.keys(pkg.devDependencies!)).toEqual(["@types/node", "typescript", "vitest"]);
    expect(await readFile(join(project, ".gitignore"), "utf8")).toContain("node_modules/");
    expect(await readFile(join(project, ".github/workflows/weave.yml"), "utf8")).toContain("npx weave lint --format github");

    await linkDependencies(project);
    const lint = await weave(["lint"], { cwd: project });
    expect(lint.stdout + lint.stderr).toContain("no problems");
    expect(lint.code).toBe(0);

    const tsc = await node([join(ROOT, "node_modules/typescript/bin/tsc"), "--noEmit", "-p", "."], project);
    expect(tsc.stdout + tsc.stderr).toBe("");
    expect(tsc.code).toBe(0);

    const run = await weave(["run", "workflows/docs-report.ts", "--json"], { cwd: project });
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { status: string; outputs: { words: number; report: string } };
    expect(result.status).toBe("completed");
    expect(result.outputs.report).toBe("report.json");
    const report = JSON.parse(await readFile(join(project, "report.json"), "utf8")) as { total: number; counts: { file: string }[] };
    expect(report.counts.map((c) => c.file)).toEqual(["docs/getting-started.md"]);
    expect(report.total).toBe(result.outputs.words);

    const tests = await node([join(ROOT, "node_modules/vitest/vitest.mjs"), "run"], project);
    expect(tests.stdout).toMatch(/Tests\s+2 passed/);
    expect(tests.code).toBe(0);
  }, 120_000);

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

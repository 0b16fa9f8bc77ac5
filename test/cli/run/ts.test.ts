// `weave run <workflow.ts>`: a TypeScript workflow file, bundled in memory and run with the tools it defines.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, symlink, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { cleanEnv, ROOT, WEAVE, weave, useWorkdirs } from "../weave-process.js";

const F = "test/cli/fixtures/ts";

const { workdir, root: tempRoot } = useWorkdirs("weave-cli-ts-");

async function readJson(path: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(path, "utf8")) as Record<string, unknown>;
}

describe.concurrent("weave run <workflow.ts>", () => {
  it("bundles the file and its relative imports, runs the workflow with its own tools, --var values keep their JSON types", async () => {
    const wd = await workdir("deploy");
    const { code, stdout, stderr } = await weave(["run", `${F}/deploy.ts`, "--var", `dir=${wd}`, "--var", "n=3"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(await readFile(join(wd, "config.txt"), "utf8")).toBe("replicas=3");
    const record = await readJson(join(wd, "record.json"));
    // n=3 arrived as a number: the tools' z.number() schemas accepted it, and the tool saw a number
    expect(record).toMatchObject({ replicas: 3, replicasType: "number", config: join(wd, "config.txt") });
    // "toolweave" is the runtime the CLI loaded, not a bundled copy
    expect(record.sameRuntime).toBe(true);
    // each bundled file keeps its own import.meta.url
    expect(record.ownUrl).toMatch(/\/test\/cli\/fixtures\/ts\/deploy\.ts$/);
    expect(record.helperUrl).toMatch(/\/test\/cli\/fixtures\/ts\/lib\/files\.ts$/);
    const lines = stdout.split("\n");
    expect(lines[0]).toMatch(/^✔ prepare {2}write_config {2}\d+ ms$/);
    expect(lines[1]).toMatch(/^✔ record {3}record {8}\d+ ms$/);
    expect(stdout).toMatch(/^prepare +write_config +completed +1 +\d+ ms$/m);
    // a chain: no speedup to speak of, so none is shown
    expect(stdout).toMatch(/^completed in \d+ ms$/m);
    expect(stdout).toContain(`outputs:\n${JSON.stringify({ file: join(wd, "config.txt"), replicas: 3 }, null, 2)}\n`);
  });

  it("--json prints only the execution result; --vars is read and --var overrides it", async () => {
    const wd = await workdir("json");
    const varsFile = join(tempRoot(), "deploy-vars.json");
    await writeFile(varsFile, JSON.stringify({ dir: wd, n: 1 }));
    const { code, stdout, stderr } = await weave(["run", `${F}/deploy.ts`, "--json", "--vars", varsFile, "--var", "n=2"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({
      status: "completed",
      failedSteps: [],
      skippedSteps: [],
      outputs: { file: join(wd, "config.txt"), replicas: 2 },
    });
    expect(result.completedSteps.map((s: { id: string }) => s.id)).toEqual(["prepare", "record"]);
  });

  it("reports a failing tool in the summary and exits 1; --log records every attempt", async () => {
    const wd = await workdir("failing");
    const log = join(wd, "calls.jsonl");
    const { code, stdout, stderr } = await weave(["run", `${F}/failing.ts`, "--var", `dir=${wd}`, "--log", log]);
    expect(stderr).toBe("");
    expect(code).toBe(1);
    expect(stdout).toMatch(/^✖ push +push +\d+ ms +failed: registry refused app:1 \(2 attempts\)$/m);
    expect(stdout).toMatch(/^push +push +failed +2 +\d+ ms {2}registry refused app:1$/m);
    expect(stdout).toMatch(/^notify +mark +skipped +0 +- {2}dependency "push" failed$/m);
    expect(stdout).toMatch(/^failed in \d+ ms: step "push" failed: registry refused app:1$/m);
    expect(existsSync(join(wd, "notified.txt"))).toBe(false);
    const records = (await readFile(log, "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { stepId: string; success: boolean });
    expect(records.map((r) => [r.stepId, r.success])).toEqual([
      ["push", false],
      ["push", false],
    ]);
  });

  it("runs a workflow that calls another with step(id).workflow(other), choosing the parent when both are exported", async () => {
    const wd = await workdir("sub");
    const { code, stdout, stderr } = await weave(["run", `${F}/sub-workflow.ts`, "--var", `dir=${wd}`]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toMatch(/^build +execute_workflow +completed +1 +\d+ ms$/m);
    expect(stdout).toMatch(/^announce +mark +completed +1 +\d+ ms$/m);
    expect(await readFile(join(wd, "image.txt"), "utf8")).toBe("app:v2");
    expect(await readFile(join(wd, "announce.txt"), "utf8")).toBe(`built ${join(wd, "image.txt")}`);
  });

  it("--workflow chooses among several exported workflows, by workflow name or export name", async () => {
    const [byName, byExport] = [await workdir("release"), await workdir("build-image")];
    const [a, b] = await Promise.all([
      weave(["run", `${F}/two-workflows.ts`, "--workflow", "release", "--var", `dir=${byName}`]),
      weave(["run", `${F}/two-workflows.ts`, "--workflow", "buildImage", "--var", `dir=${byExport}`]),
    ]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(existsSync(join(byName, "release.txt")) && !existsSync(join(byName, "build.txt"))).toBe(true);
    expect(existsSync(join(byExport, "build.txt")) && !existsSync(join(byExport, "release.txt"))).toBe(true);
  });

  it("--tools replaces tool implementations by name, and supplies those a tool() leaves out", async () => {
    const wd = await workdir("no-run");
    const { code, stderr } = await weave(["run", `${F}/no-run.ts`, "--tools", `${F}/no-run-tools.ts`, "--var", `dir=${wd}`]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(await readFile(join(wd, "stamp.txt"), "utf8")).toBe("from --tools");
  });

  it("cancels the run on Ctrl-C: the running step fails, the rest are skipped", async () => {
    const wd = await workdir("cancel");
    const child = spawn(process.execPath, [WEAVE, "run", `${F}/cancel.ts`, "--var", `dir=${wd}`], { cwd: ROOT, env: cleanEnv() });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    const killer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    while (!existsSync(join(wd, "started")) && child.exitCode === null) await new Promise((r) => setTimeout(r, 20));
    child.kill("SIGINT");
    const code = await exited;
    clearTimeout(killer);
    expect(code).toBe(130); // cancelled by Ctrl-C
    expect(stderr).toContain("weave: interrupted: cancelling the run");
    expect(stdout).toMatch(/^✖ wait +wait_for_cancel +\d+ ms +failed: cancelled: interrupted \(SIGINT\)$/m);
    expect(stdout).toMatch(/^↷ after +mark +skipped: cancelled: interrupted \(SIGINT\)$/m);
  });
});

describe.concurrent("weave run <workflow.ts> outside the repository", () => {
  /** A project directory with `zod` (and, if asked, `toolweave`) in its node_modules, as symlinks to this repo's. */
  async function project(name: string, withToolweave: boolean): Promise<string> {
    const root = join(tempRoot(), name);
    await mkdir(join(root, "node_modules"), { recursive: true });
    await symlink(join(ROOT, "node_modules", "zod"), join(root, "node_modules", "zod"), "dir");
    if (withToolweave) await symlink(ROOT, join(root, "node_modules", "toolweave"), "dir");
    return root;
  }

  it("imports toolweave from the project's node_modules", async () => {
    const root = await project("installed", true);
    await writeFile(join(root, "outside.ts"), await readFile(join(ROOT, F, "outside.ts"), "utf8"));
    const { code, stderr } = await weave(["run", "outside.ts", "--var", `dir=${root}`, "--var", "n=5"], { cwd: root });
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(await readJson(join(root, "outside.json"))).toEqual({ n: 5, url: `file://${join(root, "outside.ts")}` });
  });

  it("imports toolweave by relative path (bundled with the file): runs, and definition errors still name the user's lines", async () => {
    const root = await project("relative", false);
    const index = relative(root, join(ROOT, "index.ts"));
    // the description is computed, so the static preflight cannot read the workflow and the DSL finds the mistake
    const copy = async (fixture: string): Promise<void> =>
      writeFile(
        join(root, fixture),
        (await readFile(join(ROOT, F, fixture), "utf8"))
          .replace('from "toolweave"', `from ${JSON.stringify(index)}`)
          .replace('description: "declares build twice"', 'description: ["declares build twice"].join("")'),
      );
    await Promise.all([copy("outside.ts"), copy("duplicate-step.ts")]);
    const run = await weave(["run", "outside.ts", "--var", `dir=${root}`, "--var", "n=7"], { cwd: root });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect((await readJson(join(root, "outside.json"))).n).toBe(7);
    const broken = await weave(["run", "duplicate-step.ts"], { cwd: root });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain(
      `step id "build" is declared twice: first at ${join(root, "duplicate-step.ts")}:8:3, again at ${join(root, "duplicate-step.ts")}:9:3`,
    );
  });
});

// `weave migrate` as users run it: a real process, real files, exit codes and output. The migrated TypeScript
// also runs (weave run) with the same tools as the original file, to the same outcome.
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseLibraryFile } from "../../../src/library/library-file.js";
import { migrate, migrationModules } from "../../../cli/migrate/index.js";
import { emitDir, relativeToRoot } from "../../helpers/emitted-source.js";
import { STACK, weave, useWorkdirs } from "../weave-process.js";

const { workdir } = useWorkdirs("weave-cli-migrate-");
const FIXTURES = join(import.meta.dirname, "fixtures");
const RUNS = emitDir("cli-migrate");

const DEPLOY = {
  name: "deploy",
  description: "Build and deploy; clean up when the deploy fails",
  metadata: { category: "deployment" },
  steps: [
    { step_id: "build", tool_name: "docker_build", parameters: { image: "{{image}}" } },
    {
      step_id: "deploy",
      tool_name: "kubectl_apply",
      parameters: { image: "{{build.image_id}}", replicas: "{{replicas}}" },
      retry_count: 1,
      retry_delay: 0.01,
    },
    {
      step_id: "cleanup",
      tool_name: "cleanup",
      parameters: { id: "{{build.image_id}}", reason: "{{deploy.error}}" },
      depends_on: ["deploy"],
      condition: "{{deploy.success}} == False",
    },
  ],
};

async function files(dir: string): Promise<string[]> {
  return (await readdir(dir)).sort();
}

async function expectedOf(file: string, emit: "json" | "ts"): Promise<Map<string, string>> {
  const parsed = await parseLibraryFile(await readFile(file, "utf8"));
  if (!parsed.ok) throw new Error("fixture does not parse");
  const migration = migrate([{ file, workflows: parsed.workflows }]);
  if (emit === "json")
    return new Map(migration.workflows.map((w) => [`${w.name}.workflow.json`, `${JSON.stringify(w.template.toJSON(), null, 2)}\n`]));
  return new Map(migrationModules(migration, (n) => `${n}.ts`).map((m) => [m.fileName, m.source]));
}

describe.concurrent("weave migrate", () => {
  it("prints one workflow in the current format, and says on stderr which hidden dependencies --emit ts makes explicit", async () => {
    const dir = await workdir("stdout-json");
    await mkdir(dir, { recursive: true });
    const file = join(dir, "deploy.json");
    await writeFile(file, JSON.stringify(DEPLOY, null, 2));
    const { code, stdout, stderr } = await weave(["migrate", file]);
    expect(code).toBe(0);
    expect(stdout).toBe((await expectedOf(file, "json")).get("deploy.workflow.json"));
    const template = JSON.parse(stdout);
    expect(template.steps.map((s: { id: string; dependsOn: string[] }) => [s.id, s.dependsOn])).toEqual([
      ["build", []],
      ["deploy", []],
      ["cleanup", ["deploy"]],
    ]);
    expect(template.steps[1]).toMatchObject({ maxRetries: 1, retryDelayMs: 10 });
    expect(template.steps[2].condition).toBe("{{deploy.success}} == false");
    expect(template.category).toBe("deployment");
    expect(template.inputs.properties).toEqual({ image: {}, replicas: {} });
    expect(stderr.split("\n")).toEqual([
      `${file}:15:5: warning: workflow "deploy": steps[1] "deploy" reads "build" without depending on it: a race (weave lint: hidden-dependency); --emit ts makes it a dependency`,
      `${file}:25:5: warning: workflow "deploy": steps[2] "cleanup" reads "build" without depending on it: a race (weave lint: hidden-dependency); --emit ts makes it a dependency`,
      "",
    ]);
  });

  it("--emit ts prints DSL source whose references are the dependencies, and says so once per case", async () => {
    const dir = await workdir("stdout-ts");
    await mkdir(dir, { recursive: true });
    const file = join(dir, "deploy.json");
    await writeFile(file, JSON.stringify(DEPLOY, null, 2));
    const { code, stdout, stderr } = await weave(["migrate", file, "--emit", "ts"]);
    expect(code).toBe(0);
    expect(stdout).toBe((await expectedOf(file, "ts")).get("deploy.ts"));
    expect(stdout).toContain(
      'const deployStep = step("deploy").tool(kubectlApply).with({ image: buildStep.out.image_id, replicas: input.replicas })',
    );
    expect(stdout).toContain(".retry({ max: 1, delayMs: 10 })");
    expect(stdout).toContain(
      '  step("cleanup").tool(cleanup).with({ id: buildStep.out.image_id, reason: deployStep.out.error })\n    .when(failed(deployStep));\n',
    );
    expect(stderr.split("\n")).toEqual([
      `${file}:15:5: warning: workflow "deploy": steps[1] "deploy" read "build" without depending on it: it now waits for it`,
      `${file}:25:5: warning: workflow "deploy": steps[2] "cleanup" read "build" without depending on it: it now waits for it`,
      "",
    ]);
  });

  it("--out writes one file per workflow, atomically, for a list, { workflows } and a name → workflow map", async () => {
    const out = await workdir("out");
    const inputs = ["guide-basics.json", "guide-advanced.json", "guide-composition.json"].map((f) => join(FIXTURES, f));
    const json = await weave(["migrate", ...inputs, "--out", out]);
    expect(json.code).toBe(0);
    const expected = new Map<string, string>();
    for (const f of inputs) for (const [k, v] of await expectedOf(f, "json")) expected.set(k, v);
    expect(await files(out)).toEqual([...expected.keys()].sort());
    for (const [name, content] of expected) expect(await readFile(join(out, name), "utf8"), name).toBe(content);
    expect(json.stderr.split("\n").filter(Boolean)).toEqual([
      // the guide's error recovery: its cleanup reads the failed deploy's result
      expect.stringMatching(
        /guide-advanced\.json:49:9: warning: workflow "deploy_with_cleanup": steps\[1\] "cleanup" runs only when "deploy" failed, but reads "\{\{deploy\.resource_id\}\}" from its result: .* \(weave lint: failed-step-result\)/,
      ),
      ...[...expected.keys()].map((k) => `wrote ${join(out, k)}`),
    ]);

    const ts = await weave(["migrate", join(FIXTURES, "guide-composition.json"), "--out", out, "--emit", "ts"]);
    expect(ts.code).toBe(0);
    expect(await readFile(join(out, "nightly_maintenance.ts"), "utf8")).toContain('import { databaseBackup } from "./database_backup.js";');
    expect(await readFile(join(out, "nightly_maintenance.ts"), "utf8")).toContain(
      'step("backup").workflow(databaseBackup).with({ db: input.database_name });',
    );
  });

  it("the guide's error recovery: a note on stderr (--emit json), and a comment above the handler (--emit ts), on ToolError and .error", async () => {
    const dir = await workdir("error-recovery");
    await mkdir(dir, { recursive: true });
    const file = join(dir, "recovery.json");
    // SEED-GUIDE "Error Recovery" and Best Practice 4, with the deploy they handle
    const guide = {
      name: "deploy_with_cleanup",
      description: "Deploy; clean up resources if the deployment fails",
      steps: [
        { step_id: "deploy", tool_name: "kubectl_apply", parameters: { manifest: "{{manifest}}" } },
        {
          id: "cleanup",
          tool_name: "cleanup_resources",
          parameters: { resource_id: "{{deploy.resource_id}}" },
          depends_on: ["deploy"],
          condition: "{{deploy.success}} == False",
          description: "Cleanup after failed deployment",
        },
        {
          id: "cleanup_on_failure",
          tool_name: "cleanup",
          depends_on: ["deploy"],
          condition: "{{deploy.success}} == False",
          description: "Cleanup resources if deployment fails",
        },
      ],
    };
    await writeFile(file, JSON.stringify(guide, null, 2));
    const json = await weave(["migrate", file]);
    expect(json.code).toBe(0);
    expect(json.stderr.split("\n")).toEqual([
      `${file}:12:5: warning: workflow "deploy_with_cleanup": steps[1] "cleanup" runs only when "deploy" failed, but reads "{{deploy.resource_id}}" from its result: a failed step has a result only when its tool throws ToolError(message, { result }), otherwise the reference cannot resolve and this step fails too (weave lint: failed-step-result). read "{{deploy.error}}" (the failure's message) instead, or have the tool throw a ToolError whose result has that field`,
      "",
    ]);
    const ts = await weave(["migrate", file, "--emit", "ts"]);
    expect(ts.code).toBe(0);
    const note = `this step runs only when "deploy" failed, but reads resource_id of its result: a failed step has a result only when its tool's run throws fail(message, { result }) (a ToolError); otherwise the reference cannot resolve and this step fails too. read .error of "deploy" (the failure's message) instead, or make the tool fail with a result that has that field`;
    expect(ts.stdout).toContain(
      `  // TODO(migrate): ${note}\n  step("cleanup").tool(cleanupResources).with({ resource_id: deployStep.out.resource_id })\n`,
    );
    expect(ts.stdout.match(/TODO\(migrate\): this step runs only when/g)).toHaveLength(1); // cleanup_on_failure reads nothing
    expect(ts.stderr.split("\n")).toEqual([`${file}:12:5: warning: workflow "deploy_with_cleanup": steps[1] "cleanup": ${note}`, ""]);
  });

  it("refuses to overwrite: nothing is written when any target exists, unless --force", async () => {
    const out = await workdir("force");
    await mkdir(out, { recursive: true });
    await writeFile(join(out, "deploy_multi_region.workflow.json"), "mine\n");
    const input = join(FIXTURES, "guide-basics.json");
    const refused = await weave(["migrate", input, "--out", out]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      `weave: a file to write already exists; nothing was written:\n  ${join(out, "deploy_multi_region.workflow.json")}\n  pass --force to overwrite, or choose another --out directory\n`,
    );
    expect(refused.stderr).not.toMatch(STACK);
    expect(await files(out)).toEqual(["deploy_multi_region.workflow.json"]);
    expect(await readFile(join(out, "deploy_multi_region.workflow.json"), "utf8")).toBe("mine\n");

    const forced = await weave(["migrate", input, "--out", out, "--force"]);
    expect(forced.code).toBe(0);
    expect(await files(out)).toEqual([
      "deploy_multi_region.workflow.json",
      "deploy_to_staging.workflow.json",
      "github_pr_workflow.workflow.json",
    ]);
    expect(JSON.parse(await readFile(join(out, "deploy_multi_region.workflow.json"), "utf8")).name).toBe("deploy_multi_region");
  });

  it("reports invalid input located, for every file, exits 2 without a stack trace and writes nothing", async () => {
    const dir = await workdir("invalid");
    await mkdir(dir, { recursive: true });
    const good = join(dir, "good.json");
    const broken = join(dir, "broken.json");
    const wrong = join(dir, "wrong.json");
    await writeFile(good, JSON.stringify(DEPLOY));
    await writeFile(broken, '{ "name": "x",\n  "steps": [ }');
    await writeFile(
      wrong,
      JSON.stringify(
        {
          name: "w",
          steps: [
            { step_id: "a", parameters: {} },
            { step_id: "b", tool_name: "t", depends_on: ["nope"] },
          ],
        },
        null,
        2,
      ),
    );
    const out = join(dir, "out");
    const { code, stdout, stderr } = await weave(["migrate", good, broken, wrong, join(dir, "missing.json"), "--out", out]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).not.toMatch(STACK);
    expect(stderr.split("\n")).toEqual([
      expect.stringMatching(new RegExp(`^${broken}:2:14: error: invalid JSON: unexpected token '}'`)),
      `${wrong}:4:5: error: steps[0].toolName ("w"): "toolName" is missing in step "a". it is required`,
      `${wrong}:8:5: error: steps[1].dependsOn[0] ("w"): step "b" depends on "nope", which does not exist. steps are "a", "b"`,
      `${join(dir, "missing.json")}: error: cannot read it: no such file`,
      "weave: nothing was migrated (4 problems)",
      "",
    ]);
    expect(await files(dir)).toEqual(["broken.json", "good.json", "wrong.json"]);
  });

  it("usage errors exit 2: several workflows without --out, one name in two files, --force without --out", async () => {
    const dir = await workdir("usage");
    await mkdir(dir, { recursive: true });
    const a = join(dir, "a.json");
    const b = join(dir, "b.json");
    await writeFile(a, JSON.stringify(DEPLOY));
    await writeFile(b, JSON.stringify([DEPLOY]));
    const several = await weave(["migrate", join(FIXTURES, "guide-basics.json")]);
    expect(several).toMatchObject({ code: 2, stdout: "" });
    expect(several.stderr).toContain("holds 3 workflows: write them with --out <dir>, one file each");
    const twice = await weave(["migrate", a, b, "--out", join(dir, "out")]);
    expect(twice).toMatchObject({ code: 2, stdout: "" });
    expect(twice.stderr).toMatch(
      new RegExp(`^${b}:1:2: error: workflow "deploy": a workflow of this name is also in ${a}: names must be unique\n$`),
    );
    const force = await weave(["migrate", a, "--force"]);
    expect(force).toMatchObject({ code: 2, stderr: "weave: --force applies only with --out <dir>\n" });
    const emit = await weave(["migrate", a, "--emit", "yaml"]);
    expect(emit.code).toBe(2);
    expect(emit.stderr).toContain("'yaml' is invalid");
    for (const r of [several, twice, force, emit]) expect(r.stderr).not.toMatch(STACK);
    expect(await files(dir)).toEqual(["a.json", "b.json"]);
  });

  it("the migrated TypeScript runs with the original's tools, to the same outcome (the failure handler runs)", async () => {
    // as DEPLOY, but deploy depends on build (cleanup reads build through deploy): the original runs as meant
    const runnable = { ...DEPLOY, steps: DEPLOY.steps.map((s) => (s.step_id === "deploy" ? { ...s, depends_on: ["build"] } : s)) };
    const original = join(RUNS, "deploy.json");
    await writeFile(original, JSON.stringify(runnable, null, 2));
    const tools = join(RUNS, "tools.mjs");
    await writeFile(
      tools,
      `export default {
  docker_build: ({ image }) => ({ image_id: "sha256:" + image }),
  kubectl_apply: ({ replicas }) => { throw new Error("cannot apply " + replicas + " replicas"); },
  cleanup: ({ id, reason }) => ({ cleaned: id, because: reason }),
};\n`,
    );
    const ts = await weave(["migrate", original, "--emit", "ts", "--out", RUNS, "--force"]);
    expect(ts.code).toBe(0);
    const vars = ["--var", "image=app", "--var", "replicas=3", "--json"];
    const before = await weave(["run", relativeToRoot(original), "--tools", relativeToRoot(tools), ...vars]);
    const after = await weave(["run", relativeToRoot(join(RUNS, "deploy.ts")), "--tools", relativeToRoot(tools), ...vars]);
    const outcome = (r: { stdout: string }) => {
      const result = JSON.parse(r.stdout);
      return {
        status: result.status,
        completed: result.completedSteps.map((s: { id: string }) => s.id).sort(),
        failed: result.failedSteps.map((s: { id: string; error: string; attempts: number }) => [s.id, s.error, s.attempts]),
      };
    };
    expect(before.code, before.stderr).toBe(1);
    expect(after.code, after.stderr).toBe(1);
    expect(outcome(after)).toEqual(outcome(before));
    expect(outcome(after)).toEqual({
      status: "failed",
      completed: ["build", "cleanup"],
      failed: [["deploy", "cannot apply 3 replicas", 2]],
    });
    expect(ts.stderr).toContain(
      `steps[2] "cleanup" read "build" without depending on it directly (it waited for it through "deploy"): the dependency is now declared`,
    );
  }, 60_000);
});

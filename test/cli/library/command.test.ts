// `weave library` as users run it: a real `node bin/weave.js` process, a real library file, exit codes and output.
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, STACK, weave, useWorkdirs } from "../weave-process.js";

const F = join(ROOT, "test/cli/fixtures");
const { workdir } = useWorkdirs("weave-library-");

/** A fresh working directory whose default library file is `.weave/library.json`. */
async function cwd(name: string): Promise<string> {
  const dir = await workdir(name);
  await mkdir(dir, { recursive: true });
  return dir;
}

const namesIn = (json: string): string[] => (JSON.parse(json) as { name: string }[]).map((w) => w.name);
const fileNames = async (file: string): Promise<string[]> =>
  (JSON.parse(await readFile(file, "utf8")) as { workflows: { name: string }[] }).workflows.map((w) => w.name);

describe.concurrent("weave library: reading", () => {
  it("list: a table of every workflow, built-in or custom; --category; --json", async () => {
    const { code, stdout, stderr } = await weave(["library", "list"], { cwd: await cwd("list") });
    expect([code, stderr]).toEqual([0, ""]);
    expect(stdout).toMatch(/^name +category +steps +origin +tools$/m);
    expect(stdout).toMatch(/^deploy_to_staging +deployment +4 +builtin +docker_build, docker_push, kubectl_apply, cleanup_resources$/m);
    expect(stdout.trim().split("\n")).toHaveLength(11);
    const json = await weave(["library", "list", "--category", "deployment", "--json"], { cwd: await cwd("list-json") });
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual([
      expect.objectContaining({
        name: "deploy_multi_region",
        category: "deployment",
        steps: 6,
        origin: "builtin",
        tools: ["docker_build", "docker_push", "kubectl_apply", "http_health_check"],
      }),
      expect.objectContaining({ name: "deploy_to_staging", origin: "builtin" }),
    ]);
    const none = await weave(["library", "list", "--category", "nope"], { cwd: await cwd("list-none") });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('weave: no workflows in category "nope". categories are "ci", "communication", "data", "database"');
  });

  it("search: words in any order, typos, filters, ranked; 1 when nothing matches, 2 without criteria", async () => {
    const dir = await cwd("search");
    const ranked = await weave(["library", "search", "kubernetes", "deploy", "--json"], { cwd: dir });
    expect(ranked.code).toBe(0);
    expect(namesIn(ranked.stdout).slice(0, 2)).toEqual(["deploy_to_staging", "deploy_multi_region"]);
    const typo = await weave(["library", "search", "bakcup", "--category", "database"], { cwd: dir });
    expect(typo.code).toBe(0);
    expect(typo.stdout).toMatch(/^database_backup +database/m);
    const tool = await weave(["library", "search", "--tool", "kubectl", "--category", "operations", "--json"], { cwd: dir });
    expect(namesIn(tool.stdout)).toEqual(["incident_response"]);
    const none = await weave(["library", "search", "zebra"], { cwd: dir });
    expect([none.code, none.stdout, none.stderr]).toEqual([1, "", "weave: no workflow matches\n"]);
    const usage = await weave(["library", "search"], { cwd: dir });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("weave: library search needs words, --category or --tool");
  });

  it("show: description, inputs, steps with their dependencies, outputs; --json; 1 with a guess for an unknown name", async () => {
    const dir = await cwd("show");
    const { code, stdout } = await weave(["library", "show", "deploy_to_staging"], { cwd: dir });
    expect(code).toBe(0);
    expect(stdout).toContain("deploy_to_staging  (builtin, category deployment)\nDeploy application to staging environment");
    expect(stdout).toMatch(/^ {2}image +string +required +name:tag$/m);
    expect(stdout).toMatch(/^ {2}manifest +string +default "k8s\/staging.yaml"$/m);
    expect(stdout).toMatch(/^ {2}push +docker_push +after build$/m);
    expect(stdout).toMatch(/^ {2}cleanup +cleanup_resources +after push, deploy; when \{\{deploy.success\}\} == false$/m);
    expect(stdout).toMatch(/^outputs:\n {2}url +\{\{deploy.url\}\}$/m);
    const json = JSON.parse((await weave(["library", "show", "database_migration", "--json"], { cwd: dir })).stdout) as {
      origin: string;
      workflow: { steps: { toolName: string; parameters: { workflow?: string } }[] };
    };
    expect(json.origin).toBe("builtin");
    expect(json.workflow.steps[0]).toMatchObject({ toolName: "execute_workflow", parameters: { workflow: "database_backup" } });
    const unknown = await weave(["library", "show", "deploy_to_stagin"], { cwd: dir });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(
      'weave: no workflow named "deploy_to_stagin" in the built-ins or .weave/library.json. did you mean "deploy_to_staging"?',
    );
  });

  it("export: the template JSON on stdout, or written to --out", async () => {
    const dir = await cwd("export");
    const { code, stdout } = await weave(["library", "export", "github_pr_workflow"], { cwd: dir });
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      version: 1,
      name: "github_pr_workflow",
      steps: [{ id: "list_issues" }, { id: "create_pr" }, { id: "notify" }],
    });
    const out = await weave(["library", "export", "github_pr_workflow", "--out", "out/pr.workflow.json"], { cwd: dir });
    expect([out.code, out.stderr]).toEqual([0, "wrote out/pr.workflow.json\n"]);
    expect(await readFile(join(dir, "out/pr.workflow.json"), "utf8")).toBe(stdout);
    expect((await weave(["library", "export", "nope"], { cwd: dir })).code).toBe(1);
  });

  it("a broken library file is named with the line and column of each problem (exit 2, no stack trace)", async () => {
    const dir = await cwd("broken");
    await writeFile(join(dir, "lib.json"), '{ "version": 1, "workflows": [\n  { "name": "x", "steps": [] }\n] }\n');
    const { code, stderr } = await weave(["library", "list", "--library", "lib.json"], { cwd: dir });
    expect(code).toBe(2);
    expect(stderr).toContain(
      'weave: cannot read workflow library "lib.json" (1 problem):\n  lib.json:2:18: workflows[0].steps ("x"): "steps" must not be empty. a workflow needs at least one step',
    );
    expect(stderr).not.toMatch(STACK);
  });
});

describe.concurrent("weave library add", () => {
  it("adds every workflow a TypeScript file exports (read statically), or the one --workflow names; list shows them", async () => {
    const dir = await cwd("add-ts");
    const one = await weave(["library", "add", join(F, "library/release.ts"), "--workflow", "releasePackage"], { cwd: dir });
    expect([one.code, one.stdout, one.stderr]).toEqual([0, "", 'added workflow "release_package" (2 steps) in .weave/library.json\n']);
    expect(await fileNames(join(dir, ".weave/library.json"))).toEqual(["release_package"]);
    const all = await weave(["library", "add", join(F, "library/release.ts")], { cwd: dir });
    expect(all.code).toBe(0);
    expect(all.stderr).toBe(
      'unchanged: workflow "release_package" (2 steps) in .weave/library.json\nadded workflow "release_twice" (2 steps) in .weave/library.json\n',
    );
    const list = await weave(["library", "list"], { cwd: dir });
    expect(list.stdout).toMatch(/^release_package +release +2 +custom +git_tag, npm_publish$/m);
    const show = await weave(["library", "show", "release_twice"], { cwd: dir });
    expect(show.stdout).toMatch(/^ {2}second +workflow release_package +after first$/m);
  });

  it("adds a JSON template in the original format; --library and $WEAVE_LIBRARY choose the file", async () => {
    const dir = await cwd("add-json");
    const flag = await weave(["library", "add", join(F, "legacy.json"), "--library", "custom/lib.json"], { cwd: dir });
    expect(flag.code).toBe(0);
    expect(await fileNames(join(dir, "custom/lib.json"))).toEqual(["legacy_pipeline"]);
    const env = await weave(["library", "add", join(F, "library/release.ts"), "--workflow", "release_package"], {
      cwd: dir,
      env: { WEAVE_LIBRARY: join(dir, "env.json") },
    });
    expect(env.code).toBe(0);
    expect(await fileNames(join(dir, "env.json"))).toEqual(["release_package"]);
    expect(existsSync(join(dir, ".weave"))).toBe(false);
    const show = await weave(["library", "show", "legacy_pipeline", "--library", "custom/lib.json"], { cwd: dir });
    expect(show.stdout).toContain("legacy_pipeline  (custom, category ops)");
  });

  it("refuses a workflow with lint errors (exit 1, findings printed, nothing written)", async () => {
    const dir = await cwd("add-lint");
    const { code, stdout, stderr } = await weave(["library", "add", join(F, "library/racy.json")], { cwd: dir });
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toContain(
      'error: step "b" reads "{{a.out}}", but "a" is not ordered before it. add "a" to dependsOn [hidden-dependency]',
    );
    expect(stderr).toContain("weave: not added: ");
    expect(existsSync(join(dir, ".weave/library.json"))).toBe(false);
  });

  it("refuses an invalid template with its line and column, and a missing file (exit 2)", async () => {
    const dir = await cwd("add-invalid");
    await writeFile(join(dir, "bad.json"), '{ "name": "x", "steps": [ { "id": "a" "toolName": "t" } ] }');
    const bad = await weave(["library", "add", "bad.json"], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^bad\.json:1:39: invalid JSON: expected ',' or '}' after property value$/m);
    const missing = await weave(["library", "add", "missing.ts"], { cwd: dir });
    expect([missing.code, missing.stderr]).toEqual([2, 'weave: cannot read workflow file "missing.ts": no such file\n']);
  });

  it("refuses to replace a different custom workflow of the same name (exit 1, nothing added) unless --replace", async () => {
    const dir = await cwd("add-replace");
    expect((await weave(["library", "add", join(F, "legacy.json")], { cwd: dir })).code).toBe(0);
    const before = await readFile(join(dir, ".weave/library.json"), "utf8");
    const changed = JSON.parse(await readFile(join(F, "legacy.json"), "utf8")) as { metadata: { category: string } };
    changed.metadata.category = "changed";
    await writeFile(join(dir, "legacy-v2.json"), JSON.stringify(changed));
    const refused = await weave(["library", "add", "legacy-v2.json"], { cwd: dir });
    expect([refused.code, refused.stdout]).toEqual([1, ""]);
    expect(refused.stderr).toBe(
      'weave: not added: a different workflow named "legacy_pipeline" is already in .weave/library.json; nothing was added\n' +
        "  add again with --replace to replace it, or rename yours (weave library show <name> shows what is there)\n",
    );
    expect(await readFile(join(dir, ".weave/library.json"), "utf8")).toBe(before);
    // the same workflow again is no clash
    const same = await weave(["library", "add", join(F, "legacy.json")], { cwd: dir });
    expect([same.code, same.stderr]).toEqual([0, 'unchanged: workflow "legacy_pipeline" (2 steps) in .weave/library.json\n']);
    const replaced = await weave(["library", "add", "legacy-v2.json", "--replace"], { cwd: dir });
    expect([replaced.code, replaced.stderr]).toEqual([0, 'replaced workflow "legacy_pipeline" (2 steps) in .weave/library.json\n']);
    expect((await weave(["library", "show", "legacy_pipeline"], { cwd: dir })).stdout).toContain("(custom, category changed)");
  });

  it("takes a built-in's name only with --shadow-builtin", async () => {
    const dir = await cwd("add-shadow");
    const refused = await weave(["library", "add", join(F, "library/shadow.json")], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      'weave: "deploy_to_staging" is the name of a built-in workflow; nothing was added\n  rename yours, or add it with --shadow-builtin',
    );
    const shadowed = await weave(["library", "add", join(F, "library/shadow.json"), "--shadow-builtin"], { cwd: dir });
    expect(shadowed.code).toBe(0);
    const list = await weave(["library", "list", "--category", "deployment"], { cwd: dir });
    expect(list.stdout).toMatch(/^deploy_to_staging +deployment +1 +custom +helm_upgrade$/m);
  });

  it("two processes adding to one library at once: both workflows are kept", async () => {
    const dir = await cwd("add-concurrent");
    const [a, b] = await Promise.all([
      weave(["library", "add", join(F, "library/release.ts"), "--workflow", "release_package"], { cwd: dir }),
      weave(["library", "add", join(F, "legacy.json")], { cwd: dir }),
    ]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(await fileNames(join(dir, ".weave/library.json"))).toEqual(["legacy_pipeline", "release_package"]);
  });
});

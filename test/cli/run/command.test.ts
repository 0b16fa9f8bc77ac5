// `weave run` as users run it: a real `node bin/weave.js` process, real files, exit codes and output.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cleanEnv, ROOT, STACK, weave, useWorkdirs } from "../weave-process.js";

const F = "test/cli/fixtures";
const TOOLS = ["--tools", `${F}/tools.ts`];

const { workdir, root: tempRoot } = useWorkdirs("weave-cli-");

describe.concurrent("weave run", () => {
  it("runs a workflow: tools do their work, variables keep their JSON types, outputs are printed", async () => {
    const wd = await workdir("deploy");
    const vars = ["--var", `workdir=${wd}`, "--var", "replicas=3", "--var", "flags=[1,2]", "--var", "on=true", "--var", "env=prod"];
    const { code, stdout, stderr } = await weave(["run", `${F}/deploy.json`, ...TOOLS, ...vars]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(await readFile(join(wd, "config.txt"), "utf8")).toBe("replicas=3");
    expect(JSON.parse(await readFile(join(wd, "params.json"), "utf8"))).toEqual({
      dir: wd,
      replicas: 3,
      flags: [1, 2],
      on: true,
      env: "prod",
      bytes: 10,
    });
    const lines = stdout.split("\n");
    expect(lines[0]).toMatch(/^✔ prepare {2}write_file {5}\d+ ms$/);
    expect(lines[1]).toMatch(/^✔ record {3}record_params {2}\d+ ms$/);
    expect(stdout).toMatch(/^step +tool +status +attempts +duration +detail$/m);
    expect(stdout).toMatch(/^prepare +write_file +completed +1 +\d+ ms$/m);
    expect(stdout).toMatch(/^record +record_params +completed +1 +\d+ ms$/m);
    // a chain: no speedup to speak of, so none is shown
    expect(stdout).toMatch(/^completed in \d+ ms$/m);
    expect(stdout).toContain(`outputs:\n${JSON.stringify({ file: join(wd, "config.txt"), replicas: 3 }, null, 2)}\n`);
    expect(stdout).not.toContain("\x1b[");
  });

  it("reports a failing step, its retries and the steps skipped because of it, and exits 1", async () => {
    const wd = await workdir("failing");
    const { code, stdout, stderr } = await weave(["run", `${F}/failing.json`, ...TOOLS, "--var", `workdir=${wd}`]);
    expect(code).toBe(1);
    expect(stderr).toBe("");
    expect(stdout).toMatch(/^↻ push +fail +attempt 1 failed: registry said no; retrying in 0 ms$/m);
    expect(stdout).toMatch(/^✖ push +fail +\d+ ms +failed: registry said no \(3 attempts\)$/m);
    expect(stdout).toMatch(/^↷ notify +write_file +skipped: dependency "push" failed$/m);
    expect(stdout).toMatch(/^✔ flaky-test +flaky +\d+ ms +\(2 attempts\)$/m);
    expect(stdout).toMatch(/^build +write_file +completed +1 +\d+ ms$/m);
    expect(stdout).toMatch(/^flaky-test +flaky +completed +2 +\d+ ms$/m);
    expect(stdout).toMatch(/^push +fail +failed +3 +\d+ ms {2}registry said no$/m);
    expect(stdout).toMatch(/^notify +write_file +skipped +0 +- {2}dependency "push" failed$/m);
    expect(stdout).toMatch(/^failed in \d+ ms: step "push" failed: registry said no$/m);
    expect(existsSync(join(wd, "image.txt"))).toBe(true);
    expect(existsSync(join(wd, "notified.txt"))).toBe(false);
  });

  it("shows a map step as one line with its items' progress, and its items' retries, in plain lines", async () => {
    const wd = await workdir("map");
    const vars = ["--var", `workdir=${wd}`, "--var", 'regions=["eu","us","ap"]'];
    const { code, stdout, stderr } = await weave(["run", `${F}/map.json`, ...TOOLS, ...vars]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(await readFile(join(wd, "us.txt"), "utf8")).toBe("1");
    expect(stdout).toMatch(/^▶ write {2}write_file {2}\d+ ms +\[1\/3\]/m);
    expect(stdout).toMatch(/^✔ write {2}write_file {2}\d+ ms +\[3\/3\]$/m);
    // each item of check fails its first attempt
    expect(stdout).toMatch(/^↻ check {2}flaky +item 0, attempt 1 failed: flaked on attempt 1; retrying in 0 ms$/m);
    expect(stdout).toMatch(/^✔ check {2}flaky +\d+ ms +\[3\/3\] \(3 retries\)$/m);
    expect(stdout).toMatch(/^write +write_file +completed +3 +\d+ ms {2}3 items$/m);
    expect(stdout).toMatch(/^check +flaky +completed +6 +\d+ ms {2}3 items$/m);
  });

  it("checks a map step's list before the run; its item and index are not variables to set", async () => {
    const wd = await workdir("map-typo");
    const { code, stdout, stderr } = await weave(["run", `${F}/map.json`, ...TOOLS, "--var", `workdir=${wd}`, "--var", 'region=["eu"]']);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toBe(
      `${F}/map.json: steps[0].forEach: variable "regions" is not set. did you mean "region"? (set: "workdir", "region")\nnothing was run: fix this and run again\n`,
    );
  });

  it("--json prints only the execution result", async () => {
    const wd = await workdir("json");
    const { code, stdout } = await weave([
      "run",
      `${F}/deploy.json`,
      ...TOOLS,
      "--json",
      "--var",
      `workdir=${wd}`,
      "--var",
      "replicas=2",
      "--var",
      "flags=[]",
      "--var",
      "on=false",
      "--var",
      "env=dev",
    ]);
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

  it("--json of a failed run has each step's status, and exits 1", async () => {
    const wd = await workdir("json-failing");
    const { code, stdout } = await weave(["run", `${F}/failing.json`, ...TOOLS, "--json", "--var", `workdir=${wd}`]);
    expect(code).toBe(1);
    const result = JSON.parse(stdout);
    expect(result.status).toBe("failed");
    expect(result.error).toBe('step "push" failed: registry said no');
    expect(result.completedSteps.map((s: { id: string }) => s.id).sort()).toEqual(["build", "flaky-test"]);
    expect(result.failedSteps).toMatchObject([{ id: "push", error: "registry said no", attempts: 3 }]);
    expect(result.skippedSteps).toEqual([{ id: "notify", reason: 'dependency "push" failed' }]);
  });

  it("runs a template in the original snake_case format", async () => {
    const wd = await workdir("legacy");
    const { code, stdout } = await weave(["run", `${F}/legacy.json`, ...TOOLS, "--var", `workdir=${wd}`]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^record +record_params +completed/m);
    expect(await readFile(join(wd, "legacy.txt"), "utf8")).toBe("old");
  });

  it("reads --vars from a file, and --var overrides it", async () => {
    const wd = await workdir("vars-file");
    const varsFile = join(tempRoot(), "vars.json");
    await writeFile(varsFile, JSON.stringify({ workdir: wd, replicas: 1, flags: ["a"], on: false, env: "staging" }));
    const { code } = await weave(["run", `${F}/deploy.json`, ...TOOLS, "--vars", varsFile, "--var", "replicas=5"]);
    expect(code).toBe(0);
    expect(JSON.parse(await readFile(join(wd, "params.json"), "utf8"))).toMatchObject({
      replicas: 5,
      flags: ["a"],
      on: false,
      env: "staging",
    });
  });

  it("--log writes one JSON line per tool call", async () => {
    const wd = await workdir("log");
    const log = join(wd, "logs", "calls.jsonl");
    const { code } = await weave(["run", `${F}/failing.json`, ...TOOLS, "--var", `workdir=${wd}`, "--log", log]);
    expect(code).toBe(1);
    const records = (await readFile(log, "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { stepId: string; success: boolean; attempt: number });
    // build 1 call, flaky-test 2, push 3 (retries included), notify none
    expect(records).toHaveLength(6);
    expect(records.filter((r) => r.stepId === "push").map((r) => [r.attempt, r.success])).toEqual([
      [1, false],
      [2, false],
      [3, false],
    ]);
    expect(records.filter((r) => r.stepId === "flaky-test").map((r) => r.success)).toEqual([false, true]);
  });

  it("runs nothing when a step's tool is not in the tools module, naming the step and the tools it has", async () => {
    const { code, stdout, stderr } = await weave(["run", `${F}/unknown-tool.json`, ...TOOLS]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain(
      `${F}/unknown-tool.json: steps[0].toolName: unknown tool "deploy_app". the tools module ${TOOLS[1]} exports "fail", "flaky", "record_params", "wait_for_cancel", "write_file"`,
    );
    expect(stderr).toContain("nothing was run");
  });

  it("prints no colour or cursor escapes when NO_COLOR is set or stdout is not a terminal", async () => {
    const wd = await workdir("no-color");
    const { stdout, stderr } = await weave(["run", `${F}/failing.json`, ...TOOLS, "--var", `workdir=${wd}`], { env: { NO_COLOR: "1" } });
    expect(stdout + stderr).not.toContain("\x1b[");
  });

  it("cancels the run on Ctrl-C: the running step fails, the rest are skipped", async () => {
    const wd = await workdir("cancel");
    const child = spawn(process.execPath, ["bin/weave.js", "run", `${F}/cancel.json`, ...TOOLS, "--var", `workdir=${wd}`], {
      cwd: ROOT,
      env: cleanEnv({}),
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    const started = join(wd, "started");
    while (!existsSync(started) && child.exitCode === null) await new Promise((r) => setTimeout(r, 20));
    child.kill("SIGINT");
    const code = await exited;
    clearTimeout(killer);
    expect(code).toBe(130); // cancelled by Ctrl-C: the shell's code for SIGINT
    expect(stderr).toContain("weave: interrupted: cancelling the run");
    expect(stdout).toMatch(/^✖ wait +wait_for_cancel +\d+ ms +failed: cancelled: interrupted \(SIGINT\)$/m);
    expect(stdout).toMatch(/^↷ after +write_file +skipped: cancelled: interrupted \(SIGINT\)$/m);
    expect(stdout).toMatch(/^cancelled after \d+ ms: interrupted \(SIGINT\)$/m);
  });
});

describe.concurrent("weave run: user mistakes exit 2 without a stack trace", () => {
  async function userError(args: string[]): Promise<string> {
    const { code, stdout, stderr } = await weave(args);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).not.toMatch(STACK);
    return stderr;
  }

  it("a template that is not valid JSON: file:line:col and the line", async () => {
    const stderr = await userError(["run", `${F}/broken.json`, ...TOOLS]);
    expect(stderr).toBe(
      [
        `${F}/broken.json:4:38: invalid JSON: expected double-quoted property name`,
        '  4 |     { "id": "a", "toolName": "fail", }',
        "    |                                      ^",
        "",
      ].join("\n"),
    );
  });

  it("a variables file that is not valid JSON", async () => {
    const stderr = await userError(["run", `${F}/deploy.json`, ...TOOLS, "--vars", `${F}/broken.json`]);
    expect(stderr).toMatch(/^test\/cli\/fixtures\/broken\.json:4:38: invalid JSON: /);
  });

  it("an invalid template: one line per problem, with its path", async () => {
    const stderr = await userError(["run", `${F}/cycle.json`, ...TOOLS]);
    expect(stderr.trim().split("\n")).toEqual([
      `${F}/cycle.json: steps[2].dependsOn[1]: step "c" depends on "missing", which does not exist. steps are "a", "b", "c"`,
      `${F}/cycle.json: steps[0].dependsOn: dependency cycle "a -> b -> c -> a": none of these steps can ever start. remove one of the dependencies to break the cycle`,
    ]);
  });

  it("a typo in a step id and a variable not set: every one named with its place and fix, and nothing runs", async () => {
    const wd = await workdir("mistakes");
    const stderr = await userError(["run", `${F}/mistakes.json`, ...TOOLS, "--var", `workdir=${wd}`, "--var", "ownr=me"]);
    expect(stderr.split("\n")).toEqual([
      `${F}/mistakes.json: steps[1].parameters.path: "{{wirte.path}}" refers to "wirte", which is neither a step nor a variable. did you mean step "write"?`,
      `${F}/mistakes.json: steps[1].parameters.owner: variable "owner" is not set. did you mean "ownr"? (set: "name", "workdir", "ownr")`,
      "nothing was run: fix these 2 and run again",
      "",
    ]);
    // the first step, which has no mistake of its own, did not run either: its file was never written
    expect(existsSync(join(wd, "out.txt"))).toBe(false);
  });

  it("a variable nobody sets: how to set it", async () => {
    const stderr = await userError(["run", `${F}/mistakes.json`, ...TOOLS, "--var", "owner=me"]);
    expect(stderr).toContain(
      `${F}/mistakes.json: steps[0].parameters.dir: variable "workdir" is not set. set it with --var workdir=<value> or in a --vars file`,
    );
  });

  it("a variable named like a step", async () => {
    const stderr = await userError(["run", `${F}/deploy.json`, ...TOOLS, "--var", "prepare=1"]);
    expect(stderr).toContain(`${F}/deploy.json: steps[0].id: variable "prepare" has the same name as step "prepare"`);
  });

  it("a template file that does not exist", async () => {
    expect(await userError(["run", "nope.json", ...TOOLS])).toBe('weave: cannot read template "nope.json": no such file\n');
  });

  it.each([
    ["missing.ts", /^weave: tools module "test\/cli\/fixtures\/missing\.ts" not found \(looked for .*missing\.ts\)\n/],
    ["no-default-tools.ts", /^weave: tools module "test\/cli\/fixtures\/no-default-tools\.ts" has no default export\n/],
    [
      "not-functions-tools.ts",
      /^weave: the default export of tools module ".*not-functions-tools\.ts" must map tool names to functions, but "version" \(string\) is not a function\n/,
    ],
  ])("a bad tools module: %s", async (module, message) => {
    const stderr = await userError(["run", `${F}/deploy.json`, "--tools", `${F}/${module}`]);
    expect(stderr).toMatch(message);
    expect(stderr).toContain("  a tools module default-exports an object of functions, for example:\n    export default {\n");
  });

  it("--var without =", async () => {
    expect(await userError(["run", `${F}/deploy.json`, ...TOOLS, "--var", "replicas"])).toContain(
      'weave: invalid --var "replicas": it has no "=". expecting name=value',
    );
  });

  it("--concurrency that is not a positive integer", async () => {
    expect(await userError(["run", `${F}/deploy.json`, ...TOOLS, "--concurrency", "0"])).toContain(
      'weave: --concurrency must be a positive integer, got "0"',
    );
  });

  it("no --tools", async () => {
    expect(await userError(["run", `${F}/deploy.json`])).toContain("weave: required option '--tools <module>' not specified");
  });

  it("an unknown command", async () => {
    expect(await userError(["deploy"])).toContain("weave: unknown command 'deploy'");
  });
});

describe.concurrent("weave help and version", () => {
  it("--version prints the package version", async () => {
    const pkg = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8")) as { version: string };
    expect(await weave(["--version"])).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: "" });
  });

  it("run --help lists the options and examples", async () => {
    const { code, stdout } = await weave(["run", "--help"]);
    expect(code).toBe(0);
    for (const option of [
      "--tools <module>",
      "--var <name=value>",
      "--vars <file>",
      "--json",
      "--concurrency <n>",
      "--fail-fast",
      "--log <file>",
    ]) {
      expect(stdout).toContain(option);
    }
    expect(stdout).toContain("$ weave run deploy.json --tools ./tools.js --var env=prod --var replicas=3");
  });
});

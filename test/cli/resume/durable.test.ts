// weave run --run-id and weave resume, end to end with real processes.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { appendFile, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FileJournalStore, WorkflowContext, WorkflowExecutor, WorkflowTemplate } from "toolweave";
import { cleanEnv, ROOT, WEAVE, useWorkdirs, weave } from "../weave-process.js";

const DURABLE = "test/cli/fixtures/ts/durable.ts";
const CRASH_TOOLS = join(ROOT, "test/fixtures/crash/tools.mjs");
const { workdir } = useWorkdirs("weave-cli-durable-");

const calls = async (dir: string): Promise<string[]> =>
  existsSync(join(dir, "calls.log")) ? (await readFile(join(dir, "calls.log"), "utf8")).trim().split("\n") : [];

describe.concurrent("weave run --run-id / weave resume", () => {
  it("a failed durable run is finished by weave resume: completed steps are not run again, the failed one is retried", async () => {
    const wd = await workdir("failed");
    await mkdir(wd, { recursive: true });
    const runs = join(wd, "runs");
    const first = await weave(["run", DURABLE, "--var", `dir=${wd}`, "--run-id", "fix-1", "--runs-dir", runs]);
    expect(first.code).toBe(1);
    expect(first.stdout).toMatch(/^check +check +failed +1 .*not fixed yet$/m);
    expect(await calls(wd)).toEqual(["fix-1:prepare", "fix-1:check"]);
    expect(existsSync(join(runs, "fix-1.jsonl"))).toBe(true);

    await writeFile(join(wd, "fixed"), "");
    const resumed = await weave(["resume", "fix-1", "--runs-dir", runs]);
    expect(resumed.stderr).toBe(
      `weave: resuming run "fix-1" (session 2, journal ${join(runs, "fix-1.jsonl")}): 1 of 3 steps done; failed, so retried: "check"\n`,
    );
    expect(resumed.code).toBe(0);
    expect(await calls(wd)).toEqual(["fix-1:prepare", "fix-1:check", "fix-1:check", "fix-1:finish"]);
    expect(resumed.stdout).toMatch(/^✔ prepare +note +\d+ ms +\(restored from the journal\)$/m);
    expect(resumed.stdout).toMatch(/^prepare +note +completed +1 +\d+ ms +restored from the journal$/m);
    // finish read check's result, and check read prepare's, restored from the journal
    expect(resumed.stdout).toContain(`outputs:\n${JSON.stringify({ text: "a!+c" }, null, 2)}`);

    // a completed run: its result, nothing run; a torn last line is reported and dropped
    const good = (await readFile(join(runs, "fix-1.jsonl"), "utf8")).trim().split("\n").length;
    await appendFile(join(runs, "fix-1.jsonl"), '{"type":"sta');
    const again = await weave(["resume", "fix-1", "--runs-dir", runs, "--json"]);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain(
      `weave: warning: journal ${join(runs, "fix-1.jsonl")}: line ${good + 1} is incomplete (a write cut short, e.g. by a crash); recovered the run up to line ${good}\n`,
    );
    expect(again.stderr).toMatch(/weave: run "fix-1" already completed \(.*\); nothing is run again/);
    const result = JSON.parse(again.stdout) as { status: string; outputs: unknown; journal: unknown };
    expect(result).toMatchObject({ status: "completed", outputs: { text: "a!+c" }, journal: { session: 2, restored: 3 } });
    expect(await calls(wd)).toHaveLength(4);
    // the same `weave run` command line again is a resume too
    const rerun = await weave(["run", DURABLE, "--var", `dir=${wd}`, "--run-id", "fix-1", "--runs-dir", runs]);
    expect(rerun.code).toBe(0);
    expect(await calls(wd)).toHaveLength(4);
  });

  it("one process at a time: a second resume (or run) of a running run is refused, naming the process", async () => {
    const wd = await workdir("locked");
    await mkdir(wd, { recursive: true });
    const runs = join(wd, "runs");
    await writeFile(join(wd, "hold"), "");
    await writeFile(join(wd, "fixed"), "");
    const child = spawn(process.execPath, [WEAVE, "run", DURABLE, "--var", `dir=${wd}`, "--run-id", "held", "--runs-dir", runs], {
      cwd: ROOT,
      env: cleanEnv(),
    });
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    while (!(await calls(wd)).includes("held:check")) await new Promise((r) => setTimeout(r, 20));
    const [resume, run] = await Promise.all([
      weave(["resume", "held", "--runs-dir", runs]),
      weave(["run", DURABLE, "--var", `dir=${wd}`, "--run-id", "held", "--runs-dir", runs]),
    ]);
    for (const other of [resume, run]) {
      expect(other.code).toBe(2);
      expect(other.stderr).toMatch(
        new RegExp(
          `^weave: run "held" is already being run by process ${child.pid} on host .* \\(lock ${join(runs, "held.lock")}\\)\\. wait for it to end, or stop it first\\n`,
        ),
      );
    }
    await rm(join(wd, "hold"));
    expect(await exited).toBe(0);
    expect(await calls(wd)).toEqual(["held:prepare", "held:check", "held:finish"]);
  });

  it("refuses to resume a run whose workflow file changed, saying what changed; and one with other variables", async () => {
    const wd = await workdir("changed");
    await mkdir(wd, { recursive: true });
    const runs = join(wd, "runs");
    const file = join(wd, "pair.workflow.json");
    const template = (ms: number) => ({
      version: 1,
      name: "pair",
      steps: [
        { id: "one", toolName: "work", parameters: { step: "one", inputs: [], ms: 1, dir: "{{dir}}" } },
        { id: "two", toolName: "work", parameters: { step: "two", inputs: ["{{one.value}}"], ms, dir: "{{dir}}" }, dependsOn: ["one"] },
      ],
    });
    await writeFile(file, JSON.stringify(template(1)));
    const first = await weave([
      "run",
      file,
      "--tools",
      CRASH_TOOLS,
      "--var",
      `dir=${wd}`,
      "--run-id",
      "pair",
      "--runs-dir",
      runs,
      "--fsync",
    ]);
    expect(first.code).toBe(0);
    await writeFile(file, JSON.stringify(template(2)));
    for (const args of [
      ["resume", "pair", "--runs-dir", runs],
      ["run", file, "--tools", CRASH_TOOLS, "--var", `dir=${wd}`, "--run-id", "pair", "--runs-dir", runs],
    ]) {
      const refused = await weave(args);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toBe(
        'weave: the workflow changed since run "pair" started: step "two": parameters changed. start a new run\n',
      );
    }
    await writeFile(file, JSON.stringify(template(1)));
    const other = await weave(["run", file, "--tools", CRASH_TOOLS, "--var", `dir=${wd}/x`, "--run-id", "pair", "--runs-dir", runs]);
    expect(other.code).toBe(2);
    expect(other.stderr).toBe(
      `weave: run "pair" was started with other variables: dir was ${JSON.stringify(wd)}, now ${JSON.stringify(`${wd}/x`)}. resume it with the same variables, or start a new run\n`,
    );
  });

  it("says what is wrong with a run id, a run that does not exist, and a run started from code", async () => {
    const wd = await workdir("mistakes");
    const runs = join(wd, "runs");
    const bad = await weave(["run", DURABLE, "--var", `dir=${wd}`, "--run-id", "../up"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^weave: --run-id: run id "\.\.\/up" cannot name a journal: use letters, digits/);
    const missing = await weave(["resume", "ghost", "--runs-dir", runs]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      `weave: no run "ghost" in ${runs} (looked for ${join(runs, "ghost.jsonl")})\n  a durable run is started with: weave run <file> --run-id ghost\n`,
    );

    // started with the API: no file to load; --tools runs the template kept in the journal
    const store = new FileJournalStore({ dir: runs });
    const wf = new WorkflowTemplate({
      name: "coded",
      steps: [{ id: "s", toolName: "work", parameters: { step: "s", inputs: [], ms: 1, dir: "{{dir}}" } }],
    });
    await mkdir(wd, { recursive: true });
    const failing = await new WorkflowExecutor({ tools: { work: () => Promise.reject(new Error("down")) } }).execute(
      wf,
      new WorkflowContext({ dir: wd }),
      undefined,
      { runId: "coded", journal: store },
    );
    expect(failing.status).toBe("failed");
    const noTools = await weave(["resume", "coded", "--runs-dir", runs]);
    expect(noTools.code).toBe(2);
    expect(noTools.stderr).toMatch(
      /^weave: run "coded" \(workflow "coded"\) was started from code, so there is no workflow file to load\n {2}pass --tools <module>/,
    );
    const withTools = await weave(["resume", "coded", "--runs-dir", runs, "--tools", CRASH_TOOLS, "--json"]);
    expect(withTools.code).toBe(0);
    expect(JSON.parse(withTools.stdout)).toMatchObject({ status: "completed", journal: { session: 2 } });
  });
});

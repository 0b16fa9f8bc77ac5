// `weave mine <log.jsonl>` as users run it: a real process, real files, exit codes and output.
import { spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readToolCallLog } from "../../../src/monitor/read-log.js";
import { emitWorkflowSource, PatternDetector, planWorkflow } from "../../../src/patterns/index.js";
import { ciRun, record } from "../../src/patterns/fixtures.js";
import { cleanEnv, ROOT, STACK, WEAVE, weave, useWorkdirs } from "../weave-process.js";

const { root } = useWorkdirs("weave-cli-mine-");

/** Five CI runs (see test/src/patterns/fixtures.ts), with a line that is not JSON and one that is not a record. */
async function ciLog(name = "ci.jsonl"): Promise<string> {
  const lines = [1, 2, 3, 4, 5].flatMap(ciRun).map((r) => JSON.stringify(r));
  lines.splice(3, 0, "{not json");
  lines.splice(
    8,
    0,
    JSON.stringify({ toolName: "x", stepId: "x", executionId: "e", attempt: 0, timestamp: 1, durationMs: 1, success: true }),
  );
  const file = join(root(), name);
  await writeFile(file, `${lines.join("\n")}\n`);
  return file;
}

describe.concurrent("weave mine", () => {
  it("prints a table of patterns, ranked, and reports bad lines as file:line: message", async () => {
    const file = await ciLog();
    const { code, stdout, stderr } = await weave(["mine", file, "--top", "3", "--all"]);
    expect(code).toBe(0);
    expect(stderr.split("\n")).toEqual([
      expect.stringMatching(new RegExp(`^${file}:4: invalid JSON: `)),
      `${file}:9: invalid tool-call record: "attempt" must be an integer of 1 or more, got 0`,
      "",
    ]);
    expect(stdout.split("\n")).toEqual([
      "rank  pattern                                                            frequency  success  avg duration",
      "   1  git_clone → docker_build → run_tests → docker_push → slack_notify          5     100%        500 ms",
      "   2  docker_build → run_tests → docker_push → slack_notify                      5     100%        400 ms",
      "   3  git_clone → docker_build → run_tests → docker_push                         5     100%        400 ms",
      "",
      `10 patterns, the top 3 shown, from 25 calls in 5 sessions of ${file}.`,
      `turn one into a workflow: weave mine ${file} --emit ts --pattern <rank> > workflow.ts`,
      "",
    ]);
  });

  it("shows closed patterns by default: a sequence seen as often as a longer one containing it is left out", async () => {
    const file = await ciLog("closed.jsonl");
    const { code, stdout } = await weave(["mine", file, "--no-color"]);
    expect(code).toBe(0);
    expect(stdout.split("\n").slice(0, 3)).toEqual([
      "rank  pattern                                                            frequency  success  avg duration",
      "   1  git_clone → docker_build → run_tests → docker_push → slack_notify          5     100%        500 ms",
      "",
    ]);
    expect(stdout).toContain(`1 pattern, from 25 calls in 5 sessions of ${file}.`);
  });

  it("--json prints the patterns and the counts; the thresholds and --max-length apply", async () => {
    const file = await ciLog("json.jsonl");
    const { code, stdout } = await weave([
      "mine",
      file,
      "--json",
      "--max-length",
      "3",
      "--min-frequency",
      "5",
      "--min-success-rate",
      "100%",
    ]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({
      file,
      calls: 25,
      sessions: 5,
      skippedLines: 2,
      options: { minFrequency: 5, minSuccessRate: 1, maxSequenceLength: 3, closed: true, idleGapMs: 300_000 },
    });
    // every pair is inside a triple seen as often: closed patterns are the triples only
    expect(report.patterns.map((p: { tools: string[] }) => p.tools.join(" "))).toEqual([
      "docker_build run_tests docker_push",
      "git_clone docker_build run_tests",
      "run_tests docker_push slack_notify",
    ]);
    expect(report.patterns[0]).toEqual({
      rank: 1,
      tools: ["docker_build", "run_tests", "docker_push"],
      frequency: 5,
      successCount: 5,
      successRate: 1,
      avgDurationMs: 300,
    });
    const all = JSON.parse((await weave(["mine", file, "--json", "--max-length", "3", "--min-frequency", "5", "--all"])).stdout);
    expect(all.options.closed).toBe(false);
    expect(all.patterns).toHaveLength(7);
  });

  it("--emit json prints the suggested template of the top pattern (or --pattern k), --emit ts its DSL source", async () => {
    const file = await ciLog("emit.jsonl");
    const patterns = new PatternDetector().analyzeLogs((await readToolCallLog(file)).records, { closed: false });
    const json = await weave(["mine", file, "--emit", "json", "--name", "ci", "--description", "Build and ship"]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(planWorkflow(patterns[0]!, { name: "ci", description: "Build and ship" }).template.toJSON());
    // the observed order: the tests ran after the build in every run
    expect(JSON.parse(json.stdout).steps.find((s: { id: string }) => s.id === "run_tests").dependsOn).toEqual([
      "git_clone",
      "docker_build",
    ]);
    const ts = await weave(["mine", file, "--emit", "ts", "--pattern", "2", "--all"]);
    expect(ts.code).toBe(0);
    expect(ts.stdout).toBe(emitWorkflowSource(planWorkflow(patterns[1]!)));
    expect(ts.stdout).toContain(
      'export const dockerBuildRunTestsDockerPushSlackNotify = workflow("docker_build__run_tests__docker_push__slack_notify", {',
    );
  });

  it("--parallel: steps wait for their data sources only", async () => {
    const file = await ciLog("parallel.jsonl");
    const patterns = new PatternDetector().analyzeLogs((await readToolCallLog(file)).records);
    const json = await weave(["mine", file, "--emit", "json", "--parallel"]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(planWorkflow(patterns[0]!, { parallel: true }).template.toJSON());
    expect(JSON.parse(json.stdout).steps.find((s: { id: string }) => s.id === "run_tests").dependsOn).toEqual(["git_clone"]);
    const ts = await weave(["mine", file, "--emit", "ts", "--parallel"]);
    expect(ts.stdout).toBe(emitWorkflowSource(planWorkflow(patterns[0]!, { parallel: true })));
    expect(ts.stdout).toContain("Steps depend on their data sources only");
  });

  it("--emit suggests repeated calls of one tool as a map step; --no-maps keeps them apart", async () => {
    const run = (n: number) => [
      record(`r${n}`, "build", { tag: `app:${n}` }, { imageId: `sha256:${n}` }),
      ...["eu", "us", "ap"].map((region) =>
        record(`r${n}`, "deploy_region", { imageId: `sha256:${n}`, region }, { url: `https://${region}/${n}` }),
      ),
    ];
    const file = join(root(), "regions.jsonl");
    await writeFile(
      file,
      `${[1, 2, 3]
        .flatMap(run)
        .map((r) => JSON.stringify(r))
        .join("\n")}\n`,
    );
    const patterns = new PatternDetector().analyzeLogs((await readToolCallLog(file)).records);
    const k = patterns.findIndex((p) => p.tools.length === 4) + 1;
    expect(k).toBeGreaterThan(0);
    const mapped = await weave(["mine", file, "--emit", "json", "--pattern", String(k)]);
    expect(mapped.code).toBe(0);
    const template = JSON.parse(mapped.stdout);
    expect(template).toEqual(planWorkflow(patterns[k - 1]!).template.toJSON());
    expect(template.steps.map((s: { id: string; forEach?: string }) => [s.id, s.forEach])).toEqual([
      ["build", undefined],
      ["deploy_region", "{{deploy_region_items}}"],
    ]);
    const apart = await weave(["mine", file, "--emit", "json", "--pattern", String(k), "--no-maps"]);
    expect(JSON.parse(apart.stdout).steps.map((s: { id: string }) => s.id)).toEqual([
      "build",
      "deploy_region",
      "deploy_region_2",
      "deploy_region_3",
    ]);
  });

  it("reads stdin with -", async () => {
    const text = await readFile(await ciLog("stdin.jsonl"), "utf8");
    const child = spawn(process.execPath, [WEAVE, "mine", "-", "--top", "1"], { cwd: ROOT, env: cleanEnv() });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d));
    child.stderr.on("data", (d: Buffer) => (stderr += d));
    child.stdin.end(text);
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code).toBe(0);
    expect(stderr).toMatch(/^<stdin>:4: invalid JSON: /);
    expect(stdout).toContain("   1  git_clone → docker_build → run_tests → docker_push → slack_notify          5     100%        500 ms\n");
    expect(stdout).toContain("of stdin.\n");
  });

  it("exits 1 when no sequence meets the thresholds", async () => {
    const file = await ciLog("none.jsonl");
    const { code, stdout, stderr } = await weave(["mine", file, "--min-frequency", "6"]);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toContain("weave: no tool sequence was seen 6 or more times with 70% success or more, in 25 calls in 5 sessions of");
    expect(stderr).toContain("  lower --min-frequency or --min-success-rate to see more\n");
  });

  it.each([
    [
      ["mine", "missing.jsonl"],
      'weave: cannot read tool-call log "missing.jsonl": no such file\n  write one with `weave run <workflow> --log calls.jsonl`, or try examples/logs/tool-calls.jsonl\n',
    ],
    [
      ["mine", "examples"],
      'weave: cannot read tool-call log "examples": it is a directory\n  write one with `weave run <workflow> --log calls.jsonl`, or try examples/logs/tool-calls.jsonl\n',
    ],
    [
      ["mine", "examples/logs/tool-calls.jsonl", "--min-frequency", "0"],
      'weave: --min-frequency must be a whole number of 1 or more, got "0"\n',
    ],
    [["mine", "examples/logs/tool-calls.jsonl", "--max-length", "1"], 'weave: --max-length must be a whole number of 2 or more, got "1"\n'],
    [
      ["mine", "examples/logs/tool-calls.jsonl", "--min-success-rate", "1.5"],
      'weave: --min-success-rate must be from 0 to 1 (or 0% to 100%), got "1.5"\n',
    ],
    [
      ["mine", "examples/logs/tool-calls.jsonl", "--idle-gap", "soon"],
      'weave: --idle-gap must be a number of milliseconds (0 or more), got "soon"\n',
    ],
    [["mine", "examples/logs/tool-calls.jsonl", "--pattern", "2"], "weave: --pattern applies only with --emit json or --emit ts\n"],
    [["mine", "examples/logs/tool-calls.jsonl", "--parallel"], "weave: --parallel applies only with --emit json or --emit ts\n"],
    [["mine", "examples/logs/tool-calls.jsonl", "--no-maps"], "weave: --no-maps applies only with --emit json or --emit ts\n"],
    [
      ["mine", "examples/logs/tool-calls.jsonl", "--all", "--closed"],
      "weave: --all and --closed contradict each other: --all shows every sequence, closed patterns are the default\n",
    ],
    [
      ["mine", "examples/logs/tool-calls.jsonl", "--emit", "ts", "--pattern", "999"],
      /^weave: --pattern 999, but only \d+ patterns met the thresholds\n$/,
    ],
    [
      ["mine", "examples/logs/tool-calls.jsonl", "--emit", "yaml"],
      /^weave: option '--emit <format>' argument 'yaml' is invalid\. Allowed choices are json, ts\./,
    ],
    [["mine"], /^weave: missing required argument 'log'/],
  ])("weave %j is a usage error (exit 2)", async (args, message) => {
    const { code, stdout, stderr } = await weave(args as string[]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    if (typeof message === "string") expect(stderr).toBe(message);
    else expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(STACK);
  });

  it("mines the example log: the deploy example's chain, with its data flow", async () => {
    const table = await weave(["mine", "examples/logs/tool-calls.jsonl"]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^ +\d+ +docker_build → docker_push → kubectl_apply +6 +100% +\d+ ms$/m);
    const rank = /^ +(\d+) +docker_build → docker_push → kubectl_apply /m.exec(table.stdout)![1]!;
    const { code, stdout } = await weave(["mine", "examples/logs/tool-calls.jsonl", "--emit", "json", "--pattern", rank]);
    expect(code).toBe(0);
    const steps = JSON.parse(stdout).steps as { id: string; parameters: Record<string, string>; dependsOn: string[] }[];
    expect(steps.map((s) => [s.id, s.dependsOn])).toEqual([
      ["docker_build", []],
      ["docker_push", ["docker_build"]],
      ["kubectl_apply", ["docker_push"]],
    ]);
    expect(steps[1]!.parameters).toMatchObject({
      imageId: "{{docker_build.imageId}}",
      archive: "{{docker_build.archive}}",
      image: "{{image}}",
    });
    expect(steps[2]!.parameters).toMatchObject({ ref: "{{docker_push.ref}}", blobPath: "{{docker_push.blobPath}}" });
  });

  it("reads the original system's log (tool_name, latency in seconds, ISO times); other lines are reported with file:line and why", async () => {
    const file = "test/fixtures/logs/original-system.jsonl";
    const { code, stdout, stderr } = await weave(["mine", file, "--json"]);
    expect(code).toBe(0);
    expect(stderr.split("\n")).toEqual([
      `${file}:25: invalid tool-call record: neither "toolName" (toolweave's records) nor "tool_name" (the original system's): not a tool call. its keys are "timestamp", "input", "output", "cached"`,
      `${file}:62: invalid tool-call record: neither "toolName" (toolweave's records) nor "tool_name" (the original system's): not a tool call. its keys are "timestamp", "query", "num_results", "latency", "cache_hit"`,
      expect.stringMatching(new RegExp(`^${file}:168: invalid JSON: `)),
      "",
    ]);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ calls: 165, sessions: 52, skippedLines: 3 });
    const found = report.patterns.map((p: { tools: string[]; frequency: number; successRate: number }) => [
      p.tools.join(" → "),
      p.frequency,
      p.successRate,
    ]);
    expect(found).toContainEqual(["docker_build → security_scan → kubectl_apply", 17, 1]);
    expect(found).toContainEqual(["github_list_issues → github_create_pr → slack_send_message", 15, 1]);
    const release = report.patterns.find((p: { tools: string[] }) => p.tools.join(" ") === "docker_build security_scan kubectl_apply");
    expect(release.avgDurationMs).toBeGreaterThan(40_000); // seconds became ms
  });

  it("reads toolweave's records from another program: ISO-8601 timestamps, no stepId or attempt", async () => {
    const { code, stdout, stderr } = await weave(["mine", "test/fixtures/logs/other-program.jsonl", "--json"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ calls: 120, skippedLines: 0 });
    expect(report.patterns.map((p: { tools: string[] }) => p.tools.join(" "))).toContain("docker_build security_scan kubectl_apply");
  });

  it("is listed in weave --help", async () => {
    const { stdout } = await weave(["--help"]);
    expect(stdout).toMatch(/^ +mine \[options\] <log> +find the tool sequences a tool-call log keeps/m);
  });
});

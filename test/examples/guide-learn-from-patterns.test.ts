// The guide's Best Practice 6, "Learn from Patterns", end to end: real runs write a monitor log, the detector mines
// it, the top patterns that are frequent and reliable become workflows that are registered, saved and loaded back.
// Then the same log through the CLI: `weave mine --emit json|ts`, linted and compiled.
//
//   patterns = detector.analyze_logs(monitor.tool_call_log)
//   for pattern in patterns[:5]:
//       if pattern.frequency >= 10 and pattern.success_rate >= 0.9:
//           library.register(detector.suggest_workflow(pattern), is_builtin=False)
//   library.save_to_disk("learned_workflows.json")
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createMonitor, PatternDetector, tool, workflow, WorkflowExistsError, WorkflowLibrary, type ToolSequence } from "toolweave";
import { readToolCallLog } from "../../src/monitor/read-log.js";
import { weave } from "../cli/weave-process.js";
import { emitDir, relativeToRoot } from "../helpers/emitted-source.js";

const DIR = emitDir("guide-bp6");
const LOG = path.join(DIR, "tool-calls.jsonl");

const build = tool("docker_build", {
  input: z.object({ tag: z.string() }),
  output: z.object({ imageId: z.string() }),
  run: ({ tag }) => ({ imageId: `sha256:${Buffer.from(tag).toString("hex")}` }),
});
const push = tool("docker_push", {
  input: z.object({ imageId: z.string(), registry: z.string() }),
  output: z.object({ ref: z.string() }),
  run: ({ imageId, registry }) => ({ ref: `${registry}/app@${imageId}` }),
});
// returns the image id it was given: an echo, not a source of it
const scan = tool("security_scan", {
  input: z.object({ imageId: z.string() }),
  output: z.object({ imageId: z.string(), passed: z.boolean() }),
  run: ({ imageId }) => ({ imageId, passed: true }),
});
const deploy = tool("kubectl_deploy", {
  input: z.object({ image: z.string(), namespace: z.string() }),
  output: z.object({ url: z.string() }),
  run: ({ image, namespace }) => ({ url: `https://${namespace}.local/${image.slice(-8)}` }),
});
const listIssues = tool("github_list_issues", {
  input: z.object({ repo: z.string() }),
  output: z.object({ issues: z.array(z.object({ number: z.number(), title: z.string() })) }),
  run: ({ repo }) => ({ issues: [{ number: repo.length * 7, title: `fix ${repo}` }] }),
});
const createPr = tool("github_create_pr", {
  input: z.object({ repo: z.string(), title: z.string() }),
  output: z.object({ url: z.string() }),
  run: ({ repo, title }) => ({ url: `https://github.local/${repo}/pull/${title.length}` }),
});
const notify = tool("slack_send_message", {
  input: z.object({ channel: z.string(), text: z.string() }),
  output: z.object({ ts: z.string() }),
  run: ({ text }) => ({ ts: `${text.length}.0001` }),
});
const snapshot = tool("db_snapshot", {
  input: z.object({ database: z.string() }),
  output: z.object({ file: z.string() }),
  run: ({ database }) => ({ file: `/backups/${database}.dump` }),
});
const compress = tool("compress_file", {
  input: z.object({ file: z.string() }),
  output: z.object({ archive: z.string() }),
  run: ({ file }) => ({ archive: `${file}.gz` }),
});
const upload = tool("upload_archive", {
  input: z.object({ archive: z.string(), bucket: z.string() }),
  output: z.object({ key: z.string() }),
  run: ({ archive, bucket }) => ({ key: `${bucket}/${path.basename(archive)}` }),
});
const fetchMetrics = tool("fetch_metrics", {
  input: z.object({ service: z.string() }),
  output: z.object({ series: z.string() }),
  run: ({ service }) => ({ series: `metrics-of-${service}` }),
});
const render = tool("render_report", {
  input: z.object({ series: z.string() }),
  output: z.object({ pdf: z.string() }),
  run: ({ series }) => ({ pdf: `/reports/${series}.pdf` }),
});
const fetchRates = tool("fetch_rates", {
  input: z.object({ currency: z.string() }),
  output: z.object({ rates: z.string() }),
  run: ({ currency }) => ({ rates: `rates-${currency}` }),
});
const writeRates = tool("write_rates", {
  input: z.object({ rates: z.string() }),
  output: z.object({ path: z.string() }),
  run: ({ rates }) => {
    if (rates.endsWith("X")) throw new Error("disk full");
    return { path: `/data/${rates}.json` };
  },
});

const releasePush = workflow("release_push", { description: "", input: z.object({ tag: z.string() }) }, ({ input, step }) => {
  const b = step("build").tool(build).with({ tag: input.tag });
  const p = step("push").tool(push).with({ imageId: b.out.imageId, registry: "registry.local" });
  step("deploy").tool(deploy).with({ image: p.out.ref, namespace: "staging" });
  return {};
});
const releaseScan = workflow("release_scan", { description: "", input: z.object({ tag: z.string() }) }, ({ input, step }) => {
  const b = step("build").tool(build).with({ tag: input.tag });
  const s = step("scan").tool(scan).with({ imageId: b.out.imageId });
  // the deploy reads the build's image; it runs after the scan without reading it (a gate)
  step("deploy").tool(deploy).with({ image: b.out.imageId, namespace: "production" }).after(s);
  return {};
});
const triage = workflow("triage", { description: "", input: z.object({ repo: z.string() }) }, ({ input, step }) => {
  const l = step("list").tool(listIssues).with({ repo: input.repo });
  const pr = step("pr").tool(createPr).with({ repo: input.repo, title: l.out.issues[0]!.title });
  step("notify").tool(notify).with({ channel: "#dev", text: pr.out.url });
  return {};
});
const backup = workflow("backup", { description: "", input: z.object({ database: z.string() }) }, ({ input, step }) => {
  const s = step("snapshot").tool(snapshot).with({ database: input.database });
  const c = step("compress").tool(compress).with({ file: s.out.file });
  step("upload").tool(upload).with({ archive: c.out.archive, bucket: "backups" });
  return {};
});
const report = workflow("report", { description: "", input: z.object({ service: z.string() }) }, ({ input, step }) => {
  const f = step("fetch").tool(fetchMetrics).with({ service: input.service });
  step("render").tool(render).with({ series: f.out.series });
  return {};
});
// fails in 3 runs of 12: reported (75% ≥ the detector's 70%), but below the loop's 90%
const rates = workflow("rates", { description: "", input: z.object({ currency: z.string() }) }, ({ input, step }) => {
  const f = step("fetch").tool(fetchRates).with({ currency: input.currency });
  step("write").tool(writeRates).with({ rates: f.out.rates });
  return {};
});

/** Runs every workflow for real, each several times with different inputs, with a monitor writing LOG. */
async function runEverything(): Promise<void> {
  const monitor = createMonitor({ logFile: LOG });
  const runs: [
    { run(input: never, options: { monitor: typeof monitor }): Promise<{ status: string }> },
    number,
    (i: number) => Record<string, string>,
  ][] = [
    [releasePush, 14, (i) => ({ tag: `app:1.${i}` })],
    [releaseScan, 13, (i) => ({ tag: `api:2.${i}` })],
    [triage, 12, (i) => ({ repo: `acme/repo-${i}` })],
    [rates, 12, (i) => ({ currency: i % 4 === 3 ? `EUR${i}X` : `USD${i}` })],
    [backup, 11, (i) => ({ database: `db_${i}` })],
    [report, 10, (i) => ({ service: `svc-${i}` })],
  ];
  for (const [wf, count, input] of runs) {
    for (let i = 0; i < count; i++) await wf.run(input(i) as never, { monitor });
  }
  await monitor.close();
}

describe("Best Practice 6: learn from patterns", () => {
  let patterns: ToolSequence[] = [];

  it("mines the log written by real runs: the guide's loop saves one workflow per pattern, the top one included", async () => {
    await runEverything();
    const { records, problems } = await readToolCallLog(LOG);
    expect(problems).toEqual([]);
    const detector = new PatternDetector();
    patterns = detector.analyzeLogs(records);
    // closed patterns: each workflow's whole sequence, not its overlapping parts
    expect(patterns.map((p) => [p.tools.join(" → "), p.frequency, p.successRate])).toEqual([
      ["docker_build → docker_push → kubectl_deploy", 14, 1],
      ["docker_build → security_scan → kubectl_deploy", 13, 1],
      ["github_list_issues → github_create_pr → slack_send_message", 12, 1],
      ["db_snapshot → compress_file → upload_archive", 11, 1],
      ["fetch_metrics → render_report", 10, 1],
      ["fetch_rates → write_rates", 12, 0.75],
    ]);

    const library = new WorkflowLibrary();
    const registered: string[] = [];
    for (const pattern of patterns.slice(0, 5)) {
      if (pattern.frequency >= 10 && pattern.successRate >= 0.9) registered.push(library.register(detector.suggestWorkflow(pattern)).name);
    }
    const file = path.join(DIR, "learned_workflows.json");
    await library.saveToDisk(file);

    const loaded = await new WorkflowLibrary().loadFromDisk(file);
    expect(loaded.map((w) => w.name).sort()).toEqual([...registered].sort());
    expect(new Set(registered).size).toBe(5);
    expect(registered).toEqual([
      "docker_build__docker_push__kubectl_deploy",
      "docker_build__security_scan__kubectl_deploy",
      "github_list_issues__github_create_pr__slack_send_message",
      "db_snapshot__compress_file__upload_archive",
      "fetch_metrics__render_report",
    ]);
    // the top pattern is kept, as suggested
    const top = loaded.find((w) => w.name === registered[0])!;
    expect(top.toJSON()).toEqual(detector.suggestWorkflow(patterns[0]!).toJSON());
    expect(top.steps.map((s) => [s.id, s.parameters, s.dependsOn])).toEqual([
      ["docker_build", { tag: "{{tag}}" }, []],
      ["docker_push", { imageId: "{{docker_build.imageId}}", registry: "registry.local" }, ["docker_build"]],
      ["kubectl_deploy", { image: "{{docker_push.ref}}", namespace: "staging" }, ["docker_push"]],
    ]);
    // build → security scan → deploy stays a chain; the image comes from the build, not from the scan that echoed it
    const gated = loaded.find((w) => w.name === registered[1])!;
    expect(gated.steps.map((s) => [s.id, s.parameters, s.dependsOn])).toEqual([
      ["docker_build", { tag: "{{tag}}" }, []],
      ["security_scan", { imageId: "{{docker_build.imageId}}" }, ["docker_build"]],
      ["kubectl_deploy", { image: "{{docker_build.imageId}}", namespace: "production" }, ["docker_build", "security_scan"]],
    ]);

    // running the loop again over a library loaded from the file: a clash is an error naming what to do...
    const again = new WorkflowLibrary();
    await again.loadFromDisk(file);
    expect(() => again.register(detector.suggestWorkflow(patterns[0]!))).toThrow(WorkflowExistsError);
    // ...and replace: true refreshes it
    again.register(detector.suggestWorkflow(patterns[0]!, { description: "refreshed" }), { replace: true });
    await again.saveToDisk(file);
    const saved = JSON.parse(await readFile(file, "utf8")) as { workflows: { name: string; description: string }[] };
    expect(saved.workflows).toHaveLength(5);
    expect(saved.workflows.find((w) => w.name === registered[0])!.description).toBe("refreshed");
  }, 60_000);

  it("weave mine --emit json and --emit ts print workflows that lint clean and compile to the same template", async () => {
    expect(patterns.length).toBeGreaterThan(0);
    const outputs: string[] = [];
    for (const k of ["1", "2"]) {
      const json = await weave(["mine", LOG, "--emit", "json", "--pattern", k]);
      expect([json.code, json.stderr]).toEqual([0, ""]);
      const ts = await weave(["mine", LOG, "--emit", "ts", "--pattern", k]);
      expect([ts.code, ts.stderr]).toEqual([0, ""]);
      const base = path.join(DIR, `pattern-${k}`);
      await writeFile(`${base}.workflow.json`, json.stdout);
      await writeFile(`${base}.ts`, ts.stdout);
      outputs.push(`${base}.workflow.json`, `${base}.ts`);
      expect(JSON.parse(json.stdout)).toEqual(new PatternDetector().suggestWorkflow(patterns[Number(k) - 1]!).toJSON());
      const out = path.join(DIR, `compiled-${k}`);
      const compiled = await weave(["compile", relativeToRoot(`${base}.ts`), "--out", relativeToRoot(out)]);
      expect(compiled.code).toBe(0);
      const name = (JSON.parse(json.stdout) as { name: string }).name;
      const { steps, ...rest } = JSON.parse(await readFile(path.join(out, `${name}.workflow.json`), "utf8")) as {
        steps: { source?: unknown }[];
      };
      expect({ ...rest, steps: steps.map(({ source: _source, ...step }) => step) }).toEqual(JSON.parse(json.stdout));
    }
    const lint = await weave(["lint", ...outputs.map(relativeToRoot), "--format", "json"]);
    expect(lint.code).toBe(0);
    expect(JSON.parse(lint.stdout)).toMatchObject({ diagnostics: [], summary: { errors: 0, warnings: 0, files: 4 } });
  }, 180_000);
});

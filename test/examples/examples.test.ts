/** The examples in examples/: each runs for real in a fresh directory, and its effects are checked on disk and over HTTP. */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { createMonitor, type ExecutionEvent, type Monitor, type WorkflowRunResult } from "toolweave";
import { releaseWithCleanup } from "../../examples/cleanup-on-failure.js";
import { databaseBackup } from "../../examples/database-backup.js";
import { deployToStaging } from "../../examples/deploy-to-staging.js";
import { flakyApiFetch } from "../../examples/flaky-api.js";
import { githubIssueToPr } from "../../examples/github-issue-to-pr.js";
import { multiRegionDeploy } from "../../examples/multi-region-deploy.js";
import { docsIndex } from "../../examples/docs-index.js";
import { nightlyMaintenance } from "../../examples/nightly-maintenance.js";
import { sha256File } from "../../examples/support/files.js";

const created: string[] = [];
async function freshDir(name: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `toolweave-${name}-`));
  created.push(dir);
  return dir;
}
afterAll(() => Promise.all(created.map((dir) => rm(dir, { recursive: true, force: true }))));

function outputsOf<O>(result: WorkflowRunResult<O>): O {
  if (result.status !== "completed") throw new Error(`expected the run to complete, but: ${result.error}`);
  return result.outputs;
}

const dependsOn = (wf: { template: { getStep(id: string): { dependsOn: readonly string[] } | undefined } }, id: string) =>
  wf.template.getStep(id)?.dependsOn;

/** The URLs of the local servers the run's start_* steps returned (read from the monitor's record of results). */
const serverUrls = (monitor: Monitor): string[] =>
  monitor.toolCallLog.filter((m) => m.stepId.startsWith("start_") && m.success).map((m) => (m.result as { url: string }).url);

async function expectClosed(urls: string[]): Promise<void> {
  expect(urls.length).toBeGreaterThan(0);
  for (const url of urls) await expect(fetch(url)).rejects.toThrow();
}

const readLines = async (file: string) =>
  (await readFile(file, "utf8"))
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe("deploy-to-staging: a linear chain", () => {
  it("builds, pushes to the registry directory and deploys a smoke-tested release", async () => {
    const workDir = await freshDir("staging");
    const outputs = outputsOf(await deployToStaging.run({ workDir, image: "shop:2.3.4", replicas: 3 }));
    const imageId: string = outputs.imageId;
    const blob = join(workDir, "registry", "shop", "blobs", `${imageId.slice(7)}.tar.gz`);
    expect(`sha256:${await sha256File(blob)}`).toBe(imageId);
    expect((await readFile(join(workDir, "registry", "shop", "tags", "2.3.4"), "utf8")).trim()).toBe(imageId);
    expect(outputs.ref).toBe(`registry.local/shop@${imageId}`);
    expect(outputs.appVersion).toBe("2.3.4");
    expect((await readFile(join(workDir, "staging", "current"), "utf8")).trim()).toBe(outputs.releaseDir);
    const manifest = JSON.parse(await readFile(join(outputs.releaseDir, "deployment.json"), "utf8")) as { spec: { replicas: number } };
    expect(manifest.spec.replicas).toBe(3);
    expect(existsSync(join(outputs.releaseDir, "server.mjs"))).toBe(true);
  });

  it("declares the chain through data references", () => {
    expect(dependsOn(deployToStaging, "push")).toEqual(["build"]);
    expect(dependsOn(deployToStaging, "deploy")).toEqual(["push"]);
  });
});

describe("multi-region-deploy: a map step over the input's regions, and a fan-in", () => {
  it("deploys every region of the list, two at a time, verifies them together in list order and closes the server", async () => {
    const workDir = await freshDir("regions");
    const events: ExecutionEvent[] = [];
    const monitor = createMonitor();
    const regions = ["sa-east-1", "us-east-1", "eu-west-1", "ap-southeast-1"] as const;
    const outputs = outputsOf(
      await multiRegionDeploy.run({ workDir, rolloutMs: 100, regions: [...regions] }, { monitor, onEvent: (e) => events.push(e) }),
    );
    // each item's start and end: no more than two at once, and the items overlap
    const spans = events.flatMap((e) =>
      e.type === "item_finished" ? [{ index: e.item.index, end: e.time, start: e.time - e.durationMs }] : [],
    );
    expect(spans.map((s) => s.index).sort()).toEqual([0, 1, 2, 3]);
    const runningAt = (t: number) => spans.filter((s) => s.start <= t && t < s.end).length;
    expect(Math.max(...spans.map((s) => runningAt(s.start)))).toBe(2);
    const names: string[] = outputs.regions.map((r) => r.region);
    expect(names).toEqual([...regions]);
    for (const region of names) expect(await readdir(join(workDir, "regions", region, outputs.imageId.slice(-12)))).toContain("server.mjs");
    expect(
      monitor.toolCallLog
        .filter((r) => r.toolName === "deploy_region")
        .map((r) => r.item)
        .sort(),
    ).toEqual([0, 1, 2, 3]);
    await expectClosed(serverUrls(monitor));
  });

  it("deploys to the regions it is given, as many as there are", async () => {
    const outputs = outputsOf(
      await multiRegionDeploy.run({ workDir: await freshDir("regions-one"), rolloutMs: 0, regions: ["eu-west-1"] }),
    );
    expect(outputs.regions.map((r) => r.region)).toEqual(["eu-west-1"]);
  });

  it("closes the server when a region fails, skipping verify", async () => {
    const monitor = createMonitor();
    const result = await multiRegionDeploy.run(
      { workDir: await freshDir("regions-fail"), rolloutMs: 0 },
      {
        monitor,
        tools: {
          deploy_region: ({ region }: { region: string }) =>
            region === "eu-west-1"
              ? Promise.reject(new Error(`${region}: quota exceeded`))
              : Promise.resolve({ region, imageId: "x", revision: 1, releaseDir: "d", healthUrl: "h" }),
        },
      },
    );
    expect(result.status).toBe("failed");
    expect(result.failedSteps.map((s) => [s.id, s.error])).toEqual([["deploy", "item 1 of 4 failed: eu-west-1: quota exceeded"]]);
    expect(result.skippedSteps.map((s) => s.id)).toEqual(["verify_rollout"]);
    expect(result.completedSteps.map((s) => s.id)).toContain("stop_regional_endpoints");
    await expectClosed(serverUrls(monitor));
  });

  it("fans in by one reference to the map step", () => {
    expect(dependsOn(multiRegionDeploy, "verify_rollout")).toEqual(["deploy"]);
    expect(multiRegionDeploy.template.getStep("verify_rollout")?.parameters).toEqual({ deployments: "{{deploy}}" });
    expect(multiRegionDeploy.template.getStep("deploy")).toMatchObject({ forEach: "{{regions}}", as: "region", concurrency: 2 });
    expect(dependsOn(multiRegionDeploy, "deploy")).toEqual(["build", "start_regional_endpoints"]);
  });
});

describe("docs-index: a map step over the files a step found", () => {
  it("reads every Markdown file it found, once each, and indexes them in the order found", async () => {
    const root = await freshDir("docs-index-src");
    await mkdir(join(root, "guide"), { recursive: true });
    await writeFile(join(root, "a.md"), "# Alpha\n\nsome words here\n\n## More\n");
    await writeFile(join(root, "guide", "b.md"), "# Beta\n\nfour words right here\n");
    await writeFile(join(root, "notes.txt"), "not markdown");
    const out = join(await freshDir("docs-index-out"), "index.json");
    const monitor = createMonitor();
    const outputs = outputsOf(await docsIndex.run({ root, out }, { monitor }));
    expect(outputs).toEqual({ index: out, files: 2, words: 13 });
    const index = JSON.parse(await readFile(out, "utf8")) as { docs: { file: string; title: string; headings: number }[] };
    expect(index.docs.map((d) => [d.file, d.title, d.headings])).toEqual([
      ["a.md", "Alpha", 2],
      [join("guide", "b.md"), "Beta", 1],
    ]);
    expect(
      monitor.toolCallLog
        .filter((r) => r.toolName === "summarise_doc")
        .map((r) => r.item)
        .sort(),
    ).toEqual([0, 1]);
  });

  it("writes an empty index for a directory without Markdown, without calling the map step's tool", async () => {
    const root = await freshDir("docs-index-empty");
    const monitor = createMonitor();
    const outputs = outputsOf(await docsIndex.run({ root, out: join(root, "index.json") }, { monitor }));
    expect(outputs.files).toBe(0);
    expect(monitor.toolCallLog.map((r) => r.toolName)).toEqual(["find_docs", "write_index"]);
  });
});

describe("github-issue-to-pr: data flow", () => {
  it("opens a PR for the newest open issue, commits the fix and posts the PR url to Slack", async () => {
    const workDir = await freshDir("github");
    const monitor = createMonitor();
    const outputs = outputsOf(await githubIssueToPr.run({ workDir, slackChannel: "#releases" }, { monitor }));
    const prUrl: string = outputs.prUrl;
    expect(prUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/acme\/webapp\/pull\/104$/);
    expect(outputs.branch).toBe("fix/issue-103");
    const pulls = JSON.parse(await readFile(join(workDir, "github", "pulls.json"), "utf8")) as { title: string; head: string }[];
    expect(pulls).toMatchObject([{ title: "Fix issue #103: Checkout crashes when the cart is empty", head: "fix/issue-103" }]);
    expect(await readLines(join(workDir, "slack", "messages.jsonl"))).toMatchObject([
      { channel: "#releases", text: `PR created: ${prUrl}` },
    ]);
    if (outputs.commit !== null) {
      const git = (...args: string[]) => execFileSync("git", ["-C", join(workDir, "repo"), ...args], { encoding: "utf8" }).trim();
      expect(git("rev-parse", "fix/issue-103")).toBe(outputs.commit);
      expect(git("log", "-1", "--format=%s", "fix/issue-103")).toBe("Fix #103: Checkout crashes when the cart is empty");
    }
    await expectClosed(serverUrls(monitor));
  });

  it("stops both servers when creating the PR fails", async () => {
    const monitor = createMonitor();
    const result = await githubIssueToPr.run(
      { workDir: await freshDir("github-fail") },
      { monitor, tools: { github_create_pr: () => Promise.reject(new Error("HTTP 422")) } },
    );
    expect(result.status).toBe("failed");
    expect(result.skippedSteps.map((s) => s.id)).toEqual(["notify_slack"]);
    expect(serverUrls(monitor)).toHaveLength(2);
    await expectClosed(serverUrls(monitor));
  });

  it("builds the PR title from the issue by a template string", () => {
    const pr = githubIssueToPr.template.getStep("create_pr")!;
    expect(pr.parameters.title).toBe("Fix issue #{{fetch_open_issues.issues[0].number}}: {{fetch_open_issues.issues[0].title}}");
    expect(pr.dependsOn).toEqual(["start_github_api", "fetch_open_issues", "commit_fix"]);
    expect(dependsOn(githubIssueToPr, "notify_slack")).toEqual(["start_slack_webhook", "create_pr"]);
  });
});

describe("database-backup and nightly-maintenance: a sub-workflow", () => {
  it("backs up into a verified gzip archive and keeps only the newest `retain`", async () => {
    const workDir = await freshDir("backup");
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(outputsOf(await databaseBackup.run({ workDir, retain: 2 })));
    const last = runs[2]!;
    const totalRows: number = last.totalRows;
    expect(totalRows).toBe(27);
    expect(await sha256File(last.archive)).toBe(last.sha256);
    const snapshot = JSON.parse(gunzipSync(await readFile(last.archive)).toString("utf8")) as { tables: Record<string, unknown[]> };
    expect(Object.fromEntries(Object.entries(snapshot.tables).map(([name, rows]) => [name, rows.length]))).toEqual({
      events: 12,
      orders: 9,
      users: 6,
    });
    expect(last.removed).toEqual([runs[0]!.archive]);
    expect((await readdir(join(workDir, "backups"))).sort()).toEqual(
      [runs[1]!.archive, runs[2]!.archive].map((a) => a.split(/[\\/]/).pop()).sort(),
    );
  });

  it("nightly_maintenance compacts only behind the sub-workflow's backup and reports its outputs", async () => {
    const workDir = await freshDir("nightly");
    const outputs = outputsOf(await nightlyMaintenance.run({ workDir }));
    const archive: string = outputs.archive;
    expect(existsSync(archive)).toBe(true);
    expect([outputs.purgedRows, outputs.remainingRows]).toEqual([7, 20]);
    const users = await readLines(join(workDir, "db", "app", "users.jsonl"));
    expect(users.filter((u) => u.deleted)).toEqual([]);
    const report = JSON.parse(await readFile(outputs.report, "utf8")) as { backup: { archive: string; sha256: string; totalRows: number } };
    expect(report.backup).toMatchObject({ archive, sha256: await sha256File(archive), totalRows: 27 });
  });

  it("calls database_backup as a step and reads its outputs", () => {
    const backup = nightlyMaintenance.template.getStep("backup_database")!;
    expect(backup.toolName).toBe("execute_workflow");
    expect(backup.parameters).toEqual({
      workflow: "database_backup",
      context: { workDir: "{{workDir}}", database: "{{database}}", retain: "{{retain}}" },
    });
    expect(dependsOn(nightlyMaintenance, "write_report")).toEqual(["backup_database", "compact_database"]);
    expect(dependsOn(databaseBackup, "prune_old_backups")).toEqual(["verify"]);
  });
});

describe("flaky-api: retries, backoff and a timeout", () => {
  it("succeeds on the fourth attempt after two 503s and one timed-out request", async () => {
    const workDir = await freshDir("flaky");
    const events: ExecutionEvent[] = [];
    const monitor = createMonitor();
    const result = await flakyApiFetch.run({ workDir }, { monitor, onEvent: (e) => events.push(e) });
    const outputs = outputsOf(result);
    expect(result.completedSteps.find((s) => s.id === "fetch_rates")?.attempts).toBe(4);
    const attempt: number = outputs.succeededOnAttempt;
    expect(attempt).toBe(4);
    const retried = events.flatMap((e) => (e.type === "step_retried" ? [e.error] : []));
    expect(retried).toEqual([expect.stringContaining("HTTP 503"), "timed out after 500 ms", expect.stringContaining("HTTP 503")]);
    expect(monitor.toolCallLog.filter((m) => m.stepId === "fetch_rates" && m.success).map((m) => m.attempt)).toEqual([4]);
    expect(await sha256File(outputs.ratesFile)).toBe(outputs.sha256);
    expect(JSON.parse(await readFile(join(workDir, "rates-EUR.json"), "utf8"))).toMatchObject({ base: "EUR", rates: { USD: 1.08 } });
    await expectClosed(serverUrls(monitor));
  });

  // Regression: the tool's own rejection on its aborted signal must not count as a second failure of a timed-out attempt.
  it("reports a timed-out attempt once", async () => {
    const events: ExecutionEvent[] = [];
    await flakyApiFetch.run(
      { workDir: await freshDir("flaky-events"), failFirst: 2, hangOnRequest: 1 },
      { onEvent: (e) => events.push(e) },
    );
    expect(events.filter((e) => e.type === "step_retried").map((e) => e.attempt)).toEqual([1, 2]);
  });

  it("gives up after 1 + 4 attempts, and still closes the server", async () => {
    const monitor = createMonitor();
    const result = await flakyApiFetch.run({ workDir: await freshDir("flaky-fail"), failFirst: 99, hangOnRequest: 0 }, { monitor });
    expect(result.status).toBe("failed");
    expect(result.failedSteps).toMatchObject([{ id: "fetch_rates", attempts: 5, error: expect.stringContaining("HTTP 503") }]);
    expect(result.skippedSteps.map((s) => s.id)).toEqual(["save_rates"]);
    await expectClosed(serverUrls(monitor));
  });

  it("does not retry a 4xx", async () => {
    const result = await flakyApiFetch.run({ workDir: await freshDir("flaky-400"), failFirst: 0, base: "XYZ" });
    expect(result.failedSteps).toMatchObject([{ id: "fetch_rates", attempts: 1, error: expect.stringContaining("HTTP 400") }]);
  });

  it("puts the retry policy in the template", () => {
    expect(flakyApiFetch.template.getStep("fetch_rates")).toMatchObject({
      maxRetries: 4,
      retryDelayMs: 50,
      backoff: "exponential",
      timeoutMs: 500,
    });
    expect(dependsOn(flakyApiFetch, "stop_flaky_api")).toEqual(["start_flaky_api", "save_rates"]);
  });
});

describe("cleanup-on-failure: a failure handler", () => {
  it("removes the staged release and the lock when a migration fails, leaving the live release alone", async () => {
    const workDir = await freshDir("cleanup");
    const good = outputsOf(await releaseWithCleanup.run({ workDir, release: "r1", breakMigration: false }));
    const current: string = good.current;
    expect(current).toBe("r1");
    const liveDb = await readFile(join(workDir, "db.json"), "utf8");

    const result = await releaseWithCleanup.run({ workDir });
    expect(result.status).toBe("failed");
    expect(result.failedSteps).toMatchObject([{ id: "run_migrations", error: expect.stringContaining('column "email" clashes') }]);
    expect(result.completedSteps.map((s) => s.id)).toEqual(["acquire_lock", "stage_release", "cleanup_failed_release", "release_lock"]);
    expect(existsSync(join(workDir, "releases", "r2"))).toBe(false);
    expect(existsSync(join(workDir, "deploy.lock"))).toBe(false);
    expect(existsSync(join(workDir, "releases", "r1", "db.json"))).toBe(true);
    expect((await readFile(join(workDir, "current"), "utf8")).trim()).toBe("r1");
    expect(await readFile(join(workDir, "db.json"), "utf8")).toBe(liveDb);
  });

  it("touches nothing when another release holds the lock", async () => {
    const workDir = await freshDir("cleanup-locked");
    await writeFile(join(workDir, "deploy.lock"), "held by someone else");
    const result = await releaseWithCleanup.run({ workDir });
    expect(result.failedSteps.map((s) => s.id)).toEqual(["acquire_lock"]);
    expect(result.completedSteps).toEqual([]);
    expect(await readFile(join(workDir, "deploy.lock"), "utf8")).toBe("held by someone else");
    expect(existsSync(join(workDir, "releases"))).toBe(false);
  });

  it("declares the handler's condition and dependencies", () => {
    const cleanup = releaseWithCleanup.template.getStep("cleanup_failed_release")!;
    expect(cleanup.dependsOn).toEqual(["stage_release", "run_migrations", "activate_release"]);
    expect(cleanup.condition).toBe("({{run_migrations.success}} == false) or ({{activate_release.success}} == false)");
    expect(dependsOn(releaseWithCleanup, "release_lock")).toEqual(["acquire_lock", "cleanup_failed_release"]);
  });
});

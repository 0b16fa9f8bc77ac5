/**
 * Writes examples/logs/tool-calls.jsonl, the sample log for `weave mine`, by running the example workflows for real
 * with the tool-call monitor: several runs of each (some at the same time, so their calls interleave in the log as
 * they would in production), with different images, repositories and databases, a flaky API that needs retries
 * and a migration that fails (and is cleaned up) in some runs. Paths under this repository are written relative
 * to it, so the log does not depend on where it was made.
 *
 *   npx tsx scripts/generate-example-log.ts        (about half a minute; everything else goes under .weave/)
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createMonitor, type Monitor } from "../src/index.js";
import { releaseWithCleanup } from "../examples/cleanup-on-failure.js";
import { databaseBackup } from "../examples/database-backup.js";
import { deployToStaging } from "../examples/deploy-to-staging.js";
import { flakyApiFetch } from "../examples/flaky-api.js";
import { githubIssueToPr } from "../examples/github-issue-to-pr.js";
import { multiRegionDeploy } from "../examples/multi-region-deploy.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const OUT = path.join(ROOT, "examples", "logs", "tool-calls.jsonl");
const WORK = path.join(ROOT, ".weave", "example-log");
const raw = path.join(WORK, "raw.jsonl");

rmSync(WORK, { recursive: true, force: true });
mkdirSync(WORK, { recursive: true });
const monitor: Monitor = createMonitor({ logFile: raw, maxInMemory: 0 });
const dir = (name: string): string => path.relative(ROOT, path.join(WORK, name));
let failed = 0;
const check = (what: string) => (result: { status: string; error?: string }) => {
  if (result.status !== "completed") {
    failed++;
    process.stderr.write(`  ${what}: ${result.status}${result.error ? ` (${result.error})` : ""}\n`);
  }
};

/** `runs` runs of a workflow, `together` at a time. */
async function batch(
  label: string,
  runs: number,
  together: number,
  start: (i: number) => Promise<{ status: string; error?: string }>,
): Promise<void> {
  process.stderr.write(`${label}: ${runs} runs\n`);
  for (let i = 0; i < runs; i += together) {
    await Promise.all(Array.from({ length: Math.min(together, runs - i) }, (_, k) => start(i + k).then(check(`${label} #${i + k + 1}`))));
  }
}

await batch("deploy_to_staging", 6, 3, (i) =>
  deployToStaging.run({ workDir: dir(`staging-${i}`), image: `shop:1.${i}.0`, replicas: 1 + (i % 3) }, { monitor }),
);
await batch("deploy_multi_region", 4, 2, (i) =>
  multiRegionDeploy.run({ workDir: dir(`regions-${i}`), image: `api:2.${i}.0`, rolloutMs: 20 }, { monitor }),
);
await batch("github_pr_workflow", 4, 2, (i) =>
  githubIssueToPr.run({ workDir: dir(`github-${i}`), repo: `acme/webapp-${i % 2}`, slackChannel: "#deployments" }, { monitor }),
);
await batch("database_backup", 5, 1, (i) =>
  databaseBackup.run({ workDir: dir("backups"), database: ["app", "billing"][i % 2]!, retain: 3 }, { monitor }),
);
await batch("flaky_api_fetch", 3, 3, (i) =>
  flakyApiFetch.run({ workDir: dir(`flaky-${i}`), failFirst: 1 + (i % 2), hangOnRequest: 0 }, { monitor }),
);
await batch("release_with_cleanup", 4, 2, (i) =>
  releaseWithCleanup.run({ workDir: dir(`release-${i}`), breakMigration: i % 2 === 0 }, { monitor }),
);
await monitor.close();

// absolute paths of this machine become relative to the repository
const text = readFileSync(raw, "utf8")
  .split(JSON.stringify(path.resolve(ROOT) + path.sep).slice(1, -1))
  .join("");
mkdirSync(path.dirname(OUT), { recursive: true });
writeFileSync(OUT, text);
rmSync(WORK, { recursive: true, force: true });
const lines = text.split("\n").filter(Boolean).length;
process.stderr.write(
  `wrote ${path.relative(ROOT, OUT)}: ${lines} tool calls${failed ? ` (${failed} runs failed, as some are meant to)` : ""}\n`,
);

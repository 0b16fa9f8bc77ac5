/** `npm run demo`, as a newcomer runs it: lint, compile and run every example, then a summary. */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));

it("lints, compiles and runs every example, each ending as designed", () => {
  const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/demo.ts"], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
    timeout: 120_000,
  });
  expect(run.stderr).not.toMatch(/UNEXPECTED|at .*\.ts:\d+/);
  expect(run.status).toBe(0);
  const summary = run.stdout.slice(run.stdout.indexOf("Demo summary"));
  expect(summary).toMatch(/weave lint examples\s+clean/);
  expect(summary).toMatch(/weave compile examples\s+written to \.weave\/demo\/compiled/);
  for (const example of [
    "deploy-to-staging",
    "multi-region-deploy",
    "docs-index",
    "github-issue-to-pr",
    "database-backup",
    "nightly-maintenance",
    "flaky-api",
    "mcp/notes",
  ]) {
    expect(summary).toMatch(new RegExp(`weave run examples/${example}\\.ts\\s+completed`));
  }
  expect(summary).toMatch(/weave run examples\/cleanup-on-failure\.ts\s+failed \(as designed\)/);
  expect(summary).toMatch(/weave run examples\/error-recovery\.ts\s+failed \(as designed\)/);
  expect(summary).toMatch(/weave run examples\/release\.workflow\.json\s+completed/);
  expect(summary).toContain("Where to look next");
  // every run wrote its report page
  for (const name of ["deploy-to-staging", "flaky-api", "cleanup-on-failure", "release"]) {
    expect(readFileSync(join(root, ".weave/demo/reports", `${name}.html`), "utf8")).toContain("<svg");
  }
}, 120_000);

// `weave run ... --report run.html` end to end: the real CLI runs real examples, then a real headless Chromium
// parses the page (--dump-dom) and takes a screenshot. Without Chromium these are skipped, except under CI.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { dumpDom, findChromium, IN_CI, MISSING_CHROMIUM, screenshot } from "../../helpers/chromium.js";
import { STACK, useWorkdirs, weave } from "../weave-process.js";

const { workdir } = useWorkdirs("weave-cli-report-");
const browser = findChromium();
if (!browser && !IN_CI) console.warn(`weave run --report: ${MISSING_CHROMIUM}. skipping the browser tests (under CI=true they fail)`);

/** Elements with this class, as `tag.class1.class2[data-x=...]` strings, from a serialized DOM. */
function elementsWithClass(dom: string, cls: string): string[] {
  const out: string[] = [];
  for (const m of dom.matchAll(/<(\w+)((?:\s+[\w:-]+="[^"]*")*)\s*\/?>/g)) {
    const classes = /\sclass="([^"]*)"/.exec(m[2]!)?.[1]?.split(/\s+/) ?? [];
    if (classes.includes(cls))
      out.push(
        `${m[1]}.${classes.join(".")}${[...m[2]!.matchAll(/\s(data-[\w-]+|id)="([^"]*)"/g)].map((a) => `[${a[1]}=${a[2]}]`).join("")}`,
      );
  }
  return out;
}

describe("weave run --report", () => {
  it("chromium is there when the tests run under CI", () => {
    if (IN_CI) expect(browser, MISSING_CHROMIUM).toBeDefined();
  });

  describe.skipIf(!browser)("in a headless browser", () => {
    it("flaky-api: every attempt is a bar, retried attempts and waits marked, the whole chain critical", { timeout: 90_000 }, async () => {
      const dir = await workdir("flaky");
      const report = join(dir, "reports", "flaky.html");
      const { code, stdout, stderr } = await weave(["run", "examples/flaky-api.ts", "--var", `workDir=${dir}`, "--report", report]);
      expect(stderr).toBe(`wrote report ${report}\n`);
      expect(code).toBe(0);
      expect(stdout).toMatch(/^completed in/m);
      const dom = await dumpDom(browser!, report);
      // the DAG: four steps, all completed, on the critical path
      const nodes = elementsWithClass(dom, "step").filter((e) => e.startsWith("g."));
      expect(nodes).toHaveLength(4);
      for (const n of nodes) expect(n).toMatch(/^g\.node\.step(\.conditional)?\.status-completed\.critical\[id=step-\d\]$/);
      // the timeline: fetch_rates failed three times (503, a timeout, 503) and then succeeded
      const bars = elementsWithClass(dom, "attempt");
      expect(bars.filter((b) => b.includes("attempt-retried"))).toEqual([
        "rect.attempt.attempt-retried[data-attempt=1]",
        "rect.attempt.attempt-retried[data-attempt=2]",
        "rect.attempt.attempt-retried[data-attempt=3]",
      ]);
      expect(bars.filter((b) => b.includes("attempt-completed"))).toHaveLength(4);
      expect(bars).toHaveLength(7);
      expect(elementsWithClass(dom, "retry-delay")).toHaveLength(3);
      expect(elementsWithClass(dom, "step-row").map((r) => r.replace(/^g\.step-row\./, ""))).toEqual([
        "status-completed.critical[data-step=start_flaky_api]",
        "status-completed.critical[data-step=fetch_rates]",
        "status-completed.critical[data-step=save_rates]",
        "status-completed.critical[data-step=stop_flaky_api]",
      ]);
      expect(dom).toMatch(/<ol class="critical-path"><li class="status-completed">start_flaky_api <small>/);
      expect(dom).toContain("3 failed attempts before");

      const png = join(dir, "flaky.png");
      expect(await screenshot(browser!, report, png)).toEqual({ width: 1400, height: 1000 });
    });

    it("cleanup-on-failure: the failed, skipped and handler steps in their colours; exit 1 and the report anyway", {
      timeout: 90_000,
    }, async () => {
      const dir = await workdir("cleanup");
      const report = join(dir, "cleanup.html");
      const { code, stderr } = await weave(["run", "examples/cleanup-on-failure.ts", "--var", `workDir=${dir}`, "--report", report]);
      expect(code).toBe(1);
      expect(stderr).toBe(`wrote report ${report}\n`);
      const dom = await dumpDom(browser!, report);
      const status = (id: string): string => new RegExp(`<g class="step-row ([^"]*)" data-step="${id}">`).exec(dom)![1]!;
      expect(status("run_migrations")).toBe("status-failed critical");
      expect(status("activate_release")).toMatch(/^status-skipped/);
      expect(status("cleanup_failed_release")).toBe("status-completed critical");
      expect(status("release_lock")).toBe("status-completed critical");
      const nodes = elementsWithClass(dom, "step").filter((e) => e.startsWith("g."));
      expect(nodes.find((n) => n.endsWith("[id=step-2]"))).toContain(".status-failed");
      expect(nodes.find((n) => n.endsWith("[id=step-3]"))).toContain(".status-skipped");
      expect(nodes.find((n) => n.endsWith("[id=step-4]"))).toMatch(/\.conditional\.status-completed/);
      // the failure handler's edges are drawn as outcome edges
      expect(elementsWithClass(dom, "edge-outcome").length).toBeGreaterThanOrEqual(2);
      expect(dom).toContain('<span class="badge badge-failed">failed</span>');
      expect(dom).toContain('column "email" clashes with index users_email_idx');
      expect(await screenshot(browser!, report, join(dir, "cleanup.png"), "1400,1200")).toEqual({ width: 1400, height: 1200 });
    });

    it("a JSON template with hostile step ids and errors: nothing becomes markup in the browser; --json stays pure", {
      timeout: 90_000,
    }, async () => {
      const dir = await workdir("evil");
      const report = join(dir, "evil.html");
      const { code, stdout, stderr } = await weave([
        "run",
        "test/cli/fixtures/report/evil.json",
        "--tools",
        "test/cli/fixtures/tools.ts",
        "--var",
        `workdir=${dir}`,
        "--json",
        "--report",
        report,
      ]);
      expect(code).toBe(1);
      expect(stderr).toBe(`wrote report ${report}\n`);
      expect(JSON.parse(stdout)).toMatchObject({ status: "failed" });
      const dom = await dumpDom(browser!, report);
      expect(dom).not.toMatch(/<img|<script/i);
      expect(dom).toContain("&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;&lt;script&gt;alert(3)&lt;/script&gt;");
      expect(dom).toContain('<td class="step-id">&lt;img src=x onerror=alert(1)&gt;</td>');
      expect(elementsWithClass(dom, "attempt")).toHaveLength(5);
      expect(dom).toMatch(
        /<g class="step-row status-not-reached" data-step="never">|<g class="step-row status-skipped" data-step="never">/,
      );
    });
  });

  it("a report path that cannot be written stops the run before it starts (exit 2)", async () => {
    const dir = await workdir("bad-path");
    const marker = join(dir, "marker");
    for (const [report, message] of [
      ["package.json/run.html", 'weave: cannot write report "package.json/run.html": part of its path is a file, not a directory\n'],
      ["test", 'weave: cannot write report "test": it is a directory\n  give a file name, e.g. --report run.html\n'],
    ] as const) {
      const { code, stdout, stderr } = await weave([
        "run",
        "test/cli/fixtures/report/ok.json",
        "--tools",
        "test/cli/fixtures/tools.ts",
        "--var",
        `workdir=${marker}`,
        "--report",
        report,
      ]);
      expect(stderr).toBe(message);
      expect(stderr).not.toMatch(STACK);
      expect(code).toBe(2);
      expect(stdout).toBe("");
      expect(existsSync(marker)).toBe(false);
    }
  });

  it("without a browser too: the page is written atomically and complete", async () => {
    const dir = await workdir("plain");
    const report = join(dir, "deploy.html");
    const { code } = await weave([
      "run",
      "test/cli/fixtures/report/ok.json",
      "--tools",
      "test/cli/fixtures/tools.ts",
      "--var",
      `workdir=${dir}`,
      "--report",
      report,
    ]);
    expect(code).toBe(0);
    const html = await readFile(report, "utf8");
    expect(html).toMatch(/^<!doctype html>[\s\S]*<\/html>\n$/);
    expect(html).toContain('<span class="badge badge-completed">completed</span>');
  });
});

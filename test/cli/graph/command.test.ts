// `weave graph <file>`: the real CLI as a process, on TypeScript workflow files (read statically) and JSON templates.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { dumpDom, findChromium, screenshot } from "../../helpers/chromium.js";
import { STACK, useWorkdirs, weave } from "../weave-process.js";

const { workdir } = useWorkdirs("weave-cli-graph-");
// run-report.test.ts fails under CI when it is missing; here the browser check is a bonus
const browser = findChromium();

describe.concurrent("weave graph", () => {
  it("prints Mermaid for a TypeScript workflow by default, without running the file", async () => {
    const marker = join(await workdir("marker"), "ran.txt");
    const { code, stdout, stderr } = await weave(["graph", "test/cli/fixtures/graph/side-effect.ts"], { env: { GRAPH_MARKER: marker } });
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(existsSync(marker)).toBe(false);
    expect(stdout.split("\n").slice(0, 2)).toEqual(["flowchart TD", "%% workflow risky: drawn by weave graph"]);
    expect(stdout).toContain('  s1("second<br>op<br>2 retries (10 ms) · timeout 200 ms")\n');
    expect(stdout).toContain('  s2("undo<br>op<br>failure handler"):::conditional\n');
    expect(stdout).toContain("  s0 --> s1\n");
    expect(stdout).toContain("  s0 -.-> s2\n");
    expect(stdout).toContain('  s1 -.->|"on failure"| s2\n');
  });

  it("draws multi-region-deploy's map step as one stacked node, fanned out from the build and in to verify", async () => {
    const { code, stdout, stderr } = await weave(["graph", "examples/multi-region-deploy.ts", "--format", "dot"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toMatch(/^digraph workflow \{/);
    expect(stdout).toMatch(/ {2}s2 \[id="step-2", shape=box3d, style="filled", class="step map", label=<<B>deploy<\/B>/);
    expect(stdout).toContain("× each of regions (4 by default)");
    // build and the endpoints -> the map step -> verify -> (always) stop
    expect(stdout.match(/^ {2}s[01] -> s2 \[/gm)).toHaveLength(2);
    expect(stdout).toMatch(/^ {2}s2 -> s3 \[tooltip="verify_rollout reads deploy"/m);
    expect(stdout).toMatch(/s3 -> s4 \[[^\]]*label=<always>/);
  });

  it("reads a JSON template; the parent of a sub-workflow file is chosen without --workflow", async () => {
    const json = await weave(["graph", "examples/release.workflow.json"]);
    expect(json.code).toBe(0);
    expect(json.stdout).toContain("%% workflow local_release: drawn by weave graph");
    const sub = await weave(["graph", "test/cli/fixtures/ts/sub-workflow.ts"]);
    expect(sub.stderr).toBe("");
    expect(sub.stdout).toContain('  s0[["build<br>runs workflow build"]]\n');
    const chosen = await weave(["graph", "test/cli/fixtures/ts/two-workflows.ts", "--workflow", "buildImage", "--format", "dot"]);
    expect(chosen.code).toBe(0);
    expect(chosen.stdout).toContain("label=<<B>build_image</B>>");
  });

  it("draws a map step of a JSON template as one hexagon that says what it runs over", async () => {
    const { code, stdout, stderr } = await weave(["graph", "test/cli/fixtures/map.json"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toContain('  inputs[/"inputs<br>regions, workdir"/]:::io\n');
    expect(stdout).toContain('  s0{{"write<br>write_file<br>× each of regions<br>2 at a time"}}\n');
    expect(stdout).toContain('  s1{{"check<br>flaky<br>× each of write<br>1 retry (0 ms)"}}\n');
    expect(stdout).toContain("  s0 --> s1\n");
  });

  it("--format svg --out writes an SVG file, creating its directory", async () => {
    const out = join(await workdir("svg"), "images", "cleanup.svg");
    const { code, stdout, stderr } = await weave(["graph", "examples/cleanup-on-failure.ts", "--format", "svg", "--out", out]);
    expect(code).toBe(0);
    expect(stdout).toBe("");
    expect(stderr).toBe(`wrote ${out}\n`);
    const svg = await readFile(out, "utf8");
    expect(svg).toMatch(/^<\?xml/);
    expect(svg).toContain("<svg");
    expect(svg).toContain(">cleanup_failed_release</text>");
    expect(svg).toContain(">on failure</text>");
  });

  it.skipIf(!browser)("the SVG opens in a headless browser: every step a node, the picture drawn", { timeout: 60_000 }, async () => {
    const dir = await workdir("browser");
    const out = join(dir, "multi-region.svg");
    expect((await weave(["graph", "examples/multi-region-deploy.ts", "--format", "svg", "--out", out])).code).toBe(0);
    const dom = await dumpDom(browser!, out);
    const steps = [...dom.matchAll(/<g id="step-(\d+)" class="node step[^"]*"/g)].map((m) => Number(m[1])).sort();
    expect(steps).toEqual([0, 1, 2, 3, 4]);
    const size = await screenshot(browser!, out, join(dir, "multi-region.png"), "900,700");
    expect(size).toEqual({ width: 900, height: 700 });
  });

  it.each([
    [["graph", "missing.ts"], 'weave: cannot read workflow file "missing.ts": no such file\n'],
    [["graph", "missing.json"], /^weave: cannot read template "missing.json": /],
    [
      ["graph", "examples/flaky-api.ts", "--format", "png"],
      /^weave: --format must be one of mermaid, dot, svg, got "png" \(for png, pipe --format dot into Graphviz/,
    ],
    [
      ["graph", "bin/weave.js"],
      /^weave: cannot draw "bin\/weave.js": expecting a workflow file \(\.ts \.mts \.cts\) or a template \(\.json\)\n/,
    ],
    [
      ["graph", "test/cli/fixtures/ts/two-workflows.ts"],
      "weave: test/cli/fixtures/ts/two-workflows.ts exports 2 workflows; choose one with --workflow <name>:\n  build_image (export buildImage)\n  release\n",
    ],
    [
      ["graph", "test/cli/fixtures/ts/two-workflows.ts", "--workflow", "relase"],
      /^weave: test\/cli\/fixtures\/ts\/two-workflows.ts has no workflow named "relase". did you mean "release"\?\n/,
    ],
    [["graph", "test/cli/fixtures/cycle.json"], /dependency cycle "a -> b -> c -> a"/],
    [
      ["graph", "examples/flaky-api.ts", "--out", "package.json/x.mmd"],
      /^weave: cannot write "package.json\/x.mmd": part of its path is a file, not a directory\n/,
    ],
  ])("%j: a clear message, exit 2, no stack trace", async (args, message) => {
    const { code, stdout, stderr } = await weave(args);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    if (typeof message === "string") expect(stderr).toBe(message);
    else expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(STACK);
  });
});

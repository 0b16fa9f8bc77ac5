/**
 * `weave compile` in a build, cold and warm: the 1,000-file bench project (20 steps each, ten shared tools) compiled
 * by the real CLI process, first with no cache (every file read and checked), then again on unchanged sources (the
 * cache in node_modules/.cache/toolweave answers, the output files are already what they should be), then after one
 * workflow file changed (everything is checked again: the cache is all or nothing). The baseline is the same CLI
 * printing its version (start-up alone), in the same run. Issue 18's target: warm ≤ 0.5 s.
 * Writes bench/results/compile-cache.md. A report, not a test.
 *
 * npm run bench:compile-cache   env: FILES=1000 STEPS=20 RUNS=3
 */
import { spawnSync } from "node:child_process";
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createCompilerProject } from "./lib/compiler-project.js";
import { median, num, spread, table } from "./lib/stats.js";
import { removeProject } from "./lib/typecheck-project.js";

const FILES = Number(process.env.FILES ?? 1000);
const STEPS = Number(process.env.STEPS ?? 20);
const RUNS = Number(process.env.RUNS ?? 3);
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const WEAVE = path.join(ROOT, "bin", "weave.js");

const project = createCompilerProject(ROOT, FILES, STEPS);
const cache = path.join(project.dir, "node_modules", ".cache", "toolweave");

function timed(args: string[]): number {
  const started = performance.now();
  const run = spawnSync(process.execPath, [WEAVE, ...args], { cwd: project.dir, encoding: "utf8", maxBuffer: 1 << 30 });
  const ms = performance.now() - started;
  // the generated workflows carry findings on purpose (exit 1): only a crash or a usage error stops the benchmark
  if (run.status !== 0 && run.status !== 1)
    throw new Error(`weave ${args.join(" ")} exited ${run.status}:\n${run.stderr}\n${run.stdout.slice(0, 2000)}`);
  return ms;
}

// --quiet: the generated workflows carry thousands of warnings on purpose; a build prints its errors
const compile = ["compile", "workflows", "--out", "build/templates", "--quiet"];
const startup: number[] = [];
const cold: number[] = [];
const warm: number[] = [];
const changed: number[] = [];
const lintCold: number[] = [];
try {
  timed(["--version"]); // the CLI bundle is current before anything is timed
  for (let r = 0; r < RUNS; r++) {
    startup.push(timed(["--version"]));
    // the check alone, for what writing the output and the cache add to a cold compile
    rmSync(cache, { recursive: true, force: true });
    lintCold.push(timed(["lint", "workflows", "--quiet"]));
    rmSync(cache, { recursive: true, force: true });
    rmSync(path.join(project.dir, "build"), { recursive: true, force: true });
    cold.push(timed(compile));
    warm.push(timed(compile));
    appendFileSync(path.join(project.dir, project.files[r % project.files.length]!), `// edit ${r}\n`);
    changed.push(timed(compile));
  }
} finally {
  removeProject(project);
}

const ms = (xs: number[]) =>
  `${spread(
    xs.map((x) => x / 1000),
    2,
  )} s`;
const report = [
  "# weave compile: cold and warm",
  "",
  `Node ${process.version}, ${os.cpus().length} cores; load average ${num(os.loadavg()[0]!)} at start. ${FILES} workflow files of ${STEPS} steps; median (min–max) of ${RUNS} runs of the CLI process.`,
  "",
  table(
    ["", "time", "÷ start-up"],
    [
      ["CLI start-up (weave --version)", ms(startup), "1"],
      ["lint, cold (no cache): the check alone", ms(lintCold), num(median(lintCold) / median(startup), 1)],
      ["compile, cold (no cache, no output)", ms(cold), num(median(cold) / median(startup), 1)],
      ["compile, warm (unchanged sources)", ms(warm), num(median(warm) / median(startup), 1)],
      ["compile after one file changed", ms(changed), num(median(changed) / median(startup), 1)],
    ],
  ),
  "",
  `Target (issue 18): warm ≤ 0.5 s: ${median(warm) <= 500 ? "PASS" : "FAIL"} (${num(median(warm) / 1000)} s).`,
  "",
];
const text = report.join("\n");
process.stdout.write(text);
const results = new URL("./results/", import.meta.url);
mkdirSync(results, { recursive: true });
writeFileSync(new URL("compile-cache.md", results), text);

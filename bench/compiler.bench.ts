/**
 * Compiler benchmark: `weave lint` on 1,000 generated DSL workflow files of 20 steps (ten tools shared from one
 * `tools.ts`, references between steps), against `tsc --noEmit` on the same project in the same run; then watch
 * mode: the re-check after one file changes. Prints a Markdown report (also written to bench/results/compiler.md)
 * with PASS/FAIL against the targets. A report, not a test: nothing here fails a build.
 *
 * npm run bench:compiler   (tsx bench/compiler.bench.ts)   env: FILES=1000 STEPS=20 LINT_RUNS=3 TSC_RUNS=1 WATCH_RUNS=10
 */
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createChecker } from "../compiler/api.js";
import { createExtractor } from "../compiler/extract/index.js";
import { lintTarget } from "../compiler/lint-engine.js";
import { createCompilerProject, workflowSource } from "./lib/compiler-project.js";
import { measureNode, type Measured } from "./lib/compiler-measure.js";
import { mb, median, num, table } from "./lib/stats.js";
import { removeProject } from "./lib/typecheck-project.js";

const env = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
const FILES = env("FILES", 1000);
const STEPS = env("STEPS", 20);
const LINT_RUNS = env("LINT_RUNS", 3);
const TSC_RUNS = env("TSC_RUNS", 1);
const WATCH_RUNS = env("WATCH_RUNS", 10);
const TARGET = { lintMs: 3000, lintRssMb: 400, ratio: 0.5, watchMs: 100 };

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const started = performance.now();
const log = (msg: string): void => void process.stderr.write(`[bench:compiler ${((performance.now() - started) / 1000).toFixed(1)}s] ${msg}\n`);
const verdict = (ok: boolean): string => (ok ? "PASS" : "FAIL");

function runs(label: string, n: number, run: () => Measured): Measured[] {
  const out: Measured[] = [];
  for (let i = 0; i < n; i++) {
    out.push(run());
    log(`${label} run ${i + 1}/${n}: ${num(out.at(-1)!.wallMs / 1000)} s, ${mb(out.at(-1)!.maxRssBytes)}, exit ${out.at(-1)!.exitCode}`);
  }
  return out;
}

/** Edits one workflow file the way a person would: a different step plan under the same name. */
function editFile(dir: string, file: string, round: number): void {
  const index = Number(/flow-(\d+)\.ts$/.exec(file)![1]);
  const source = workflowSource(index + 7919 * (round + 1), STEPS).replace(/workflow\("pipeline_\d+"/, `workflow("pipeline_${index}"`);
  writeFileSync(path.join(dir, file), source);
}

log(`generating ${FILES} files of ${STEPS} steps`);
const project = createCompilerProject(repoRoot, FILES, STEPS);
try {
  const weave = path.join(repoRoot, "bin", "weave.js");
  const tsc = path.join(repoRoot, "node_modules", "typescript", "bin", "tsc");

  log("warm-up: weave lint (rebuilds dist/cli.js if a source changed)");
  const warm = measureNode([weave, "lint", ".", "--format", "json"], project.dir);
  const findings = JSON.parse(warm.stdout) as { summary: { errors: number; warnings: number; infos: number; files: number } };
  const lint = runs("weave lint .", LINT_RUNS, () => measureNode([weave, "lint", ".", "--format", "json"], project.dir));
  const tscRuns = runs("tsc --noEmit -p tsconfig.json", TSC_RUNS, () => measureNode([tsc, "--noEmit", "-p", "tsconfig.json"], project.dir));

  // watch: the extractor and the rules, as the brief measures them
  log("watch: extractor + lint of the changed file's workflows");
  const extractor = createExtractor({ cwd: project.dir, files: [...project.files, "tools.ts"] });
  let t0 = performance.now();
  const first = extractor.extract();
  for (const w of first.workflows) lintTarget(w.target);
  const initialMs = performance.now() - t0;
  const extractMs: number[] = [];
  for (let i = 0; i < WATCH_RUNS; i++) {
    const file = project.files[(i * 97) % project.files.length]!;
    editFile(project.dir, file, i);
    t0 = performance.now();
    const result = extractor.update([file]);
    for (const w of result.workflows) if (w.file === file) lintTarget(w.target);
    extractMs.push(performance.now() - t0);
  }
  // watch: what `weave lint --watch` does per change (re-check, keep the rest, gather every finding), minus printing
  log("watch: the CLI's checker (createChecker().update)");
  const checker = await createChecker({ cwd: project.dir, paths: ["."] });
  checker.check();
  const checkerMs: number[] = [];
  for (let i = 0; i < WATCH_RUNS; i++) {
    const file = project.files[(i * 131 + 5) % project.files.length]!;
    editFile(project.dir, file, i + 100);
    t0 = performance.now();
    checker.update([path.join(project.dir, file)]);
    checkerMs.push(performance.now() - t0);
  }
  // not a target: a change to tools.ts, which every workflow imports
  t0 = performance.now();
  checker.update([path.join(project.dir, "tools.ts")]);
  const toolsChangeMs = performance.now() - t0;

  const lintMs = median(lint.map((r) => r.wallMs));
  const lintRss = Math.max(...lint.map((r) => r.maxRssBytes));
  const tscMs = median(tscRuns.map((r) => r.wallMs));
  const tscRss = Math.max(...tscRuns.map((r) => r.maxRssBytes));
  const ratio = lintMs / tscMs;
  const watchMs = median(extractMs);
  const watchCheckerMs = median(checkerMs);
  const report = [
    `# Compiler benchmark`,
    "",
    `${FILES} workflow files × ${STEPS} steps (DSL, ten tools shared from tools.ts), ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? "?"}), Node ${process.version}; peak RSS via ${lint[0]!.via}.`,
    `weave lint found ${findings.summary.errors} errors, ${findings.summary.warnings} warnings, ${findings.summary.infos} infos in ${findings.summary.files} files (exit ${warm.exitCode}); tsc exited ${tscRuns[0]!.exitCode}.`,
    "",
    table(
      ["measure", "value", "target", ""],
      [
        [`weave lint . (median of ${LINT_RUNS}, wall)`, `${num(lintMs / 1000)} s`, `≤ ${TARGET.lintMs / 1000} s`, verdict(lintMs <= TARGET.lintMs)],
        ["weave lint . peak RSS", mb(lintRss), `≤ ${TARGET.lintRssMb} MB`, verdict(lintRss <= TARGET.lintRssMb * 2 ** 20)],
        [`tsc --noEmit -p (median of ${TSC_RUNS}, wall)`, `${num(tscMs / 1000)} s`, "", ""],
        ["tsc peak RSS", mb(tscRss), "", ""],
        ["lint / tsc", `${num(ratio)}×`, `≤ ${TARGET.ratio}×`, verdict(ratio <= TARGET.ratio)],
        [`watch: one file changed, update + lint (median of ${WATCH_RUNS})`, `${num(watchMs)} ms`, `≤ ${TARGET.watchMs} ms`, verdict(watchMs <= TARGET.watchMs)],
        [`watch: one file changed, the CLI's full re-check (median of ${WATCH_RUNS})`, `${num(watchCheckerMs)} ms`, "", ""],
        ["in-process first extract + lint of all files", `${num(initialMs)} ms`, "", ""],
        ["watch: tools.ts changed (every workflow re-extracted)", `${num(toolsChangeMs)} ms`, "", ""],
      ],
    ),
    "",
  ].join("\n");
  process.stdout.write(`${report}\n`);
  const out = path.join(repoRoot, "bench", "results");
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, "compiler.md"), report);
  log("wrote bench/results/compiler.md");
} finally {
  removeProject(project);
}

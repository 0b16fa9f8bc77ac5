/**
 * Compiler benchmark: `weave lint` on 1,000 generated DSL workflow files of 20 steps (ten tools shared from one
 * `tools.ts`, references between steps), against `tsc --noEmit` on the same project in the same run; then watch
 * mode: the re-check after one file changes; then long chains (issue 12): `weave lint` of one workflow whose steps
 * each read the one before, 1,000 and 10,000 steps long, as a DSL file and as a JSON template, and of a
 * 10,000-step cycle (made by test/compiler/chain-workflows.ts, as for the regression tests in long-chains.test.ts,
 * so the figures are for the files the tests check). With BASELINE set to another checkout of toolweave (e.g. the commit before a change), its
 * `bin/weave.js` lints the same chain files in the same run, for before/after figures. Prints a Markdown report
 * (also written to bench/results/compiler.md) with PASS/FAIL against the targets. A report, not a test: nothing
 * here fails a build.
 *
 * npm run bench:compiler   (tsx bench/compiler.bench.ts)
 *   env: FILES=1000 STEPS=20 LINT_RUNS=3 TSC_RUNS=1 WATCH_RUNS=10 CHAIN_STEPS=1000,10000 CHAIN_RUNS=3 BASELINE=<dir>
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createChecker } from "../compiler/api.js";
import { createExtractor } from "../compiler/extract/index.js";
import { lintTarget } from "../compiler/lint-engine.js";
import { dslChain, jsonChain, jsonCycle } from "../test/compiler/chain-workflows.js";
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
const CHAIN_STEPS = (process.env.CHAIN_STEPS ?? "1000,10000")
  .split(",")
  .filter((x) => x.trim() !== "")
  .map(Number);
const CHAIN_RUNS = env("CHAIN_RUNS", 3);
/** A checkout of toolweave to compare with on the chains (its bin/weave.js), e.g. a worktree of the previous commit. */
const BASELINE = process.env.BASELINE ? path.resolve(process.env.BASELINE) : undefined;
const TARGET = { lintMs: 3000, lintRssMb: 400, ratio: 0.5, watchMs: 100, chain10kMs: 2000 };

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const started = performance.now();
const log = (msg: string): void =>
  void process.stderr.write(`[bench:compiler ${((performance.now() - started) / 1000).toFixed(1)}s] ${msg}\n`);
const verdict = (ok: boolean): string => (ok ? "PASS" : "FAIL");

function runs(label: string, n: number, run: () => Measured): Measured[] {
  const out: Measured[] = [];
  for (let i = 0; i < n; i++) {
    out.push(run());
    log(`${label} run ${i + 1}/${n}: ${num(out.at(-1)!.wallMs / 1000)} s, ${mb(out.at(-1)!.maxRssBytes)}, exit ${out.at(-1)!.exitCode}`);
  }
  return out;
}

/** What a `weave lint --format json` run found ("2/1/0" errors/warnings/infos), or how it failed. */
function outcome(m: Measured): string {
  try {
    const { summary } = JSON.parse(m.stdout) as { summary: { errors: number; warnings: number; infos: number } };
    return `${summary.errors}/${summary.warnings}/${summary.infos}`;
  } catch {
    const why = /Maximum call stack size exceeded|heap out of memory|internal error[^\n]*/.exec(m.stderr)?.[0] ?? "no JSON output";
    return `failed (exit ${m.exitCode}): ${why}`;
  }
}

/** Edits one workflow file the way a person would: a different step plan under the same name. */
function editFile(dir: string, file: string, round: number): void {
  const index = Number(/flow-(\d+)\.ts$/.exec(file)![1]);
  const source = workflowSource(index + 7919 * (round + 1), STEPS).replace(/workflow\("pipeline_\d+"/, `workflow("pipeline_${index}"`);
  writeFileSync(path.join(dir, file), source);
}

const loadAtStart = os.loadavg()[0]!.toFixed(1);
log(`generating ${FILES} files of ${STEPS} steps`);
const project = createCompilerProject(repoRoot, FILES, STEPS);
try {
  const weave = path.join(repoRoot, "bin", "weave.js");
  const tsc = path.join(repoRoot, "node_modules", "typescript", "bin", "tsc");

  log("warm-up: weave lint (rebuilds dist/cli.js if a source changed)");
  const warm = measureNode([weave, "lint", ".", "--format", "json"], project.dir);
  const findings = JSON.parse(warm.stdout) as { summary: { errors: number; warnings: number; infos: number; files: number } };
  const lint = runs("weave lint .", LINT_RUNS, () => measureNode([weave, "lint", ".", "--format", "json"], project.dir));
  const baselineWeave = BASELINE && path.join(BASELINE, "bin", "weave.js");
  if (baselineWeave && !existsSync(baselineWeave)) throw new Error(`BASELINE: no ${baselineWeave}`);
  if (baselineWeave) measureNode([baselineWeave, "--version"], project.dir); // rebuilds its bundle if its sources are newer
  const baselineLint = baselineWeave
    ? runs("baseline weave lint .", LINT_RUNS, () => measureNode([baselineWeave, "lint", ".", "--format", "json"], project.dir))
    : undefined;
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

  // long chains: one workflow per file, linted on its own
  log(`chains: ${CHAIN_STEPS.join(", ")} steps${BASELINE ? `, against ${BASELINE}` : ""}`);
  const chainDir = path.join(project.dir, "chains");
  mkdirSync(chainDir);
  const chainCases: { label: string; steps: number; file: string }[] = [];
  for (const n of CHAIN_STEPS) {
    writeFileSync(path.join(chainDir, `chain-${n}.ts`), dslChain(n));
    writeFileSync(path.join(chainDir, `chain-${n}.json`), jsonChain(n));
    chainCases.push(
      { label: `${num(n)}-step chain, DSL (.ts)`, steps: n, file: `chain-${n}.ts` },
      { label: `${num(n)}-step chain, JSON template`, steps: n, file: `chain-${n}.json` },
    );
  }
  const cycleSteps = Math.max(...CHAIN_STEPS);
  if (Number.isFinite(cycleSteps)) {
    writeFileSync(path.join(chainDir, `cycle-${cycleSteps}.json`), jsonCycle(cycleSteps));
    chainCases.push({ label: `${num(cycleSteps)}-step cycle, JSON template`, steps: cycleSteps, file: `cycle-${cycleSteps}.json` });
  }
  const chainRows = chainCases.map((c) => {
    // not measured: rebuilds the CLI bundle if a source changed meanwhile (others may be editing the checkout)
    measureNode([weave, "--version"], chainDir);
    const now = runs(`weave lint ${c.file}`, CHAIN_RUNS, () => measureNode([weave, "lint", c.file, "--format", "json"], chainDir));
    const before = baselineWeave
      ? runs(`baseline weave lint ${c.file}`, 1, () => measureNode([baselineWeave, "lint", c.file, "--format", "json"], chainDir))[0]
      : undefined;
    return { ...c, now, before };
  });

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
    `${FILES} workflow files × ${STEPS} steps (DSL, ten tools shared from tools.ts), ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? "?"}), Node ${process.version}; peak RSS via ${lint[0]!.via}; load average ${loadAtStart} at the start, ${os.loadavg()[0]!.toFixed(1)} at the end${BASELINE ? `; "before" rows: ${BASELINE}` : ""}.`,
    `weave lint found ${findings.summary.errors} errors, ${findings.summary.warnings} warnings, ${findings.summary.infos} infos in ${findings.summary.files} files (exit ${warm.exitCode}); tsc exited ${tscRuns[0]!.exitCode}.`,
    "",
    table(
      ["measure", "value", "target", ""],
      [
        [
          `weave lint . (median of ${LINT_RUNS}, wall)`,
          `${num(lintMs / 1000)} s`,
          `≤ ${TARGET.lintMs / 1000} s`,
          verdict(lintMs <= TARGET.lintMs),
        ],
        ["weave lint . peak RSS", mb(lintRss), `≤ ${TARGET.lintRssMb} MB`, verdict(lintRss <= TARGET.lintRssMb * 2 ** 20)],
        ...(baselineLint
          ? [
              [
                `before: weave lint . (median of ${LINT_RUNS}, wall)`,
                `${num(median(baselineLint.map((r) => r.wallMs)) / 1000)} s`,
                "",
                outcome(baselineLint[0]!),
              ],
              ["before: weave lint . peak RSS", mb(Math.max(...baselineLint.map((r) => r.maxRssBytes))), "", ""],
            ]
          : []),
        [`tsc --noEmit -p (median of ${TSC_RUNS}, wall)`, `${num(tscMs / 1000)} s`, "", ""],
        ["tsc peak RSS", mb(tscRss), "", ""],
        ["lint / tsc", `${num(ratio)}×`, `≤ ${TARGET.ratio}×`, verdict(ratio <= TARGET.ratio)],
        [
          `watch: one file changed, update + lint (median of ${WATCH_RUNS})`,
          `${num(watchMs)} ms`,
          `≤ ${TARGET.watchMs} ms`,
          verdict(watchMs <= TARGET.watchMs),
        ],
        [`watch: one file changed, the CLI's full re-check (median of ${WATCH_RUNS})`, `${num(watchCheckerMs)} ms`, "", ""],
        ["in-process first extract + lint of all files", `${num(initialMs)} ms`, "", ""],
        ["watch: tools.ts changed (every workflow re-extracted)", `${num(toolsChangeMs)} ms`, "", ""],
      ],
    ),
    "",
    `**Long chains** (one workflow per file; the median of ${CHAIN_RUNS} runs${BASELINE ? `; before: one run of ${BASELINE}` : ""}). Findings are errors/warnings/infos; a 10,000-step chain should lint in ≤ ${TARGET.chain10kMs / 1000} s.`,
    "",
    table(
      ["workflow", "findings", "wall", "peak RSS", ...(BASELINE ? ["before: wall", "before: peak RSS", "before: result"] : []), ""],
      chainRows.map((r) => {
        const ms = median(r.now.map((m) => m.wallMs));
        const rss = Math.max(...r.now.map((m) => m.maxRssBytes));
        const target = r.steps >= 10_000 && !r.file.startsWith("cycle") ? verdict(ms <= TARGET.chain10kMs) : "";
        const before = r.before ? [`${num(r.before.wallMs / 1000)} s`, mb(r.before.maxRssBytes), outcome(r.before)] : [];
        return [r.label, outcome(r.now[0]!), `${num(ms / 1000)} s`, mb(rss), ...before, target];
      }),
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

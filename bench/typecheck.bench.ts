/**
 * Type-check benchmark: what `tsc` spends on a DSL workflow as it grows (25 to 400 steps), against the same steps
 * written as a plain `new WorkflowTemplate({...})` literal. Prints a Markdown report and writes it to
 * bench/results/typecheck.md. A report, not a test: no timing is asserted, but it throws when a generated file does
 * not compile, when the two variants do not build the same template, or when a deliberate type error in the DSL
 * is not reported (the proof that `toolweave` resolved to its real types rather than to `any`).
 *
 * npm run bench:types   (tsx bench/typecheck.bench.ts)
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { WorkflowTemplate } from "../src/index.js";
import { median, num, table } from "./lib/stats.js";
import { baselineSource, dslSource, emptySource, planWorkflow, toolsSource, TOOLS } from "./lib/typecheck-gen.js";
import {
  addVariant,
  checkTimeByFile,
  createProject,
  figure,
  removeProject,
  runTsc,
  variantFile,
  type Project,
  type TscRun,
} from "./lib/typecheck-project.js";

const SIZES = [25, 50, 100, 200, 400] as const;
const REPS = 3;
const SEED = 42;

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const started = performance.now();
const log = (msg: string): void =>
  void process.stderr.write(`[bench:types ${((performance.now() - started) / 1000).toFixed(1)}s] ${msg}\n`);

interface Metric {
  /** The label `tsc --extendedDiagnostics` prints. */
  readonly key: string;
  readonly label: string;
  readonly format: (x: number) => string;
}
const int = (x: number): string => Math.round(x).toLocaleString("en-US");
const METRICS: readonly Metric[] = [
  { key: "Instantiations", label: "Instantiations", format: int },
  { key: "Types", label: "Types", format: int },
  { key: "Check time", label: "Check time", format: (s) => `${num(s)} s` },
  { key: "Total time", label: "Total time", format: (s) => `${num(s)} s` },
  { key: "Memory used", label: "Memory used", format: (kb) => `${(kb / 1024).toFixed(0)} MB` },
  { key: "CPU time", label: "CPU time", format: (s) => `${num(s)} s` },
];
/** Counts are exact and repeatable; times and memory vary from run to run. */
const isCount = (m: Metric): boolean => m.key === "Instantiations" || m.key === "Types";

// ---------------------------------------------------------------------------------------------------------------
// Checks

/** Compiles a file that must compile, or throws with tsc's output. */
function cleanRun(project: Project, tsconfig: string, label: string): TscRun {
  const run = runTsc(project, tsconfig);
  if (run.exitCode !== 0 || run.errors.length > 0)
    throw new Error(`${label}: tsc exited ${run.exitCode} with ${run.errors.length} errors:\n${run.output.slice(0, 4000)}`);
  return run;
}

/**
 * The DSL file of 25 steps plus three deliberate mistakes (a wrong-typed reference, an unknown output field, a
 * reference from another workflow): tsc must report exactly those, on those lines.
 */
function sanityCheck(project: Project): string {
  const source = dslSource(planWorkflow(25, SEED), {
    header: ['import type { Ref } from "toolweave";', "let leaked!: Ref<string, unknown>;"],
    bodyLines: [
      "  leaked = s0.out.commit;",
      '  step("bad_type").tool(t.pushImage).with({ imageId: s0.out.files, registry: "r", tags: [], retries: 1 }); // SANITY TS2322',
      '  step("bad_field").tool(t.notify).with({ channel: "c", text: s0.out.comit, fields: [] }); // SANITY TS2551',
    ],
    trailer: [
      'export const other = workflow("other", { description: "", input: t.pipelineInput }, ({ step }) => {',
      '  step("bad_scope").tool(t.notify).with({ channel: "c", text: leaked, fields: [] }); // SANITY TS2322',
      "  return {};",
      "});",
    ],
  });
  const expected = source.split("\n").flatMap((l, i) => {
    const m = /\/\/ SANITY (TS\d+)$/.exec(l);
    return m ? [`sanity.ts:${i + 1} ${m[1]}`] : [];
  });
  const run = runTsc(project, addVariant(project, "sanity", source));
  const got = run.errors.map((e) => `${e.file}:${e.line} ${e.code}`);
  if (run.exitCode === 0 || got.join("\n") !== expected.join("\n")) {
    throw new Error(
      `sanity check: expected exactly these errors:\n  ${expected.join("\n  ")}\ngot (exit ${run.exitCode}):\n${run.output.slice(0, 4000)}`,
    );
  }
  return run.errors.map((e) => `- line ${e.line}: ${e.code} ${e.message}`).join("\n");
}

type StepJson = ReturnType<WorkflowTemplate["toJSON"]>["steps"][number];
/** Runs both generated files and compares the templates they build: same steps, parameters, dependencies, outputs. */
async function equivalenceCheck(project: Project, n: number): Promise<void> {
  const dsl = (await import(pathToFileURL(variantFile(project, `dsl-${n}`)).href)) as { pipeline: { template: WorkflowTemplate } };
  const base = (await import(pathToFileURL(variantFile(project, `base-${n}`)).href)) as { pipeline: WorkflowTemplate };
  base.pipeline.validate();
  const a = dsl.pipeline.template.toJSON();
  const b = base.pipeline.toJSON();
  const strip = (steps: readonly StepJson[]): string => JSON.stringify(steps.map(({ source: _source, ...s }) => s));
  if (a.steps.length !== n || strip(a.steps) !== strip(b.steps) || JSON.stringify(a.outputs) !== JSON.stringify(b.outputs)) {
    const i = a.steps.findIndex((s, j) => JSON.stringify(s) !== JSON.stringify(b.steps[j]));
    throw new Error(
      `${n} steps: the DSL and baseline files build different templates; first difference at step ${i}:\n${JSON.stringify(a.steps[i])}\n${JSON.stringify(b.steps[i])}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Measurement

type Variant = "empty" | `dsl-${number}` | `base-${number}`;
interface FileStats {
  dslBytes: number;
  baseBytes: number;
  /** dependsOn entries over all steps. */
  deps: number;
  conditions: number;
  retries: number;
}

async function main(): Promise<void> {
  const tsVersion = (
    JSON.parse(readFileSync(path.join(repoRoot, "node_modules", "typescript", "package.json"), "utf8")) as { version: string }
  ).version;
  // the scratch project resolves toolweave through its package.json exports, to the built declarations: build them
  // first, or the figures are those of whatever dist/ an earlier build left (and a fresh checkout has none)
  log("npm run build");
  execFileSync("npm", ["run", "build"], { cwd: repoRoot, stdio: ["ignore", 2, 2] });
  const project = createProject(repoRoot, toolsSource());
  log(`project in ${project.dir}`);
  try {
    const sanity = sanityCheck(project);
    log("sanity check: the three deliberate errors are reported");

    const configs = new Map<Variant, string>([["empty", addVariant(project, "empty", emptySource())]]);
    const sizes: Record<number, FileStats> = {};
    for (const n of SIZES) {
      const plan = planWorkflow(n, SEED);
      const dsl = dslSource(plan);
      const base = baselineSource(plan);
      configs.set(`dsl-${n}`, addVariant(project, `dsl-${n}`, dsl));
      configs.set(`base-${n}`, addVariant(project, `base-${n}`, base));
      sizes[n] = {
        dslBytes: Buffer.byteLength(dsl),
        baseBytes: Buffer.byteLength(base),
        deps: plan.steps.reduce((k, s) => k + s.deps.length, 0),
        conditions: plan.steps.filter((s) => s.condition).length,
        retries: plan.steps.filter((s) => s.retry).length,
      };
      await equivalenceCheck(project, n);
    }
    log("equivalence check: each DSL file builds the same template as its baseline");

    // Repetitions interleave the variants, so drift in machine load spreads over all of them.
    const runs = new Map<Variant, TscRun[]>([...configs.keys()].map((v) => [v, []]));
    for (let rep = 0; rep < REPS; rep++) {
      for (const [variant, tsconfig] of configs) {
        runs.get(variant)!.push(cleanRun(project, tsconfig, `${variant} (repetition ${rep + 1})`));
      }
      log(`repetition ${rep + 1}/${REPS} done`);
    }
    const raw = (variant: Variant, key: string): readonly number[] => runs.get(variant)!.map((r) => figure(r, key, variant));
    const med = (variant: Variant, key: string): number => median(raw(variant, key));

    const largest = SIZES[SIZES.length - 1]!;
    const breakdown = {
      dsl: checkTimeByFile(project, configs.get(`dsl-${largest}`)!),
      base: checkTimeByFile(project, configs.get(`base-${largest}`)!),
    };
    log("traced the largest DSL and baseline files");
    const report = render({ tsVersion, sanity, sizes, med, raw, configs: [...configs.keys()], breakdown });
    process.stdout.write(`${report}\n`);
    const out = path.join(repoRoot, "bench", "results");
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, "typecheck.md"), `${report}\n`);
    log(`wrote bench/results/typecheck.md`);
  } finally {
    removeProject(project);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Report

interface ReportInput {
  tsVersion: string;
  sanity: string;
  sizes: Record<number, FileStats>;
  med: (variant: Variant, key: string) => number;
  raw: (variant: Variant, key: string) => readonly number[];
  configs: readonly Variant[];
  /** Traced check time per file, longest first, of the largest DSL and baseline projects. */
  breakdown: { dsl: readonly { file: string; ms: number }[]; base: readonly { file: string; ms: number }[] };
}

/** Least-squares line `a + b·n` through the points. */
function fit(points: readonly (readonly [number, number])[]): { a: number; b: number } {
  const mx = points.reduce((k, [x]) => k + x, 0) / points.length;
  const my = points.reduce((k, [, y]) => k + y, 0) / points.length;
  const sxy = points.reduce((k, [x, y]) => k + (x - mx) * (y - my), 0);
  const sxx = points.reduce((k, [x]) => k + (x - mx) ** 2, 0);
  const b = sxy / sxx;
  return { a: my - b * mx, b };
}

function render({ tsVersion, sanity, sizes, med, raw, configs, breakdown }: ReportInput): string {
  const ratio = (a: number, b: number): string => (b === 0 ? "–" : `×${(a / b).toFixed(2)}`);
  const fixed = (key: string): number => med("empty", key);
  const over = (variant: Variant, key: string): number => med(variant, key) - fixed(key);
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  const lines: string[] = [];
  lines.push(
    "# toolweave type-check benchmark",
    "",
    `Environment: Node ${process.version}, TypeScript ${tsVersion}, ${cpu}, ${os.cpus().length} cores, ${os.platform()} ${os.release()}`,
    "",
    `Generated ${new Date().toISOString()} by \`npm run bench:types\`. Median of ${REPS} runs of \`tsc --extendedDiagnostics -p <project>\` per figure, variants interleaved.`,
    "",
    "## What is measured",
    "",
    `One generated workflow of N steps over ${TOOLS.length} tools (zod object schemas of 3–6 fields: strings, numbers, enums, defaults, optionals, a nested object, arrays of objects; \`bench/lib/typecheck-gen.ts\`, seed ${SEED}). ` +
      "Each step's `.with()` mixes literals, `input.*` references and references to 1–3 of the 12 steps before it (fields, nested fields, array items, template strings); " +
      "every 7th step has `.when(failed(...))`, others `eq`/`gt`/`and`/`not` conditions or a boolean reference; every 3rd has `.retry()`, every 4th `.timeout()`.",
    "",
    '- **DSL**: `workflow(name, { input }, ({ input, step }) => { const s0 = step("s0").tool(t.fetchRepo).with({...}) ... })`.',
    '- **Baseline**: the same steps as a plain `new WorkflowTemplate({ steps: [{ id, toolName, parameters: { ..."{{s0.commit}}"... }, dependsOn, condition, ... }] })` literal, importing the same tools.',
    "- **Empty**: only the shared `tools.ts`; its cost (toolweave's sources, zod, @types/node, the ten tool schemas) is in every figure, so the second table subtracts it.",
    "",
    "Figures are tsc's own (`Check time`, `Total time` are wall-clock; `Memory used` is the heap), plus `CPU time`: user + system CPU of the tsc process, which a busy machine disturbs less.",
    "",
    "Both files of each size are run and must build the same template (steps, parameters, dependencies, conditions, retries, outputs). " +
      "The temp project links `toolweave` to this repository through `node_modules`, so the DSL's types are checked as sources; its tsconfig copies the repository's strict options, with `types: [\"node\"]` (toolweave's sources need @types/node).",
    "",
    "Sanity check (a 25-step DSL file with three deliberate mistakes; exactly these errors are required):",
    "",
    sanity,
    "",
    "## Whole program (what tsc reports), DSL / baseline (ratio)",
    "",
  );
  const wholeRows = SIZES.map((n) => [
    String(n),
    ...METRICS.map((m) => {
      const d = med(`dsl-${n}`, m.key);
      const b = med(`base-${n}`, m.key);
      return `${m.format(d)} / ${m.format(b)} (${ratio(d, b)})`;
    }),
    num(med(`dsl-${n}`, "Instantiations") / n, 0),
  ]);
  lines.push(table(["Steps", ...METRICS.map((m) => m.label), "DSL instantiations ÷ steps"], wholeRows));
  lines.push("", `Empty project (fixed cost): ${METRICS.map((m) => `${m.label.toLowerCase()} ${m.format(fixed(m.key))}`).join(", ")}.`, "");

  lines.push("## The workflow file alone: figures minus the empty project's, DSL / baseline", "");
  const marginalMetrics = METRICS.filter((m) => m.key !== "Total time");
  const marginalRows = SIZES.map((n) => [
    String(n),
    ...marginalMetrics.map((m) => `${m.format(over(`dsl-${n}`, m.key))} / ${m.format(over(`base-${n}`, m.key))}`),
    `${num(over(`dsl-${n}`, "Instantiations") / n, 1)} / ${num(over(`base-${n}`, "Instantiations") / n, 1)}`,
    `${num((over(`dsl-${n}`, "Check time") / n) * 1000, 2)} / ${num((over(`base-${n}`, "Check time") / n) * 1000, 2)}`,
  ]);
  lines.push(table(["Steps", ...marginalMetrics.map((m) => `Δ ${m.label}`), "Δ instantiations ÷ step", "Δ check ms ÷ step"], marginalRows));
  lines.push(
    "",
    "A straight line through the five sizes (least squares), file alone: a fixed part (the first use of each tool's types, cached afterwards) plus a cost per step.",
    "",
  );
  const fitRows = marginalMetrics.map((m) => {
    const d = fit(SIZES.map((n) => [n, over(`dsl-${n}`, m.key)] as const));
    const b = fit(SIZES.map((n) => [n, over(`base-${n}`, m.key)] as const));
    const perStep = (x: number): string =>
      m.key === "Memory used" ? `${num(x, 1)} kB` : m.key.endsWith("time") ? `${num(x * 1000, 2)} ms` : num(x, 1);
    return [m.label, m.format(d.a), perStep(d.b), m.format(b.a), perStep(b.b), b.b > 0 ? `×${(d.b / b.b).toFixed(2)}` : "–"];
  });
  lines.push(table(["Figure", "DSL fixed", "DSL per step", "Baseline fixed", "Baseline per step", "Per step, DSL ÷ baseline"], fitRows));
  lines.push(
    "",
    "Counts (instantiations, types) are exact and repeat from run to run; times and memory are medians of 3 and vary with the machine's load (negative Δ = noise).",
    "",
  );

  lines.push("## Growth, 400 steps vs 100 (linear ≈ ×4)", "");
  const growth = (a: number, b: number): string => (a > 0 && b > 0 ? `×${(a / b).toFixed(2)}` : "n/a (noise)");
  const growthRows = METRICS.map((m) => [
    m.label,
    growth(med("dsl-400", m.key), med("dsl-100", m.key)),
    growth(med("base-400", m.key), med("base-100", m.key)),
    m.key === "Total time" ? "–" : growth(over("dsl-400", m.key), over("dsl-100", m.key)),
    m.key === "Total time" ? "–" : growth(over("base-400", m.key), over("base-100", m.key)),
  ]);
  lines.push(table(["Figure", "DSL (whole)", "Baseline (whole)", "DSL (file alone)", "Baseline (file alone)"], growthRows));
  lines.push("", `## Where check time goes (${SIZES[SIZES.length - 1]} steps, one \`--generateTrace\` run each)`, "");
  const top = 8;
  const traced = (rows: readonly { file: string; ms: number }[]): Map<string, number> => new Map(rows.map((r) => [r.file, r.ms]));
  const dslByFile = traced(breakdown.dsl);
  const baseByFile = traced(breakdown.base);
  const files = [...new Set([...breakdown.dsl.slice(0, top), ...breakdown.base.slice(0, top)].map((r) => r.file))];
  const total = (rows: readonly { ms: number }[]): number => rows.reduce((k, r) => k + r.ms, 0);
  lines.push(
    table(
      ["File", "DSL project, ms", "Baseline project, ms"],
      [
        ...files.map((f) => [f, num(dslByFile.get(f) ?? 0, 0), num(baseByFile.get(f) ?? 0, 0)]),
        [`all ${breakdown.dsl.length} files`, num(total(breakdown.dsl), 0), num(total(breakdown.base), 0)],
      ],
    ),
  );
  lines.push("", "Tracing slows tsc down; compare rows with each other, not with the tables above.");
  lines.push("", "## Generated files", "");
  lines.push(
    table(
      ["Steps", "DSL file", "Baseline file", "Dependencies (dependsOn entries)", "Conditions", "Retries"],
      SIZES.map((n) => {
        const s = sizes[n]!;
        return [
          String(n),
          `${(s.dslBytes / 1024).toFixed(1)} kB`,
          `${(s.baseBytes / 1024).toFixed(1)} kB`,
          String(s.deps),
          String(s.conditions),
          String(s.retries),
        ];
      }),
    ),
  );
  lines.push("", "## Every run", "");
  lines.push(
    table(
      ["Variant", ...METRICS.filter((m) => !isCount(m)).map((m) => m.label)],
      configs.map((v) => [v, ...METRICS.filter((m) => !isCount(m)).map((m) => raw(v, m.key).map(m.format).join(", "))]),
    ),
  );
  lines.push("", `Benchmark wall time: ${((performance.now() - started) / 1000).toFixed(1)} s.`);
  return lines.join("\n");
}

await main();

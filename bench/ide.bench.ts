/**
 * IDE benchmark: how long the TypeScript language service takes to answer member completions at `<step>.out.` in a
 * 30-step DSL workflow, against a zod-only control file whose `<step>Out.` offers the same fields
 * (`declare const s23Out: z.infer<typeof buildImageOutput>`, the schemas declared with zod alone, no toolweave). Both files are opened in the language
 * service, in this process, with a host that serves file versions from memory as an editor does: the first request
 * right after opening, then 20 requests each after a one-character edit of a string parameter. Also
 * `tsc --extendedDiagnostics` on each file. Prints a Markdown report and writes it to bench/results/ide.md.
 * A report, not a test: no timing is asserted (the figures are DSL ÷ control ratios from the same process), but it
 * throws when a completion list is not exactly the expected fields (which also proves that `toolweave` resolved to
 * its real types rather than to `any`) or when a file does not compile.
 *
 * npm run bench:ide                 (tsx bench/ide.bench.ts: toolweave's built declarations, after npm run build)
 * npm run bench:ide -- --sources     (toolweave's sources: no build; tsc also checks toolweave's own code)
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { median, num, table } from "./lib/stats.js";
import { dslSource, planWorkflow, toolsSource, type WorkflowPlan, zodObject } from "./lib/typecheck-gen.js";
import {
  addVariant,
  COMPILER_OPTIONS,
  createProject,
  figure,
  removeProject,
  runTsc,
  type Project,
  type TscRun,
} from "./lib/typecheck-project.js";

const STEPS = 30;
const SEED = 42;
/** Fresh language services per file for the first request (the median is reported). */
const OPENS = 5;
const EDITS = 20;
const TSC_REPS = 3;
/** The string parameter the edits type into, one character each. */
const EDITED = "EDIT";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
/**
 * Where `toolweave` resolves. By default to the built declarations (`dist/types`, rebuilt first with `npm run build`),
 * as in a user's project: the package's `exports` point there. With `--sources`, to this repository's sources through
 * `paths` (as its own tsconfig does), which needs no build but also checks toolweave's own code: `tsc` then spends
 * most of its time on src/, not on the workflow. The service and tsc both check which entry the program holds.
 */
const FROM_SOURCES = process.argv.includes("--sources");
const OPTIONS = FROM_SOURCES ? { ...COMPILER_OPTIONS, paths: { toolweave: [path.join(repoRoot, "index.ts")] } } : COMPILER_OPTIONS;
const REPO_INDEX = FROM_SOURCES ? path.join(repoRoot, "index.ts") : path.join(repoRoot, "dist", "types", "index.d.ts");
const loadAtStart = os.loadavg()[0]!;
const started = performance.now();
const log = (msg: string): void => void process.stderr.write(`[bench:ide ${((performance.now() - started) / 1000).toFixed(1)}s] ${msg}\n`);

type Variant = "dsl" | "control";
const VARIANTS: readonly Variant[] = ["dsl", "control"];

/** A file under test: where completions are asked (just after `marker`), where the edits insert, what must be offered. */
interface Subject {
  readonly source: string;
  /** Start of the probe line: `marker` and the edited string are searched from here, in the current text. */
  readonly anchor: string;
  /** Text just before the completion position: `s23.out.` */
  readonly marker: string;
  /** The field names the completions must be, sorted. */
  readonly fields: readonly string[];
  /** The DSL file imports the tools (and so toolweave); the control must not load toolweave at all. */
  readonly usesToolweave: boolean;
}

// ---------------------------------------------------------------------------------------------------------------
// The two files

/** The step completions are asked on: the last `build_image` step (`imageId`, `sizeMb`, `digest`, `layers`). */
function probeStep(plan: WorkflowPlan): { id: string; fields: string[] } {
  const s = plan.steps.findLast((x) => x.tool.ident === "buildImage")!;
  return { id: `s${s.index}`, fields: Object.keys(s.tool.output).sort() };
}

/** The generated workflow plus one step that reads the probe step's output: `.with({ channel: "EDIT", text: s23.out.imageId, ... })`. */
function dslSubject(plan: WorkflowPlan): Subject {
  const probe = probeStep(plan);
  const line = `  step("probe").tool(t.notify).with({ channel: "${EDITED}", text: ${probe.id}.out.imageId, fields: [] });`;
  return {
    source: dslSource(plan, { bodyLines: [line] }),
    anchor: 'step("probe")',
    marker: `${probe.id}.out.`,
    fields: probe.fields,
    usesToolweave: true,
  };
}

/**
 * Each step's output as a zod-inferred constant, and the same read of the probe step's output. Zod alone: the output
 * schemas are declared here, so nothing of toolweave is in the control's program.
 */
function controlSubject(plan: WorkflowPlan): Subject {
  const probe = probeStep(plan);
  const used = [...new Map(plan.steps.map((s) => [s.tool.ident, s.tool])).values()];
  const source = [
    `// Generated by bench/ide.bench.ts: the outputs of the ${plan.n} steps typed with zod alone, no toolweave (the control).`,
    'import { z } from "zod";',
    "",
    ...used.map((t) => `const ${t.ident}Output = ${zodObject(t.output)};`),
    "",
    ...plan.steps.map((s) => `declare const s${s.index}Out: z.infer<typeof ${s.tool.ident}Output>;`),
    "",
    `export const probe = { channel: "${EDITED}", text: ${probe.id}Out.imageId };`,
    "",
  ].join("\n");
  return { source, anchor: "export const probe", marker: `${probe.id}Out.`, fields: probe.fields, usesToolweave: false };
}

// ---------------------------------------------------------------------------------------------------------------
// The editor: a language service over `tools.ts` and one file, whose text and version live in memory.

interface Editor {
  /** Times one completion request at the subject's position; throws unless it offers exactly the expected fields. */
  complete(): number;
  /** Inserts one character at the end of the edited string parameter and bumps the file's version. */
  type(): void;
}

function openEditor(project: Project, file: string, subject: Subject): Editor {
  const { options, errors } = ts.convertCompilerOptionsFromJson(OPTIONS, project.dir);
  if (errors.length > 0) throw new Error(ts.flattenDiagnosticMessageText(errors[0]!.messageText, "\n"));
  const tools = path.join(project.dir, "tools.ts");
  let text = subject.source;
  let version = 0;
  // Files from disk (libs, @types/node, zod, toolweave's sources) are read once and never change, as in an editor.
  const disk = new Map<string, ts.IScriptSnapshot | undefined>();
  const host: ts.LanguageServiceHost = {
    getCompilationSettings: () => options,
    getScriptFileNames: () => (subject.usesToolweave ? [tools, file] : [file]),
    getProjectVersion: () => String(version),
    getScriptVersion: (f) => (f === file ? String(version) : "0"),
    getScriptSnapshot: (f) => {
      if (f === file) return ts.ScriptSnapshot.fromString(text);
      if (!disk.has(f)) {
        const content = ts.sys.readFile(f);
        disk.set(f, content === undefined ? undefined : ts.ScriptSnapshot.fromString(content));
      }
      return disk.get(f);
    },
    getCurrentDirectory: () => project.dir,
    getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
    fileExists: ts.sys.fileExists,
    readFile: ts.sys.readFile,
    readDirectory: ts.sys.readDirectory,
    directoryExists: ts.sys.directoryExists,
    getDirectories: ts.sys.getDirectories,
    realpath: ts.sys.realpath,
  };
  const service = ts.createLanguageService(host, ts.createDocumentRegistry());
  const find = (s: string): number => {
    const from = text.indexOf(subject.anchor);
    const at = from < 0 ? -1 : text.indexOf(s, from);
    if (at < 0) throw new Error(`${path.basename(file)}: "${s}" not found after "${subject.anchor}"`);
    return at;
  };
  return {
    complete() {
      const position = find(subject.marker) + subject.marker.length;
      const t0 = performance.now();
      const result = service.getCompletionsAtPosition(file, position, { triggerCharacter: "." });
      const ms = performance.now() - t0;
      const names = (result?.entries ?? []).map((e) => e.name).sort();
      if (Boolean(service.getProgram()?.getSourceFile(REPO_INDEX)) !== subject.usesToolweave)
        throw new Error(
          `${path.basename(file)}: toolweave ${subject.usesToolweave ? "did not resolve to" : "is loaded, from"} ${REPO_INDEX}`,
        );
      if (names.join() !== subject.fields.join()) {
        throw new Error(
          `${path.basename(file)}: completions after "${subject.marker}" (version ${version}) are [${names.join(", ")}], expected [${subject.fields.join(", ")}]`,
        );
      }
      return ms;
    },
    type() {
      const at = find(`"${EDITED}`) + EDITED.length + 1;
      text = `${text.slice(0, at)}x${text.slice(at)}`;
      version++;
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Measurement

/** Nearest-rank percentile. */
function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

interface Results {
  first: Record<Variant, number[]>;
  edits: Record<Variant, number[]>;
  tsc: Record<Variant, TscRun[]>;
}

async function main(): Promise<void> {
  const tsVersion = (
    JSON.parse(readFileSync(path.join(repoRoot, "node_modules", "typescript", "package.json"), "utf8")) as { version: string }
  ).version;
  if (tsVersion !== ts.version) throw new Error(`the language service is TypeScript ${ts.version}, tsc is ${tsVersion}`);
  if (!FROM_SOURCES) {
    log("npm run build (the declarations the scratch project resolves toolweave to)");
    execFileSync("npm", ["run", "build"], { cwd: repoRoot, stdio: ["ignore", 2, 2] });
  }
  const plan = planWorkflow(STEPS, SEED);
  const subjects: Record<Variant, Subject> = { dsl: dslSubject(plan), control: controlSubject(plan) };
  const project = createProject(repoRoot, toolsSource());
  log(`project in ${project.dir}`);
  try {
    const configs = {
      dsl: addVariant(project, "dsl", subjects.dsl.source, OPTIONS),
      control: addVariant(project, "control", subjects.control.source, OPTIONS, false),
    };
    const file = (v: Variant): string => path.join(project.dir, `${v}.ts`);
    const open = (v: Variant): Editor => openEditor(project, file(v), subjects[v]);

    // One unmeasured open of each, so the compiler's code is compiled by V8 before the first measured request.
    for (const v of VARIANTS) open(v).complete();
    log("warm-up done");

    const results: Results = { first: { dsl: [], control: [] }, edits: { dsl: [], control: [] }, tsc: { dsl: [], control: [] } };
    const editors = {} as Record<Variant, Editor>;
    for (let rep = 0; rep < OPENS; rep++) {
      // Alternating which file opens first, so neither always follows the other.
      for (const v of rep % 2 === 0 ? VARIANTS : [...VARIANTS].reverse()) {
        editors[v] = open(v);
        results.first[v].push(editors[v].complete());
      }
    }
    log(`first requests: ${OPENS} fresh language services per file`);

    for (let i = 0; i < EDITS; i++) {
      for (const v of VARIANTS) {
        editors[v].type();
        results.edits[v].push(editors[v].complete());
      }
    }
    log(`${EDITS} edits per file`);

    for (let rep = 0; rep < TSC_REPS; rep++) {
      for (const v of VARIANTS) {
        const run = runTsc(project, configs[v], ["--listFiles"]);
        if (run.exitCode !== 0 || run.errors.length > 0 || run.output.split("\n").includes(REPO_INDEX) !== subjects[v].usesToolweave)
          throw new Error(
            `${v}.ts: tsc exited ${run.exitCode} with ${run.errors.length} errors (or did not list ${REPO_INDEX}):\n${run.output.slice(0, 4000)}`,
          );
        results.tsc[v].push(run);
      }
    }
    log(`tsc --extendedDiagnostics, ${TSC_REPS} runs per file`);

    const report = render(tsVersion, subjects, results);
    process.stdout.write(`${report}\n`);
    const out = path.join(repoRoot, "bench", "results");
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, "ide.md"), `${report}\n`);
    log("wrote bench/results/ide.md");
  } finally {
    removeProject(project);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Report

function render(tsVersion: string, subjects: Record<Variant, Subject>, r: Results): string {
  const ms = (x: number): string => `${num(x, 1)} ms`;
  const ratio = (a: number, b: number): string => (b > 0 ? `×${num(a / b, 2)}` : "–");
  const row = (label: string, f: (v: Variant) => number, format: (x: number) => string): string[] => [
    label,
    format(f("dsl")),
    format(f("control")),
    ratio(f("dsl"), f("control")),
  ];
  const tsc = (v: Variant, key: string): number => median(r.tsc[v].map((run) => figure(run, key, `${v}.ts`)));
  const int = (x: number): string => Math.round(x).toLocaleString("en-US");
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  const probe = subjects.dsl.marker;
  return [
    "# toolweave IDE benchmark: completions at `step.out.`",
    "",
    `Environment: Node ${process.version}, TypeScript ${tsVersion}, ${cpu}, ${os.cpus().length} cores, ${os.platform()} ${os.release()}; ` +
      `load average (1 min) ${num(loadAtStart, 2)} at the start, ${num(os.loadavg()[0]!, 2)} at the end.`,
    "",
    `Generated ${new Date().toISOString()} by \`npm run bench:ide\`.`,
    "",
    "## What is measured",
    "",
    `- **DSL**: a ${STEPS}-step workflow (\`bench/lib/typecheck-gen.ts\`, seed ${SEED}: steps reading earlier steps' outputs, nested fields, conditions, retries), ` +
      `plus \`step("probe").tool(t.notify).with({ channel: "${EDITED}", text: ${probe}imageId, fields: [] })\`; completions are asked at \`${probe}|\`.`,
    `- **Control**: the same steps' outputs as \`declare const s<i>Out: z.infer<typeof <tool>Output>\`, the output schemas declared in the file with zod alone (no toolweave in its program), plus \`{ channel: "${EDITED}", text: ${subjects.control.marker}imageId }\`; completions at \`${subjects.control.marker}|\`.`,
    `- The DSL file imports \`tools.ts\` (ten tools); \`toolweave\` is ${FROM_SOURCES ? "this repository's sources (`--sources`: `paths` to `index.ts`; tsc then also checks toolweave's own code)" : "the built declarations, `dist/types` (rebuilt first), as a user's project sees the package"}. Each is opened in its own \`ts.createLanguageService\` ` +
      "whose host serves the file's text and version from memory (other files read once), with the repository's strict options.",
    `- **First request**: the first \`getCompletionsAtPosition\` of a fresh service (builds the program: parse, bind, check what the position needs); ` +
      `${OPENS} fresh services per file, alternating which opens first, after one unmeasured warm-up each.`,
    `- **After an edit**: ${EDITS} times, one character typed into the \`"${EDITED}"\` string (version bumped), then the request; DSL and control interleaved.`,
    `- Every request must offer exactly ${subjects.dsl.fields.map((f) => `\`${f}\``).join(", ")} (the run throws otherwise).`,
    "",
    "## Completions (language service, in process)",
    "",
    table(
      ["Request", "DSL", "Control", "DSL ÷ control"],
      [
        row(`First request (median of ${OPENS})`, (v) => median(r.first[v]), ms),
        row(`After an edit, median of ${EDITS}`, (v) => median(r.edits[v]), ms),
        row(`After an edit, p95 of ${EDITS}`, (v) => percentile(r.edits[v], 95), ms),
      ],
    ),
    "",
    `## \`tsc --extendedDiagnostics\` (each file's whole program: the DSL's has tools.ts and toolweave's types, both have zod, @types/node and the file; median of ${TSC_REPS})`,
    "",
    table(
      ["Figure", "DSL", "Control", "DSL ÷ control"],
      [
        row("Instantiations", (v) => tsc(v, "Instantiations"), int),
        row("Types", (v) => tsc(v, "Types"), int),
        row(
          "Check time",
          (v) => tsc(v, "Check time"),
          (s) => `${num(s)} s`,
        ),
        row(
          "Memory used",
          (v) => tsc(v, "Memory used"),
          (kb) => `${(kb / 1024).toFixed(0)} MB`,
        ),
      ],
    ),
    "",
    "## Every request, ms",
    "",
    table(
      ["File", "First requests", "After each edit"],
      VARIANTS.map((v) => [v, r.first[v].map((x) => num(x, 1)).join(", "), r.edits[v].map((x) => num(x, 1)).join(", ")]),
    ),
    "",
    `Files: dsl.ts ${(Buffer.byteLength(subjects.dsl.source) / 1024).toFixed(1)} kB, control.ts ${(Buffer.byteLength(subjects.control.source) / 1024).toFixed(1)} kB. ` +
      `Benchmark wall time: ${((performance.now() - started) / 1000).toFixed(1)} s.`,
  ].join("\n");
}

await main();

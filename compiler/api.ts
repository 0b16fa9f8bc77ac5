/**
 * @module The compiler's API (`toolweave/compiler`): `lint` checks workflow files (TypeScript, extracted statically)
 * and JSON templates; `compile` also writes each clean workflow as JSON plus a manifest. `createChecker` keeps the
 * state between checks, so watch mode re-checks only what changed.
 */
import path from "node:path";
import { readTextFileSync } from "../src/util/text-file.js";
import { compareDiagnostics, type Diagnostic } from "./diagnostic.js";
import type { ExtractedWorkflow, ExtractResult, Extractor } from "./extract/index.js";
import { displayPath, findInputs, type Inputs } from "./files.js";
import { readJsonTarget } from "./json-target.js";
import { checkRuleSettings, loadLintConfig, type RuleSettings } from "./lint-config.js";
import { lintTarget } from "./lint-engine.js";
import type { LintTarget } from "./lint-target.js";
import { applySuppressions } from "./suppressions.js";
import { callsOf, WorkflowGraph } from "./workflow-calls.js";
import { isFileSafeName, outputFileName, type Manifest, type OutputCheck } from "./write-output.js";
import { checkCompiledOutput, writeCompiledOutput } from "./compiled-output.js";

export type { RuleSettings };

export interface LintOptions {
  /** @default process.cwd() */
  readonly cwd?: string;
  /** Files and directories; with neither `paths` nor `project`, the cwd. */
  readonly paths?: readonly string[];
  /** A tsconfig whose files are the TypeScript inputs. */
  readonly project?: string;
  /**
   * Severity overrides by rule id, or "off"; on top of the config file's. An unknown rule id or setting throws a
   * `ConfigError` (an `InputError`) naming it.
   */
  readonly rules?: RuleSettings;
  /**
   * The config file (`weave.config.json`: `{ "lint": { "rules": { "<rule-id>": "off" | "info" | "warning" | "error" } } }`),
   * relative to `cwd`; `false` to read none. @default the nearest weave.config.json from `cwd` up, if any
   */
  readonly config?: string | false;
  /** Directories not to search. */
  readonly exclude?: readonly string[];
}

export interface LintResult {
  /** Every finding that counts, sorted (file, position, rule). */
  readonly diagnostics: Diagnostic[];
  /** The findings a suppression covers (`// weave-ignore`, `lint.ignore`), each with `suppressed` set, sorted. */
  readonly suppressed: Diagnostic[];
  /** The config file whose settings apply, as diagnostics name files. */
  readonly config?: string;
  /** Every file checked, as diagnostics name them. */
  readonly files: string[];
  readonly workflows: ExtractedWorkflow[];
  /** The text of each file checked, for code frames. */
  readonly sources: ReadonlyMap<string, string>;
  /**
   * Each TypeScript input → the project files its extraction read (its imports, as far as its workflows needed them),
   * all as diagnostics name files: what to watch to check it again.
   */
  readonly imports: ReadonlyMap<string, readonly string[]>;
}

export interface CompileOptions extends LintOptions {
  readonly outDir: string;
}

export interface CompileResult {
  readonly diagnostics: Diagnostic[];
  readonly suppressed: Diagnostic[];
  /** Paths written (output files, then the manifest); none when nothing compiled. */
  readonly written: string[];
  /** Files an earlier compile wrote that no workflow produces any more: removed. */
  readonly removed: string[];
  /** `*.workflow.json` files in the output folder that no compile wrote: left alone. */
  readonly skipped: string[];
  readonly manifest: Manifest;
  readonly files: string[];
  readonly sources: ReadonlyMap<string, string>;
}

interface FileState {
  text?: string;
  workflows: ExtractedWorkflow[];
  /** Extraction or JSON-reading findings of the file. */
  read: Diagnostic[];
  /** Lint findings, by workflow (JSON: the one target). */
  lint: Map<ExtractedWorkflow | LintTarget, Diagnostic[]>;
}

const TS = /\.(m|c)?tsx?$/;

/** Applies severity overrides to findings not produced by the lint engine (extraction, JSON reading). */
function applySettings(diagnostics: readonly Diagnostic[], rules: RuleSettings | undefined): Diagnostic[] {
  if (!rules) return [...diagnostics];
  const out: Diagnostic[] = [];
  for (const d of diagnostics) {
    const setting = rules[d.ruleId];
    if (setting === "off") continue;
    out.push(setting ? { ...d, severity: setting } : d);
  }
  return out;
}

const at = (d: { file: string; start: { line: number; column: number } }): string => `${d.file}:${d.start.line}:${d.start.column}`;

/** Workflows sharing a name (each would overwrite the other's output), and names that cannot be file names. */
export function nameDiagnostics(workflows: readonly ExtractedWorkflow[]): Diagnostic[] {
  const byName = new Map<string, ExtractedWorkflow[]>();
  for (const w of workflows) {
    const group = byName.get(w.name);
    if (group) group.push(w);
    else byName.set(w.name, [w]);
  }
  const out: Diagnostic[] = [];
  for (const [name, group] of byName) {
    const spans = group.map((w) => w.target.locate(["name"]));
    if (!isFileSafeName(name)) {
      group.forEach((_w, i) =>
        out.push({
          ruleId: "invalid-template",
          severity: "error",
          span: spans[i]!,
          workflow: name,
          message: `workflow name ${JSON.stringify(name)} cannot be a file name. use letters, digits, "_", "-" and "." (not first)`,
        }),
      );
      continue;
    }
    if (group.length < 2) continue;
    group.forEach((_w, i) => {
      const others = spans
        .filter((_, j) => j !== i)
        .map(at)
        .join(", ");
      out.push({
        ruleId: "invalid-template",
        severity: "error",
        span: spans[i]!,
        workflow: name,
        message: `workflow name ${JSON.stringify(name)} is also used at ${others}. names must be unique: each workflow compiles to "${outputFileName(name)}"`,
      });
    });
  }
  return out;
}

/** Checks the inputs once, then again as files change, keeping what did not change. */
export interface Checker {
  readonly inputs: Inputs;
  check(): LintResult;
  /** Re-checks after `changed` (paths as the inputs name them, or absolute) changed, were added or were removed. */
  update(changed: readonly string[]): LintResult;
  /** The lint config file whose settings apply (absolute), if any. */
  readonly config: string | undefined;
}

/** Finds the inputs (throws InputError for a missing path) and loads the TypeScript extractor only when needed. */
export async function createChecker(options: LintOptions): Promise<Checker> {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const inputs = findInputs({
    cwd,
    ...(options.paths ? { paths: options.paths } : {}),
    ...(options.project !== undefined ? { project: options.project } : {}),
    ...(options.exclude ? { exclude: options.exclude } : {}),
  });
  const config = options.config === false ? { rules: {} } : loadLintConfig(cwd, options.config);
  const settings: RuleSettings = { ...config.rules, ...(options.rules ? checkRuleSettings(options.rules) : {}) };
  const lintOptions = { rules: settings };
  const ts = new Set(inputs.ts);
  const json = new Set(inputs.json);
  const state = new Map<string, FileState>();
  /** The extractor's latest answer: each TypeScript input → the files its extraction read. */
  let imports = new Map<string, readonly string[]>();
  let extractor: Extractor | undefined;
  // ts-morph is loaded only when there is TypeScript to read
  const { createExtractor } =
    ts.size || options.project !== undefined ? await import("./extract/index.js") : { createExtractor: undefined };

  const stateOf = (file: string): FileState => {
    let s = state.get(file);
    if (!s) state.set(file, (s = { workflows: [], read: [], lint: new Map() }));
    return s;
  };

  /**
   * Lint findings by target: a workflow whose target the extractor did not rebuild is not linted again. Rules whose
   * findings depend on the other workflows of the run (`scope: "run"`) are left to `runFindings`.
   */
  const lintCache = new WeakMap<LintTarget, Diagnostic[]>();
  const lintOnce = (target: LintTarget): Diagnostic[] => {
    let found = lintCache.get(target);
    if (!found) lintCache.set(target, (found = lintTarget(target, { ...lintOptions, scope: "workflow" })));
    return found;
  };

  /** The findings of the "run" rules (sub-workflow recursion), over every workflow of the run as it is now. */
  const runFindings = (): Diagnostic[] => {
    const targets: LintTarget[] = [];
    for (const s of state.values()) for (const key of s.lint.keys()) targets.push("target" in key ? key.target : key);
    const callers = targets.filter((t) => callsOf(t.template).length > 0);
    if (callers.length === 0) return [];
    const workflows = WorkflowGraph.of(targets.flatMap((t) => [t.template, ...(t.subWorkflows?.() ?? [])]));
    return callers.flatMap((t) => lintTarget(t, { ...lintOptions, scope: "run", workflows }));
  };

  const readJson = (file: string): void => {
    let text: string;
    try {
      text = readTextFileSync(path.resolve(cwd, file));
    } catch {
      json.delete(file);
      state.delete(file);
      return;
    }
    const { target, diagnostics } = readJsonTarget(file, text);
    state.set(file, {
      text,
      workflows: [],
      read: applySettings(diagnostics, settings),
      lint: new Map(target ? [[target, lintOnce(target)]] : []),
    });
  };

  /** Takes an extraction result; files in `touched` (or named in the result) are replaced, the rest kept. */
  const applyExtract = (result: ExtractResult, touched: Iterable<string>): void => {
    imports = new Map([...(result.imports ?? [])].map(([file, read]) => [displayPath(cwd, file), read.map((f) => displayPath(cwd, f))]));
    const replace = new Set(touched);
    for (const w of result.workflows) replace.add(displayPath(cwd, w.file));
    for (const d of result.diagnostics) replace.add(displayPath(cwd, d.span.file));
    for (const file of replace) state.delete(file);
    for (const w of result.workflows) {
      const s = stateOf(displayPath(cwd, w.file));
      s.text = w.target.text;
      s.workflows.push(w);
      s.lint.set(w, lintOnce(w.target));
    }
    for (const d of applySettings(result.diagnostics, settings)) stateOf(displayPath(cwd, d.span.file)).read.push(d);
  };

  const result = (): LintResult => {
    const workflows = [...ts].sort().flatMap((f) => state.get(f)?.workflows ?? []);
    // files the extractor reported that were not inputs (e.g. an imported tools module with a problem)
    for (const file of state.keys()) if (!ts.has(file) && !json.has(file)) for (const w of state.get(file)!.workflows) workflows.push(w);
    const diagnostics: Diagnostic[] = [];
    for (const s of state.values()) {
      diagnostics.push(...s.read);
      for (const found of s.lint.values()) diagnostics.push(...found);
    }
    diagnostics.push(...runFindings());
    diagnostics.push(...applySettings(nameDiagnostics(workflows), settings));
    const files = [...new Set([...ts, ...json, ...state.keys()])].sort();
    const sources = new Map<string, string>();
    for (const file of files) {
      const text = state.get(file)?.text ?? tryRead(path.resolve(cwd, file));
      if (text !== undefined) sources.set(file, text);
    }
    const found = suppress(diagnostics, sources, workflows);
    return {
      diagnostics: found.diagnostics,
      suppressed: found.suppressed,
      files,
      workflows,
      sources,
      imports,
      ...(config.file !== undefined ? { config: config.file } : {}),
    };
  };

  /** Suppressions where findings are reported: comments of the TypeScript files, `lint.ignore` of the templates. */
  const suppress = (
    diagnostics: readonly Diagnostic[],
    sources: ReadonlyMap<string, string>,
    workflows: readonly ExtractedWorkflow[],
  ): { diagnostics: Diagnostic[]; suppressed: Diagnostic[] } => {
    const jsonTargets: LintTarget[] = [];
    for (const s of state.values()) for (const key of s.lint.keys()) if (!("target" in key)) jsonTargets.push(key);
    const tsFiles = [...sources].filter(([file]) => TS.test(file)).map(([file, text]) => ({ file, text }));
    /** The first line of each step of each workflow, by file, workflow name and step id. */
    const stepLines = new Map<string, number>();
    for (const w of workflows)
      for (const step of w.template.steps) if (step.source) stepLines.set(`${w.file}\0${w.name}\0${step.id}`, step.source.line);
    const stepLine = (d: Diagnostic): number | undefined =>
      d.workflow !== undefined && d.stepId !== undefined ? stepLines.get(`${d.span.file}\0${d.workflow}\0${d.stepId}`) : undefined;
    const found = applySuppressions({ tsFiles, jsonTargets, stepLine, settings }, diagnostics);
    found.diagnostics.sort(compareDiagnostics);
    found.suppressed.sort(compareDiagnostics);
    return found;
  };

  const extractorFor = (): Extractor =>
    (extractor ??= (createExtractor ?? missingExtractor)({
      cwd,
      files: [...ts].map((f) => path.resolve(cwd, f)),
      ...(inputs.project !== undefined ? { tsconfig: path.resolve(cwd, inputs.project) } : {}),
    }));

  return {
    inputs,
    config: config.file === undefined ? undefined : path.resolve(cwd, config.file),
    check() {
      state.clear();
      imports = new Map();
      for (const file of json) readJson(file);
      if (ts.size) applyExtract(extractorFor().extract(), ts);
      return result();
    },
    update(changed) {
      const tsChanged: string[] = [];
      for (const raw of changed) {
        const file = displayPath(cwd, raw);
        if (file.endsWith(".json")) {
          if (json.has(file) || file.endsWith(".workflow.json")) {
            json.add(file);
            readJson(file);
          }
        } else if (createExtractor && TS.test(file) && !/\.d\.m?ts$/.test(file)) {
          tsChanged.push(file);
          if (!options.project) ts.add(file);
        }
      }
      if (tsChanged.length) {
        const removed = tsChanged.filter((f) => tryRead(path.resolve(cwd, f)) === undefined);
        for (const f of removed) ts.delete(f);
        applyExtract(extractorFor().update(tsChanged.map((f) => path.resolve(cwd, f))), tsChanged);
      }
      return result();
    },
  };
}

function missingExtractor(): never {
  throw new Error("the TypeScript extractor was not loaded: no TypeScript inputs were found at start");
}

function tryRead(file: string): string | undefined {
  try {
    return readTextFileSync(file);
  } catch {
    return undefined;
  }
}

/** Checks workflow files and JSON templates. @example const { diagnostics } = await lint({ paths: ["workflows"] }) */
export async function lint(options: LintOptions = {}): Promise<LintResult> {
  return (await createChecker(options)).check();
}

/**
 * Writes the output of a check: each workflow without an error, then the manifest; removes what an earlier compile
 * wrote there that no workflow produces any more. Sources are named relative to the project's root.
 */
export async function writeCompiled(result: LintResult, outDir: string, cwd: string, root?: string): Promise<CompileResult> {
  const output = await writeCompiledOutput(result, { outDir, cwd, ...(root === undefined ? {} : { root }) });
  return {
    diagnostics: result.diagnostics,
    suppressed: result.suppressed,
    written: output.written,
    removed: output.removed,
    skipped: output.skipped,
    manifest: output.manifest,
    files: result.files,
    sources: result.sources,
  };
}

/** What differs between `outDir` and what {@link writeCompiled} would write there; writes nothing. */
export function checkCompiled(result: LintResult, outDir: string, cwd: string, root?: string): Promise<OutputCheck> {
  return checkCompiledOutput(result, { outDir, cwd, ...(root === undefined ? {} : { root }) });
}

/**
 * Checks like `lint`, then writes `<outDir>/<name>.workflow.json` for each TypeScript workflow with no error, and
 * `<outDir>/manifest.json`. @example await compile({ paths: ["workflows"], outDir: "dist/workflows" })
 */
export async function compile(options: CompileOptions): Promise<CompileResult> {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const result = (await createChecker({ ...options, cwd, exclude: [...(options.exclude ?? []), options.outDir] })).check();
  return writeCompiled(result, options.outDir, cwd);
}

/**
 * @module `weave lint [paths...]`: checks workflow files (TypeScript, without running them) and JSON templates, and
 * prints the findings (pretty, json, sarif, github). Also the machinery `weave compile` shares: options, report,
 * exit code, watch mode.
 */
import { packageVersion } from "../../src/util/package-info.js";
import path from "node:path";
import { Option, type Command } from "commander";
import type { Checker, LintResult } from "../../compiler/api.js";
import { FORMAT_NAMES, type FormatName } from "../../compiler/format/index.js";
import { type CheckQuery, cachePath, readCachedCheck, saveCheck, saveSeenOutputs } from "../../compiler/check-cache.js";
import { finishCheck } from "./finish-check.js";
import { reportError } from "../shared/report-error.js";
import { EXIT } from "../exit-codes.js";
import { UserError, UserErrorList } from "../../src/util/user-error.js";

export interface CheckOptions {
  project?: string;
  config?: string;
  format: FormatName;
  maxWarnings?: number;
  explain?: string;
  watch?: boolean;
  quiet?: boolean;
  color: boolean;
  out?: string;
  /** compile --check: compare the output folder with what a compile would write; write nothing. */
  check?: boolean;
}

const LINT_HELP = `
Examples:
  $ weave lint workflows/
  $ weave lint -p tsconfig.json --format sarif > weave.sarif
  $ weave lint deploy.json --format github --max-warnings 0
  $ weave lint --explain hidden-dependency
  $ weave lint src --watch
  $ weave lint --config ci/weave.config.json

Directories are searched for .ts/.mts files (not .d.ts, not node_modules) and JSON templates (*.workflow.json,
or any JSON object with "steps"). Workflows are read statically, never run.

Rules are set per project in weave.config.json (the nearest one from the current directory up, or --config):
  { "lint": { "rules": { "unnecessary-serialization": "off", "implicit-dependency": "error" } } }
each rule "off", "info", "warning" or "error". One finding is suppressed where it is reported, with a reason:
  in a .ts file, a comment on the line before it (or before its step):
    // weave-ignore unnecessary-serialization: the e2e suite needs the database the integration suite migrates
  in a JSON template, a field of the step (or of the template, for all of its findings):
    "lint": { "ignore": { "unnecessary-serialization": "the e2e suite needs the migrated database" } }
A suppression without a reason, naming an unknown rule, or suppressing nothing is reported (invalid-suppression).
Suppressed findings do not count; --format json and sarif list them as suppressed, with the reason.
Exit codes: 0 no errors (and warnings within --max-warnings), 1 errors found, 2 bad usage (a bad config file too)
or internal error.
`;

/** The options `lint` and `compile` share. */
export function addCheckOptions(command: Command): Command {
  return command
    .argument("[paths...]", "workflow files (.ts .mts), JSON templates (.json) or directories (default: the current directory)")
    .option("-p, --project <tsconfig>", "check the TypeScript files of this tsconfig")
    .option("-c, --config <file>", "rule settings from this file (default: the nearest weave.config.json from the current directory up)")
    .addOption(new Option("--format <format>", "output format").choices(FORMAT_NAMES).default("pretty"))
    .option("--max-warnings <n>", "exit 1 when there are more warnings than this", parseMaxWarnings)
    .option("--quiet", "report errors only")
    .option("--watch", "check again whenever an input changes (Ctrl-C to stop)")
    .option("--no-color", "no colours (also NO_COLOR=1)");
}

/** Adds the `lint` command; `onExit` receives its exit code. */
export function addLintCommand(program: Command, onExit: (code: number) => void): void {
  addCheckOptions(program.command("lint").description("check workflow files and JSON templates without running them"))
    .option("--explain <rule-id>", "explain a rule, with an example, and exit")
    .addHelpText("after", LINT_HELP)
    .action(async (paths: string[], options: CheckOptions) => onExit(await guarded(() => runCheck("lint", paths, options))));
}

function parseMaxWarnings(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n))
    throw new UserError(`--max-warnings must be a whole number of warnings (0 or more), got "${text}"`);
  return n;
}

/** Runs `action`; an internal error is reported and exits 2 (usage errors already do). */
export async function guarded(action: () => Promise<number>): Promise<number> {
  try {
    return await action();
  } catch (error) {
    const code = reportError(error);
    return code === EXIT.failed ? EXIT.usage : code;
  }
}

/** The compiler (ts-morph and the rules), loaded only when `lint` or `compile` runs: `weave run` does not pay for it. */
type Compiler = typeof import("../../compiler/index.js");
const loadCompiler = (): Promise<Compiler> => import("../../compiler/index.js");

function explain(compiler: Compiler, id: string): number {
  const text = compiler.explainRule(id);
  if (text === undefined) {
    const ids = compiler.ruleMetas().map((r) => r.id);
    throw new UserError(`unknown rule "${id}"`, [`rules are ${ids.map((r) => `"${r}"`).join(", ")}`]);
  }
  process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
  return EXIT.completed;
}

const PROGRESS_THRESHOLD = 50;

/** `checking 1000 files…` on stderr: erased after on a terminal, a plain line in CI, nothing otherwise. */
function progress(count: number): () => void {
  if (count < PROGRESS_THRESHOLD) return () => undefined;
  if (process.stderr.isTTY) {
    process.stderr.write(`checking ${count} files…`);
    return () => void process.stderr.write("\r\x1b[K");
  }
  if (process.env.CI) process.stderr.write(`checking ${count} files…\n`);
  return () => undefined;
}

async function once(
  compiler: Compiler,
  kind: "lint" | "compile",
  checker: Checker,
  options: CheckOptions,
  update?: readonly string[],
  query?: CheckQuery,
): Promise<number> {
  const done = update ? () => undefined : progress(checker.inputs.ts.length + checker.inputs.json.length);
  let result: LintResult;
  try {
    result = update ? checker.update(update) : checker.check();
  } finally {
    done();
  }
  // the next check of an unchanged project reuses this one; a cache that cannot be written (a read-only
  // node_modules) only costs the next run its time
  if (query) await saveCheck(query, result).catch(() => undefined);
  return finishCheck(kind, result, options, async () => compiler.ruleMetas(), query && seenBy(query, options));
}

/** `weave lint` / `weave compile`. @returns the exit code */
export async function runCheck(kind: "lint" | "compile", paths: string[], options: CheckOptions): Promise<number> {
  const query = checkQuery(paths, options);
  // a project unchanged since the last check: its result, without loading the compiler
  if (options.explain === undefined && !options.watch) {
    const cached = await readCachedCheck(query);
    if (cached) {
      if (process.env.WEAVE_DEBUG === "1")
        process.stderr.write(`weave: the sources are unchanged: the last check's result, from ${cachePath(query)}\n`);
      return finishCheck(kind, cached, options, async () => (await loadCompiler()).ruleMetas(), seenBy(query, options));
    }
  }
  const compiler = await loadCompiler();
  if (options.explain !== undefined) return explain(compiler, options.explain);
  const makeChecker = async (): Promise<Checker> => {
    try {
      return await compiler.createChecker({
        cwd: process.cwd(),
        paths,
        ...(options.project !== undefined ? { project: options.project } : {}),
        ...(options.config !== undefined ? { config: options.config } : {}),
        ...(options.out !== undefined ? { exclude: [options.out] } : {}),
      });
    } catch (error) {
      if (error instanceof compiler.ConfigError) throw new UserErrorList(error.problems);
      if (error instanceof compiler.InputError) throw new UserError(error.message, error.hints);
      throw error;
    }
  };
  const checker = await makeChecker();
  const code = await once(compiler, kind, checker, options, undefined, options.watch ? undefined : query);
  if (!options.watch) return code;
  return watchLoop(compiler, kind, checker, options, makeChecker);
}

/** The lint config a watch must follow: the one given, the one in use, or where one would be found first. */
function watchedConfig(options: CheckOptions, inUse: string | undefined): string {
  return path.resolve(options.config ?? inUse ?? "weave.config.json");
}

function watchLoop(
  compiler: Compiler,
  kind: "lint" | "compile",
  first: Checker,
  options: CheckOptions,
  makeChecker: () => Promise<Checker>,
): Promise<number> {
  process.stderr.write("watching for changes (Ctrl-C to stop)\n");
  let running = Promise.resolve();
  let checker = first;
  const config = watchedConfig(options, first.config);
  const stop = compiler.watchInputs({
    roots: [...checker.inputs.roots, config],
    ...(options.out !== undefined ? { ignore: [path.resolve(options.out)] } : {}),
    onChange: (files) => {
      running = running.then(async () => {
        const started = performance.now();
        try {
          // new lint settings: everything is checked again with them (a config with mistakes is reported, and the
          // watch goes on with the settings it had)
          if (files.includes(config)) {
            checker = await makeChecker();
            await once(compiler, kind, checker, options);
          } else await once(compiler, kind, checker, options, files);
        } catch (error) {
          reportError(error);
        }
        const ms = performance.now() - started;
        process.stderr.write(`re-checked ${files.length} changed file${files.length === 1 ? "" : "s"} in ${ms.toFixed(0)} ms\n`);
      });
    },
  });
  return new Promise((resolve) => {
    process.once("SIGINT", () => {
      stop();
      resolve(EXIT.completed);
    });
  });
}

/** What decides a check's inputs and settings, for its cache. */
function checkQuery(paths: readonly string[], options: CheckOptions): CheckQuery {
  return {
    cwd: process.cwd(),
    paths,
    ...(options.project !== undefined ? { project: options.project } : {}),
    ...(options.config !== undefined ? { config: options.config } : {}),
    ...(options.out !== undefined ? { exclude: [options.out] } : {}),
    version: packageVersion(),
  };
}

/** Records the output folder a compile left, for the next compile's cache (a record that cannot be written costs
 * only the next run's time). */
function seenBy(query: CheckQuery, options: CheckOptions): ((fileNames: string[]) => Promise<void>) | undefined {
  if (options.out === undefined) return undefined;
  const out = options.out;
  return (fileNames) => saveSeenOutputs(query, out, fileNames).catch(() => undefined);
}

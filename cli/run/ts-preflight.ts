/**
 * @module `weave run <workflow.ts>` checks the workflow statically before it loads or runs anything, as a JSON template
 * is checked (preflight.ts): the compiler extracts the workflow from the source, as `weave lint` does, and its findings
 * at error level (a typo like `build.out.imageID`, a condition reading a step it does not wait for, a sub-workflow
 * that calls itself, ...) stop the run before any step has had side effects, each with its place and code frame.
 *
 * Only what the run would meet counts: the findings of the workflow that runs (and of the sub-workflows it calls),
 * not those of other workflows of the file, and not the ones about compiling to files (a workflow name that cannot
 * be a file name). A workflow the compiler cannot read without running code (`non-static`) is not checked here and
 * runs as before: the DSL checks it when it loads, and `weave lint` says what kept it from being read.
 *
 * Cost: reading TypeScript statically means loading TypeScript's parser (most of the ~0.5 s this takes). A check that
 * found nothing is remembered (node_modules/.cache/toolweave/preflight, or the system's temporary directory without a
 * node_modules), keyed by the content of every file the bundle holds, the lint config, the workflow chosen and the
 * CLI itself: running an unchanged workflow again skips the check.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, extname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Diagnostic, ExtractedWorkflow, LintResult } from "../../compiler/index.js";
import { shouldUseColor } from "../shared/color.js";
import { TS_EXTENSIONS } from "../load/read-workflow-file.js";
import { UserError, UserErrorList } from "../../src/util/user-error.js";

/** Why a file was run without the static check, for WEAVE_DEBUG=1. */
export type PreflightSkip = "not-typescript" | "unreadable" | "not-extracted" | "ambiguous";

export interface TsPreflightResult {
  /** The workflow checked, or why none was. */
  readonly checked: { readonly name: string; readonly cached?: true } | { readonly skipped: PreflightSkip };
  readonly ms: number;
}

/**
 * @param file as the user typed it (relative to the cwd)
 * @param wanted `--workflow`: a workflow name or an export name
 * @throws UserErrorList with the findings at error level (file:line:col, message, code frame) and a last line saying
 *   that nothing ran; UserError for a file the compiler cannot take (see the compiler's InputError)
 */
export async function tsPreflight(file: string, wanted: string | undefined, sources: readonly string[] = []): Promise<TsPreflightResult> {
  const started = performance.now();
  const done = (checked: TsPreflightResult["checked"]): TsPreflightResult => ({ checked, ms: performance.now() - started });
  if (!TS_EXTENSIONS.includes(extname(file).toLowerCase())) return done({ skipped: "not-typescript" });
  // a missing file is the loader's to report, in the words every command uses
  const isFile = await stat(file).then(
    (s) => s.isFile(),
    () => false,
  );
  if (!isFile) return done({ skipped: "unreadable" });
  const cached = await cacheEntry(file, wanted, sources);
  if (cached !== undefined && (await exists(cached.path))) return done({ name: await readFile(cached.path, "utf8"), cached: true });

  const [compiler, { nameDiagnostics }] = await Promise.all([import("../../compiler/index.js"), import("../../compiler/api.js")]);
  let result: LintResult;
  try {
    result = await compiler.lint({ cwd: process.cwd(), paths: [file] });
  } catch (error) {
    // a weave.config.json with mistakes: one located line each
    if (error instanceof compiler.InputError && isProblemList(error)) throw new UserErrorList(error.problems);
    if (error instanceof compiler.InputError) throw new UserError(error.message, error.hints);
    throw error;
  }
  const own = result.workflows.filter((w) => resolve(w.file) === resolve(file));
  const chosen = choose(own, wanted, result.diagnostics);
  if (!chosen) return done({ skipped: own.length === 0 ? "not-extracted" : "ambiguous" });

  const runs = withSubWorkflows(chosen, result.workflows);
  const names = new Set(runs.flatMap((w) => [w.name, w.exportName]));
  const files = new Set(runs.map((w) => w.file));
  const naming = new Set(nameDiagnostics(result.workflows).map(key));
  const errors = result.diagnostics.filter(
    (d) =>
      d.severity === "error" &&
      d.ruleId !== "non-static" &&
      !naming.has(key(d)) &&
      (d.workflow === undefined ? files.has(d.span.file) : names.has(d.workflow) && files.has(d.span.file)),
  );
  if (errors.length === 0) {
    if (cached !== undefined) await remember(cached, chosen.name);
    return done({ name: chosen.name });
  }

  const color = shouldUseColor(process.stderr, process.env);
  const text = compiler.FORMATS.pretty(errors, { files: result.sources, color });
  // the formatter's last line counts the findings; ours says what happened instead
  const lines = text.trimEnd().split("\n").slice(0, -1);
  while (lines.at(-1) === "") lines.pop();
  const count = errors.length === 1 ? "this error" : `these ${errors.length} errors`;
  throw new UserErrorList([
    ...lines,
    `weave: nothing was run: workflow "${chosen.name}" would fail on ${count}. fix ${errors.length === 1 ? "it" : "them"} and run again (weave lint ${file} checks without running)`,
  ]);
}

const isProblemList = (error: Error): error is Error & { problems: readonly string[] } =>
  Array.isArray((error as { problems?: unknown }).problems);

const key = (d: Diagnostic): string => `${d.ruleId}\0${d.span.file}\0${d.span.start.line}:${d.span.start.column}\0${d.message}`;

/**
 * The workflow `weave run` will run, as find-workflow.ts chooses among the loaded exports; undefined when the static
 * view cannot tell (a workflow the compiler could not read may be the one, or the choice is ambiguous: the loader
 * then says so).
 */
function choose(
  own: readonly ExtractedWorkflow[],
  wanted: string | undefined,
  diagnostics: readonly Diagnostic[],
): ExtractedWorkflow | undefined {
  if (wanted !== undefined) return own.find((w) => w.name === wanted) ?? own.find((w) => w.exportName === wanted);
  // an exported workflow the compiler could not read counts among the candidates, unseen
  const unread = diagnostics.some((d) => d.ruleId === "non-static" && d.workflow !== undefined && !own.some((w) => w.name === d.workflow));
  if (unread) return undefined;
  if (own.length === 1) return own[0];
  const called = new Set(
    own.flatMap((w) => w.template.steps.filter((s) => s.toolName === "execute_workflow").map((s) => s.parameters.workflow)),
  );
  const topLevel = own.filter((w) => !called.has(w.name));
  return topLevel.length === 1 ? topLevel[0] : undefined;
}

/** `chosen` and every workflow it calls by name, directly or not (among those extracted). */
function withSubWorkflows(chosen: ExtractedWorkflow, all: readonly ExtractedWorkflow[]): ExtractedWorkflow[] {
  const found = [chosen];
  for (let i = 0; i < found.length; i++) {
    for (const step of found[i]!.template.steps) {
      if (step.toolName !== "execute_workflow") continue;
      const sub = all.find((w) => w.name === step.parameters.workflow);
      if (sub && !found.includes(sub)) found.push(sub);
    }
  }
  return found;
}

const exists = (path: string): Promise<boolean> =>
  stat(path).then(
    () => true,
    () => false,
  );

interface CacheEntry {
  readonly dir: string;
  readonly path: string;
}

/**
 * Where a clean check of exactly these inputs is remembered: a hash of the CLI (its file's path and time), the cwd, the
 * workflow asked for, the nearest weave.config.json and every bundled file's content. Undefined when the bundle's
 * files are unknown (nothing to key on) or one cannot be read.
 */
async function cacheEntry(file: string, wanted: string | undefined, sources: readonly string[]): Promise<CacheEntry | undefined> {
  if (sources.length === 0 || process.env.WEAVE_NO_CACHE === "1") return undefined;
  const hash = createHash("sha256");
  const self = fileURLToPath(import.meta.url);
  hash.update(`${self}\0${(await stat(self)).mtimeMs}\0${process.cwd()}\0${file}\0${wanted ?? ""}\0`);
  const config = nearestConfig(process.cwd());
  try {
    for (const path of [
      ...(config ? [config] : []),
      ...sources
        .filter((s) => s.startsWith("file:"))
        .map((s) => fileURLToPath(s))
        .sort(),
    ]) {
      hash
        .update(`${path}\0`)
        .update(await readFile(path))
        .update("\0");
    }
  } catch {
    return undefined;
  }
  const modules = resolve("node_modules");
  const dir = existsSync(modules) ? join(modules, ".cache", "toolweave", "preflight") : join(tmpdir(), "toolweave-preflight");
  return { dir, path: join(dir, hash.digest("hex")) };
}

/** The weave.config.json `weave lint` would read: in the cwd or the nearest directory above it. */
function nearestConfig(from: string): string | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const path = join(dir, "weave.config.json");
    if (existsSync(path)) return path;
    if (dirname(dir) === dir) return undefined;
  }
}

/** Remembers a clean check; a cache that cannot be written only costs the next run the check. */
async function remember(entry: CacheEntry, name: string): Promise<void> {
  try {
    await mkdir(entry.dir, { recursive: true });
    const temporary = `${entry.path}.${process.pid}.tmp`;
    await writeFile(temporary, name);
    await rename(temporary, entry.path);
  } catch {
    // not remembered
  }
}

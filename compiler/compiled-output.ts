/**
 * @module What `weave compile` writes for a check's result, the same from any directory and on any OS: each
 * template's source positions, and the manifest's sources, name files relative to the project's root (the folder of
 * its tsconfig.json or package.json) with `/` separators, while findings keep naming files as the user's shell does.
 * The output folder is owned through its manifest (write-output.ts): what an earlier compile wrote and no workflow
 * produces any more is removed, and `--check` compares instead of writing.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import type { TemplateData } from "../src/model/schema.js";
import type { Diagnostic } from "./diagnostic.js";
import type { ExtractedWorkflow } from "./extract/index.js";
import { displayPath } from "./files.js";
import {
  checkOutput,
  isCurrent,
  manifestOf,
  type OutputCheck,
  type OutputEntry,
  outputFile,
  type OutputFile,
  type OutputStats,
  type WrittenOutput,
  writeOutput,
} from "./write-output.js";

/** The part of a check's result that decides what is written. */
export interface CompilableResult {
  readonly diagnostics: readonly Diagnostic[];
  readonly suppressed: readonly Diagnostic[];
  /** What compile needs of each workflow (a cached result has no lint target). */
  readonly workflows: readonly CompilableWorkflow[];
  /** A cached result's: the files a compile from `root` writes, by hash (see {@link isCurrent}). */
  readonly outputs?: {
    readonly root: string;
    readonly files: readonly OutputEntry[];
    /** The output files' stats as the last compile into this folder left them (see {@link isCurrent}). */
    readonly seen?: OutputStats;
  };
}

export type CompilableWorkflow = Pick<ExtractedWorkflow, "name" | "exportName" | "file" | "template">;

/**
 * The project's root: the nearest folder from `start` up that holds a tsconfig.json or a package.json (`start`
 * itself when none does). Templates name their sources relative to it.
 */
export function projectRoot(start: string): string {
  for (let dir = path.resolve(start); ; ) {
    if (existsSync(path.join(dir, "tsconfig.json")) || existsSync(path.join(dir, "package.json"))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(start);
    dir = parent;
  }
}

/**
 * `file` (as findings name it, from `cwd`) relative to `root`, with `/`; a file outside the root keeps its absolute
 * path (a `../..` path would name it no more reproducibly, and less clearly).
 */
export function rootRelative(file: string, cwd: string, root: string): string {
  const absolute = path.resolve(cwd, file);
  const rel = path.relative(root, absolute);
  return (rel.startsWith("..") || path.isAbsolute(rel) ? absolute : rel).split(path.sep).join("/");
}

/** The template with every `source.file` (the template's, its steps', its embedded sub-workflows') relative to `root`. */
function rebased(template: TemplateData, cwd: string, root: string): TemplateData {
  const visit = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(visit);
    if (value === null || typeof value !== "object") return value;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (key === "source" && item !== null && typeof item === "object" && typeof (item as { file?: unknown }).file === "string") {
        const source = item as { file: string };
        out[key] = { ...source, file: rootRelative(source.file, cwd, root) };
      } else out[key] = visit(item);
    }
    return out;
  };
  return visit(template) as TemplateData;
}

/**
 * The files `compile` writes: each workflow without an error, its suppressed findings kept as `lint.ignore`, its
 * sources relative to `root`.
 * @param cwd the folder findings name files from
 */
export function compilable(result: CompilableResult, cwd: string, root: string): OutputFile[] {
  // per file: the workflows with an error (undefined for an error outside any workflow): one lookup per workflow
  const failed = new Map<string, Set<string | undefined>>();
  for (const d of result.diagnostics) {
    if (d.severity !== "error") continue;
    let names = failed.get(d.span.file);
    if (!names) failed.set(d.span.file, (names = new Set()));
    names.add(d.workflow);
  }
  return result.workflows
    .filter((w) => {
      const names = failed.get(w.file);
      return !names || !(names.has(undefined) || names.has(w.name) || names.has(w.exportName));
    })
    .map((w) => outputFile(w.name, rootRelative(w.file, cwd, root), rebased(withSuppressions(w, result.suppressed), cwd, root)));
}

type LintSettings = NonNullable<TemplateData["lint"]>;

/**
 * The template `compile` writes for `w`: a finding of it that a `// weave-ignore` comment suppressed keeps its
 * suppression as a `lint.ignore` entry (of its step, else of the template), so linting the output agrees.
 */
function withSuppressions(w: CompilableWorkflow, suppressed: readonly Diagnostic[]): TemplateData {
  const own = suppressed.filter((d) => d.span.file === w.file && (d.workflow === w.name || d.workflow === w.exportName));
  if (own.length === 0) return w.template;
  const add = (lint: LintSettings | undefined, d: Diagnostic): LintSettings => ({
    ...lint,
    ignore: { ...lint?.ignore, [d.ruleId]: d.suppressed!.reason },
  });
  let lint = w.template.lint;
  const steps = w.template.steps.map((step) => {
    const found = own.filter((d) => d.stepId === step.id);
    return found.length === 0 ? step : { ...step, lint: found.reduce(add, step.lint) };
  });
  for (const d of own) if (d.stepId === undefined || !steps.some((s) => s.id === d.stepId)) lint = add(lint, d);
  return { ...w.template, steps, ...(lint ? { lint } : {}) };
}

export interface OutputPlace {
  /** The output folder, as the user gave it (relative to `cwd`). */
  readonly outDir: string;
  /** The folder findings name files from (the user's). */
  readonly cwd: string;
  /** The project's root, which templates name sources from. @default projectRoot(cwd) */
  readonly root?: string;
}

/** Writes the output of a check, removing what an earlier compile wrote that no workflow produces any more. */
export async function writeCompiledOutput(result: CompilableResult, place: OutputPlace): Promise<WrittenOutput> {
  const root = place.root ?? projectRoot(place.cwd);
  const out = path.resolve(place.cwd, place.outDir);
  // unchanged sources and an output folder still as they left it: nothing to write (and no template to read)
  if (result.outputs?.root === root && (await isCurrent(out, result.outputs.files, result.outputs.seen)))
    return { written: [], removed: [], skipped: [], manifest: manifestOf(result.outputs.files) };
  const written = await writeOutput(path.resolve(place.cwd, place.outDir), compilable(result, place.cwd, root));
  const shown = (f: string) => displayPath(place.cwd, f);
  return { ...written, written: written.written.map(shown), removed: written.removed.map(shown), skipped: written.skipped.map(shown) };
}

/** What differs between the output folder and what a compile would write there (nothing is written). */
export async function checkCompiledOutput(result: CompilableResult, place: OutputPlace): Promise<OutputCheck> {
  const root = place.root ?? projectRoot(place.cwd);
  if (result.outputs?.root === root && (await isCurrent(path.resolve(place.cwd, place.outDir), result.outputs.files, result.outputs.seen)))
    return { problems: [], expected: result.outputs.files.length + 1 };
  const check = await checkOutput(path.resolve(place.cwd, place.outDir), compilable(result, place.cwd, root));
  return { ...check, problems: check.problems.map((p) => ({ ...p, file: displayPath(place.cwd, p.file) })) };
}

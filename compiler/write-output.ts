/**
 * @module What `weave compile` writes: `<out>/<name>.workflow.json` for each workflow free of errors, and
 * `<out>/manifest.json` listing them with a content hash. Every file is written atomically (temp file, fsync,
 * rename), the manifest last, so a reader never sees a half-written file or a manifest ahead of its files. The
 * manifest is also how compile knows what it owns: a file the previous manifest listed that no workflow produces now
 * is removed after the new manifest is written; a `*.workflow.json` it never listed is left alone, and reported.
 */
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { mkdir, readdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { writeFileAtomic } from "../src/util/atomic-write.js";

export interface OutputFile {
  readonly name: string;
  /** The source file, as diagnostics name it. */
  readonly source: string;
  /** The file name inside the output directory: `<name>.workflow.json`. */
  readonly fileName: string;
  readonly content: string;
  readonly hash: string;
}

export interface Manifest {
  readonly version: 1;
  readonly workflows: readonly { readonly name: string; readonly file: string; readonly source: string; readonly hash: string }[];
}

export const outputFileName = (name: string): string => `${name}.workflow.json`;

/** A workflow name that is safe as a file name: no path separators, no leading dot, not empty. */
export const isFileSafeName = (name: string): boolean => name.length > 0 && !/[/\\\0:*?"<>|]/.test(name) && !name.startsWith(".");

export function outputFile(name: string, source: string, template: unknown): OutputFile {
  const content = `${JSON.stringify(template, null, 2)}\n`;
  const hash = `sha256:${createHash("sha256").update(content).digest("hex")}`;
  return { name, source: source.replace(/\\/g, "/"), fileName: outputFileName(name), content, hash };
}

/** What the manifest says of an output file (its content aside). */
export type OutputEntry = Omit<OutputFile, "content">;

export function manifestOf(files: readonly OutputEntry[]): Manifest {
  const workflows = [...files]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((f) => ({ name: f.name, file: f.fileName, source: f.source, hash: f.hash }));
  return { version: 1, workflows };
}

/** What a compile wrote, removed (files an earlier compile wrote that no workflow produces any more) and left alone. */
export interface WrittenOutput {
  /** Output files, then the manifest. */
  readonly written: string[];
  readonly removed: string[];
  /** `*.workflow.json` files in the folder that no compile wrote: never touched, but they may be deployed by a glob. */
  readonly skipped: string[];
  readonly manifest: Manifest;
}

const MANIFEST = "manifest.json";
const OUTPUT = /\.workflow\.json$/;

/**
 * Writes `content` unless the file holds it already: a build that compiles unchanged sources touches nothing (no
 * fsync per file, no new modification time for a bundler or a deploy step to act on).
 */
async function writeIfChanged(file: string, content: string): Promise<void> {
  try {
    // synchronous: a thousand small reads in a row cost a fraction of as many promises
    if (readFileSync(file, "utf8") === content) return;
  } catch {
    // not there yet
  }
  await writeFileAtomic(file, content);
}

/**
 * Whether the folder already holds exactly these files (by their hashes) and their manifest, with no file an
 * earlier compile wrote left over: then a compile has nothing to write, and needs none of the templates to know it.
 */
export async function isCurrent(outDir: string, files: readonly OutputEntry[], seen?: OutputStats): Promise<boolean> {
  const owned = await ownedFiles(outDir);
  if (owned.size !== files.length || files.some((f) => !owned.has(f.fileName))) return false;
  for (const f of files) {
    // a file whose time and size are as they were just after it was written or checked: still that content
    if (seen !== undefined && sameStat(path.join(outDir, f.fileName), seen[f.fileName])) continue;
    let text: string;
    try {
      text = readFileSync(path.join(outDir, f.fileName), "utf8");
    } catch {
      return false;
    }
    if (`sha256:${createHash("sha256").update(text).digest("hex")}` !== f.hash) return false;
  }
  try {
    return readFileSync(path.join(outDir, MANIFEST), "utf8") === `${JSON.stringify(manifestOf(files), null, 2)}\n`;
  } catch {
    return false;
  }
}

/** Output files' modification times and sizes, by file name, as a compile left them. */
export type OutputStats = Readonly<Record<string, readonly [number, number]>>;

/** The current stats of these files of `outDir` (those that exist). */
export function outputStats(outDir: string, fileNames: readonly string[]): Record<string, readonly [number, number]> {
  const stats: Record<string, readonly [number, number]> = {};
  for (const name of fileNames) {
    try {
      const s = statSync(path.join(outDir, name));
      stats[name] = [s.mtimeMs, s.size];
    } catch {
      // gone: not recorded
    }
  }
  return stats;
}

function sameStat(file: string, known: readonly [number, number] | undefined): boolean {
  if (known === undefined) return false;
  try {
    const s = statSync(file);
    return s.mtimeMs === known[0] && s.size === known[1];
  } catch {
    return false;
  }
}

/** The files the folder's manifest says a compile wrote (none when there is no manifest, or one it cannot read). */
async function ownedFiles(outDir: string): Promise<Set<string>> {
  let text: string;
  try {
    text = await readFile(path.join(outDir, MANIFEST), "utf8");
  } catch {
    return new Set();
  }
  try {
    const manifest = JSON.parse(text) as Partial<Manifest>;
    const files = (manifest.workflows ?? []).map((w) => w.file).filter((f): f is string => typeof f === "string");
    // only plain file names inside the folder: a manifest edited to name ../x must not make compile delete it
    return new Set(files.filter((f) => OUTPUT.test(f) && path.basename(f) === f));
  } catch {
    return new Set();
  }
}

/** The `*.workflow.json` files in the folder. */
async function outputsIn(outDir: string): Promise<string[]> {
  try {
    return (await readdir(outDir)).filter((f) => OUTPUT.test(f)).sort();
  } catch {
    return [];
  }
}

/**
 * Writes the files, then the manifest; then removes the files the previous manifest listed that are not written now.
 * @returns the paths (joined to `outDir` as given)
 */
export async function writeOutput(outDir: string, files: readonly OutputFile[]): Promise<WrittenOutput> {
  await mkdir(outDir, { recursive: true });
  const owned = await ownedFiles(outDir);
  const written: string[] = [];
  for (const f of [...files].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const target = path.join(outDir, f.fileName);
    await writeIfChanged(target, f.content);
    written.push(target);
  }
  const manifest = manifestOf(files);
  const manifestPath = path.join(outDir, MANIFEST);
  await writeIfChanged(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  written.push(manifestPath);
  const now = new Set(files.map((f) => f.fileName));
  const removed: string[] = [];
  for (const file of [...owned].sort()) {
    if (now.has(file)) continue;
    await rm(path.join(outDir, file), { force: true });
    removed.push(path.join(outDir, file));
  }
  const skipped = (await outputsIn(outDir)).filter((f) => !now.has(f) && !owned.has(f)).map((f) => path.join(outDir, f));
  return { written, removed, skipped, manifest };
}

/** A way the output folder differs from what a compile would write. */
export interface OutputProblem {
  readonly file: string;
  /** `missing`: a compile would write it; `stale`: it would write other content; `extra`: a compile would remove it,
   * or (not written by weave compile) it is a template no workflow produces. */
  readonly kind: "missing" | "stale" | "extra";
  readonly why: string;
}

export interface OutputCheck {
  readonly problems: OutputProblem[];
  /** The files a compile would write, manifest included. */
  readonly expected: number;
}

/** Compares the folder with what {@link writeOutput} would make of it; writes nothing. */
export async function checkOutput(outDir: string, files: readonly OutputFile[]): Promise<OutputCheck> {
  const problems: OutputProblem[] = [];
  const compare = async (fileName: string, content: string): Promise<void> => {
    const file = path.join(outDir, fileName);
    let actual: string;
    try {
      actual = await readFile(file, "utf8");
    } catch {
      problems.push({ file, kind: "missing", why: "a compile would write it" });
      return;
    }
    if (actual !== content) problems.push({ file, kind: "stale", why: "a compile would write other content" });
  };
  for (const f of [...files].sort((a, b) => (a.name < b.name ? -1 : 1))) await compare(f.fileName, f.content);
  await compare(MANIFEST, `${JSON.stringify(manifestOf(files), null, 2)}\n`);
  const now = new Set(files.map((f) => f.fileName));
  const owned = await ownedFiles(outDir);
  for (const f of await outputsIn(outDir)) {
    if (now.has(f)) continue;
    const why = owned.has(f)
      ? "no workflow produces it any more: a compile would remove it"
      : "not written by weave compile, and no workflow produces it: remove it";
    problems.push({ file: path.join(outDir, f), kind: "extra", why });
  }
  return { problems, expected: files.length + 1 };
}

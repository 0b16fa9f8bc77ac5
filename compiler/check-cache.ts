/**
 * @module The result of a check kept between runs, so `weave compile` (and `weave lint`) on sources that have not
 * changed neither reads a workflow again nor loads the compiler: a build runs it on every build. The cache lives in
 * the project's `node_modules/.cache/toolweave/`, one file per set of inputs and options. It holds the result and the
 * content hash of every file it depends on: the inputs, the TypeScript files they import (as the extraction found
 * them), the tsconfig and the lint config. A run whose files all hash the same, with the same toolweave, reuses it;
 * any difference (a changed, added or removed file, a new weave.config.json) checks everything again and replaces it.
 *
 * This module is light on purpose (no rules, no parser): the CLI loads it before deciding to load the compiler.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { writeFileAtomic } from "../src/util/atomic-write.js";
import { readTextFileSync } from "../src/util/text-file.js";
import { type CompilableResult, type CompilableWorkflow, compilable, projectRoot } from "./compiled-output.js";
import { type OutputStats, outputStats } from "./write-output.js";
import type { Diagnostic } from "./diagnostic.js";
import { findInputs, type Inputs } from "./files.js";

/** What decides the inputs and the settings of a check, as the CLI was given them. */
export interface CheckQuery {
  readonly cwd: string;
  readonly paths?: readonly string[];
  readonly project?: string;
  readonly config?: string;
  readonly exclude?: readonly string[];
  /** The running toolweave's version: another version checks again. */
  readonly version: string;
}

/** A check's result as the CLI reports and compiles it: what a cache can hold. */
export interface CheckedResult extends CompilableResult {
  readonly diagnostics: Diagnostic[];
  readonly suppressed: Diagnostic[];
  readonly files: string[];
  readonly config?: string;
  readonly sources: ReadonlyMap<string, string>;
}

interface CacheFile {
  readonly version: 1;
  readonly toolweave: string;
  /** Every file the result depends on (relative to cwd), with its content hash; `null`: it did not exist. */
  readonly files: Record<string, string | null>;
  /**
   * Each existing file's modification time and size when it was hashed: a file with both unchanged is not read
   * again (as make and most build caches trust them); any other is hashed and compared.
   */
  readonly stats: Record<string, readonly [number, number]>;
  readonly inputs: { readonly ts: readonly string[]; readonly json: readonly string[] };
  /** The result, but its workflows: they are in a file of their own, read only when compile has to write. */
  readonly result: Omit<CheckedResult, "sources" | "workflows">;
}

const sha = (text: string): string => createHash("sha256").update(text).digest("hex");

/** The cache file of a query: under the project's node_modules/.cache/toolweave, named by the query's hash. */
export function cachePath(query: CheckQuery): string {
  const { version: _, ...what } = query;
  const key = sha(JSON.stringify({ ...what, cwd: path.resolve(query.cwd) })).slice(0, 16);
  return path.join(projectRoot(query.cwd), "node_modules", ".cache", "toolweave", `check-${key}.json`);
}

/** The weave.config.json a check would read: the one given, else the nearest from cwd up. */
function configFile(query: CheckQuery): string | undefined {
  if (query.config !== undefined) return path.resolve(query.cwd, query.config);
  for (let dir = path.resolve(query.cwd); ; ) {
    const file = path.join(dir, "weave.config.json");
    if (existsSync(file)) return file;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** A file's modification time and size, or undefined when it is not there. */
function statOf(file: string): [number, number] | undefined {
  try {
    const s = statSync(file);
    return [s.mtimeMs, s.size];
  } catch {
    return undefined;
  }
}

/** A file's text as the checks read it (without a byte order mark), or undefined when it cannot be read. */
function readText(file: string): string | undefined {
  try {
    return readTextFileSync(file);
  } catch {
    return undefined;
  }
}

/**
 * The cached result of the query, when every file it depends on is as it was (their texts are kept for the code
 * frames); undefined otherwise, or when there is no cache or it cannot be read.
 */
export async function readCachedCheck(query: CheckQuery): Promise<CheckedResult | undefined> {
  let cached: CacheFile;
  try {
    cached = JSON.parse(await readFile(cachePath(query), "utf8")) as CacheFile;
  } catch {
    return undefined;
  }
  if (cached.version !== 1 || cached.toolweave !== query.version) return undefined;
  let inputs: Inputs;
  try {
    inputs = findInputs(inputOptions(query));
  } catch {
    return undefined;
  }
  if (!sameList(inputs.ts, cached.inputs.ts) || !sameList(inputs.json, cached.inputs.json)) return undefined;
  const config = configFile(query);
  if (config !== undefined && !(path.relative(query.cwd, config) in cached.files)) return undefined;
  for (const [file, hash] of Object.entries(cached.files)) {
    const absolute = path.resolve(query.cwd, file);
    const known = cached.stats?.[file];
    const now = statOf(absolute);
    if (known !== undefined && now !== undefined && now[0] === known[0] && now[1] === known[1]) continue;
    const text = readText(absolute);
    if ((text === undefined ? null : sha(text)) !== hash) return undefined;
  }
  // the texts of the files findings are in, for their code frames
  const sources = new Map<string, string>();
  for (const d of [...cached.result.diagnostics, ...cached.result.suppressed]) {
    if (sources.has(d.span.file)) continue;
    const text = readText(path.resolve(query.cwd, d.span.file));
    if (text !== undefined) sources.set(d.span.file, text);
  }
  const workflowsFile = workflowsPath(cachePath(query));
  if (!existsSync(workflowsFile)) return undefined;
  let workflows: CompilableWorkflow[] | undefined;
  const seen = readSeenOutputs(query);
  return {
    ...cached.result,
    ...(cached.result.outputs && seen ? { outputs: { ...cached.result.outputs, seen } } : {}),
    sources,
    get workflows(): CompilableWorkflow[] {
      workflows ??= JSON.parse(readFileSync(workflowsFile, "utf8")) as CompilableWorkflow[];
      return workflows;
    },
  };
}

/** The file beside a cache that holds the stats of the output folder a compile with this query left. */
const seenPath = (cache: string): string => cache.replace(/\.json$/, ".out.json");

function readSeenOutputs(query: CheckQuery): OutputStats | undefined {
  try {
    return JSON.parse(readFileSync(seenPath(cachePath(query)), "utf8")) as OutputStats;
  } catch {
    return undefined;
  }
}

/**
 * Records the output folder as a compile just left it (written, or checked current), so the next compile of
 * unchanged sources can see it is still current from the files' times and sizes instead of their contents.
 */
export async function saveSeenOutputs(query: CheckQuery, outDir: string, fileNames: readonly string[]): Promise<void> {
  await writeFileAtomic(seenPath(cachePath(query)), JSON.stringify(outputStats(path.resolve(query.cwd, outDir), fileNames)));
}

/** The file beside a cache that holds its workflows' templates. */
const workflowsPath = (cache: string): string => cache.replace(/\.json$/, ".workflows.json");

/**
 * Keeps a check's result with the hashes of the files it depends on.
 * @param result with `imports`: the project files each TypeScript input's extraction read (`LintResult.imports`)
 */
export async function saveCheck(
  query: CheckQuery,
  result: CheckedResult & { readonly imports?: ReadonlyMap<string, readonly string[]> },
): Promise<void> {
  const dependencies = [...(result.imports ?? [])].flatMap(([file, read]) => [file, ...read]);
  const inputs = findInputs(inputOptions(query));
  const cwd = path.resolve(query.cwd);
  const files: Record<string, string | null> = {};
  const stats: Record<string, readonly [number, number]> = {};
  const add = (file: string): void => {
    const absolute = path.resolve(cwd, file);
    const rel = path.relative(cwd, absolute);
    if (rel in files) return;
    // the stat first: a file changed after it is read is then hashed again next time, never trusted
    const stat = statOf(absolute);
    const text = readText(absolute);
    files[rel] = text === undefined ? null : sha(text);
    if (stat !== undefined && text !== undefined) stats[rel] = stat;
  };
  for (const file of [...inputs.ts, ...inputs.json, ...dependencies, ...result.files]) add(file);
  if (query.project !== undefined) add(query.project);
  const config = configFile(query);
  if (config !== undefined) add(config);
  const { sources: _, workflows, outputs: __, imports: ___, ...rest } = result;
  // what a compile from the project's root writes, by hash: enough to see that an output folder is current
  const root = projectRoot(cwd);
  const outputs = { root, files: compilable(result, cwd, root).map(({ content: _content, ...entry }) => entry) };
  const cache: CacheFile = {
    version: 1,
    toolweave: query.version,
    files,
    stats,
    inputs: { ts: inputs.ts, json: inputs.json },
    result: { ...rest, outputs },
  };
  const file = cachePath(query);
  await mkdir(path.dirname(file), { recursive: true });
  // what compile needs of a workflow; the lint target (the syntax it was read from) is not kept. Written first: a
  // cache file is only ever read with its workflows beside it
  const kept = workflows.map((w) => ({ name: w.name, exportName: w.exportName, file: w.file, template: w.template }));
  await writeFileAtomic(workflowsPath(file), JSON.stringify(kept));
  await writeFileAtomic(file, JSON.stringify(cache));
}

function inputOptions(query: CheckQuery) {
  return {
    cwd: query.cwd,
    ...(query.paths ? { paths: query.paths } : {}),
    ...(query.project !== undefined ? { project: query.project } : {}),
    ...(query.exclude ? { exclude: query.exclude } : {}),
  };
}

const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

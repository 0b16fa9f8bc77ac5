/**
 * @module The inputs of `weave lint` / `weave compile`: files and directories named on the command line (directories
 * searched for `*.ts`, `*.mts` and JSON templates), or a tsconfig. Paths come back as the diagnostics name files:
 * relative to the cwd when inside it, else absolute.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { readTextFileSync } from "../src/util/text-file.js";

/** A path that does not exist or cannot be read: a usage error (exit 2). */
export class InputError extends Error {
  override readonly name = "InputError";
  constructor(
    message: string,
    readonly hints: readonly string[] = [],
  ) {
    super(message);
  }
}

export interface InputOptions {
  readonly cwd: string;
  readonly paths?: readonly string[];
  /** A tsconfig (`-p`): its files are the TypeScript inputs. */
  readonly project?: string;
  /** Directories not to search (e.g. compile's output directory), absolute or relative to the cwd. */
  readonly exclude?: readonly string[];
}

export interface Inputs {
  /** TypeScript files named or found (empty with only `project`: the tsconfig decides). */
  readonly ts: readonly string[];
  /** JSON template files. */
  readonly json: readonly string[];
  /** The tsconfig, relative like the files, when one was given. */
  readonly project?: string;
  /** What to watch for changes: the paths given (absolute), and the tsconfig's directory. */
  readonly roots: readonly string[];
}

const TS = /\.(m?ts)$/;
const DTS = /\.d\.m?ts$/;

/** `file` as diagnostics name it. */
export function displayPath(cwd: string, file: string): string {
  const abs = path.resolve(cwd, file);
  const rel = path.relative(cwd, abs);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : abs;
}

/**
 * Whether a JSON file found in a directory is a workflow template: `*.workflow.json`, or an object with `steps`
 * (cheap test first; files too broken to parse are templates only by name).
 */
export function isTemplateJson(file: string, text: string): boolean {
  if (file.endsWith(".workflow.json")) return true;
  if (!/"steps"\s*:/.test(text)) return false;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) && "steps" in value;
  } catch {
    return /^\s*\{/.test(text);
  }
}

function walk(dir: string, excluded: ReadonlySet<string>, out: { ts: string[]; json: string[] }): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === "node_modules" || entry.name.startsWith(".") || excluded.has(full)) continue;
      walk(full, excluded, out);
    } else if (entry.isFile() || entry.isSymbolicLink()) {
      if (TS.test(entry.name) && !DTS.test(entry.name)) out.ts.push(full);
      else if (entry.name.endsWith(".json")) {
        let text: string;
        try {
          text = readTextFileSync(full);
        } catch {
          continue;
        }
        if (isTemplateJson(entry.name, text)) out.json.push(full);
      }
    }
  }
}

/** The TypeScript files a tsconfig includes (not declaration files). */
function projectFiles(tsconfig: string): string[] {
  // loaded only for -p: a JSON-only lint does not pay for the TypeScript compiler
  const { ts } = createRequire(import.meta.url)("ts-morph") as typeof import("ts-morph");
  const read = ts.readConfigFile(tsconfig, (f) => ts.sys.readFile(f));
  if (read.error)
    throw new InputError(`cannot read tsconfig "${tsconfig}": ${ts.flattenDiagnosticMessageText(read.error.messageText, "\n")}`);
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(tsconfig), undefined, tsconfig);
  return parsed.fileNames.filter((f) => TS.test(f) && !DTS.test(f)).map((f) => path.resolve(f));
}

/** Finds the inputs; throws InputError naming a path that does not exist. */
export function findInputs(options: InputOptions): Inputs {
  const cwd = path.resolve(options.cwd);
  const excluded = new Set((options.exclude ?? []).map((p) => path.resolve(cwd, p)));
  const found = { ts: [] as string[], json: [] as string[] };
  const roots: string[] = [];
  let project: string | undefined;
  if (options.project !== undefined) {
    let abs = path.resolve(cwd, options.project);
    if (existsSync(abs) && statSync(abs).isDirectory()) abs = path.join(abs, "tsconfig.json");
    if (!existsSync(abs))
      throw new InputError(`cannot find tsconfig "${options.project}"`, ["-p takes a tsconfig.json file or a directory that holds one"]);
    project = displayPath(cwd, abs);
    roots.push(path.dirname(abs));
    if (!options.paths?.length) found.ts.push(...projectFiles(abs));
  }
  const paths = options.paths?.length ? options.paths : project !== undefined ? [] : ["."];
  const missing = paths.filter((p) => !existsSync(path.resolve(cwd, p)));
  if (missing.length) {
    throw new InputError(`cannot find ${missing.map((p) => `"${p}"`).join(", ")}`, [
      "name workflow files (.ts .mts), JSON templates (.json) or directories that hold them",
    ]);
  }
  for (const p of paths) {
    const abs = path.resolve(cwd, p);
    roots.push(abs);
    if (statSync(abs).isDirectory()) walk(abs, excluded, found);
    // a file named explicitly is checked whatever its content
    else if (abs.endsWith(".json")) found.json.push(abs);
    else if (TS.test(abs) || /\.(cts|tsx)$/.test(abs)) found.ts.push(abs);
    else throw new InputError(`cannot check "${p}": expecting a workflow file (.ts .mts), a JSON template (.json) or a directory`);
  }
  const unique = (xs: string[]): string[] => [...new Set(xs.map((f) => displayPath(cwd, f)))].sort();
  return { ts: unique(found.ts), json: unique(found.json), ...(project !== undefined ? { project } : {}), roots: [...new Set(roots)] };
}

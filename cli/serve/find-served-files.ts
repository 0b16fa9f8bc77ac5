/**
 * @module The files `weave serve` loads: those named on the command line (a workflow file or a JSON template,
 * whatever its content), and those found in the directories named: .ts/.mts files that are not declarations or
 * tests, and JSON templates (as `weave lint` finds them).
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { displayPath, isTemplateJson } from "../../compiler/files.js";
import { readTextFileSync } from "../../src/util/text-file.js";
import { UserError } from "../../src/util/user-error.js";

export interface ServedFile {
  /** As messages name it: relative to the cwd when inside it. */
  readonly file: string;
  readonly kind: "module" | "template";
  /** Named on the command line; else found in a directory (then a file without workflows is skipped). */
  readonly named: boolean;
}

const MODULE = /\.(ts|mts|cts|js|mjs)$/;
const FOUND_MODULE = /\.m?ts$/;
const NOT_SERVED = /(\.d\.m?ts|\.(test|spec)\.m?ts)$/;

/** @throws UserError for a path that does not exist or is neither a workflow file, a template nor a directory */
export function findServedFiles(paths: readonly string[], cwd = process.cwd()): ServedFile[] {
  const missing = paths.filter((p) => !existsSync(path.resolve(cwd, p)));
  if (missing.length > 0) {
    throw new UserError(`cannot find ${missing.map((p) => `"${p}"`).join(", ")}`, [
      "name workflow files (.ts .mts .cts .js .mjs), JSON templates (.json) or directories that hold them",
    ]);
  }
  const found = new Map<string, ServedFile>();
  const add = (abs: string, kind: ServedFile["kind"], named: boolean): void => {
    const file = displayPath(cwd, abs);
    if (!found.get(file)?.named) found.set(file, { file, kind, named });
  };
  for (const p of paths) {
    const abs = path.resolve(cwd, p);
    if (statSync(abs).isDirectory()) {
      for (const entry of walk(abs)) add(entry.file, entry.kind, false);
    } else if (abs.endsWith(".json")) add(abs, "template", true);
    else if (MODULE.test(abs)) add(abs, "module", true);
    else throw new UserError(`cannot serve "${p}": expecting a workflow file (.ts .mts .cts .js .mjs), a template (.json) or a directory`);
  }
  return [...found.values()];
}

/** The workflow files and templates under `dir`, sorted by path. */
function walk(dir: string): { file: string; kind: ServedFile["kind"] }[] {
  const out: { file: string; kind: ServedFile["kind"] }[] = [];
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "node_modules" && !entry.name.startsWith(".")) out.push(...walk(full));
    } else if (entry.isFile() || entry.isSymbolicLink()) {
      if (FOUND_MODULE.test(entry.name) && !NOT_SERVED.test(entry.name)) out.push({ file: full, kind: "module" });
      else if (entry.name.endsWith(".json") && isTemplate(full, entry.name)) out.push({ file: full, kind: "template" });
    }
  }
  return out;
}

function isTemplate(file: string, name: string): boolean {
  try {
    return isTemplateJson(name, readTextFileSync(file));
  } catch {
    return false;
  }
}

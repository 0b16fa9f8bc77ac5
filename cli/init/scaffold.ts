/**
 * @module The files `weave init` writes, from scaffold/ (type-checked with toolweave's own sources, so the
 * scaffold never goes stale). The built CLI carries them inside its bundle (scripts/bundle.ts defines
 * `__WEAVE_SCAFFOLD__`), so the package ships no template folder, and its test file is not mistaken for ours;
 * from sources they are read from the folder.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { packageRoot } from "../../src/util/package-info.js";

declare const __WEAVE_SCAFFOLD__: Readonly<Record<string, string>> | undefined;

/** npm drops files named .gitignore from published packages, so the template keeps it without the dot. */
const RENAMES: Readonly<Record<string, string>> = { gitignore: ".gitignore" };

/** Relative path (with `/`) → content, sorted by path; package.json is not among them (it is made per project). */
export function scaffoldFiles(): Map<string, string> {
  if (typeof __WEAVE_SCAFFOLD__ !== "undefined") return new Map(Object.entries(__WEAVE_SCAFFOLD__));
  const root = packageRoot();
  if (root === undefined) throw new Error("the scaffold files are not bundled and toolweave's package folder was not found");
  return readScaffoldDir(path.join(root, "scaffold"));
}

/** The files of a scaffold folder, as {@link scaffoldFiles} returns them. */
export function readScaffoldDir(dir: string): Map<string, string> {
  const files: [string, string][] = [];
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const relative = path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join("/");
    files.push([RENAMES[relative] ?? relative, readFileSync(path.join(dir, relative), "utf8")]);
  }
  return new Map(files.sort(([a], [b]) => a.localeCompare(b)));
}

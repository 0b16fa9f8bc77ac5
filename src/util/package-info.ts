/**
 * @module Where toolweave's own package is, and its version. Found by walking up from this module to the
 * package.json named "toolweave", so it holds wherever the code runs from: the sources of a checkout, the
 * bundled CLI in dist/, or an install under node_modules.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

interface PackageJson {
  readonly name?: string;
  readonly version?: string;
}

let found: { root: string; version: string } | null | undefined;

/** null when there is none: the code was bundled into another program, which does not ship toolweave's package.json. */
function locate(): { root: string; version: string } | null {
  if (found !== undefined) return found;
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const pkg = readPackageJson(join(dir, "package.json"));
    if (pkg?.name === "toolweave") return (found = { root: dir, version: pkg.version ?? "0.0.0" });
    if (dirname(dir) === dir) return (found = null);
  }
}

function readPackageJson(file: string): PackageJson | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as PackageJson;
  } catch {
    return undefined;
  }
}

/** The directory of toolweave's package.json, or undefined when toolweave was bundled into another program. */
export const packageRoot = (): string | undefined => locate()?.root;

/** toolweave's version, from its package.json ("0.0.0" when it cannot be found). */
export const packageVersion = (): string => locate()?.version ?? "0.0.0";

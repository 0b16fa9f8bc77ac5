#!/usr/bin/env node
// Runs the CLI from dist/weave.mjs, one bundled module, rebuilt here whenever a source file is newer (the package
// ships TypeScript sources). If the bundle cannot be written (a read-only install), tsx compiles the sources on load.
import { readdirSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const bundle = new URL("../dist/weave.mjs", import.meta.url);
const TS_LOADER = Symbol.for("toolweave.tsLoader");

function mtime(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return -1;
  }
}

/** The newest modification time of the CLI's sources (~1 ms for ~130 files). */
function newestSource() {
  let newest = Math.max(mtime(`${root}index.ts`), mtime(`${root}package.json`));
  for (const dir of ["src", "compiler", "dsl", "scripts/build-cli.ts"]) {
    const entries = dir.endsWith(".ts") ? [] : readdirSync(`${root}${dir}`, { recursive: true, withFileTypes: true });
    newest = Math.max(newest, mtime(`${root}${dir}`));
    for (const entry of entries) newest = Math.max(newest, mtime(`${entry.parentPath}/${entry.name}`));
  }
  return newest;
}

async function registerTsx() {
  const { register } = await import("tsx/esm/api");
  register();
  globalThis[TS_LOADER] = true;
}

if (process.env.WEAVE_DEBUG) process.setSourceMapsEnabled(true);

let useBundle = true;
if (mtime(fileURLToPath(bundle)) < newestSource()) {
  await registerTsx();
  try {
    const { buildCli } = await import("../scripts/build-cli.ts");
    await buildCli();
  } catch (error) {
    if (process.env.WEAVE_DEBUG) console.error("weave: cannot bundle the CLI, running from sources:", error);
    useBundle = false;
  }
}
await import(useBundle ? bundle.href : "../src/cli/main.ts");

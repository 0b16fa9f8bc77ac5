#!/usr/bin/env node
// The `weave` (and `toolweave`) command. An installed package runs its prebuilt bundle, dist/cli.js, and writes
// nothing. In a checkout of the repository (it has the TypeScript sources), the bundle is rebuilt here whenever a
// source is newer; if it cannot be written (a read-only checkout), tsx compiles the sources on load.
import { existsSync, readdirSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const bundle = new URL("../dist/cli.js", import.meta.url);
const TS_LOADER = Symbol.for("toolweave.tsLoader");

function mtime(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return -1;
  }
}

/** The newest modification time of what goes into the bundle (~1 ms for ~150 files). */
function newestSource() {
  let newest = Math.max(mtime(`${root}index.ts`), mtime(`${root}package.json`), mtime(`${root}scripts/bundle.ts`));
  for (const dir of ["src", "cli", "adapters", "compiler", "dsl", "scaffold"]) {
    newest = Math.max(newest, mtime(`${root}${dir}`));
    for (const entry of readdirSync(`${root}${dir}`, { recursive: true, withFileTypes: true })) {
      newest = Math.max(newest, mtime(`${entry.parentPath}/${entry.name}`));
    }
  }
  return newest;
}

async function registerTsx() {
  const { register } = await import("tsx/esm/api");
  register();
  globalThis[TS_LOADER] = true;
}

if (process.env.WEAVE_DEBUG) process.setSourceMapsEnabled(true);

const checkout = existsSync(`${root}cli/main.ts`);
let useBundle = true;
if (checkout && mtime(fileURLToPath(bundle)) < newestSource()) {
  await registerTsx();
  try {
    const { bundle: rebuild } = await import("../scripts/bundle.ts");
    await rebuild();
  } catch (error) {
    if (process.env.WEAVE_DEBUG) console.error("weave: cannot bundle the CLI, running from sources:", error);
    useBundle = false;
  }
}
await import(useBundle ? bundle.href : "../cli/main.ts");

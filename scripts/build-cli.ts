/**
 * Bundles the `weave` command line into dist/weave.mjs, so the CLI starts without compiling ~130 TypeScript
 * modules through tsx on every run (about 0.25 s of each `weave lint`). bin/weave.js calls {@link buildCli}
 * whenever a source is newer than the bundle; `npm run build:cli` does it by hand.
 * Packages stay external (resolved from node_modules as usual) and every bundled file keeps its own
 * `import.meta.url`, so paths the CLI derives from its own files (package.json, the TypeScript parser) still hold.
 */
import { build } from "esbuild";
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { fileScopedImportMeta, IMPORT_META_DEFINE } from "../src/cli/bundle-plugins.js";
import { writeFileAtomic } from "../src/util/atomic-write.js";

export const CLI_BUNDLE = fileURLToPath(new URL("../dist/weave.mjs", import.meta.url));
const ENTRY = fileURLToPath(new URL("../src/cli/main.ts", import.meta.url));

export async function buildCli(): Promise<void> {
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    write: false,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    outfile: CLI_BUNDLE,
    sourcemap: "linked",
    define: IMPORT_META_DEFINE,
    plugins: [fileScopedImportMeta(new Map())],
    logLevel: "silent",
  });
  await mkdir(dirname(CLI_BUNDLE), { recursive: true });
  // map first: the bundle's mtime is what bin/weave.js compares, so it must be the last file to land
  const ordered = [...result.outputFiles].sort((a, b) => Number(a.path === CLI_BUNDLE) - Number(b.path === CLI_BUNDLE));
  for (const file of ordered) await writeFileAtomic(file.path, file.text);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildCli();
  console.log(`wrote ${CLI_BUNDLE}`);
}

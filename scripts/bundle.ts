/**
 * Bundles toolweave's JavaScript with esbuild: one ES module per entry point (`dist/index.js`, `dist/compiler.js`,
 * `dist/distributed.js`, `dist/mcp.js`, `dist/esbuild.js`, and the CLI, `dist/cli.js`) plus the chunks they share, with source maps.
 * - One file per entry instead of ~130 modules: `import("toolweave")` and every `weave` command start faster.
 * - Shared chunks: the CLI and a user's workflow module that imports `toolweave` run the very same classes.
 * - Packages stay external (installed next to toolweave; the heavy ones are imported on first use).
 * - The scaffold of `weave init` is embedded in the CLI (see cli/init/scaffold.ts).
 * bin/weave.js calls {@link bundle} in a checkout whenever a source is newer than dist/cli.js; `npm run build`
 * (scripts/build.ts) calls it with the declarations.
 */
import { build } from "esbuild";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { readScaffoldDir } from "../cli/init/scaffold.js";
import { writeFileAtomic } from "../src/util/atomic-write.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const DIST = path.join(ROOT, "dist");
/** What bin/weave.js imports, and compares with the sources' modification times. */
export const CLI_BUNDLE = path.join(DIST, "cli.js");

/** Entry name (the file in dist/) → its source. */
export const ENTRIES: Readonly<Record<string, string>> = {
  index: "index.ts",
  compiler: "compiler/index.ts",
  distributed: "adapters/redis/index.ts",
  mcp: "adapters/mcp/index.ts",
  esbuild: "compiler/bundler/esbuild-plugin.ts",
  cli: "cli/main.ts",
};

export async function bundle(): Promise<void> {
  const scaffold = Object.fromEntries(readScaffoldDir(path.join(ROOT, "scaffold")));
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: Object.entries(ENTRIES).map(([out, source]) => ({ in: source, out })),
    bundle: true,
    splitting: true,
    write: false,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    outdir: DIST,
    chunkNames: "chunks/[name]-[hash]",
    sourcemap: "linked",
    define: { __WEAVE_SCAFFOLD__: JSON.stringify(scaffold) },
    logLevel: "silent",
  });
  // the CLI entry last: its mtime is what bin/weave.js compares, so it must be the last file to land
  const ordered = [...result.outputFiles].sort((a, b) => Number(a.path === CLI_BUNDLE) - Number(b.path === CLI_BUNDLE));
  for (const file of ordered) {
    await mkdir(path.dirname(file.path), { recursive: true });
    await writeFileAtomic(file.path, file.text);
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  await bundle();
  console.log(`wrote ${path.relative(process.cwd(), DIST)}/`);
}

/**
 * Compiles the built-in workflows (DSL files in library/builtins/) with the compiler's static extraction and
 * writes their templates, sorted by name, into src/library/builtins.generated.ts, which the runtime library imports
 * (no compiler at run time, and no file read beside the module, so a bundler that takes toolweave in takes them too). Any finding (error, warning or info) fails the build: built-ins must lint clean.
 * `--check` fails (exit 1) when the committed file is not what the sources compile to, instead of writing it.
 *
 * npm run build:library   |   npm run check:library
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { compile } from "../compiler/api.js";
import { FORMATS } from "../compiler/format/index.js";
import type { Manifest } from "../compiler/write-output.js";
import { writeFileAtomic } from "../src/util/atomic-write.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SOURCES = "library/builtins";
const TARGET = "src/library/builtins.generated.ts";

/** The generated file's text. @throws when a built-in has any lint finding */
export async function buildLibrary(): Promise<string> {
  const outDir = await mkdtemp(path.join(tmpdir(), "weave-builtins-"));
  try {
    const result = await compile({ cwd: ROOT, paths: [SOURCES], outDir });
    if (result.diagnostics.length > 0) {
      const text = FORMATS.pretty(result.diagnostics, { files: result.sources, color: false });
      throw new Error(`the built-in workflows must lint clean:\n${text}`);
    }
    const manifest = JSON.parse(await readFile(path.join(outDir, "manifest.json"), "utf8")) as Manifest;
    const workflows = await Promise.all(
      manifest.workflows.map(async (w) => JSON.parse(await readFile(path.join(outDir, w.file), "utf8")) as unknown),
    );
    if (workflows.length === 0) throw new Error(`no workflows found in ${SOURCES}`);
    return [
      `// generated from ${SOURCES} by scripts/build-library.ts: do not edit (npm run build:library)`,
      "",
      "/** The built-in workflows' templates as `weave compile` writes them, sorted by name; validated when first used. */",
      `export const BUILTIN_TEMPLATES: readonly unknown[] = ${JSON.stringify(workflows, null, 2)};`,
      "",
    ].join("\n");
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const expected = await buildLibrary();
  const target = path.join(ROOT, TARGET);
  if (process.argv.includes("--check")) {
    const actual = await readFile(target, "utf8").catch(() => "");
    if (actual !== expected) {
      console.error(`${TARGET} is out of date with ${SOURCES}. run: npm run build:library`);
      process.exit(1);
    }
    console.log(`${TARGET} is current`);
  } else {
    await writeFileAtomic(target, expected);
    console.log(`wrote ${TARGET}`);
  }
}

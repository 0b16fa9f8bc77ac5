/**
 * @module The esbuild plugins of `weave run <workflow.ts>`: packages stay outside the bundle (as `file:` URLs, so
 * they are the very modules the CLI uses), and bundled files keep their own `import.meta.url`.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join, parse } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Loader, Plugin } from "esbuild";

/** Bare specifiers: not relative (`./`, `../`) and not absolute. */
const BARE = /^[^./]|^\.[^./]|^\.\.[^/]/;
const RESOLVING = Symbol("weave: resolving a bare specifier");

/**
 * Resolves `zod`, `toolweave`, `@scope/pkg/sub` as Node would (esbuild's resolver, Node's conditions) and marks
 * them external by absolute `file:` URL: the bundle is imported from a `data:` URL, which cannot resolve bare
 * specifiers, but can import `file:` URLs. `node:` built-ins stay external as they are.
 */
export function externalPackages(): Plugin {
  return {
    name: "weave-external-packages",
    setup(build) {
      build.onResolve({ filter: BARE }, async (args) => {
        if ((args.pluginData as { [RESOLVING]?: boolean } | undefined)?.[RESOLVING]) return undefined;
        if (args.path.startsWith("node:")) return { path: args.path, external: true };
        const resolved = await build.resolve(args.path, {
          kind: args.kind,
          resolveDir: args.resolveDir,
          importer: args.importer,
          with: args.with,
          pluginData: { [RESOLVING]: true },
        });
        if (resolved.errors.length > 0)
          return {
            errors: resolved.errors.map((e) =>
              unresolved(
                args.path,
                args.resolveDir,
                e.text,
                e.notes.map((n) => n.text),
              ),
            ),
          };
        if (resolved.external) return { path: resolved.path, external: true };
        return { path: pathToFileURL(resolved.path).href, external: true };
      });
    },
  };
}

/** `lodash/fp` → `lodash`, `@scope/pkg/x` → `@scope/pkg`. */
export function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}

function unresolved(specifier: string, resolveDir: string, text: string, notes: string[]): { text: string; notes: { text: string }[] } {
  const name = packageName(specifier);
  if (specifier.startsWith("#")) return { text, notes: [] };
  if (!packageDirExists(name, resolveDir)) {
    return {
      text: `cannot find package "${name}"${name === specifier ? "" : ` (imported as "${specifier}")`}`,
      notes: [{ text: `install it: npm install ${name}` }],
    };
  }
  // esbuild's own note is advice for bundler configs ("mark the path as external"), not for this user
  const useful = notes.filter((n) => !n.includes("as external"));
  return {
    text: `cannot resolve "${specifier}": package "${name}" is installed but does not provide it`,
    notes: useful.map((n) => ({ text: n })),
  };
}

function packageDirExists(name: string, from: string): boolean {
  const { root } = parse(from);
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "node_modules", name))) return true;
    if (dir === root) return false;
  }
}

const LOADERS: Record<string, Loader> = {
  ".ts": "ts",
  ".mts": "ts",
  ".cts": "ts",
  ".tsx": "tsx",
  ".js": "js",
  ".mjs": "js",
  ".cjs": "js",
  ".jsx": "jsx",
};
const META = {
  "import.meta.url": "__weave_import_meta_url",
  "import.meta.filename": "__weave_import_meta_filename",
  "import.meta.dirname": "__weave_import_meta_dirname",
};

/** The `define` that goes with {@link fileScopedImportMeta}. */
export const IMPORT_META_DEFINE: Readonly<Record<string, string>> = META;

/**
 * In a bundle every file would share the `data:` URL as `import.meta.url` (and `new URL(".", import.meta.url)`
 * throws). Each bundled file that mentions `import.meta` gets its own values, declared on its first line (so
 * the lines of the file do not move) and substituted by {@link IMPORT_META_DEFINE}. As Vite does for its config.
 * @param prefixes receives, by file, the line that got the declaration and its length, to correct error columns
 */
export function fileScopedImportMeta(prefixes: Map<string, { line: number; length: number }>): Plugin {
  return {
    name: "weave-import-meta",
    setup(build) {
      build.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, async (args) => {
        const loader = LOADERS[parse(args.path).ext];
        if (args.namespace !== "file" || loader === undefined) return undefined;
        const text = await readFile(args.path, "utf8");
        if (!text.includes("import.meta")) return { contents: text, loader };
        const url = pathToFileURL(args.path).href;
        const values = { url, filename: fileURLToPath(url), dirname: dirname(fileURLToPath(url)) };
        const prefix = `const ${META["import.meta.url"]} = ${JSON.stringify(values.url)}, ${META["import.meta.filename"]} = ${JSON.stringify(values.filename)}, ${META["import.meta.dirname"]} = ${JSON.stringify(values.dirname)};`;
        // a hashbang must stay first
        const at = text.startsWith("#!") ? text.indexOf("\n") + 1 : 0;
        prefixes.set(args.path, { line: at === 0 ? 1 : 2, length: prefix.length });
        return { contents: `${text.slice(0, at)}${prefix}${text.slice(at)}`, loader };
      });
    },
  };
}

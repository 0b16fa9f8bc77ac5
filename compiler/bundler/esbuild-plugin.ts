/**
 * An esbuild plugin that compiles workflows at bundle time: `import deploy from "./deploy.ts?template"` is the JSON
 * template `weave compile` writes for that workflow, so a service ships templates, not the compiler. A finding of
 * the imported workflow is a build error (or warning) at its place in the workflow file.
 *
 * @example
 * import { build } from "esbuild";
 * import { weaveTemplates } from "toolweave/esbuild";
 * await build({ entryPoints: ["src/server.ts"], bundle: true, outdir: "dist", plugins: [weaveTemplates()] });
 *
 * @module toolweave/esbuild
 */
import path from "node:path";
import type { Location, OnLoadResult, PartialMessage, Plugin } from "esbuild";
import {
  createTemplateLoader,
  parseTemplateQuery,
  TEMPLATE_IMPORT,
  type TemplateLoader,
  type TemplateMessage,
  type WarningLevel,
} from "./template-import.js";

export type { WarningLevel };

/** The options of {@link weaveTemplates}: plain data. */
export interface WeaveTemplatesOptions {
  /**
   * The config file with the rule settings (`weave.config.json`), relative to the build's working directory;
   * `false` to read none. @default the nearest weave.config.json from the working directory up, as `weave compile`
   */
  readonly config?: string | false;
  /**
   * What the imported workflow's lint warnings become: esbuild warnings, errors (the build fails) or nothing.
   * Infos are never reported. @default "warning"
   */
  readonly warnings?: WarningLevel;
}

/** The namespace of `?template` modules. */
const NAMESPACE = "toolweave-template";

/**
 * The esbuild plugin of `?template` imports. Each is the default export `weave compile` would write for the workflow
 * (`./file.ts?template`: the file's only workflow; `./file.ts?workflow=<name or export name>&template`: one of
 * several), checked like `weave compile`: an error of that workflow fails the build at its place; a finding about
 * another workflow or file does not. The workflow file and the files it imports are watched (`esbuild --watch`,
 * `context.watch()`, `serve`). The compiler runs in the build, never in the bundle.
 */
export function weaveTemplates(options: WeaveTemplatesOptions = {}): Plugin {
  return {
    name: "toolweave-templates",
    setup(build) {
      const cwd = build.initialOptions.absWorkingDir ?? process.cwd();
      let loader: TemplateLoader | undefined;
      const loaderFor = (): TemplateLoader =>
        (loader ??= createTemplateLoader({
          cwd,
          ...(options.config !== undefined ? { config: options.config } : {}),
          ...(options.warnings !== undefined ? { warnings: options.warnings } : {}),
        }));

      build.onResolve({ filter: TEMPLATE_IMPORT }, async (args) => {
        const query = parseTemplateQuery(args.path);
        if ("error" in query) return { errors: [{ text: query.error }] };
        const resolved = await build.resolve(query.path, {
          kind: args.kind,
          resolveDir: args.resolveDir,
          importer: args.importer,
          namespace: args.namespace,
          with: args.with,
        });
        if (resolved.errors.length > 0) return { errors: resolved.errors };
        if (resolved.external || resolved.namespace !== "file" || !/\.(m|c)?tsx?$/.test(resolved.path))
          return {
            errors: [{ text: `"${args.path}": a ?template import names a workflow file (.ts .mts .cts .tsx), found ${resolved.path}` }],
          };
        // relative to the working directory: the bundle's comments and the metafile do not name this machine's folders
        const file = path.relative(cwd, resolved.path).split(path.sep).join("/");
        return { path: file, namespace: NAMESPACE, suffix: query.suffix };
      });

      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, async (args): Promise<OnLoadResult> => {
        const query = parseTemplateQuery(args.suffix);
        if ("error" in query) return { errors: [{ text: query.error }] };
        const file = path.resolve(cwd, args.path);
        const loaded = await loaderFor().load(file, query.workflow);
        return {
          ...(loaded.code !== undefined ? { contents: loaded.code, loader: "js" } : {}),
          resolveDir: path.dirname(file),
          errors: loaded.errors.map(toEsbuild),
          warnings: loaded.warnings.map(toEsbuild),
          watchFiles: loaded.watchFiles,
        };
      });
    },
  };
}

/** A message as esbuild takes it: its column 0-based and in UTF-8 bytes. */
function toEsbuild(m: TemplateMessage): PartialMessage {
  if (!m.location) return { text: m.text };
  const { file, line, column, length, lineText } = m.location;
  const before = lineText.slice(0, column - 1);
  const location: Partial<Location> = {
    file,
    line,
    column: Buffer.byteLength(before),
    length: Buffer.byteLength(lineText.slice(column - 1, column - 1 + length)),
    lineText,
  };
  return { text: m.text, location };
}

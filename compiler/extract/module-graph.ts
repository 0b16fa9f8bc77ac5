/**
 * @module The files of one extraction pass: what an import specifier refers to (a project module, followed by
 * relative path as NodeNext resolves it; the DSL or zod, recognised by what they resolve to; or a package the
 * compiler does not read), the project files each file imports (what `update` re-extracts), and file names as
 * diagnostics show them.
 */
import { existsSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";
import { packageRoot } from "../../src/util/package-info.js";
import { spanAt, type Span } from "../diagnostic.js";
import type { Parser } from "./ts.js";
import type { Module, Node } from "./syntax.js";

// toolweave's own sources, imported by relative path from this repository's examples and built-ins
const OWN_ROOT = packageRoot();
const DSL_FILES = new Set(OWN_ROOT === undefined ? [] : [resolve(OWN_ROOT, "index.ts"), resolve(OWN_ROOT, "dsl/index.ts")]);
const isDslFile = (path: string) =>
  DSL_FILES.has(path) || (OWN_ROOT !== undefined && path.startsWith(resolve(OWN_ROOT, "dsl") + sep) && path.endsWith(".ts"));

/** What an import specifier refers to. */
export type ImportTarget = { kind: "dsl" } | { kind: "zod" } | { kind: "module"; module: Module } | { kind: "package" };

export class ModuleGraph {
  /** existsSync answers for this pass: a tools file imported by 1,000 workflows is looked up once. */
  readonly #existing = new Map<string, boolean>();
  #exists(path: string): boolean {
    let found = this.#existing.get(path);
    if (found === undefined) this.#existing.set(path, (found = existsSync(path)));
    return found;
  }
  /** Absolute path → the project files it imports (for `update`). */
  readonly imports = new Map<string, Set<string>>();

  constructor(
    readonly parser: Parser,
    readonly cwd: string,
  ) {}

  file(path: string): string {
    const rel = relative(this.cwd, path);
    return rel.startsWith("..") || isAbsolute(rel) ? path : rel.split(sep).join("/");
  }

  span(module: Module, node: Node): Span {
    return spanAt(this.file(module.path), module.text, node.start, node.end);
  }

  /** The absolute path a relative specifier resolves to (NodeNext: `./x.js` is `./x.ts`), or undefined. */
  resolveSpecifier(from: Module, spec: string): string | undefined {
    if (!spec.startsWith(".")) return undefined;
    const base = resolve(dirname(from.path), spec);
    const candidates = /\.(m|c)?js$/.test(base)
      ? [
          base
            .replace(/\.js$/, ".ts")
            .replace(/\.mjs$/, ".mts")
            .replace(/\.cjs$/, ".cts"),
          base.replace(/\.js$/, ".tsx"),
          base,
        ]
      : [base, `${base}.ts`, `${base}.tsx`, resolve(base, "index.ts")];
    const found = candidates.find((c) => /\.(m|c)?tsx?$/.test(c) && this.#exists(c));
    if (found) {
      const set = this.imports.get(from.path) ?? new Set<string>();
      set.add(found);
      this.imports.set(from.path, set);
    }
    return found;
  }

  /** What an import specifier refers to. */
  importTarget(from: Module, spec: string): ImportTarget {
    if (spec === "toolweave") return { kind: "dsl" };
    if (spec === "zod" || spec === "zod/v4") return { kind: "zod" };
    const path = this.resolveSpecifier(from, spec);
    if (!path) return { kind: "package" };
    if (isDslFile(path)) return { kind: "dsl" };
    const module = this.parser.module(path);
    return module ? { kind: "module", module } : { kind: "package" };
  }
}

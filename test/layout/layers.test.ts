// The layers of docs/architecture.md, checked on every import of the shipped code: a module may import its own area
// and the areas of lower layers, never a peer's or a higher layer's; a package only from the areas that own it.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** Lowest first. Areas in one row are peers: neither imports the other. */
const LAYERS: readonly (readonly string[])[] = [
  ["src/util"],
  ["src/placeholder"],
  ["src/condition"],
  ["src/model"],
  ["src/monitor", "src/secrets"],
  ["src/journal"],
  ["src/executor"],
  ["src/library", "src/codegen"],
  ["src/patterns"],
  ["src"],
  ["dsl"],
  ["compiler", "adapters", "library"],
  ["cli"],
  ["index.ts"],
];

/** Packages that only some areas may load: the runtime must not pull in the compiler, a bundler or Redis. */
const PACKAGE_OWNERS: Readonly<Record<string, readonly string[]>> = {
  "ts-morph": ["compiler"],
  typescript: ["compiler"],
  esbuild: ["cli"],
  commander: ["cli"],
  "@viz-js/viz": ["cli"],
  bullmq: ["adapters"],
  ioredis: ["adapters"],
  "@modelcontextprotocol/sdk": ["adapters", "cli"],
};

/**
 * Packages that more areas may name in `import type` only, which loads nothing: the esbuild plugin (toolweave/esbuild)
 * takes esbuild's `Plugin` type, and its users' build scripts bring esbuild.
 */
const TYPE_OWNERS: Readonly<Record<string, readonly string[]>> = {
  esbuild: ["compiler"],
};

const SHIPPED = ["src", "dsl", "compiler", "adapters", "library", "cli"];

/** The area of a repository path: `src/<folder>` inside src/, else its top-level folder (or `index.ts`, `src`). */
function areaOf(file: string): string | undefined {
  const parts = file.split("/");
  if (parts[0] === "src") return parts.length > 2 ? `src/${parts[1]}` : "src";
  if (parts.length === 1) return parts[0] === "index.ts" ? "index.ts" : undefined;
  return SHIPPED.includes(parts[0]!) ? parts[0] : undefined;
}

const rankOf = new Map(LAYERS.flatMap((row, rank) => row.map((area) => [area, rank] as const)));

/** Why `from` may not import `to`, or undefined when it may. */
function layerViolation(from: string, to: string): string | undefined {
  if (from === to) return undefined;
  const a = rankOf.get(from);
  const b = rankOf.get(to);
  if (a === undefined || b === undefined) return `${a === undefined ? from : to} is in no layer`;
  if (a === b) return `${from} and ${to} are peers`;
  if (a < b) return `${to} is a higher layer than ${from}`;
  return undefined;
}

/** Comments that start a line (doc comments, whose examples show imports); not those after code, which may be in strings. */
const LINE_COMMENTS = /^[ \t]*(?:\/\*[\s\S]*?\*\/|\/\/.*$)/gm;
/** `import type ... from "x"` and `export type ... from "x"`: removed by TypeScript, so nothing is loaded. */
const TYPE_ONLY = /\b(?:import|export)\s+type\s+[^;]*?\bfrom\s*["']([^"']+)["']/g;

/** Every module specifier of a file: static and type imports, re-exports, `import()`, and `createRequire(...)("x")`. */
function specifiersOf(text: string): string[] {
  text = text.replace(LINE_COMMENTS, "");
  const found: string[] = [];
  const patterns = [
    /\bfrom\s*["']([^"']+)["']/g,
    /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
    /\bimport\s+["']([^"']+)["']/g,
    /\)\s*\(\s*["']([^"']+)["']\s*\)/g,
  ];
  for (const pattern of patterns) for (const match of text.matchAll(pattern)) found.push(match[1]!);
  return found;
}

/** The specifiers a file imports for code: not those of type-only imports and re-exports. */
function codeSpecifiersOf(text: string): string[] {
  return specifiersOf(text.replace(LINE_COMMENTS, "").replace(TYPE_ONLY, ""));
}

function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}

function sourceFiles(): string[] {
  const files = ["index.ts"];
  for (const dir of SHIPPED) {
    for (const entry of readdirSync(path.join(ROOT, dir), { recursive: true, encoding: "utf8" })) {
      if (entry.endsWith(".ts")) files.push(path.posix.join(dir, entry.split(path.sep).join("/")));
    }
  }
  return files;
}

describe("the layer table", () => {
  it.each([
    ["src/executor", "src/model", undefined],
    ["src/model", "src/executor", "src/executor is a higher layer than src/model"],
    ["src/monitor", "src/secrets", "src/monitor and src/secrets are peers"],
    ["src/library", "dsl", "dsl is a higher layer than src/library"],
    ["compiler", "cli", "cli is a higher layer than compiler"],
    ["cli", "adapters", undefined],
    ["library", "dsl", undefined],
  ])("%s importing %s: %s", (from, to, expected) => {
    expect(layerViolation(from, to)).toBe(expected);
  });

  it("reads every kind of import", () => {
    const text = [
      'import { a } from "./a.js";',
      'import type { B } from "../b.js";',
      'export { c } from "./c.js";',
      'import "./side-effect.js";',
      'const d = await import("./d.js");',
      'const { ts } = createRequire(import.meta.url)("ts-morph");',
    ].join("\n");
    expect(specifiersOf(text)).toEqual(expect.arrayContaining(["./a.js", "../b.js", "./c.js", "./side-effect.js", "./d.js", "ts-morph"]));
  });

  it("tells type-only imports from those that load code, and skips the examples of doc comments", () => {
    const text = [
      "/**",
      ' * @example import { build } from "esbuild";',
      " */",
      'import type { Plugin } from "esbuild";',
      'export type { Loader } from "esbuild";',
      'import { type Span, spanAt } from "./diagnostic.js";',
      'const glob = "**/*.ts";',
      'import { z } from "zod"; // */',
    ].join("\n");
    expect(specifiersOf(text)).toEqual(["esbuild", "esbuild", "./diagnostic.js", "zod"]);
    expect(codeSpecifiersOf(text)).toEqual(["./diagnostic.js", "zod"]);
  });

  it("puts every shipped folder in a layer", () => {
    const areas = new Set(sourceFiles().map(areaOf));
    expect([...areas].filter((area) => area === undefined || !rankOf.has(area))).toEqual([]);
  });
});

describe("the shipped code keeps the layers", () => {
  const files = sourceFiles();

  it("imports only its own area and lower layers", () => {
    const violations: string[] = [];
    for (const file of files) {
      const from = areaOf(file)!;
      for (const specifier of specifiersOf(readFileSync(path.join(ROOT, file), "utf8"))) {
        if (!specifier.startsWith(".")) continue;
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
        const to = areaOf(target);
        if (to === undefined) {
          violations.push(`${file} imports ${specifier}, outside the shipped code`);
          continue;
        }
        const why = layerViolation(from, to);
        if (why) violations.push(`${file} imports ${specifier}: ${why}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it("loads each owned package only where it belongs", () => {
    const violations: string[] = [];
    for (const file of files) {
      const text = readFileSync(path.join(ROOT, file), "utf8");
      const loaded = new Set(codeSpecifiersOf(text));
      for (const specifier of new Set(specifiersOf(text))) {
        const name = packageName(specifier);
        const owners = PACKAGE_OWNERS[name];
        const top = file.split("/")[0]!;
        if (!owners || owners.includes(top)) continue;
        if (!loaded.has(specifier) && TYPE_OWNERS[name]?.includes(top)) continue;
        const typesToo = TYPE_OWNERS[name] ? `; ${TYPE_OWNERS[name].join(", ")} only with import type` : "";
        violations.push(`${file} imports ${specifier} (only ${owners.join(", ")} may${typesToo})`);
      }
    }
    expect(violations).toEqual([]);
  });
});

describe("module size", () => {
  // A module that grows past this does more than one job: split it by responsibility (generated files excepted).
  const MAX_LINES = 400;

  it(`keeps every hand-written module of the shipped code at ${MAX_LINES} lines or fewer`, () => {
    const large = sourceFiles()
      .filter((file) => !file.endsWith(".generated.ts"))
      .map((file) => ({ file, lines: readFileSync(path.join(ROOT, file), "utf8").split("\n").length }))
      .filter(({ lines }) => lines > MAX_LINES)
      .map(({ file, lines }) => `${file}: ${lines} lines`);
    expect(large).toEqual([]);
  });
});

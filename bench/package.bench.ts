/**
 * Package benchmark: what a user gets from `npm install toolweave`, measured on the tarball this checkout packs.
 * 1. The tarball (`npm pack --ignore-scripts --json`): files, packed and unpacked size, the biggest files.
 * 2. The install: a fresh `{ "type": "module" }` project installs the tarball (dependencies from the registry, the
 *    default npm cache): packages, node_modules folders and size, wall time; then again with the optional peers
 *    (bullmq, ioredis, @viz-js/viz) that the distributed engine and SVG drawing add.
 * 3. Import time in that project: `import("toolweave")` (and `/compiler`, `/distributed`) against two baselines in
 *    the same interleaved loop, `node -e 0` (Node's own start) and `import("zod")` (the dependency every DSL user
 *    loads anyway); then which files and packages a plain `import("toolweave")` loads (a module.register resolve
 *    hook, plus require.cache for what CommonJS packages require).
 * 4. A consumer's type check: the project `weave init` scaffolds, checked by this repository's tsc against the built
 *    declarations (dist/types), and, as the baseline in the same run, against the TypeScript sources that the
 *    previous release's `exports` pointed at.
 * Prints a Markdown report (also written to bench/results/package.md) and a final JSON line with every figure.
 * A report, not a test: no figure is asserted, but it throws when a step fails (build, pack, install, an import, the
 * scaffold) or when a type check did not resolve `toolweave` to the files it is meant to measure.
 *
 * npm run bench:package   (tsx bench/package.bench.ts [--no-build])   env: IMPORT_RUNS=15 TSC_RUNS=3
 */
import { spawnSync } from "node:child_process";
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { median, num, table } from "./lib/stats.js";
import { runTsc, type TscRun } from "./lib/typecheck-project.js";

const env = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
const IMPORT_RUNS = env("IMPORT_RUNS", 15);
const TSC_RUNS = env("TSC_RUNS", 3);
const BUILD = !process.argv.includes("--no-build");
/** Packages a plain `import("toolweave")` must not load: the compiler's, the bundler's and the optional peers. */
const HEAVY = ["ts-morph", "@ts-morph/common", "typescript", "esbuild", "bullmq", "ioredis", "@viz-js/viz"] as const;

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const started = performance.now();
const log = (msg: string): void =>
  void process.stderr.write(`[bench:package ${((performance.now() - started) / 1000).toFixed(1)}s] ${msg}\n`);

// ---------------------------------------------------------------------------------------------------------------
// Helpers

interface Ran {
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** Runs a command to completion; throws with its output when it fails. */
function run(command: string, args: readonly string[], cwd: string, extraEnv: Record<string, string> = {}): Ran {
  const t0 = performance.now();
  const res = spawnSync(command, args, { cwd, encoding: "utf8", maxBuffer: 256 * 2 ** 20, env: { ...process.env, ...extraEnv } });
  const ms = performance.now() - t0;
  if (res.error) throw res.error;
  if (res.status !== 0)
    throw new Error(`${command} ${args.join(" ")} (in ${cwd}) exited ${res.status}:\n${`${res.stdout}${res.stderr}`.slice(-4000)}`);
  return { stdout: res.stdout, stderr: res.stderr, ms };
}

const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, "utf8")) as T;
const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} kB`;
const mbytes = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;
const ms = (x: number): string => `${num(x, 0)} ms`;
const ratio = (a: number, b: number): string => (b > 0 && a >= 0 ? `×${(a / b).toFixed(2)}` : "n/a");

/** Nearest-rank percentile. */
function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

/** Apparent size (sum of lstat sizes) of a directory, without following symlinks; `skip` names child dirs left out. */
function treeBytes(dir: string, skip: ReadonlySet<string> = new Set()): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (skip.has(entry.name)) continue;
    const p = path.join(dir, entry.name);
    total += entry.isDirectory() ? treeBytes(p) : lstatSync(p).size;
  }
  return total;
}

/** `du -sk` of a directory in bytes (blocks on disk), or undefined where there is no `du`. */
function diskBytes(dir: string): number | undefined {
  const res = spawnSync("du", ["-sk", dir], { encoding: "utf8" });
  const k = /^(\d+)/.exec(res.stdout ?? "")?.[1];
  return res.status === 0 && k !== undefined ? Number(k) * 1024 : undefined;
}

/** The package a file under node_modules belongs to (the path after the last `node_modules/`), or undefined. */
function packageOf(file: string): string | undefined {
  const i = file.lastIndexOf("/node_modules/");
  if (i === -1) return undefined;
  const parts = file.slice(i + "/node_modules/".length).split("/");
  return parts[0]!.startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0];
}

/** `npm warn` lines of an npm run, without the empty ones, deduplicated. */
const npmWarnings = (stderr: string): string[] => [
  ...new Set(stderr.split("\n").filter((l) => /^npm warn/i.test(l) && l.replace(/^npm warn(\s+\S+)?\s*/i, "").trim() !== "")),
];

// ---------------------------------------------------------------------------------------------------------------
// 1. Tarball

interface Packed {
  filename: string;
  entryCount: number;
  size: number;
  unpackedSize: number;
  files: { path: string; size: number }[];
}

function pack(tmp: string): Packed & { tarball: string } {
  const out = run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", tmp], repoRoot);
  const packed = (JSON.parse(out.stdout) as Packed[])[0]!;
  return { ...packed, tarball: path.join(tmp, packed.filename) };
}

// ---------------------------------------------------------------------------------------------------------------
// 2. Install

interface InstallStats {
  /** package-lock.json entries other than the root "" (platform-specific optional ones included). */
  lockEntries: number;
  /** Of those, the ones that are on disk. */
  onDisk: number;
  /** Folders directly under node_modules (a scope such as `@esbuild` counts once), without `.bin`. */
  topLevelFolders: number;
  bytes: number;
  diskBytes: number | undefined;
  wallMs: number;
  /** Every installed package and its own size (its nested node_modules left out), biggest first. */
  packages: { name: string; bytes: number }[];
  warnings: string[];
}

function installStats(project: string, wallMs: number, warnings: string[]): InstallStats {
  const lock = readJson<{ packages: Record<string, unknown> }>(path.join(project, "package-lock.json"));
  const entries = Object.keys(lock.packages).filter((k) => k !== "");
  const present = entries.filter((k) => existsSync(path.join(project, k)));
  const modules = path.join(project, "node_modules");
  return {
    lockEntries: entries.length,
    onDisk: present.length,
    topLevelFolders: readdirSync(modules, { withFileTypes: true }).filter((e) => e.isDirectory() && !e.name.startsWith(".")).length,
    bytes: treeBytes(modules),
    diskBytes: diskBytes(modules),
    wallMs,
    packages: present
      .map((k) => ({ name: k.replace(/^(.*\/)?node_modules\//, ""), bytes: treeBytes(path.join(project, k), new Set(["node_modules"])) }))
      .sort((a, b) => b.bytes - a.bytes),
    warnings,
  };
}

function npmInstall(project: string, specs: readonly string[]): InstallStats {
  const out = run("npm", ["install", ...specs, "--no-audit", "--no-fund"], project);
  return installStats(project, out.ms, npmWarnings(out.stderr));
}

// ---------------------------------------------------------------------------------------------------------------
// 3. Import time and what an import loads

const IMPORTS = {
  "node -e 0": ["-e", "0"],
  zod: ["--input-type=module", "-e", 'await import("zod")'],
  toolweave: ["--input-type=module", "-e", 'await import("toolweave")'],
  "toolweave/compiler": ["--input-type=module", "-e", 'await import("toolweave/compiler")'],
  "toolweave/distributed": ["--input-type=module", "-e", 'await import("toolweave/distributed")'],
} as const satisfies Record<string, readonly string[]>;
type ImportName = keyof typeof IMPORTS;
const IMPORT_NAMES = Object.keys(IMPORTS) as ImportName[];

/** Wall times (ms) of each command, IMPORT_RUNS rounds after one warm-up round, the commands interleaved. */
function importTimes(project: string): Record<ImportName, number[]> {
  const times = Object.fromEntries(IMPORT_NAMES.map((n) => [n, [] as number[]])) as Record<ImportName, number[]>;
  for (let round = -1; round < IMPORT_RUNS; round++) {
    for (const name of IMPORT_NAMES) {
      const t = run(process.execPath, IMPORTS[name], project).ms;
      if (round >= 0) times[name].push(t);
    }
  }
  return times;
}

/**
 * The hook: the hooks thread appends every resolved `file:` URL (ES modules) to the file named by
 * TOOLWEAVE_BENCH_LOADED; at exit the main thread appends the files in require.cache (what CommonJS packages
 * `require`, which the resolve hook does not see on Node 20).
 */
function writeLoadHook(dir: string): string {
  writeFileSync(
    path.join(dir, "loaded-hooks.mjs"),
    [
      'import { appendFileSync } from "node:fs";',
      "let out;",
      "export async function initialize(data) { out = data.out; }",
      "export async function resolve(specifier, context, next) {",
      "  const result = await next(specifier, context);",
      '  if (result.url.startsWith("file:")) appendFileSync(out, `${result.url}\\n`);',
      "  return result;",
      "}",
      "",
    ].join("\n"),
  );
  const register = path.join(dir, "loaded-register.mjs");
  writeFileSync(
    register,
    [
      'import { appendFileSync } from "node:fs";',
      'import { createRequire, register } from "node:module";',
      'import { pathToFileURL } from "node:url";',
      "const out = process.env.TOOLWEAVE_BENCH_LOADED;",
      'register("./loaded-hooks.mjs", import.meta.url, { data: { out } });',
      'process.on("exit", () => appendFileSync(out, Object.keys(createRequire(import.meta.url).cache).map((f) => `${pathToFileURL(f).href}\\n`).join("")));',
      "",
    ].join("\n"),
  );
  return register;
}

interface Loaded {
  /** toolweave's own files (dist/ entry and chunks). */
  ownFiles: string[];
  /** Other packages (from node_modules) and how many of their files were loaded. */
  packages: Map<string, number>;
  /** Which of HEAVY were loaded. */
  heavy: string[];
}

function loadedBy(project: string, hook: string, specifier: string, tmp: string): Loaded {
  const out = path.join(tmp, `loaded-${specifier.replace(/\W+/g, "_")}.txt`);
  rmSync(out, { force: true });
  run(process.execPath, ["--import", hook, "--input-type=module", "-e", `await import(${JSON.stringify(specifier)})`], project, {
    TOOLWEAVE_BENCH_LOADED: out,
  });
  const files = [
    ...new Set(
      readFileSync(out, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((u) => fileURLToPath(u)),
    ),
  ];
  const ownFiles: string[] = [];
  const packages = new Map<string, number>();
  for (const file of files) {
    const pkg = packageOf(file);
    if (pkg === undefined) continue;
    if (pkg === "toolweave") ownFiles.push(file.slice(file.lastIndexOf("/node_modules/toolweave/") + "/node_modules/toolweave/".length));
    else packages.set(pkg, (packages.get(pkg) ?? 0) + 1);
  }
  const heavy = [...packages.keys()].filter(
    (p) => (HEAVY as readonly string[]).includes(p) || p.startsWith("@esbuild/") || p.startsWith("@viz-js/"),
  );
  return { ownFiles: ownFiles.sort(), packages: new Map([...packages].sort(([a], [b]) => a.localeCompare(b))), heavy };
}

// ---------------------------------------------------------------------------------------------------------------
// 4. A consumer's type check

/** Symlinks each package of `from` (a node_modules) into `to`, scoped packages one by one, skipping `except`. */
function linkPackages(from: string, to: string, except: ReadonlySet<string> = new Set()): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (entry.name.startsWith(".")) continue;
    const names = entry.name.startsWith("@") ? readdirSync(path.join(from, entry.name)).map((n) => `${entry.name}/${n}`) : [entry.name];
    for (const name of names) linkPackage(path.join(from, name), to, name, except);
  }
}

function linkPackage(source: string, to: string, name: string, except: ReadonlySet<string> = new Set()): void {
  if (except.has(name)) return;
  const target = path.join(to, name);
  mkdirSync(path.dirname(target), { recursive: true });
  rmSync(target, { recursive: true, force: true });
  symlinkSync(source, target, "dir");
}

/**
 * The previous release's layout: a real `node_modules/toolweave` whose package.json is toolweave's with `exports` at
 * the TypeScript sources, linking this repository's `index.ts` and source folders and its node_modules.
 */
function sourcesPackage(target: string): void {
  mkdirSync(target, { recursive: true });
  const pkg = readJson<Record<string, unknown>>(path.join(repoRoot, "package.json"));
  pkg.exports = {
    ".": "./index.ts",
    "./compiler": "./compiler/index.ts",
    "./distributed": "./adapters/redis/index.ts",
    "./template.schema.json": "./schema/template.schema.json",
    "./package.json": "./package.json",
  };
  writeFileSync(path.join(target, "package.json"), `${JSON.stringify(pkg, null, 2)}\n`);
  for (const name of ["index.ts", "src", "dsl", "compiler", "cli", "adapters", "library", "node_modules"])
    symlinkSync(path.join(repoRoot, name), path.join(target, name), name === "index.ts" ? "file" : "dir");
}

interface Scaffold {
  readonly label: string;
  readonly dir: string;
  /** The file of toolweave's main entry tsc must have loaded (the proof the variant measures what it says). */
  readonly entry: string;
}

/** The files tsc loads, from a `--listFilesOnly` run. */
function listFiles(scaffold: Scaffold): string[] {
  const out = spawnSync(process.execPath, [path.join(repoRoot, "node_modules", "typescript", "bin", "tsc"), "-p", ".", "--listFilesOnly"], {
    cwd: scaffold.dir,
    encoding: "utf8",
    maxBuffer: 64 * 2 ** 20,
  });
  return out.stdout.split("\n").filter(Boolean);
}

/** A file of toolweave itself: under the installed package (not a package nested in it) or this repository's sources. */
function isToolweaveFile(abs: string): boolean {
  const i = abs.lastIndexOf("/node_modules/");
  if (i !== -1) return abs.startsWith("/node_modules/toolweave/", i);
  return abs.startsWith(repoRoot);
}

interface TscErrors {
  total: number;
  inToolweave: number;
  inScaffold: number;
  /** `code × count` of the most frequent codes. */
  codes: string;
  first: string[];
}

function tscErrors(run: TscRun, scaffold: Scaffold): TscErrors {
  const errors = [...run.output.matchAll(/^(.+?)\((\d+),\d+\): error (TS\d+): (.*)$/gm)].map((m) => ({
    file: m[1]!,
    line: m[2]!,
    code: m[3]!,
    message: m[4]!,
  }));
  const unlocated = [...run.output.matchAll(/^error (TS\d+)/gm)].length;
  const own = (file: string): boolean => isToolweaveFile(path.resolve(scaffold.dir, file));
  const counts = new Map<string, number>();
  for (const e of errors) counts.set(e.code, (counts.get(e.code) ?? 0) + 1);
  const where = (file: string): string => {
    const abs = path.resolve(scaffold.dir, file);
    return abs.startsWith(repoRoot) ? path.relative(repoRoot, abs) : path.relative(scaffold.dir, abs);
  };
  return {
    total: errors.length + unlocated,
    inToolweave: errors.filter((e) => own(e.file)).length,
    inScaffold: errors.filter((e) => !own(e.file)).length + unlocated,
    codes: [...counts]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 4)
      .map(([c, n]) => `${c} ×${n}`)
      .join(", "),
    first: errors.slice(0, 3).map((e) => `${where(e.file)}:${e.line} ${e.code} ${e.message.slice(0, 140)}`),
  };
}

const TSC_METRICS = [
  { key: "Files", label: "Files", format: (x: number) => num(x, 0) },
  { key: "Lines of Library", label: "Lines of Library", format: (x: number) => num(x, 0) },
  { key: "Lines of Definitions", label: "Lines of Definitions", format: (x: number) => num(x, 0) },
  { key: "Lines of TypeScript", label: "Lines of TypeScript", format: (x: number) => num(x, 0) },
  { key: "Instantiations", label: "Instantiations", format: (x: number) => num(x, 0) },
  { key: "Types", label: "Types", format: (x: number) => num(x, 0) },
  { key: "Memory used", label: "Memory used", format: (k: number) => `${(k / 1024).toFixed(0)} MB` },
  { key: "Check time", label: "Check time", format: (s: number) => `${num(s)} s` },
  { key: "Total time", label: "Total time", format: (s: number) => `${num(s)} s` },
  { key: "CPU time", label: "CPU time (tsc process)", format: (s: number) => `${num(s)} s` },
] as const;

// ---------------------------------------------------------------------------------------------------------------
// Main

async function main(): Promise<void> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), "toolweave-package-"));
  const lines: string[] = [];
  const json: Record<string, unknown> = { bench: "package" };
  try {
    if (BUILD) {
      log("npm run build");
      run("npm", ["run", "build"], repoRoot);
    }
    // --- 1. tarball
    const packed = pack(tmp);
    log(`packed ${packed.filename}: ${packed.entryCount} files, ${kb(packed.size)}`);
    const biggest = [...packed.files].sort((a, b) => b.size - a.size).slice(0, 5);
    json.tarball = {
      files: packed.entryCount,
      packedBytes: packed.size,
      unpackedBytes: packed.unpackedSize,
      biggest: biggest.map((f) => ({ path: f.path, bytes: f.size })),
    };

    // --- 2. install
    const project = path.join(tmp, "consumer");
    mkdirSync(project);
    writeFileSync(path.join(project, "package.json"), `${JSON.stringify({ type: "module" }, null, 2)}\n`);
    log("npm install <tarball>");
    const base = npmInstall(project, [packed.tarball]);
    log(`installed: ${base.onDisk} packages, ${mbytes(base.bytes)} in ${ms(base.wallMs)}`);
    const peerRanges = readJson<{ peerDependencies: Record<string, string> }>(path.join(repoRoot, "package.json")).peerDependencies;
    const peers = Object.entries(peerRanges).map(([name, range]) => `${name}@${range}`);
    log(`npm install ${peers.join(" ")}`);
    const withPeers = npmInstall(project, peers);
    log(`with the peers: ${withPeers.onDisk} packages, ${mbytes(withPeers.bytes)} in ${ms(withPeers.wallMs)}`);
    const installedVersion = (name: string): string =>
      readJson<{ version: string }>(path.join(project, "node_modules", name, "package.json")).version;
    json.install = Object.fromEntries(
      (
        [
          ["toolweave", base],
          ["withPeers", withPeers],
        ] as const
      ).map(([k, s]) => [
        k,
        {
          lockEntries: s.lockEntries,
          onDisk: s.onDisk,
          topLevelFolders: s.topLevelFolders,
          bytes: s.bytes,
          diskBytes: s.diskBytes ?? null,
          wallMs: Math.round(s.wallMs),
          biggest: s.packages.slice(0, 5),
        },
      ]),
    );

    // --- 3. import time (with the peers installed: a static import of one of them would succeed and show)
    log(`import times: ${IMPORT_RUNS} interleaved rounds of ${IMPORT_NAMES.length} commands`);
    const times = importTimes(project);
    const med = (n: ImportName): number => median(times[n]);
    const hook = writeLoadHook(tmp);
    const loaded = Object.fromEntries(
      (["toolweave", "toolweave/compiler", "toolweave/distributed"] as const).map((s) => [s, loadedBy(project, hook, s, tmp)]),
    ) as Record<"toolweave" | "toolweave/compiler" | "toolweave/distributed", Loaded>;
    json.import = {
      runs: IMPORT_RUNS,
      medianMs: Object.fromEntries(IMPORT_NAMES.map((n) => [n, Math.round(med(n) * 10) / 10])),
      p90Ms: Object.fromEntries(IMPORT_NAMES.map((n) => [n, Math.round(percentile(times[n], 90) * 10) / 10])),
      toolweaveOverZod: med("toolweave") / med("zod"),
      toolweaveOverZodMinusNode: (med("toolweave") - med("node -e 0")) / (med("zod") - med("node -e 0")),
      loaded: Object.fromEntries(
        Object.entries(loaded).map(([k, l]) => [
          k,
          { ownFiles: l.ownFiles.length, packages: Object.fromEntries(l.packages), heavy: l.heavy },
        ]),
      ),
    };

    // --- 4. type check
    log("weave init (the installed CLI), twice: built declarations / TypeScript sources");
    const weave = path.join(project, "node_modules", "toolweave", "bin", "weave.js");
    const dist: Scaffold = {
      label: "built .d.ts (dist/types)",
      dir: path.join(project, "app"),
      entry: path.join(project, "node_modules", "toolweave", "dist", "types", "index.d.ts"),
    };
    const src: Scaffold = {
      label: "TypeScript sources (previous release)",
      dir: path.join(project, "app-src"),
      entry: path.join(repoRoot, "index.ts"),
    };
    for (const s of [dist, src]) {
      run(process.execPath, [weave, "init", path.basename(s.dir)], project);
      const modules = path.join(s.dir, "node_modules");
      linkPackages(path.join(project, "node_modules"), modules);
      for (const name of ["typescript", "vitest", "@types/node"]) linkPackage(path.join(repoRoot, "node_modules", name), modules, name);
    }
    rmSync(path.join(src.dir, "node_modules", "toolweave"), { recursive: true, force: true });
    sourcesPackage(path.join(src.dir, "node_modules", "toolweave"));
    const scaffoldFiles = readdirSync(dist.dir, { recursive: true, withFileTypes: true }).filter(
      (e) => e.isFile() && !e.parentPath.includes("node_modules"),
    ).length;

    const fileLists = new Map<Scaffold, string[]>();
    for (const s of [dist, src]) {
      const files = listFiles(s);
      if (!files.includes(s.entry))
        throw new Error(`${s.label}: tsc did not load ${s.entry}; it loaded:\n${files.join("\n").slice(0, 4000)}`);
      fileLists.set(s, files);
    }
    const tscRuns = new Map<Scaffold, TscRun[]>([
      [dist, []],
      [src, []],
    ]);
    for (let rep = 0; rep < TSC_RUNS; rep++) {
      for (const s of [dist, src]) tscRuns.get(s)!.push(runTsc({ dir: s.dir, repoRoot }, ".", ["--noEmit"]));
      log(
        `tsc repetition ${rep + 1}/${TSC_RUNS}: check time ${[dist, src].map((s) => `${tscRuns.get(s)!.at(-1)!.diagnostics.get("Check time")} s`).join(" (.d.ts) / ")} (sources)`,
      );
    }
    const fig = (s: Scaffold, key: string): number => {
      const values = tscRuns.get(s)!.map((r) => r.diagnostics.get(key));
      if (values.some((v) => v === undefined))
        throw new Error(`${s.label}: tsc --extendedDiagnostics printed no "${key}":\n${tscRuns.get(s)![0]!.output.slice(0, 2000)}`);
      return median(values as number[]);
    };
    const errs = new Map([dist, src].map((s) => [s, tscErrors(tscRuns.get(s)![0]!, s)]));
    const toolweaveFiles = (s: Scaffold): number => fileLists.get(s)!.filter(isToolweaveFile).length;
    /** Files of the program per origin: toolweave, the TypeScript lib, the scaffold, else the package they belong to. */
    const origins = (s: Scaffold): Map<string, number> => {
      const counts = new Map<string, number>();
      for (const f of fileLists.get(s)!) {
        const origin = isToolweaveFile(f)
          ? "toolweave"
          : f.includes("/node_modules/typescript/lib/")
            ? "TypeScript's lib"
            : f.startsWith(s.dir)
              ? "the scaffold"
              : (packageOf(f) ?? "other");
        counts.set(origin, (counts.get(origin) ?? 0) + 1);
      }
      return counts;
    };
    const originCounts = new Map([dist, src].map((s) => [s, origins(s)]));
    json.typecheck = {
      runs: TSC_RUNS,
      ...Object.fromEntries(
        (
          [
            ["dts", dist],
            ["sources", src],
          ] as const
        ).map(([k, s]) => [
          k,
          {
            ...Object.fromEntries(TSC_METRICS.map((m) => [m.key, fig(s, m.key)])),
            toolweaveFiles: toolweaveFiles(s),
            filesByOrigin: Object.fromEntries(originCounts.get(s)!),
            errors: errs.get(s)!.total,
            errorsInToolweave: errs.get(s)!.inToolweave,
          },
        ]),
      ),
      checkTimeRatio: fig(dist, "Check time") / fig(src, "Check time"),
      filesRatio: fig(dist, "Files") / fig(src, "Files"),
    };

    // --- report
    const tsVersion = readJson<{ version: string }>(path.join(repoRoot, "node_modules", "typescript", "package.json")).version;
    const npmVersion = run("npm", ["--version"], tmp).stdout.trim();
    const cpu = os.cpus()[0]?.model ?? "unknown CPU";
    lines.push(
      "# toolweave package benchmark",
      "",
      `Environment: Node ${process.version}, npm ${npmVersion}, TypeScript ${tsVersion}, ${cpu}, ${os.cpus().length} cores, ${os.platform()} ${os.release()}; load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}`,
      "",
      `Generated ${new Date().toISOString()} by \`npm run bench:package\`${BUILD ? " (after `npm run build`)" : " (--no-build: the dist/ already there)"}.`,
      "",
      "## 1. Tarball (`npm pack --ignore-scripts`)",
      "",
      table(["Files", "Packed", "Unpacked"], [[String(packed.entryCount), kb(packed.size), kb(packed.unpackedSize)]], ["r", "r", "r"]),
      "",
      table(
        ["Biggest files", "Size"],
        biggest.map((f) => [f.path, kb(f.size)]),
      ),
      "",
      '## 2. Install size (a fresh `{ "type": "module" }` project, `npm install <tarball> --no-audit --no-fund`, default registry and cache)',
      "",
    );
    const installRow = (label: string, s: InstallStats): string[] => [
      label,
      String(s.lockEntries),
      String(s.onDisk),
      String(s.topLevelFolders),
      mbytes(s.bytes),
      s.diskBytes === undefined ? "n/a" : mbytes(s.diskBytes),
      `${num(s.wallMs / 1000)} s`,
    ];
    lines.push(
      table(
        [
          "Installed",
          "package-lock entries",
          "packages on disk",
          "top-level folders",
          "node_modules (apparent)",
          "node_modules (du)",
          "npm install wall time",
        ],
        [installRow("toolweave", base), installRow(`+ ${peers.join(" ")}`, withPeers)],
      ),
      "",
      `The peers add ${withPeers.onDisk - base.onDisk} packages and ${mbytes(withPeers.bytes - base.bytes)} (second row: a second \`npm install\` of the peers at toolweave's peerDependencies ranges, in the same project). ` +
        "Lock entries include the platform-specific optional packages npm records but does not install; install times depend on the registry and the cache.",
      "",
      table(
        ["Biggest packages (toolweave alone)", "Size", "Biggest packages (with the peers)", "Size"],
        Array.from({ length: 8 }, (_, i) => [
          base.packages[i]?.name ?? "",
          base.packages[i] ? mbytes(base.packages[i].bytes) : "",
          withPeers.packages[i]?.name ?? "",
          withPeers.packages[i] ? mbytes(withPeers.packages[i].bytes) : "",
        ]),
        ["l", "r", "l", "r"],
      ),
      "",
      `Direct dependencies of toolweave@${installedVersion("toolweave")}: ${Object.keys(
        readJson<{ dependencies: Record<string, string> }>(path.join(project, "node_modules", "toolweave", "package.json")).dependencies,
      )
        .map((d) => `${d}@${installedVersion(d)}`)
        .join(", ")}.`,
      "",
    );
    for (const [label, s] of [
      ["the tarball", base],
      ["the peers", withPeers],
    ] as const) {
      if (s.warnings.length > 0) lines.push(`npm's warnings, installing ${label}:`, "", "```", ...s.warnings, "```", "");
    }

    lines.push(
      `## 3. Import time (wall time of a \`node\` process in that project, ${IMPORT_RUNS} interleaved rounds after a warm-up round)`,
      "",
    );
    const node = med("node -e 0");
    lines.push(
      table(
        ["Command", "Median", "p90", "÷ zod", "(− node) ÷ (zod − node)"],
        IMPORT_NAMES.map((n) => [
          n === "node -e 0" ? "`node -e 0`" : `\`node --input-type=module -e 'await import("${n}")'\``,
          ms(med(n)),
          ms(percentile(times[n], 90)),
          n === "node -e 0" ? "" : ratio(med(n), med("zod")),
          n === "node -e 0" || n === "zod" ? "" : ratio(med(n) - node, med("zod") - node),
        ]),
      ),
      "",
      `toolweave ÷ zod: **${ratio(med("toolweave"), med("zod"))}**; what importing toolweave adds to Node's start ÷ what zod alone adds: **${ratio(med("toolweave") - node, med("zod") - node)}** ` +
        `(${ms(med("toolweave") - node)} vs ${ms(med("zod") - node)}).`,
      "",
      "What each import loads (a `--import` hook: module.register's resolve hook records resolved `file:` URLs; require.cache adds what CommonJS packages require):",
      "",
      table(
        [
          "Import",
          "toolweave's own files",
          "Packages from node_modules (files)",
          "ts-morph / typescript / esbuild / bullmq / ioredis / @viz-js loaded?",
        ],
        Object.entries(loaded).map(([s, l]) => [
          `\`${s}\``,
          `${l.ownFiles.length} (${l.ownFiles.join(", ")})`,
          [...l.packages].map(([p, n]) => `${p} (${n})`).join(", ") || "none",
          l.heavy.length === 0 ? "no, none of them" : `**YES: ${l.heavy.join(", ")}**`,
        ]),
        ["l", "l", "l", "l"],
      ),
      "",
      `A plain \`import("toolweave")\` ${loaded.toolweave.heavy.length === 0 ? "loads none of ts-morph, typescript, esbuild, bullmq, ioredis, @viz-js (the peers are installed here, so a static import of one would have shown)" : `LOADS ${loaded.toolweave.heavy.join(", ")}`}.`,
      "",
    );

    lines.push(
      `## 4. A consumer's type check (\`weave init\` scaffold, ${scaffoldFiles} files; \`tsc --noEmit --extendedDiagnostics -p .\`, median of ${TSC_RUNS}, variants interleaved)`,
      "",
      "- **.d.ts**: the scaffold as installed: `toolweave` resolves to the built declarations, dist/types.",
      "- **sources**: the same scaffold with `node_modules/toolweave` replaced by the previous release's layout: `exports` at `./index.ts`, `./compiler/index.ts`, `./src/distributed/index.ts`, linking this repository's `index.ts` and source folders and node_modules.",
      "- Both link the consumer project's installed packages and this repository's typescript, vitest and @types/node; the scaffold's tsconfig is strict with `exactOptionalPropertyTypes` and `skipLibCheck`.",
      "",
      table(
        ["Figure", ".d.ts", "sources", ".d.ts ÷ sources"],
        [
          ...TSC_METRICS.map((m) => [
            m.label,
            m.format(fig(dist, m.key)),
            m.format(fig(src, m.key)),
            ratio(fig(dist, m.key), fig(src, m.key)),
          ]),
          [
            "toolweave's files in the program",
            String(toolweaveFiles(dist)),
            String(toolweaveFiles(src)),
            ratio(toolweaveFiles(dist), toolweaveFiles(src)),
          ],
          [
            "Errors (in toolweave's files / the scaffold's)",
            `${errs.get(dist)!.total} (${errs.get(dist)!.inToolweave} / ${errs.get(dist)!.inScaffold})`,
            `${errs.get(src)!.total} (${errs.get(src)!.inToolweave} / ${errs.get(src)!.inScaffold})`,
            "",
          ],
        ],
      ),
      "",
      `Check time .d.ts ÷ sources: **${ratio(fig(dist, "Check time"), fig(src, "Check time"))}**; files: **${ratio(fig(dist, "Files"), fig(src, "Files"))}**. ` +
        `Errors: .d.ts ${errs.get(dist)!.total}, sources ${errs.get(src)!.total}${errs.get(src)!.codes ? ` (${errs.get(src)!.codes})` : ""}.`,
      "",
    );
    // the origins with 10 files or more, or a different count in the two programs, one row each; the rest together
    const count = (s: Scaffold, o: string): number => originCounts.get(s)!.get(o) ?? 0;
    const originNames = [...new Set([dist, src].flatMap((s) => [...originCounts.get(s)!.keys()]))].sort(
      (a, b) => count(src, b) - count(src, a),
    );
    const shown = originNames.filter(
      (o) => Math.max(count(dist, o), count(src, o)) >= 10 || count(dist, o) !== count(src, o) || o === "the scaffold",
    );
    const rest = originNames.filter((o) => !shown.includes(o));
    const restSum = (s: Scaffold): string => String(rest.reduce((k, o) => k + count(s, o), 0));
    lines.push(
      "Files of each program by origin (a `tsc --listFilesOnly` run):",
      "",
      table(
        ["Origin", ".d.ts", "sources"],
        [
          ...shown.map((o) => [o, String(count(dist, o)), String(count(src, o))]),
          [`${rest.length} other packages: ${rest.join(", ")}`, restSum(dist), restSum(src)],
        ],
      ),
      "",
    );
    for (const s of [dist, src]) {
      const e = errs.get(s)!;
      if (e.first.length > 0) lines.push(`First errors, ${s.label}:`, "", ...e.first.map((l) => `- ${l}`), "");
    }
    lines.push(
      table(
        ["Every run", ...TSC_METRICS.filter((m) => m.key.endsWith("time")).map((m) => m.label)],
        [dist, src].map((s) => [
          s.label,
          ...TSC_METRICS.filter((m) => m.key.endsWith("time")).map((m) =>
            tscRuns
              .get(s)!
              .map((r) => m.format(r.diagnostics.get(m.key) ?? NaN))
              .join(", "),
          ),
        ]),
      ),
      "",
      `Benchmark wall time: ${((performance.now() - started) / 1000).toFixed(1)} s.`,
    );
  } finally {
    // rmSync does not follow symlinks: the linked repository and its node_modules are left alone
    rmSync(tmp, { recursive: true, force: true });
  }
  const report = lines.join("\n");
  process.stdout.write(`${report}\n\n`);
  const out = path.join(repoRoot, "bench", "results");
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, "package.md"), `${report}\n`);
  log("wrote bench/results/package.md");
  process.stdout.write(`${JSON.stringify(json)}\n`);
}

await main();

/**
 * @module A throwaway TypeScript project for the type-check benchmark: a temp dir whose `node_modules` links
 * `toolweave` (this repository, so `index.ts` and every DSL type are checked as sources), `zod` and `@types`,
 * one `tsconfig.<variant>.json` per generated file, and a runner for this repository's `tsc`.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export interface Project {
  readonly dir: string;
  readonly repoRoot: string;
}

/** The compiler options of the repository's tsconfig that matter for checking, plus `noEmit` and `skipLibCheck`. */
export const COMPILER_OPTIONS = {
  target: "ES2022",
  lib: ["ES2023"],
  module: "NodeNext",
  moduleResolution: "NodeNext",
  strict: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: false,
  verbatimModuleSyntax: true,
  isolatedModules: true,
  skipLibCheck: true,
  noEmit: true,
  // `types: []` would leave out @types/node, which toolweave's own sources need (node:fs, AbortSignal, ...):
  // the project would not compile. So exactly the one package toolweave needs, and nothing else ambient.
  types: ["node"],
};

/** Creates the project dir under the OS temp dir, with `tools.ts` written from `toolsSource`. */
export function createProject(repoRoot: string, toolsSource: string): Project {
  const dir = mkdtempSync(path.join(os.tmpdir(), "toolweave-typecheck-"));
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "typecheck-bench", private: true, type: "module" }, null, 2));
  const modules = path.join(dir, "node_modules");
  mkdirSync(modules);
  symlinkSync(repoRoot, path.join(modules, "toolweave"), "dir");
  symlinkSync(path.join(repoRoot, "node_modules", "zod"), path.join(modules, "zod"), "dir");
  symlinkSync(path.join(repoRoot, "node_modules", "@types"), path.join(modules, "@types"), "dir");
  writeFileSync(path.join(dir, "tools.ts"), toolsSource);
  return { dir, repoRoot };
}

/**
 * Writes `<name>.ts` and `tsconfig.<name>.json` (which checks only `tools.ts`, unless `withTools` is false, and that
 * file, with `compilerOptions`);
 * returns the tsconfig path.
 */
export function addVariant(
  project: Project,
  name: string,
  source: string,
  compilerOptions: object = COMPILER_OPTIONS,
  withTools = true,
): string {
  writeFileSync(path.join(project.dir, `${name}.ts`), source);
  const tsconfig = path.join(project.dir, `tsconfig.${name}.json`);
  const files = withTools ? ["tools.ts", `${name}.ts`] : [`${name}.ts`];
  writeFileSync(tsconfig, JSON.stringify({ compilerOptions, files }, null, 2));
  return tsconfig;
}

export const variantFile = (project: Project, name: string): string => path.join(project.dir, `${name}.ts`);

export function removeProject(project: Project): void {
  // rmSync does not follow symlinks, so the linked packages (this repository among them) are left alone.
  rmSync(project.dir, { recursive: true, force: true });
}

export interface TscError {
  readonly file: string;
  readonly line: number;
  readonly code: string;
  readonly message: string;
}

export interface TscRun {
  readonly exitCode: number;
  /** `--extendedDiagnostics` figures (counts, times in seconds, memory in kB), plus `CPU time` in seconds. */
  readonly diagnostics: ReadonlyMap<string, number>;
  readonly errors: readonly TscError[];
  readonly output: string;
}

/**
 * Runs this repository's `tsc` (`node node_modules/typescript/bin/tsc --extendedDiagnostics -p <tsconfig>`), loaded
 * by a one-line wrapper that also prints the process's CPU time (user + system) as `CPU time: <s>s` when it exits:
 * on a busy machine it varies less than tsc's wall-clock times.
 */
export function runTsc(project: Project, tsconfig: string, extraArgs: readonly string[] = []): TscRun {
  const tsc = path.join(project.repoRoot, "node_modules", "typescript", "bin", "tsc");
  const wrapper =
    'process.on("exit", () => { const u = process.cpuUsage(); process.stdout.write(`CPU time: ${((u.user + u.system) / 1e6).toFixed(2)}s\\n`); });' +
    `require(${JSON.stringify(tsc)});`;
  // With `-e`, argv[1] is the first argument; "tsc" stands in for the script path tsc skips.
  const res = spawnSync(
    process.execPath,
    ["-e", wrapper, "tsc", "--extendedDiagnostics", "--pretty", "false", "-p", tsconfig, ...extraArgs],
    {
      cwd: project.dir,
      encoding: "utf8",
      maxBuffer: 64 * 2 ** 20,
    },
  );
  if (res.error) throw res.error;
  const output = `${res.stdout}${res.stderr}`;
  const diagnostics = new Map<string, number>();
  for (const m of output.matchAll(/^([A-Za-z][A-Za-z /]*?):\s+([\d.]+)(s|K)?\s*$/gm)) diagnostics.set(m[1]!, Number(m[2]));
  const errors: TscError[] = [];
  for (const m of output.matchAll(/^(.+?)\((\d+),\d+\): error (TS\d+): (.*)$/gm)) {
    errors.push({ file: path.basename(m[1]!), line: Number(m[2]), code: m[3]!, message: m[4]! });
  }
  return { exitCode: res.status ?? -1, diagnostics, errors, output };
}

/** A diagnostics figure, or a thrown error naming the run when tsc did not print it. */
export function figure(run: TscRun, name: string, label: string): number {
  const v = run.diagnostics.get(name);
  if (v === undefined) throw new Error(`${label}: tsc --extendedDiagnostics printed no "${name}". output:\n${run.output.slice(0, 2000)}`);
  return v;
}

interface TraceEvent {
  readonly name?: string;
  readonly ph?: string;
  readonly ts?: number;
  readonly args?: { readonly path?: string };
}

/**
 * Runs tsc once more with `--generateTrace` and returns the check time of each file (from the `checkSourceFile`
 * begin/end events), longest first, with paths relative to the repository or the project. Tracing slows tsc down,
 * so these times are for the breakdown only.
 */
export function checkTimeByFile(project: Project, tsconfig: string): { file: string; ms: number }[] {
  const traceDir = path.join(project.dir, `trace-${path.basename(tsconfig, ".json")}`);
  const run = runTsc(project, tsconfig, ["--generateTrace", traceDir]);
  if (run.exitCode !== 0) throw new Error(`tsc --generateTrace ${tsconfig} exited ${run.exitCode}:\n${run.output.slice(0, 2000)}`);
  const events = JSON.parse(readFileSync(path.join(traceDir, "trace.json"), "utf8")) as TraceEvent[];
  const out: { file: string; ms: number }[] = [];
  let open: { ts: number; path: string } | undefined;
  for (const e of events) {
    if (e.name !== "checkSourceFile" || e.ts === undefined) continue;
    if (e.ph === "B") open = { ts: e.ts, path: e.args?.path ?? "?" };
    else if (e.ph === "E" && open) {
      const rel = open.path.startsWith(project.repoRoot)
        ? path.relative(project.repoRoot, open.path)
        : `(generated) ${path.relative(project.dir, open.path)}`;
      out.push({ file: rel, ms: (e.ts - open.ts) / 1000 });
      open = undefined;
    }
  }
  return out.sort((a, b) => b.ms - a.ms);
}

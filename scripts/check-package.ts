/**
 * `npm run check:package` (in `npm test`, after `npm run build`): the package as npm would publish it.
 * - publint: package.json's exports, bin and files point at files the tarball holds, in formats that match.
 * - arethetypeswrong (profile esm-only): every export's types resolve, for Node's ESM and for bundlers.
 * - The tarball holds what a user runs and reads, and nothing of the repository's own (tests, benchmarks,
 *   fixtures, scripts, CI files, TypeScript sources).
 */
import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const problems: string[] = [];

/** Runs a package's CLI (its `bin` of that name) with node; its output when it fails. */
function run(pkg: string, bin: string, args: string[]): string | undefined {
  const dir = path.join(ROOT, "node_modules", pkg);
  const bins = (JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { bin: Record<string, string> }).bin;
  try {
    execFileSync(process.execPath, [path.join(dir, bins[bin]!), ...args], { cwd: ROOT, encoding: "utf8", stdio: "pipe" });
    return undefined;
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    return `${stdout}${stderr}`.trim();
  }
}

/** Paths of files the tarball must not hold. */
function unwantedFiles(paths: readonly string[]): string[] {
  return paths.filter(
    (p) =>
      /^(test|bench|scripts|examples|templates|\.ci|\.github|docs)\//.test(p) ||
      /(^|\/)fixtures\//.test(p) ||
      (/\.(m|c)?tsx?$/.test(p) && !/\.d\.(m|c)?ts$/.test(p)),
  );
}

const dir = await mkdtemp(path.join(tmpdir(), "toolweave-pack-"));
try {
  const packed = JSON.parse(
    execFileSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", dir], {
      cwd: ROOT,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    }),
  ) as { filename: string; files: { path: string }[]; entryCount: number; size: number; unpackedSize: number }[];
  const tarball = packed[0]!;
  const files = tarball.files.map((f) => f.path);
  const unwanted = unwantedFiles(files);
  if (unwanted.length > 0) problems.push(`the tarball holds files a user does not need:\n  ${unwanted.join("\n  ")}`);
  for (const needed of [
    "bin/weave.js",
    "dist/index.js",
    "dist/compiler.js",
    "dist/distributed.js",
    "dist/mcp.js",
    "dist/esbuild.js",
    "dist/cli.js",
    "dist/types/index.d.ts",
    "dist/types/compiler/bundler/esbuild-plugin.d.ts",
    "schema/template.schema.json",
    "LICENSE",
  ]) {
    if (!files.includes(needed)) problems.push(`the tarball lacks ${needed} (run npm run build first)`);
  }
  const publint = run("publint", "publint", ["--strict", ROOT]);
  if (publint !== undefined) problems.push(`publint:\n${publint}`);
  const attw = run("@arethetypeswrong/cli", "attw", [path.join(dir, tarball.filename), "--profile", "esm-only"]);
  if (attw !== undefined) problems.push(`arethetypeswrong:\n${attw}`);
  if (problems.length === 0)
    console.log(
      `package ok: ${tarball.entryCount} files, ${(tarball.size / 1024).toFixed(0)} kB packed, ${(tarball.unpackedSize / 1024).toFixed(0)} kB unpacked; publint and arethetypeswrong (esm-only) clean`,
    );
} finally {
  await rm(dir, { recursive: true, force: true });
}
if (problems.length > 0) {
  console.error(problems.join("\n\n"));
  process.exit(1);
}

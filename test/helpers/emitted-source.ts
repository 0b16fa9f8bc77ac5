// Emitted TypeScript (DSL source from the pattern detector or weave migrate) written where it can be checked: under
// the repository's git-ignored tmp/, so that `import ... from "toolweave"` resolves to this package.
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll } from "vitest";

export const ROOT = path.resolve(import.meta.dirname, "../..");

/** A fresh directory `tmp/<name>-<pid>` for the test file, removed after its tests. */
export function emitDir(name: string): string {
  const dir = path.join(ROOT, "tmp", `${name}-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A file's path relative to the repository, with "/" (as the compiler names files). */
export const relativeToRoot = (file: string): string => path.relative(ROOT, file).split(path.sep).join("/");

/** Runs tsc over the `.ts` files of `dir` with the repository's settings; its output ("" when they type-check). */
export function typecheck(dir: string): string {
  writeFileSync(
    path.join(dir, "tsconfig.json"),
    JSON.stringify({ extends: path.relative(dir, path.join(ROOT, "tsconfig.json")).split(path.sep).join("/"), include: ["*.ts"] }),
  );
  const tsc = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
  try {
    execFileSync(process.execPath, [tsc, "-p", path.join(dir, "tsconfig.json")], { cwd: ROOT, encoding: "utf8", stdio: "pipe" });
    return "";
  } catch (error) {
    return String((error as { stdout?: string }).stdout ?? error);
  }
}

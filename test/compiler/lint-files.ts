/** Lints files written into a fresh temporary directory with the real compiler API (`lint`), for tests of whole files. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll } from "vitest";
import { lint, type LintOptions } from "../../compiler/api.js";
import type { Diagnostic } from "../../compiler/diagnostic.js";

/** `lintFiles(files)` lints them in a new directory (removed after the test file); `dir()` makes one to write into. */
export function useLintFiles(prefix: string): {
  lintFiles(files: Record<string, string>, options?: Omit<LintOptions, "cwd">): Promise<Diagnostic[]>;
  writeFiles(files: Record<string, string>): string;
} {
  const temp = mkdtempSync(path.join(os.tmpdir(), prefix));
  afterAll(() => rmSync(temp, { recursive: true, force: true }));
  const writeFiles = (files: Record<string, string>): string => {
    const dir = mkdtempSync(path.join(temp, "case-"));
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), text);
    }
    return dir;
  };
  return {
    writeFiles,
    async lintFiles(files, options = {}) {
      const dir = writeFiles(files);
      return (
        await lint({
          paths: Object.keys(files).filter((f) => /\.(m?ts|json)$/.test(f) && !f.endsWith("weave.config.json")),
          ...options,
          cwd: dir,
        })
      ).diagnostics;
    },
  };
}

/** A finding as `line:col rule: message`. */
export const brief = (d: Diagnostic): string => `${d.span.start.line}:${d.span.start.column} ${d.ruleId}: ${d.message}`;

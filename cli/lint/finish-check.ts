/**
 * @module What `weave lint` and `weave compile` do with a check's result, fresh or from the cache: compile writes (or,
 * with --check, compares) the output folder, then the findings are printed and the exit code decided. It needs no
 * rule and no parser (only SARIF's rule table loads the rules), so a cached result is reported without loading the
 * compiler.
 */
import path from "node:path";
import type { CheckedResult } from "../../compiler/check-cache.js";
import { checkCompiledOutput, writeCompiledOutput } from "../../compiler/compiled-output.js";
import { FORMATS, type FormatName } from "../../compiler/format/index.js";
import type { RuleMeta } from "../../compiler/format/types.js";
import { packageVersion } from "../../src/util/package-info.js";
import { shouldUseColor } from "../shared/color.js";
import { EXIT } from "../exit-codes.js";

export interface FinishOptions {
  readonly format: FormatName;
  readonly color: boolean;
  readonly quiet?: boolean;
  readonly maxWarnings?: number;
  /** compile: the output folder. */
  readonly out?: string;
  /** compile --check. */
  readonly check?: boolean;
}

/**
 * @param ruleMetas the rules' metadata, for SARIF's rule table (loads the rules)
 * @returns the exit code
 */
export async function finishCheck(
  kind: "lint" | "compile",
  result: CheckedResult,
  options: FinishOptions,
  ruleMetas: () => Promise<RuleMeta[]>,
  /** Told the output files (manifest last) once compile has written them or found them current. */
  compiled?: (fileNames: string[]) => Promise<void>,
): Promise<number> {
  const place = { outDir: options.out ?? "", cwd: process.cwd() };
  if (kind === "compile" && options.check) {
    const code = await report(result, options, ruleMetas);
    const { problems, expected } = await checkCompiledOutput(result, place);
    if (problems.length === 0) {
      process.stderr.write(`${shortPath(options.out!)} is what weave compile writes (${expected} files)\n`);
      return code;
    }
    for (const p of problems) process.stderr.write(`${p.file}: ${p.kind}: ${p.why}\n`);
    process.stderr.write(`${shortPath(options.out!)} is out of date: run weave compile without --check and commit the result\n`);
    return Math.max(code, EXIT.failed);
  }
  if (kind === "compile") {
    const written = await writeCompiledOutput(result, place);
    const n = written.manifest.workflows.length;
    await compiled?.([...written.manifest.workflows.map((w) => w.file), "manifest.json"]);
    if (written.written.length === 0)
      process.stderr.write(
        `${n} workflow${n === 1 ? "" : "s"} and manifest.json in ${shortPath(options.out!)} are current: nothing to write\n`,
      );
    else {
      const removed =
        written.removed.length > 0
          ? `; removed ${written.removed.join(", ")} (no workflow produces ${written.removed.length === 1 ? "it" : "them"} any more)`
          : "";
      process.stderr.write(`wrote ${n} workflow${n === 1 ? "" : "s"} and manifest.json to ${shortPath(options.out!)}${removed}\n`);
    }
    for (const f of written.skipped)
      process.stderr.write(
        `warning: left ${f} alone: weave compile did not write it, and no workflow produces it (remove it if it is stale)\n`,
      );
  }
  return report(result, options, ruleMetas);
}

/** Prints a result. @returns the exit code */
async function report(result: CheckedResult, options: FinishOptions, ruleMetas: () => Promise<RuleMeta[]>): Promise<number> {
  const diagnostics = options.quiet
    ? result.diagnostics.filter((d) => d.severity === "error")
    : [...result.diagnostics, ...result.suppressed];
  const color = options.color && options.format === "pretty" && shouldUseColor(process.stdout, process.env);
  const rules = options.format === "sarif" ? await ruleMetas() : [];
  process.stdout.write(
    FORMATS[options.format](diagnostics, { files: result.sources, checked: result.files.length, color, rules, version: packageVersion() }),
  );
  const errors = result.diagnostics.filter((d) => d.severity === "error").length;
  const warnings = result.diagnostics.filter((d) => d.severity === "warning").length;
  if (errors > 0) return EXIT.failed;
  if (options.maxWarnings !== undefined && warnings > options.maxWarnings) {
    process.stderr.write(`weave: ${warnings} warning${warnings === 1 ? "" : "s"}, more than --max-warnings ${options.maxWarnings}\n`);
    return EXIT.failed;
  }
  return EXIT.completed;
}

/** Relative to the cwd when inside it, else absolute. */
export function shortPath(p: string): string {
  const abs = path.resolve(p);
  const rel = path.relative(process.cwd(), abs);
  return rel === "" ? "." : rel.startsWith("..") || path.isAbsolute(rel) ? abs : rel;
}

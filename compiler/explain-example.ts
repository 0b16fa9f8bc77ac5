/**
 * @module The examples of a rule's docs (`weave lint --explain`), linted for real: a JSON template as a template file,
 * a DSL module (it imports from "toolweave" and declares a `workflow`) extracted statically from a temporary file,
 * as `weave lint` reads a file holding it, suppressions (`// weave-ignore`, `lint.ignore`) applied. So the findings
 * `--explain` shows are the code's, and a test can hold every example to what it claims.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { compareDiagnostics, type Diagnostic } from "./diagnostic.js";
import { createExtractor } from "./extract/index.js";
import { readJsonTarget } from "./json-target.js";
import type { LintTarget } from "./lint-target.js";
import { applySuppressions } from "./suppressions.js";

/** `json`: a template; `ts`: a whole DSL module; `text`: prose or a fragment, not linted. */
export type ExampleKind = "json" | "ts" | "text";

export function exampleKind(example: string): ExampleKind {
  if (example.trimStart().startsWith("{")) return "json";
  if (/from\s+["']toolweave["']/.test(example) && /\bworkflow\(/.test(example)) return "ts";
  return "text";
}

/**
 * Every finding for `example`, as a file named `<name>.json` or `<name>.ts` would get them (file names in spans are
 * that bare name); `lint` is the engine (`lintTarget`), passed in so this module does not import it back.
 * A `text` example has none.
 */
export function lintExample(name: string, example: string, lint: (target: LintTarget) => Diagnostic[]): Diagnostic[] {
  const kind = exampleKind(example);
  if (kind === "json") {
    const { target, diagnostics } = readJsonTarget(`${name}.json`, example);
    const found = [...diagnostics, ...(target ? lint(target) : [])];
    return applySuppressions({ tsFiles: [], jsonTargets: target ? [target] : [] }, found).diagnostics.sort(compareDiagnostics);
  }
  if (kind === "text") return [];
  const dir = mkdtempSync(path.join(os.tmpdir(), "weave-explain-"));
  try {
    const file = `${name}.ts`;
    writeFileSync(path.join(dir, file), example);
    const { workflows, diagnostics } = createExtractor({ cwd: dir, files: [file] }).extract();
    const found = [...diagnostics, ...workflows.flatMap((w) => lint(w.target))];
    // as `weave lint` does: a `// weave-ignore` comment covers the line after it, or the step that starts there
    const stepLines = new Map<string, number>();
    for (const w of workflows)
      for (const step of w.template.steps) if (step.source) stepLines.set(`${w.name}\0${step.id}`, step.source.line);
    const stepLine = (d: Diagnostic): number | undefined =>
      d.workflow !== undefined && d.stepId !== undefined ? stepLines.get(`${d.workflow}\0${d.stepId}`) : undefined;
    return applySuppressions({ tsFiles: [{ file, text: example }], jsonTargets: [], stepLine }, found).diagnostics.sort(compareDiagnostics);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

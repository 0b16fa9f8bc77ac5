/**
 * Check workflow files and JSON templates without running them (`lint`), and write each workflow as a JSON template
 * plus a manifest (`compile`). Findings render as pretty text, JSON, SARIF or GitHub annotations.
 *
 * @module toolweave/compiler
 */
import { rules } from "./rules/index.js";
import type { RuleMeta } from "./format/types.js";

export {
  checkCompiled,
  compile,
  createChecker,
  lint,
  writeCompiled,
  type Checker,
  type CompileOptions,
  type CompileResult,
  type LintOptions,
  type LintResult,
  type RuleSettings,
} from "./api.js";
export { compareDiagnostics, type Diagnostic, type Position, type Severity, type Span } from "./diagnostic.js";
export type { ExtractedWorkflow } from "./extract/index.js";
export { FORMAT_NAMES, FORMATS, type FormatName, type FormatOptions, type Formatter } from "./format/index.js";
export { explainRule } from "./lint-engine.js";
export type { LintTarget } from "./lint-target.js";
export { InputError } from "./files.js";
export { CONFIG_FILE, ConfigError, loadLintConfig, RULE_SETTINGS, type LintConfig, type RuleSetting } from "./lint-config.js";
export { watchInputs } from "./watch.js";
export type { Manifest, OutputCheck, OutputProblem } from "./write-output.js";
export { projectRoot } from "./compiled-output.js";
export { rules };

/** Every registered rule's id, severity and description, sorted by id (SARIF's rule table). */
export function ruleMetas(): RuleMeta[] {
  return rules
    .map((r) => ({ id: r.id, severity: r.severity, description: r.docs.description }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

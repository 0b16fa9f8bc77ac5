/** @module What every output format takes: the findings, and what it needs to render them. */
import type { Diagnostic, Severity } from "../diagnostic.js";

/** The metadata of a rule that SARIF lists in `tool.driver.rules`. */
export interface RuleMeta {
  readonly id: string;
  readonly severity: Severity;
  readonly description: string;
}

export interface FormatOptions {
  /** The text of the files checked, by file (as in `span.file`): code frames, and the file count of the summary. */
  readonly files: ReadonlyMap<string, string>;
  /** How many files were checked, when `files` holds only those with findings (a cached result). @default files.size */
  readonly checked?: number;
  /** ANSI colours (pretty only). */
  readonly color: boolean;
  /** Registered rules, for SARIF's rule table. */
  readonly rules?: readonly RuleMeta[];
  /** The tool's version, for SARIF. */
  readonly version?: string;
}

/**
 * Renders findings. Suppressed ones (`suppressed` set) may be among them: `json` and `sarif` list them as
 * suppressed, `pretty` counts them, `github` leaves them out.
 */
export type Formatter = (diagnostics: readonly Diagnostic[], options: FormatOptions) => string;

export interface Summary {
  readonly errors: number;
  readonly warnings: number;
  readonly infos: number;
  readonly files: number;
  /** Findings a suppression covers, counted apart from the others. */
  readonly suppressed?: number;
}

export function summarize(diagnostics: readonly Diagnostic[], files: number): Summary {
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  let suppressed = 0;
  for (const d of diagnostics) {
    if (d.suppressed) suppressed++;
    else if (d.severity === "error") errors++;
    else if (d.severity === "warning") warnings++;
    else infos++;
  }
  return { errors, warnings, infos, files, suppressed };
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;

/** `3 errors, 1 warning, 2 infos in 4 files`, or `no problems in 4 files`, then `(2 suppressed)` when some are. */
export function summaryLine(s: Summary): string {
  const parts: string[] = [];
  if (s.errors) parts.push(plural(s.errors, "error"));
  if (s.warnings) parts.push(plural(s.warnings, "warning"));
  if (s.infos) parts.push(plural(s.infos, "info"));
  return `${parts.length ? parts.join(", ") : "no problems"} in ${plural(s.files, "file")}${s.suppressed ? ` (${s.suppressed} suppressed)` : ""}`;
}

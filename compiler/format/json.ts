/**
 * @module The `json` format: one object per finding with flat positions, and counts. Suppressed findings are listed
 * apart, under `suppressed`, each with the reason and where the suppression is.
 */
import { compareDiagnostics, type Diagnostic } from "../diagnostic.js";
import { summarize, type FormatOptions } from "./types.js";

export interface JsonDiagnostic {
  ruleId: string;
  severity: string;
  message: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  workflow?: string;
  stepId?: string;
  /** For a suppressed finding: why, and where the suppression is written. */
  suppression?: { reason: string; file: string; line: number; column: number };
}

export function toJsonDiagnostic(d: Diagnostic): JsonDiagnostic {
  const out: JsonDiagnostic = {
    ruleId: d.ruleId,
    severity: d.severity,
    message: d.message,
    file: d.span.file,
    line: d.span.start.line,
    column: d.span.start.column,
    endLine: d.span.end.line,
    endColumn: d.span.end.column,
  };
  if (d.workflow !== undefined) out.workflow = d.workflow;
  if (d.stepId !== undefined) out.stepId = d.stepId;
  if (d.suppressed)
    out.suppression = {
      reason: d.suppressed.reason,
      file: d.suppressed.span.file,
      line: d.suppressed.span.start.line,
      column: d.suppressed.span.start.column,
    };
  return out;
}

export function formatJson(diagnostics: readonly Diagnostic[], options: FormatOptions): string {
  const sorted = [...diagnostics].sort(compareDiagnostics);
  const counted = sorted.filter((d) => !d.suppressed);
  const suppressed = sorted.filter((d) => d.suppressed);
  return `${JSON.stringify({ diagnostics: counted.map(toJsonDiagnostic), suppressed: suppressed.map(toJsonDiagnostic), summary: summarize(sorted, options.checked ?? options.files.size) }, null, 2)}\n`;
}

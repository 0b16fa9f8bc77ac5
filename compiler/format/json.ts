/** @module The `json` format: one object per finding with flat positions, and counts. */
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
  return out;
}

export function formatJson(diagnostics: readonly Diagnostic[], options: FormatOptions): string {
  const sorted = [...diagnostics].sort(compareDiagnostics);
  return `${JSON.stringify({ diagnostics: sorted.map(toJsonDiagnostic), summary: summarize(sorted, options.files.size) }, null, 2)}\n`;
}

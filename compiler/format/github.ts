/**
 * @module The `github` format: GitHub Actions workflow commands (`::error file=…::message`), which the runner turns
 * into annotations on the pull request.
 */
import { compareDiagnostics, type Diagnostic, type Severity } from "../diagnostic.js";
import type { FormatOptions } from "./types.js";

const COMMAND: Record<Severity, string> = { error: "error", warning: "warning", info: "notice" };

/** Escapes a command's message (the runner's `escapeData`). */
export function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** Escapes a command property's value (the runner's `escapeProperty`). */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

export function formatGithub(diagnostics: readonly Diagnostic[], _options: FormatOptions): string {
  const lines = [...diagnostics]
    .filter((d) => !d.suppressed)
    .sort(compareDiagnostics)
    .map((d) => {
      const { file, start, end } = d.span;
      const props = [
        `file=${escapeProperty(file.replace(/\\/g, "/"))}`,
        `line=${start.line}`,
        `col=${start.column}`,
        `endLine=${end.line}`,
        `endColumn=${end.column}`,
        `title=${escapeProperty(d.ruleId)}`,
      ];
      return `::${COMMAND[d.severity]} ${props.join(",")}::${escapeData(d.message)}`;
    });
  return lines.length ? `${lines.join("\n")}\n` : "";
}

/**
 * @module The `pretty` format (actionlint's): `file:line:col: severity: message [rule-id]`, then the line with a
 * `line |` gutter and `^~~~` under the span, sorted by position, and a summary line.
 */
import { compareDiagnostics, type Diagnostic, type Severity } from "../diagnostic.js";
import { summarize, summaryLine, type FormatOptions } from "./types.js";

type Paint = (text: string) => string;
const sgr =
  (open: string, close: string): Paint =>
  (text) =>
    `\x1b[${open}m${text}\x1b[${close}m`;
const plain: Paint = (text) => text;

const PAINT = {
  error: sgr("1;31", "0"),
  warning: sgr("1;33", "0"),
  info: sgr("1;36", "0"),
  bold: sgr("1", "22"),
  dim: sgr("2", "22"),
};

/** The line `line` (1-based) of `text`, without its line break. */
function lineOf(text: string, line: number): string | undefined {
  let start = 0;
  for (let n = 1; n < line; n++) {
    const next = text.indexOf("\n", start);
    if (next < 0) return undefined;
    start = next + 1;
  }
  const end = text.indexOf("\n", start);
  return text.slice(start, end < 0 ? text.length : end).replace(/\r$/, "");
}

/** The code frame of a diagnostic: the first line of its span and a marker under it (to the end of the line when the span goes on). */
export function codeFrame(d: Diagnostic, text: string | undefined, paint: (s: Severity, t: string) => string, dim: Paint): string[] {
  if (text === undefined) return [];
  const { start, end } = d.span;
  const source = lineOf(text, start.line);
  if (source === undefined) return [];
  const from = Math.min(start.column - 1, source.length);
  const to = end.line > start.line ? source.length : Math.min(Math.max(end.column - 1, from + 1), Math.max(source.length, from + 1));
  // keep tabs so the marker lines up under the text
  const pad = source.slice(0, from).replace(/[^\t]/g, " ");
  const marker = `^${"~".repeat(Math.max(0, to - from - 1))}`;
  const number = String(start.line);
  const gutter = " ".repeat(number.length);
  return [`${dim(`${number} |`)} ${source}`, `${dim(`${gutter} |`)} ${pad}${paint(d.severity, marker)}`];
}

export function formatPretty(diagnostics: readonly Diagnostic[], options: FormatOptions): string {
  const color = options.color;
  const bold = color ? PAINT.bold : plain;
  const dim = color ? PAINT.dim : plain;
  const paint = (s: Severity, t: string): string => (color ? PAINT[s](t) : t);
  const out: string[] = [];
  for (const d of [...diagnostics].sort(compareDiagnostics)) {
    if (d.suppressed) continue;
    const where = `${d.span.file}:${d.span.start.line}:${d.span.start.column}`;
    out.push(`${bold(where)}: ${paint(d.severity, d.severity)}: ${d.message.replace(/\r?\n/g, "\n  ")} ${dim(`[${d.ruleId}]`)}`);
    out.push(...codeFrame(d, options.files.get(d.span.file), paint, dim));
  }
  if (out.length) out.push("");
  out.push(summaryLine(summarize(diagnostics, options.checked ?? options.files.size)));
  return `${out.join("\n")}\n`;
}

/**
 * @module What the compiler reports: a finding of one rule at one span of one file. Every output format
 * (pretty, json, sarif, github) is rendered from these objects.
 */
import { positionAt, type Position } from "../src/util/text-position.js";

export { positionAt, type Position };

export type Severity = "error" | "warning" | "info";

export interface Span {
  /** Path as given on the command line or found from the tsconfig, relative to the cwd when inside it. */
  readonly file: string;
  readonly start: Position;
  readonly end: Position;
}

export interface Diagnostic {
  /** Kebab-case rule id, e.g. `hidden-dependency`. */
  readonly ruleId: string;
  readonly severity: Severity;
  /** actionlint's shape: what is wrong (values quoted), then where else it matters or what is allowed. Lowercase, no final period. */
  readonly message: string;
  readonly span: Span;
  /** The workflow the finding belongs to, when known. */
  readonly workflow?: string;
  /** The step the finding belongs to, when known. */
  readonly stepId?: string;
  /**
   * Set on a finding that a suppression written where it is reported covers (a `// weave-ignore` comment, a
   * template's `lint.ignore`): the reason given and where the suppression is. Such a finding counts for nothing.
   */
  readonly suppressed?: { readonly reason: string; readonly span: Span };
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Deterministic order: file, then position, then rule id, then message. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    (a.span.file < b.span.file ? -1 : a.span.file > b.span.file ? 1 : 0) ||
    a.span.start.offset - b.span.start.offset ||
    a.span.end.offset - b.span.end.offset ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) ||
    SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
    (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)
  );
}

/**
 * A position finder for many offsets into one text: line starts are indexed once and each lookup is a binary
 * search (`positionAt` scans from the start, fine for one diagnostic, quadratic for every step of a file).
 */
export function positionFinder(text: string): (offset: number) => Position {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo]! + 1, offset };
  };
}

export function spanAt(file: string, text: string, start: number, end: number): Span {
  return { file, start: positionAt(text, start), end: positionAt(text, end) };
}

/**
 * `spanAt` for many spans of one file (a target's every finding): the line index is built on the first span, so a
 * file with a finding per step costs one pass over its text, not one per finding.
 */
export function spanFinder(file: string, text: string): (start: number, end: number) => Span {
  let position: ((offset: number) => Position) | undefined;
  return (start, end) => {
    position ??= positionFinder(text);
    return { file, start: position(start), end: position(end) };
  };
}

/**
 * @module The `sarif` format: SARIF 2.1.0, one run, for GitHub code scanning and other SARIF viewers. Deterministic:
 * the same findings give byte-identical output, and each result's fingerprint is stable across runs.
 */
import { createHash } from "node:crypto";
import { compareDiagnostics, type Diagnostic, type Severity } from "../diagnostic.js";
import type { FormatOptions, RuleMeta } from "./types.js";

export const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
const INFORMATION_URI = "https://github.com/toolweave/toolweave";

type Level = "error" | "warning" | "note";
const LEVEL: Record<Severity, Level> = { error: "error", warning: "warning", info: "note" };

/** A relative path as a URI reference (forward slashes, percent-encoded); an absolute one as a `file:` URI. */
export function toUri(file: string): { uri: string; uriBaseId?: string } {
  const slashed = file.replace(/\\/g, "/");
  if (/^([a-zA-Z]:)?\//.test(slashed)) return { uri: `file://${slashed.startsWith("/") ? "" : "/"}${encodeURI(slashed)}` };
  return { uri: encodeURI(slashed.replace(/^\.\//, "")), uriBaseId: "%SRCROOT%" };
}

/** Stable across runs and machines: a hash of what the finding is about, not of where the line moved to. */
export function fingerprint(d: Diagnostic): string {
  const key = [d.ruleId, d.span.file.replace(/\\/g, "/"), d.workflow ?? "", d.stepId ?? "", d.message].join("\0");
  return createHash("sha256").update(key).digest("hex").slice(0, 32);
}

function ruleTable(rules: readonly RuleMeta[], diagnostics: readonly Diagnostic[]): RuleMeta[] {
  const byId = new Map(rules.map((r) => [r.id, r]));
  // findings of ids no rule registers (e.g. from the extractor) still need an entry for their ruleIndex
  for (const d of diagnostics) if (!byId.has(d.ruleId)) byId.set(d.ruleId, { id: d.ruleId, severity: d.severity, description: d.ruleId });
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** A suppression written in the source (a comment, a template's `lint.ignore`), with its reason as the justification. */
function suppression(s: NonNullable<Diagnostic["suppressed"]>): object {
  return {
    kind: "inSource",
    justification: s.reason,
    location: {
      physicalLocation: {
        artifactLocation: toUri(s.span.file),
        region: { startLine: s.span.start.line, startColumn: s.span.start.column, endLine: s.span.end.line, endColumn: s.span.end.column },
      },
    },
  };
}

export function formatSarif(diagnostics: readonly Diagnostic[], options: FormatOptions): string {
  const sorted = [...diagnostics].sort(compareDiagnostics);
  const rules = ruleTable(options.rules ?? [], sorted);
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const log = {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "weave",
            informationUri: INFORMATION_URI,
            version: options.version ?? "0.0.0",
            rules: rules.map((r) => ({
              id: r.id,
              shortDescription: { text: r.description },
              fullDescription: { text: r.description },
              defaultConfiguration: { level: LEVEL[r.severity] },
            })),
          },
        },
        columnKind: "utf16CodeUnits",
        results: sorted.map((d) => ({
          ruleId: d.ruleId,
          ruleIndex: index.get(d.ruleId)!,
          level: LEVEL[d.severity],
          message: { text: d.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: toUri(d.span.file),
                region: {
                  startLine: d.span.start.line,
                  startColumn: d.span.start.column,
                  endLine: d.span.end.line,
                  endColumn: d.span.end.column,
                },
              },
            },
          ],
          partialFingerprints: { "weave/v1": fingerprint(d) },
          ...(d.suppressed ? { suppressions: [suppression(d.suppressed)] } : {}),
        })),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

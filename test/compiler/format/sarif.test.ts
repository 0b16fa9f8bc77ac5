import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../../compiler/diagnostic.js";
import { fingerprint, formatSarif, toUri } from "../../../compiler/format/sarif.js";
import { DIAGNOSTICS, FILES, RULES } from "./sample.js";

const options = { files: FILES, color: false, rules: RULES, version: "1.2.3" };

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const isPositiveInt = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= 1;

/** The parts of the SARIF 2.1.0 schema that code-scanning uploads need, checked field by field. */
function sarifProblems(log: unknown): string[] {
  const problems: string[] = [];
  const need = (ok: boolean, what: string): void => void (ok || problems.push(what));
  if (!isObject(log)) return ["log is not an object"];
  need(log.version === "2.1.0", "version");
  need(typeof log.$schema === "string", "$schema");
  need(Array.isArray(log.runs) && log.runs.length === 1, "one run");
  const run = (log.runs as unknown[])[0];
  if (!isObject(run)) return [...problems, "run"];
  const driver = isObject(run.tool) && isObject(run.tool.driver) ? run.tool.driver : undefined;
  need(driver?.name === "weave", "driver.name");
  need(typeof driver?.version === "string", "driver.version");
  const rules = Array.isArray(driver?.rules) ? (driver.rules as unknown[]) : [];
  need(rules.length > 0, "driver.rules");
  rules.forEach((r, i) => {
    need(isObject(r) && typeof r.id === "string", `rules[${i}].id`);
    need(isObject(r) && isObject(r.shortDescription) && typeof r.shortDescription.text === "string", `rules[${i}].shortDescription.text`);
    need(isObject(r) && isObject(r.fullDescription) && typeof r.fullDescription.text === "string", `rules[${i}].fullDescription.text`);
    need(
      isObject(r) &&
        isObject(r.defaultConfiguration) &&
        ["error", "warning", "note", "none"].includes(r.defaultConfiguration.level as string),
      `rules[${i}].defaultConfiguration.level`,
    );
  });
  need(Array.isArray(run.results), "results");
  (run.results as unknown[]).forEach((r, i) => {
    if (!isObject(r)) return void problems.push(`results[${i}]`);
    need(typeof r.ruleId === "string", `results[${i}].ruleId`);
    need(
      Number.isInteger(r.ruleIndex) && isObject(rules[r.ruleIndex as number]) && (rules[r.ruleIndex as number] as Json).id === r.ruleId,
      `results[${i}].ruleIndex`,
    );
    need(["error", "warning", "note", "none"].includes(r.level as string), `results[${i}].level`);
    need(isObject(r.message) && typeof r.message.text === "string", `results[${i}].message.text`);
    need(
      isObject(r.partialFingerprints) && Object.values(r.partialFingerprints).every((v) => typeof v === "string"),
      `results[${i}].partialFingerprints`,
    );
    const loc = Array.isArray(r.locations) ? r.locations[0] : undefined;
    const phys = isObject(loc) && isObject(loc.physicalLocation) ? loc.physicalLocation : undefined;
    const art = isObject(phys?.artifactLocation) ? phys.artifactLocation : undefined;
    need(typeof art?.uri === "string" && !(art.uri as string).includes("\\"), `results[${i}] uri`);
    const region = isObject(phys?.region) ? phys.region : undefined;
    for (const k of ["startLine", "startColumn", "endLine", "endColumn"]) need(isPositiveInt(region?.[k]), `results[${i}] region.${k}`);
  });
  return problems;
}

describe("sarif", () => {
  it("is byte-identical from run to run, whatever the input order", () => {
    const a = formatSarif(DIAGNOSTICS, options);
    expect(formatSarif(DIAGNOSTICS, options)).toBe(a);
    expect(formatSarif([...DIAGNOSTICS].reverse(), { ...options, rules: [...RULES].reverse() })).toBe(a);
  });

  it("has the fields SARIF 2.1.0 requires", () => {
    const log = JSON.parse(formatSarif(DIAGNOSTICS, options));
    expect(sarifProblems(log)).toEqual([]);
    expect(sarifProblems(JSON.parse(formatSarif([], options)))).toEqual([]);
  });

  it("lists every registered rule sorted by id, plus ids only findings use", () => {
    const log = JSON.parse(formatSarif(DIAGNOSTICS, options));
    const driver = log.runs[0].tool.driver;
    expect(driver.version).toBe("1.2.3");
    expect(driver.rules.map((r: { id: string }) => r.id)).toEqual([
      "hidden-dependency",
      "non-static",
      "unknown-dependency",
      "unnecessary-serialization",
    ]);
    expect(driver.rules[3]).toEqual({
      id: "unnecessary-serialization",
      shortDescription: { text: "Report dependencies with no data flow" },
      fullDescription: { text: "Report dependencies with no data flow" },
      defaultConfiguration: { level: "note" },
    });
  });

  it("maps a finding to a result", () => {
    const log = JSON.parse(formatSarif(DIAGNOSTICS, options));
    const result = log.runs[0].results[1];
    expect(result).toEqual({
      ruleId: "unknown-dependency",
      ruleIndex: 2,
      level: "error",
      message: { text: DIAGNOSTICS[0]!.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: "deploy.json", uriBaseId: "%SRCROOT%" },
            region: { startLine: 5, startColumn: 55, endLine: 5, endColumn: 62 },
          },
        },
      ],
      partialFingerprints: { "weave/v1": fingerprint(DIAGNOSTICS[0]!) },
    });
    expect(log.runs[0].results.map((r: { level: string }) => r.level)).toEqual(["note", "error", "error", "warning"]);
  });

  it("keeps a fingerprint when the finding moves, and changes it when the finding does", () => {
    const d = DIAGNOSTICS[0]!;
    const moved: Diagnostic = {
      ...d,
      span: { ...d.span, start: { line: 9, column: 1, offset: 200 }, end: { line: 9, column: 5, offset: 204 } },
    };
    expect(fingerprint(moved)).toBe(fingerprint(d));
    expect(fingerprint({ ...d, message: `${d.message}!` })).not.toBe(fingerprint(d));
    expect(fingerprint({ ...d, stepId: "other" })).not.toBe(fingerprint(d));
    expect(fingerprint(d)).toMatch(/^[0-9a-f]{32}$/);
  });

  it.each([
    ["deploy.json", { uri: "deploy.json", uriBaseId: "%SRCROOT%" }],
    ["src\\flows\\a b.ts", { uri: "src/flows/a%20b.ts", uriBaseId: "%SRCROOT%" }],
    ["./x.json", { uri: "x.json", uriBaseId: "%SRCROOT%" }],
    ["/abs/x.json", { uri: "file:///abs/x.json" }],
    ["C:\\w\\x.json", { uri: "file:///C:/w/x.json" }],
  ])("uri of %j", (file, uri) => {
    expect(toUri(file)).toEqual(uri);
  });
});

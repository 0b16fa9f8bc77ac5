// Suppressed findings in every format: json and sarif list them as suppressed with the reason, pretty counts them,
// github leaves them out.
import { describe, expect, it } from "vitest";
import { spanAt, type Diagnostic } from "../../../compiler/diagnostic.js";
import { formatGithub, formatJson, formatPretty, formatSarif } from "../../../compiler/format/index.js";
import { DEPLOY, DIAGNOSTICS, FILES, RULES } from "./sample.js";

const at = (needle: string) => spanAt("deploy.json", DEPLOY, DEPLOY.indexOf(needle), DEPLOY.indexOf(needle) + needle.length);
const SUPPRESSED: Diagnostic = {
  ruleId: "unknown-dependency",
  severity: "error",
  message: 'step "push" depends on "biuld", which does not exist',
  span: at('"biuld"'),
  stepId: "push",
  suppressed: { reason: "biuld is added by the build system", span: at('"push"') },
};
const ALL = [...DIAGNOSTICS, SUPPRESSED];
const options = { files: FILES, color: false, rules: RULES, version: "1.0.0" };

describe("a suppressed finding", () => {
  it("json: listed under suppressed with its reason and where the suppression is; counted apart", () => {
    const out = JSON.parse(formatJson(ALL, options));
    expect(out.diagnostics).toHaveLength(DIAGNOSTICS.length);
    expect(out.suppressed).toEqual([
      {
        ruleId: "unknown-dependency",
        severity: "error",
        message: SUPPRESSED.message,
        file: "deploy.json",
        line: 5,
        column: 55,
        endLine: 5,
        endColumn: 62,
        stepId: "push",
        suppression: { reason: "biuld is added by the build system", file: "deploy.json", line: 5, column: 13 },
      },
    ]);
    expect(out.summary).toEqual({ errors: 2, warnings: 1, infos: 1, files: 3, suppressed: 1 });
  });

  it("sarif: a result with an inSource suppression whose justification is the reason", () => {
    const log = JSON.parse(formatSarif(ALL, options));
    const results = log.runs[0].results as { message: { text: string }; suppressions?: unknown[] }[];
    expect(results).toHaveLength(ALL.length);
    expect(results.filter((r) => r.suppressions)).toEqual([
      expect.objectContaining({
        message: { text: SUPPRESSED.message },
        suppressions: [
          {
            kind: "inSource",
            justification: "biuld is added by the build system",
            location: {
              physicalLocation: {
                artifactLocation: { uri: "deploy.json", uriBaseId: "%SRCROOT%" },
                region: { startLine: 5, startColumn: 13, endLine: 5, endColumn: 19 },
              },
            },
          },
        ],
      }),
    ]);
  });

  it("pretty: not printed, counted in the summary; github: left out", () => {
    const pretty = formatPretty(ALL, options);
    expect(pretty).toBe(formatPretty(DIAGNOSTICS, options).replace(/\n$/, " (1 suppressed)\n"));
    expect(formatPretty([SUPPRESSED], options)).toBe("no problems in 3 files (1 suppressed)\n");
    expect(formatGithub(ALL, options)).toBe(formatGithub(DIAGNOSTICS, options));
  });
});

import { describe, expect, it } from "vitest";
import { spanAt, type Diagnostic } from "../../../compiler/diagnostic.js";
import { codeFrame, formatPretty } from "../../../compiler/format/pretty.js";
import { summaryLine } from "../../../compiler/format/types.js";
import { DIAGNOSTICS, FILES } from "./sample.js";

const noPaint = (_s: unknown, t: string): string => t;
const id = (t: string): string => t;

describe("pretty", () => {
  it("prints each finding sorted, with its code frame, and a summary", () => {
    expect(formatPretty(DIAGNOSTICS, { files: FILES, color: false })).toBe(
      [
        `deploy.json:5:5: info: step "push" waits for "biuld" but reads nothing of it [unnecessary-serialization]`,
        `5 |     { "id": "push", "toolName": "push", "dependsOn": ["biuld"],`,
        `  |     ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~`,
        `deploy.json:5:55: error: step "push" needs step "biuld", which does not exist in workflow "deploy". steps are "build", "push" [unknown-dependency]`,
        `5 |     { "id": "push", "toolName": "push", "dependsOn": ["biuld"],`,
        `  |                                                       ^~~~~~~`,
        `deploy.json:6:33: error: "{{build.image}}" reads step "build", which is not ordered before step "push" [hidden-dependency]`,
        `6 |       "parameters": { "image": "{{build.image}}" } }`,
        `  |                                 ^~~~~~~~~~~~~~~`,
        `src/flow.ts:3:27: warning: tool \`t.fetch\` is 50% unknown: line1`,
        `  line2, and: more [non-static]`,
        `3 | \tconst a = step("a").tool(t.fetch).with({ url: "x" });`,
        `  | \t                         ^~~~~~~`,
        ``,
        `2 errors, 1 warning, 1 info in 3 files`,
        ``,
      ].join("\n"),
    );
  });

  it("colours only when asked", () => {
    expect(formatPretty(DIAGNOSTICS, { files: FILES, color: false })).not.toMatch(/\x1b\[/);
    const coloured = formatPretty(DIAGNOSTICS, { files: FILES, color: true });
    expect(coloured).toMatch(/\x1b\[1;31merror\x1b\[0m/);
    expect(coloured.replace(/\x1b\[[\d;]*m/g, "")).toBe(formatPretty(DIAGNOSTICS, { files: FILES, color: false }));
  });

  it("says when there is nothing", () => {
    expect(formatPretty([], { files: FILES, color: false })).toBe("no problems in 3 files\n");
  });

  it.each([
    [{ errors: 1, warnings: 0, infos: 0, files: 1 }, "1 error in 1 file"],
    [{ errors: 3, warnings: 1, infos: 2, files: 4 }, "3 errors, 1 warning, 2 infos in 4 files"],
    [{ errors: 0, warnings: 2, infos: 1, files: 2 }, "2 warnings, 1 info in 2 files"],
    [{ errors: 0, warnings: 0, infos: 0, files: 0 }, "no problems in 0 files"],
  ])("summary %j", (summary, line) => {
    expect(summaryLine(summary)).toBe(line);
  });

  it.each([
    ["an empty span gets one caret", "abc\n", 1, 1, ["1 | abc", "  |  ^"]],
    ["a span at the end of the text", "abc", 3, 3, ["1 | abc", "  |    ^"]],
    ["a span to the next line underlines to the end of the line", "abc\ndef\n", 1, 6, ["1 | abc", "  |  ^~"]],
    ["CRLF is not shown", "abc\r\ndef", 0, 3, ["1 | abc", "  | ^~~"]],
  ] as const)("frame: %s", (_name, text, start, end, lines) => {
    const d: Diagnostic = { ruleId: "r", severity: "error", message: "m", span: spanAt("f", text, start, end) };
    expect(codeFrame(d, text, noPaint, id)).toEqual(lines);
  });

  it("frames a line number wider than one digit with a matching gutter", () => {
    const text = `${"x\n".repeat(11)}target\n`;
    const d: Diagnostic = { ruleId: "r", severity: "warning", message: "m", span: spanAt("f", text, 22, 28) };
    expect(codeFrame(d, text, noPaint, id)).toEqual(["12 | target", "   | ^~~~~~"]);
  });

  it("prints no frame for a file it has no text of", () => {
    const d: Diagnostic = { ruleId: "r", severity: "error", message: "m", span: spanAt("gone.json", "abc", 0, 1) };
    expect(formatPretty([d], { files: new Map(), color: false })).toBe("gone.json:1:1: error: m [r]\n\n1 error in 0 files\n");
  });
});

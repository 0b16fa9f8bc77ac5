import { describe, expect, it } from "vitest";
import { escapeData, escapeProperty, formatGithub } from "../../../compiler/format/github.js";
import { DIAGNOSTICS, FILES } from "./sample.js";

describe("github", () => {
  it("prints one workflow command per finding, sorted", () => {
    expect(formatGithub(DIAGNOSTICS, { files: FILES, color: false }).split("\n")).toEqual([
      `::notice file=deploy.json,line=5,col=5,endLine=6,endColumn=31,title=unnecessary-serialization::step "push" waits for "biuld" but reads nothing of it`,
      `::error file=deploy.json,line=5,col=55,endLine=5,endColumn=62,title=unknown-dependency::step "push" needs step "biuld", which does not exist in workflow "deploy". steps are "build", "push"`,
      `::error file=deploy.json,line=6,col=33,endLine=6,endColumn=48,title=hidden-dependency::"{{build.image}}" reads step "build", which is not ordered before step "push"`,
      "::warning file=src/flow.ts,line=3,col=27,endLine=3,endColumn=34,title=non-static::tool `t.fetch` is 50%25 unknown: line1%0Aline2, and: more",
      "",
    ]);
  });

  it.each([
    ["plain", "plain", "plain"],
    ["100%", "100%25", "100%25"],
    ["a\r\nb", "a%0D%0Ab", "a%0D%0Ab"],
    ["a:b,c", "a:b,c", "a%3Ab%2Cc"],
    ["%0A", "%250A", "%250A"],
  ])("escapes %j", (text, data, property) => {
    expect(escapeData(text)).toBe(data);
    expect(escapeProperty(text)).toBe(property);
  });

  it("escapes a file name with a comma or colon, and uses forward slashes", () => {
    const [d] = DIAGNOSTICS;
    const span = { ...d!.span, file: "dir\\a,b:c.json" };
    expect(formatGithub([{ ...d!, span }], { files: FILES, color: false })).toMatch(/^::error file=dir\/a%2Cb%3Ac\.json,line=5,/);
  });

  it("prints nothing when clean", () => {
    expect(formatGithub([], { files: FILES, color: false })).toBe("");
  });
});

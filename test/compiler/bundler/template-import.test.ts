// The `?template` query: which specifiers the plugin takes, the workflow they name, and what it says about a bad one.
import { describe, expect, it } from "vitest";
import { parseTemplateQuery, TEMPLATE_IMPORT } from "../../../compiler/bundler/template-import.js";

const USAGE = 'write "./file.ts?template" (its only workflow) or "./file.ts?workflow=<name>&template"';

describe("TEMPLATE_IMPORT", () => {
  it.each([
    ["./deploy.ts?template", true],
    ["./deploy.ts?workflow=deploy&template", true],
    ["./deploy.ts?template=deploy", true],
    ["./deploy.ts?template&workflow=deploy", true],
    ["../x/deploy.js?template", true],
    ["./deploy.ts", false],
    ["./template.ts", false],
    ["./deploy.ts?templates", false],
    ["./deploy.ts?raw&templated", false],
    ["./deploy.ts?x=template", false],
  ])("%s: %s", (specifier, taken) => {
    expect(TEMPLATE_IMPORT.test(specifier)).toBe(taken);
  });
});

describe("parseTemplateQuery", () => {
  it.each([
    ["./deploy.ts?template", { path: "./deploy.ts", suffix: "?template" }],
    [
      "./pipelines.ts?workflow=deploy_to_staging&template",
      { path: "./pipelines.ts", workflow: "deploy_to_staging", suffix: "?workflow=deploy_to_staging&template" },
    ],
    // the same module, however it is spelt
    ["./pipelines.ts?template=deploy", { path: "./pipelines.ts", workflow: "deploy", suffix: "?workflow=deploy&template" }],
    ["./pipelines.ts?template&workflow=deploy", { path: "./pipelines.ts", workflow: "deploy", suffix: "?workflow=deploy&template" }],
    ["./pipelines.ts?workflow=a%20b&template", { path: "./pipelines.ts", workflow: "a b", suffix: "?workflow=a%20b&template" }],
    ["?template", { path: "", suffix: "?template" }],
  ])("%s", (specifier, expected) => {
    expect(parseTemplateQuery(specifier)).toEqual(expected);
  });

  it.each([
    ["./d.ts?workflow=a", `"./d.ts?workflow=a" has no "template" in its query. ${USAGE}`],
    ["./d.ts?template&raw", `"./d.ts?template&raw": unexpected "raw" in a ?template query. ${USAGE}`],
    ["./d.ts?template&template", `"./d.ts?template&template": unexpected "template" in a ?template query. ${USAGE}`],
    ["./d.ts?template=a&workflow=b", `"./d.ts?template=a&workflow=b" names two workflows, "b" and "a". ${USAGE}`],
    ["./d.ts?workflow=&template", `"./d.ts?workflow=&template": "workflow=" names no workflow. ${USAGE}`],
  ])("%s: an error", (specifier, error) => {
    expect(parseTemplateQuery(specifier)).toEqual({ error });
  });
});

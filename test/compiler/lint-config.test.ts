/**
 * Per-project rule settings (DESIGN §7, issue 13): weave.config.json sets each rule's severity or turns it off, found
 * from the cwd up or named; every mistake in it is a located usage error. Through the real compiler API.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { lint } from "../../compiler/api.js";
import { ConfigError, findConfigFile, parseLintConfig, RULE_SETTINGS } from "../../compiler/lint-config.js";
import { useLintFiles } from "./lint-files.js";

const { lintFiles, writeFiles } = useLintFiles("weave-lint-config-");

/** The guide's anti-pattern (an unnecessary-serialization info) and a step reading another only transitively (an implicit-dependency warning). */
const TEMPLATE = `{
  "name": "tests",
  "steps": [
    { "id": "test_unit", "toolName": "run_tests" },
    { "id": "test_integration", "toolName": "run_tests", "dependsOn": ["test_unit"] },
    { "id": "test_e2e", "toolName": "run_tests", "dependsOn": ["test_integration"] },
    { "id": "report", "toolName": "report", "parameters": { "e2e": "{{test_e2e.summary}}", "unit": "{{test_unit.summary}}" }, "dependsOn": ["test_e2e"] }
  ]
}
`;

const config = (rules: Record<string, unknown>): string => JSON.stringify({ lint: { rules } }, null, 2);
const found = async (files: Record<string, string>, options = {}) =>
  (await lintFiles({ "tests.workflow.json": TEMPLATE, ...files }, options)).map((d) => `${d.ruleId} ${d.severity}`);

describe("weave.config.json: each rule's severity or off", () => {
  it.each([
    ["no config: each rule's own severity", {}, ["unnecessary-serialization info", "implicit-dependency warning"]],
    ["off", { "unnecessary-serialization": "off" }, ["implicit-dependency warning"]],
    ["info", { "implicit-dependency": "info" }, ["unnecessary-serialization info", "implicit-dependency info"]],
    ["warning", { "unnecessary-serialization": "warning" }, ["unnecessary-serialization warning", "implicit-dependency warning"]],
    [
      "error",
      { "unnecessary-serialization": "error", "implicit-dependency": "error" },
      ["unnecessary-serialization error", "implicit-dependency error"],
    ],
    ["both off", { "unnecessary-serialization": "off", "implicit-dependency": "off" }, []],
  ] as const)("%s", async (_name, rules, expected) => {
    const files: Record<string, string> = Object.keys(rules).length > 0 ? { "weave.config.json": config(rules) } : {};
    expect(await found(files)).toEqual(expected);
  });

  it("is found in a directory above the cwd; the lint option rules win over it", async () => {
    const dir = writeFiles({ "weave.config.json": config({ "unnecessary-serialization": "error" }), "sub/tests.workflow.json": TEMPLATE });
    const result = await lint({ cwd: path.join(dir, "sub"), paths: ["."] });
    expect(result.config).toBe(path.join(dir, "weave.config.json"));
    expect(result.diagnostics.map((d) => `${d.ruleId} ${d.severity}`)).toEqual([
      "unnecessary-serialization error",
      "implicit-dependency warning",
    ]);
    const overridden = await lint({ cwd: path.join(dir, "sub"), paths: ["."], rules: { "unnecessary-serialization": "off" } });
    expect(overridden.diagnostics.map((d) => d.ruleId)).toEqual(["implicit-dependency"]);
    expect(findConfigFile(path.join(dir, "sub"))).toBe(path.join(dir, "weave.config.json"));
  });

  it("config: a file by name (relative to the cwd), or false for none", async () => {
    const dir = writeFiles({
      "weave.config.json": config({ "implicit-dependency": "off" }),
      "ci/strict.json": config({ "implicit-dependency": "error" }),
      "tests.workflow.json": TEMPLATE,
    });
    const severities = async (options: object) =>
      (await lint({ cwd: dir, paths: ["tests.workflow.json"], ...options })).diagnostics.map((d) => `${d.ruleId} ${d.severity}`);
    expect(await severities({})).toEqual(["unnecessary-serialization info"]);
    expect(await severities({ config: "ci/strict.json" })).toEqual(["unnecessary-serialization info", "implicit-dependency error"]);
    expect(await severities({ config: false })).toEqual(["unnecessary-serialization info", "implicit-dependency warning"]);
  });

  it("applies to findings made outside the rules engine too (a JSON syntax error, a DSL value that is not static)", async () => {
    expect(
      (await lintFiles({ "broken.workflow.json": "{", "weave.config.json": config({ "invalid-template": "warning" }) })).map(
        (d) => `${d.ruleId} ${d.severity}`,
      ),
    ).toEqual(["invalid-template warning"]);
  });

  it("lists every setting", () => {
    expect(RULE_SETTINGS).toEqual(["off", "info", "warning", "error"]);
  });
});

describe("a config with mistakes: every one, located (file:line:col), with what is allowed", () => {
  const RULES = '"condition-scope", "cycle"';
  it.each([
    [
      "an unknown rule id, a near one suggested",
      '{ "lint": { "rules": { "unnecesary-serialization": "off" } } }',
      [
        `w.json:1:24: unknown rule "unnecesary-serialization" in "lint.rules". did you mean "unnecessary-serialization"? rules are ${RULES}`,
      ],
    ],
    [
      "an unknown rule id, nothing near",
      '{ "lint": { "rules": { "no-such-thing": "off" } } }',
      [`w.json:1:24: unknown rule "no-such-thing" in "lint.rules". rules are ${RULES}`],
    ],
    [
      "eslint's severities",
      '{ "lint": { "rules": { "cycle": "warn", "unknown-tool": 0 } } }',
      [
        'w.json:1:33: "lint.rules.cycle" is "warn". did you mean "warning"? expecting "off", "info", "warning", "error"',
        'w.json:1:57: "lint.rules.unknown-tool" is 0. did you mean "off"? expecting "off", "info", "warning", "error"',
      ],
    ],
    [
      "a setting that is no severity",
      '{ "lint": { "rules": { "cycle": "loud" } } }',
      ['w.json:1:33: "lint.rules.cycle" is "loud". expecting "off", "info", "warning", "error"'],
    ],
    [
      "unknown keys, in file order",
      '{\n  "lnt": {},\n  "lint": { "rule": {} }\n}',
      [
        'w.json:2:3: unknown key "lnt" in w.json. did you mean "lint"? allowed keys are "$schema", "lint"',
        'w.json:3:13: unknown key "rule" in "lint". did you mean "rules"? allowed keys are "rules"',
      ],
    ],
    ["rules that are not an object", '{ "lint": { "rules": ["cycle"] } }', ['w.json:1:22: "lint.rules" must be an object, not an array']],
    [
      "invalid JSON",
      '{ "lint": { "rules": { "cycle": "off", } } }',
      [
        'w.json:1:40: invalid JSON: unexpected "}" after ",". trailing commas are not allowed. a config file is a JSON object such as { "lint": { "rules": { "unnecessary-serialization": "off" } } }',
      ],
    ],
  ])("%s", (_name, text, problems) => {
    let error: unknown;
    try {
      parseLintConfig("w.json", text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    // the list of rules is long: compare its start
    expect((error as ConfigError).problems.map((p) => p.replace(/(rules are "condition-scope", "cycle").*/, "$1"))).toEqual(problems);
  });

  it("comments are allowed, an empty file is no settings", () => {
    expect(parseLintConfig("w.json", '{\n  // too noisy for us\n  "lint": { "rules": { "cycle": "warning" } }\n}')).toEqual({
      cycle: "warning",
    });
    expect(parseLintConfig("w.json", "")).toEqual({});
  });

  it("lint() rejects a bad config file and a bad rules option, naming them", async () => {
    const dir = writeFiles({ "weave.config.json": config({ cycle: "warn" }), "tests.workflow.json": TEMPLATE });
    await expect(lint({ cwd: dir })).rejects.toThrow('weave.config.json:4:16: "lint.rules.cycle" is "warn". did you mean "warning"?');
    await expect(lint({ cwd: dir, config: "missing.json" })).rejects.toThrow("missing.json: cannot read the config file: no such file");
    await expect(lint({ cwd: dir, config: false, rules: { cycles: "off" } })).rejects.toThrow(
      'rules["cycles"]: unknown rule "cycles" in rules. did you mean "cycle"?',
    );
    await expect(lint({ cwd: dir, config: false, rules: { cycle: "loud" as "off" } })).rejects.toThrow(
      'rules["cycle"] is "loud". expecting "off", "info", "warning", "error"',
    );
  });

  it("a config directory is not a config file", async () => {
    const dir = writeFiles({ "tests.workflow.json": TEMPLATE });
    mkdirSync(path.join(dir, "conf"));
    writeFileSync(path.join(dir, "conf", "x"), "");
    await expect(lint({ cwd: dir, config: "conf" })).rejects.toThrow(
      "conf: cannot read the config file: it is a directory. name a weave.config.json file",
    );
  });
});

import { describe, expect, it } from "vitest";
import { UserError } from "../../src/cli/errors.js";
import { mergeVars, parseVarAssignment } from "../../src/cli/parse-vars.js";

describe("parseVarAssignment", () => {
  it.each([
    ["replicas=3", "replicas", 3],
    ["ratio=0.5", "ratio", 0.5],
    ["flags=[1,2]", "flags", [1, 2]],
    ['config={"a":{"b":true}}', "config", { a: { b: true } }],
    ["on=true", "on", true],
    ["nothing=null", "nothing", null],
    ['quoted="3"', "quoted", "3"],
    ["env=prod", "env", "prod"],
    ["greeting=hello world", "greeting", "hello world"],
    ["empty=", "empty", ""],
    ["url=https://x.test/?a=b", "url", "https://x.test/?a=b"],
    ["expr=a==b", "expr", "a==b"],
    ["broken=[1,", "broken", "[1,"],
  ])("%s", (text, name, value) => {
    expect(parseVarAssignment(text)).toEqual([name, value]);
  });

  it.each([
    ["replicas", 'invalid --var "replicas": it has no "=". expecting name=value'],
    ["=3", 'invalid --var "=3": the name is empty. expecting name=value'],
  ])("rejects %s", (text, message) => {
    expect(() => parseVarAssignment(text)).toThrow(UserError);
    expect(() => parseVarAssignment(text)).toThrow(message);
  });
});

describe("mergeVars", () => {
  it("lets --var override the file, and later --var override earlier ones", () => {
    expect(mergeVars({ env: "staging", replicas: 1 }, [["replicas", 3], ["env", "prod"], ["replicas", 5]])).toEqual({ env: "prod", replicas: 5 });
  });

  it("keeps a variable named __proto__ as a variable", () => {
    const vars = mergeVars({}, [["__proto__", { polluted: true }]]);
    expect(Object.prototype.hasOwnProperty.call(vars, "__proto__")).toBe(true);
    expect((vars as { polluted?: unknown }).polluted).toBeUndefined();
  });
});

import { describe, it, expect } from "vitest";
import { ConditionEvaluationError, evaluateCondition, parseCondition } from "../../../src/condition/index.js";
import { lookupPath } from "../../../src/placeholder/path.js";
import type { Reference } from "../../../src/placeholder/path.js";

const VALUES: Record<string, unknown> = {
  build: { success: false, error: "boom" },
  replicas: 3,
  env: "prod",
  items: [{ id: 7 }],
  nothing: null,
  empty: { list: [], object: {}, text: "", zero: 0 },
  config: { region: "eu", tags: ["a", "b"] },
};

class UnknownReference extends Error {}

/** Resolves against VALUES and records what it was asked for; unknown roots throw, as a real resolver would. */
function resolver(values: Record<string, unknown> = VALUES) {
  const calls: string[] = [];
  const resolve = (ref: Reference): unknown => {
    calls.push(ref.text);
    if (!Object.hasOwn(values, ref.root)) throw new UnknownReference(`unknown reference {{${ref.text}}}`);
    const found = lookupPath(values[ref.root], ref.path);
    if (!found.found) throw new UnknownReference(`{{${ref.text}}}: ${found.reason}`);
    return found.value;
  };
  return { resolve, calls };
}

const run = (source: string, values?: Record<string, unknown>): boolean =>
  evaluateCondition(parseCondition(source), resolver(values).resolve);

describe("evaluateCondition", () => {
  it.each([
    ["{{build.success}} == False", true],
    ["{{build.success}} == True", false],
    ["{{build.success}} == false", true],
    ["{{build.success}}", false],
    ["not {{build.success}}", true],
    ["!{{build.success}}", true],
    ["{{replicas}} >= 3 and {{env}} == 'prod'", true],
    ["{{replicas}} > 3 and {{env}} == 'prod'", false],
    ['({{replicas}} > 5) || {{env}} != "dev"', true],
    ['({{replicas}} > 5) || {{env}} != "prod"', false],
    ["{{items[0].id}} == 7", true],
    ["{{items[0].id}} != 7", false],
    ["'{{env}}-eu' == 'prod-eu'", true],
    ["'{{env}}-{{config.region}}' == 'prod-eu'", true],
    ["'{{replicas}}/{{build.success}}/{{nothing}}' == '3/false/null'", true],
    ["'{{items}}' == '[{\"id\":7}]'", true],
    ['\'{{config}}\' == \'{"region":"eu","tags":["a","b"]}\'', true],
    ["{{build.error}}", true],
    ["{{env}}", true],
    ["{{nothing}} == null", true],
    ["{{nothing}} == None", true],
    ["{{nothing}} != None", false],
    ["None == null", true],
    ["{{nothing}} == false", false],
    ["{{nothing}}", false],
    ["{{empty.list}}", false],
    ["{{empty.object}}", false],
    ["{{empty.text}}", false],
    ["{{empty.zero}}", false],
    ["{{items}}", true],
    ["{{config}}", true],
    ["'0'", true],
    ["0", false],
    ["-0.0", false],
    ["''", false],
    ["3 == '3'", false],
    ["1 == true", false],
    ["0 == false", false],
    ["'' == null", false],
    ["{{replicas}} == 3.0", true],
    ["1e3 == 1000", true],
    ["{{items}} == {{items}}", true],
    ["{{config.tags}} == {{config.tags}}", true],
    ["{{config.tags}} == {{items}}", false],
    ["{{empty.list}} == {{empty.object}}", false],
    ["'a' < 'b'", true],
    ["'B' < 'a'", true],
    ["'abc' <= 'abc'", true],
    ["'abd' > 'abc'", true],
    ["'10' < '9'", true],
    ["10 < 9", false],
    ["-2.5 <= -2.5", true],
    ["{{replicas}} > 2.99", true],
    ["{{replicas}} < 3", false],
    ["not {{replicas}} == 3", false],
    ["not ({{replicas}} == 4) and {{env}} == 'prod'", true],
    ["true and false or true", true],
    ["true and (false or false)", false],
    ["not not {{env}}", true],
    ["{{env}} and {{replicas}}", true],
    ["{{env}} and {{nothing}}", false],
  ])("%j → %s", (source, expected) => {
    expect(run(source)).toBe(expected);
  });

  it.each([
    ["false and {{missing}}", false, []],
    ["False && {{missing.x}} == 1", false, []],
    ["true or {{missing}}", true, []],
    ["{{env}} || {{missing}}", true, ["env"]],
    ["{{build.success}} and {{missing}} < 3", false, ["build.success"]],
    ["{{env}} == 'dev' and {{missing}}", false, ["env"]],
    ["not {{env}} and {{missing}}", false, ["env"]],
    ["{{nothing}} and {{missing}} or {{replicas}} == 3", true, ["nothing", "replicas"]],
  ])("%j short-circuits to %s, resolving only %j", (source, expected, resolved) => {
    const { resolve, calls } = resolver();
    expect(evaluateCondition(parseCondition(source), resolve)).toBe(expected);
    expect(calls).toEqual(resolved);
  });

  it("lets the resolver's own error propagate untouched", () => {
    const compiled = parseCondition("true and {{missing.x}} == 1");
    const { resolve } = resolver();
    expect(() => evaluateCondition(compiled, resolve)).toThrow(UnknownReference);
    expect(() => evaluateCondition(compiled, resolve)).toThrow("unknown reference {{missing.x}}");
  });

  it("evaluates the same compiled condition repeatedly against changing values", () => {
    const compiled = parseCondition("{{replicas}} >= 3");
    expect(evaluateCondition(compiled, resolver({ replicas: 3 }).resolve)).toBe(true);
    expect(evaluateCondition(compiled, resolver({ replicas: 2 }).resolve)).toBe(false);
    expect(evaluateCondition(compiled, resolver({ replicas: 30 }).resolve)).toBe(true);
  });
});

describe("evaluateCondition: errors", () => {
  it.each([
    ["{{replicas}} < '3'", "cannot compare a number with a string using \"<\" in {{replicas}} < '3'"],
    ["{{env}} < 3", 'cannot compare a string with a number using "<" in {{env}} < 3'],
    ["true and ({{env}} >= {{replicas}})", 'cannot compare a string with a number using ">=" in ({{env}} >= {{replicas}})'],
    ["{{nothing}} > 1", 'cannot compare null with a number using ">"'],
    ["{{items}} <= {{items}}", 'cannot compare an array with an array using "<="'],
    ["{{config}} < 'x'", 'cannot compare an object with a string using "<"'],
    ["{{build.success}} < true", 'cannot compare a boolean with a boolean using "<" in {{build.success}} < true'],
  ])("%j throws %j", (source, message) => {
    const compiled = parseCondition(source);
    const { resolve } = resolver();
    expect(() => evaluateCondition(compiled, resolve)).toThrow(ConditionEvaluationError);
    expect(() => evaluateCondition(compiled, resolve)).toThrow(message);
  });

  it("does not raise comparison errors on a side that is short-circuited away", () => {
    expect(run("false and {{env}} < 3")).toBe(false);
    expect(run("true or {{env}} < 3")).toBe(true);
  });

  it("reports values that cannot be rendered into a string", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const compiled = parseCondition("'{{x}}' == 'y'");
    expect(() => evaluateCondition(compiled, () => cyclic)).toThrow(ConditionEvaluationError);
    expect(() => evaluateCondition(compiled, () => cyclic)).toThrow("cannot render {{x}} as text in '{{x}}'");
  });
});

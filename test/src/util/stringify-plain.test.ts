// stringifyPlain (src/util/safe-json.ts): JSON.stringify without recursion, for renderText's deep values (issue 12).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringifyPlain } from "../../../src/util/safe-json.js";

describe("stringifyPlain", () => {
  it("writes what JSON.stringify writes, for any JSON value", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(stringifyPlain(value)).toBe(JSON.stringify(value));
      }),
      { numRuns: 300, seed: 12 },
    );
  });

  it("keeps an own __proto__ key, empty containers, and writes non-finite numbers as null", () => {
    const withProto = JSON.parse('{"__proto__":{"a":1},"b":[[],{}]}') as unknown;
    expect(stringifyPlain(withProto)).toBe('{"__proto__":{"a":1},"b":[[],{}]}');
    expect(stringifyPlain([Number.NaN, Infinity, -0])).toBe("[null,null,0]");
  });

  it("writes 100,000 levels", () => {
    let value: unknown = "end";
    for (let i = 0; i < 100_000; i++) value = { k: [value] };
    expect(stringifyPlain(value)).toBe(`${'{"k":['.repeat(100_000)}"end"${"]}".repeat(100_000)}`);
  });
});

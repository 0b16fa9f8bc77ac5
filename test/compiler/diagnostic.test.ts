import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { positionAt, positionFinder } from "../../compiler/diagnostic.js";

describe("positions", () => {
  it("positionFinder agrees with positionAt on every offset of any text", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("a", "b", "\n", "\r", " "), maxLength: 200 }), (text) => {
        const find = positionFinder(text);
        for (let offset = 0; offset <= text.length; offset++) expect(find(offset)).toEqual(positionAt(text, offset));
      }),
    );
  });

  it("counts lines and columns from 1", () => {
    expect(positionFinder("ab\ncd\n")(4)).toEqual({ line: 2, column: 2, offset: 4 });
    expect(positionFinder("")(0)).toEqual({ line: 1, column: 1, offset: 0 });
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { describeJsonError, findJsonErrorOffset, lineColumn, locateJsonError } from "../../../src/util/json-location.js";

function parseError(text: string): Error {
  try {
    JSON.parse(text);
  } catch (error) {
    return error as Error;
  }
  throw new Error(`valid JSON: ${text}`);
}

describe("locateJsonError", () => {
  it.each([
    // text, line, column, message
    ['{\n  "a": 1,\n}', 3, 1, "expected double-quoted property name"],
    ['{\n  "a": }', 2, 8, "unexpected token '}'"],
    ['{\n  "a": tru\n}', 2, 11, "unexpected token '\\n'"],
    ["[1, 2", 1, 6, "expected ',' or ']' after array element"],
    ["", 1, 1, "unexpected end of JSON input"],
    ['{"a": 1}\n\nx', 3, 1, "unexpected non-whitespace character after JSON"],
    ['{\r\n  "a": "b\n"}', 2, 10, "bad control character in string literal"],
  ])("%j is at %i:%i", (text, line, column, message) => {
    const at = locateJsonError(text, parseError(text));
    expect({ line: at.line, column: at.column, message: at.message }).toEqual({ line, column, message });
  });
});

describe("describeJsonError", () => {
  it("drops the position and the echo of the input", () => {
    expect(describeJsonError("Expected ':' after property name in JSON at position 5 (line 1 column 6)")).toBe(
      "expected ':' after property name",
    );
    expect(describeJsonError("Unexpected token 'x', \"xyz\" is not valid JSON")).toBe("unexpected token 'x'");
  });
});

describe("lineColumn", () => {
  it("counts 1-based lines and columns", () => {
    expect(lineColumn("ab\ncd", 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumn("ab\ncd", 2)).toEqual({ line: 1, column: 3 });
    expect(lineColumn("ab\ncd", 4)).toEqual({ line: 2, column: 2 });
    expect(lineColumn("ab\ncd", 5)).toEqual({ line: 2, column: 3 });
  });
});

describe("findJsonErrorOffset", () => {
  it.each([
    ['{"a": }', 6],
    ["[1,]", 3],
    ["[tru]", 4],
    ["nul", 3],
    ["xyz", 0],
    ['"\\u12G4"', 5],
    ["-", 1],
    ["[01]", 2],
  ])("%j fails at %i", (text, offset) => {
    expect(findJsonErrorOffset(text)).toBe(offset);
  });

  it("accepts every valid JSON text", () => {
    fc.assert(fc.property(fc.json(), (text) => findJsonErrorOffset(text) === -1));
  });

  it("agrees with V8 wherever V8 reports a position", () => {
    const mutated = fc
      .tuple(fc.json(), fc.nat(), fc.constantFrom("delete", "insert", "replace"), fc.constantFrom(...'{}[]",:0-.eE tnfu\\\nx'))
      .map(([text, at, how, c]) => {
        const i = at % (text.length + 1);
        if (how === "delete") return text.slice(0, i) + text.slice(i + 1);
        if (how === "insert") return text.slice(0, i) + c + text.slice(i);
        return text.slice(0, i) + c + text.slice(i + 1);
      });
    fc.assert(
      fc.property(mutated, (text) => {
        let message: string;
        try {
          JSON.parse(text);
          return findJsonErrorOffset(text) === -1;
        } catch (error) {
          message = (error as Error).message;
        }
        const position = /at position (\d+)/.exec(message);
        const offset = findJsonErrorOffset(text);
        if (position) expect(offset, `${JSON.stringify(text)}: ${message}`).toBe(Number(position[1]));
        else expect(offset).toBeGreaterThanOrEqual(0);
        return true;
      }),
      { numRuns: 2000 },
    );
  });
});

import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { parseCondition } from "../../../src/condition/index.js";
import type { ComparisonOperator, LiteralValue } from "../../../src/condition/ast.js";
import {
  literalProblem,
  printComparison,
  printFinished,
  printLiteral,
  printLogical,
  printNot,
  printOutcome,
  printPlaceholder,
} from "../../../src/condition/print.js";
import { parseText } from "../../../src/placeholder/placeholders.js";
import { FORBIDDEN_SEGMENTS, type PathSegment } from "../../../src/placeholder/path.js";

const literal: fc.Arbitrary<LiteralValue> = fc.oneof(
  fc.string().filter((s) => !s.includes("{{")),
  fc.string({ unit: "binary" }).filter((s) => !s.includes("{{")),
  fc.constantFrom("", "'", '"', "\\", "\\'", "\n", "\t", "\r", "a\\nb", "{", "}}", "{'{", "{\\", "x{"),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
);

const name = fc
  .tuple(fc.constantFrom(..."abzAZ_$"), fc.array(fc.constantFrom(..."az09_$-AZ"), { maxLength: 6 }))
  .map(([h, t]) => h + t.join(""))
  .filter((n) => !FORBIDDEN_SEGMENTS.has(n));
const segment: fc.Arbitrary<PathSegment> = fc.oneof(name, fc.nat());
const reference = fc.record({ root: name, path: fc.array(segment, { maxLength: 4 }) });
const operator = fc.constantFrom<ComparisonOperator>("==", "!=", "<", "<=", ">", ">=");

/** The value a printed literal reads back as: `-0` prints as `0`. */
const expected = (v: LiteralValue): LiteralValue => (Object.is(v, -0) ? 0 : v);

describe("printLiteral", () => {
  it("prints what the condition parser reads back as the same value", () => {
    fc.assert(
      fc.property(literal, (v) => {
        const { ast } = parseCondition(printLiteral(v));
        expect(ast).toMatchObject({ kind: "literal" });
        expect(ast.kind === "literal" && ast.value).toStrictEqual(expected(v));
      }),
    );
  });

  it("escapes backslashes, quotes, newlines and tabs", () => {
    expect(printLiteral("it's a\\b\n\t")).toBe("'it\\'s a\\\\b\\n\\t'");
    expect(printLiteral(3)).toBe("3");
    expect(printLiteral(-0)).toBe("0");
    expect(printLiteral(false)).toBe("false");
    expect(printLiteral(null)).toBe("null");
  });

  it("refuses what no literal can say", () => {
    expect(literalProblem("a {{b}}")).toBe('a condition literal cannot contain "{{"');
    expect(() => printLiteral("{{x}}")).toThrow(TypeError);
    expect(() => printLiteral(Number.POSITIVE_INFINITY)).toThrow(/finite/);
    expect(() => printLiteral(Number.NaN)).toThrow(/finite/);
  });
});

describe("printPlaceholder", () => {
  it("prints what a condition and a template string read back as the same reference", () => {
    fc.assert(
      fc.property(reference, ({ root, path }) => {
        const text = printPlaceholder(root, path);
        expect(parseCondition(text).references).toEqual([expect.objectContaining({ root, path })]);
        expect(parseText(text)).toEqual([expect.objectContaining({ root, path })]);
      }),
    );
  });

  it("writes indexes in brackets and fields after dots", () => {
    expect(printPlaceholder("build", ["items", 0, "id"])).toBe("{{build.items[0].id}}");
    expect(printPlaceholder("image")).toBe("{{image}}");
  });
});

describe("printed conditions", () => {
  it("a comparison of a reference and a literal parses back to both", () => {
    fc.assert(
      fc.property(reference, operator, literal, ({ root, path }, op, v) => {
        const { ast } = parseCondition(printComparison(printPlaceholder(root, path), op, printLiteral(v)));
        expect(ast).toMatchObject({ kind: "comparison", op, left: { kind: "reference", ref: { root, path } }, right: { kind: "literal" } });
        expect(ast.kind === "comparison" && ast.right.kind === "literal" && ast.right.value).toStrictEqual(expected(v));
      }),
    );
  });

  it("and, or, not, outcomes and finished read as they are written", () => {
    const a = printOutcome("build", false);
    const b = printFinished(["test", "lint"]);
    expect(a).toBe("{{build.success}} == false");
    expect(b).toBe("{{test.success}} != null and {{lint.success}} != null");
    const source = printNot(printLogical("or", [a, b]));
    expect(source).toBe("not (({{build.success}} == false) or ({{test.success}} != null and {{lint.success}} != null))");
    const { ast, references } = parseCondition(source);
    expect(ast).toMatchObject({
      kind: "not",
      operand: { kind: "logical", op: "or", operands: [{ kind: "comparison" }, { kind: "logical", op: "and" }] },
    });
    expect(references.map((r) => r.root)).toEqual(["build", "test", "lint"]);
  });
});

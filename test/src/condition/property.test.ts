import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { ConditionEvaluationError, ConditionSyntaxError, evaluateCondition, parseCondition } from "../../../src/condition/index.js";
import type { Reference } from "../../../src/placeholder/path.js";

const TOKENS = [
  "{{a}}",
  "{{b.c}}",
  "==",
  "!=",
  "<",
  "<=",
  ">",
  ">=",
  "and",
  "or",
  "not",
  "(",
  ")",
  "'x'",
  "1",
  "-2.5",
  "True",
  "None",
  " ",
  "!",
  "&&",
  "||",
  "{{",
  "}}",
  "'",
  '"',
  "\\",
  "=",
  "foo",
  "'{{a}}-'",
  "{{a[0]}}",
  "{{a.__proto__}}",
  "{{}}",
  "1e3",
  ".",
];

const tokenSoup = (separator: string) => fc.array(fc.constantFrom(...TOKENS), { maxLength: 16 }).map((tokens) => tokens.join(separator));

const anySource = fc.oneof(fc.string(), fc.string({ unit: "binary" }), tokenSoup(""), tokenSoup(" "));

/** Reference texts the generated expressions may use, with the value each one resolves to. */
const ENV: Readonly<Record<string, unknown>> = {
  n: 3,
  m: -1.5,
  s: "prod",
  empty: "",
  yes: true,
  no: false,
  nil: null,
  "list[1]": "x",
  list: [1, "x"],
  obj: { k: [true], j: 0 },
  "obj.j": 0,
  blank: {},
  hollow: [],
  "deploy-us.items[0].id": 7,
};
const REF_NAMES = Object.keys(ENV);

type Op = "==" | "!=" | "<" | "<=" | ">" | ">=";
type Part = { readonly text: string } | { readonly ref: string };
type Expr =
  | { readonly t: "lit"; readonly value: null | boolean | number | string; readonly text: string }
  | { readonly t: "ref"; readonly name: string; readonly pad: boolean }
  | { readonly t: "interp"; readonly quote: string; readonly parts: readonly Part[] }
  | { readonly t: "not"; readonly spelling: string; readonly e: Expr }
  | { readonly t: "and" | "or"; readonly spelling: string; readonly l: Expr; readonly r: Expr }
  | { readonly t: "cmp"; readonly op: Op; readonly l: Expr; readonly r: Expr };

const ESCAPED: Readonly<Record<string, string>> = { "\n": "\\n", "\t": "\\t", "\\": "\\\\" };
const escapeText = (text: string, quote: string): string => text.replace(/[\\'"\n\t]/g, (c) => ESCAPED[c] ?? (c === quote ? `\\${c}` : c));

const literal: fc.Arbitrary<Expr> = fc.oneof(
  fc
    .constantFrom(["true", true], ["True", true], ["false", false], ["False", false], ["null", null], ["None", null])
    .map(([text, value]): Expr => ({ t: "lit", value, text })),
  fc.integer({ min: -1000, max: 1000 }).map((n): Expr => ({ t: "lit", value: n, text: String(n) })),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n): Expr => ({ t: "lit", value: n, text: String(n) })),
  fc
    .tuple(
      fc.string().filter((s) => !s.includes("{{")),
      fc.constantFrom("'", '"'),
    )
    .map(([s, q]): Expr => ({ t: "lit", value: s, text: `${q}${escapeText(s, q)}${q}` })),
);

const reference: fc.Arbitrary<Expr> = fc
  .tuple(fc.constantFrom(...REF_NAMES), fc.boolean())
  .map(([name, pad]): Expr => ({ t: "ref", name, pad }));

const interpolation: fc.Arbitrary<Expr> = fc
  .tuple(
    fc.array(
      fc.oneof(
        // no "{" at all: a text part ending in "{" would merge with the next placeholder's "{{"
        fc
          .string()
          .filter((s) => !s.includes("{"))
          .map((text): Part => ({ text })),
        fc.constantFrom(...REF_NAMES).map((ref): Part => ({ ref })),
      ),
      { minLength: 1, maxLength: 4 },
    ),
    fc.constantFrom("'", '"'),
  )
  .map(([parts, quote]): Expr => ({ t: "interp", quote, parts }));

const { expr } = fc.letrec<{ expr: Expr }>((tie) => ({
  expr: fc.oneof(
    { maxDepth: 5, depthIdentifier: "expr" },
    literal,
    reference,
    interpolation,
    fc.tuple(fc.constantFrom("not ", "!"), tie("expr")).map(([spelling, e]): Expr => ({ t: "not", spelling, e })),
    fc
      .tuple(fc.constantFrom(["and", "and"], ["and", "&&"], ["or", "or"], ["or", "||"]), tie("expr"), tie("expr"))
      .map(([[t, spelling], l, r]): Expr => ({ t: t as "and" | "or", spelling, l, r })),
    fc
      .tuple(fc.constantFrom<Op>("==", "!=", "<", "<=", ">", ">="), tie("expr"), tie("expr"))
      .map(([op, l, r]): Expr => ({ t: "cmp", op, l, r })),
  ),
}));

/** Prints with every compound expression parenthesised; `refs` collects placeholders in source order. */
function print(e: Expr, refs: string[]): string {
  switch (e.t) {
    case "lit":
      return e.text;
    case "ref":
      refs.push(e.name);
      return e.pad ? `{{ ${e.name} }}` : `{{${e.name}}}`;
    case "interp": {
      let body = "";
      for (const p of e.parts) {
        if ("text" in p) body += escapeText(p.text, e.quote);
        else {
          refs.push(p.ref);
          body += `{{${p.ref}}}`;
        }
      }
      return `${e.quote}${body}${e.quote}`;
    }
    case "not":
      return `(${e.spelling}${print(e.e, refs)})`;
    case "and":
    case "or":
    case "cmp": {
      const left = print(e.l, refs);
      return `(${left} ${e.t === "cmp" ? e.op : e.spelling} ${print(e.r, refs)})`;
    }
  }
}

class ReferenceCompareError extends Error {}

/** Independent reference semantics, written over the generated structure rather than the parser's tree. */
function truthy(v: unknown): boolean {
  if (v === null || v === undefined) return false;
  if (typeof v === "object") return Object.keys(v).length > 0;
  if (typeof v === "number") return v !== 0 && !Number.isNaN(v);
  return typeof v === "string" ? v.length > 0 : v === true;
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v);
}

const asText = (v: unknown): string => (typeof v === "string" ? v : v !== null && typeof v === "object" ? JSON.stringify(v) : String(v));

function referenceValue(e: Expr, calls: string[]): unknown {
  switch (e.t) {
    case "lit":
      return e.value;
    case "ref":
      calls.push(e.name);
      return ENV[e.name];
    case "interp":
      return e.parts.map((p) => ("text" in p ? p.text : (calls.push(p.ref), asText(ENV[p.ref])))).join("");
    case "not":
      return !truthy(referenceValue(e.e, calls));
    case "and":
      return truthy(referenceValue(e.l, calls)) && truthy(referenceValue(e.r, calls));
    case "or":
      return truthy(referenceValue(e.l, calls)) || truthy(referenceValue(e.r, calls));
    case "cmp": {
      const a = referenceValue(e.l, calls);
      const b = referenceValue(e.r, calls);
      if (e.op === "==" || e.op === "!=") return (canonical(a) === canonical(b)) === (e.op === "==");
      const bothNumbers = typeof a === "number" && typeof b === "number";
      const bothStrings = typeof a === "string" && typeof b === "string";
      if (!bothNumbers && !bothStrings) throw new ReferenceCompareError();
      const [x, y] = [a, b] as [number, number];
      return e.op === "<" ? x < y : e.op === "<=" ? x <= y : e.op === ">" ? x > y : x >= y;
    }
  }
}

describe("condition properties", () => {
  it("parseCondition either succeeds or throws a ConditionSyntaxError pointing inside the source", () => {
    let parsed = 0;
    fc.assert(
      fc.property(anySource, (source) => {
        let error: unknown;
        try {
          const compiled = parseCondition(source);
          parsed++;
          expect(compiled.ast.start).toBeGreaterThanOrEqual(0);
          expect(compiled.ast.end).toBeLessThanOrEqual(source.length);
          return;
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(ConditionSyntaxError);
        const { offset, message } = error as ConditionSyntaxError;
        expect(offset).toBeGreaterThanOrEqual(0);
        expect(offset).toBeLessThanOrEqual(source.length);
        expect(message).toContain(`at column ${offset + 1}`);
      }),
      { numRuns: 3000 },
    );
    expect(parsed).toBeGreaterThan(0);
  });

  it("a parsed condition evaluates to a boolean or throws ConditionEvaluationError for any JSON values", () => {
    let evaluated = 0;
    const source = fc.oneof(
      tokenSoup(" "),
      expr.map((e) => print(e, [])),
    );
    fc.assert(
      fc.property(source, fc.array(fc.jsonValue(), { minLength: 1, maxLength: 8 }), (text, values) => {
        let compiled: ReturnType<typeof parseCondition>;
        try {
          compiled = parseCondition(text);
        } catch (e) {
          expect(e).toBeInstanceOf(ConditionSyntaxError);
          return;
        }
        let next = 0;
        const resolve = (_ref: Reference): unknown => values[next++ % values.length];
        try {
          expect(typeof evaluateCondition(compiled, resolve)).toBe("boolean");
          evaluated++;
        } catch (e) {
          expect(e).toBeInstanceOf(ConditionEvaluationError);
        }
      }),
      { numRuns: 2000 },
    );
    expect(evaluated).toBeGreaterThan(100);
  });

  it("a printed, fully parenthesised expression evaluates like the reference semantics", () => {
    fc.assert(
      fc.property(expr, (e) => {
        const printedRefs: string[] = [];
        const source = print(e, printedRefs);
        const compiled = parseCondition(source);
        expect(compiled.references.map((r) => r.text)).toEqual(printedRefs);

        const expectedCalls: string[] = [];
        let expected: boolean | "error";
        try {
          expected = truthy(referenceValue(e, expectedCalls));
        } catch (error) {
          if (!(error instanceof ReferenceCompareError)) throw error;
          expected = "error";
        }
        const calls: string[] = [];
        const resolve = (ref: Reference): unknown => {
          calls.push(ref.text);
          return ENV[ref.text];
        };
        if (expected === "error") {
          expect(() => evaluateCondition(compiled, resolve)).toThrow(ConditionEvaluationError);
        } else {
          expect(evaluateCondition(compiled, resolve)).toBe(expected);
        }
        expect(calls).toEqual(expectedCalls);
      }),
      { numRuns: 2000 },
    );
  });
});

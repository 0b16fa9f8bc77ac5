/**
 * @module Splits a condition into tokens on demand, so errors surface in source order.
 */
import { parseReference, ReferenceSyntaxError } from "../placeholder/path.js";
import type { Reference } from "../placeholder/path.js";
import type { ComparisonOperator, LiteralValue } from "./ast.js";
import { ConditionSyntaxError, at, charAt, syntaxError } from "./errors.js";

interface Span {
  readonly start: number;
  readonly end: number;
}

export type Token = Span &
  (
    | { readonly type: "eof" }
    | { readonly type: "literal"; readonly value: LiteralValue }
    | { readonly type: "interpolation"; readonly parts: readonly (string | Reference)[] }
    | { readonly type: "placeholder"; readonly ref: Reference }
    | { readonly type: "compare"; readonly op: ComparisonOperator }
    | { readonly type: "and" | "or" | "not" | "(" | ")" }
    /** A bare word that is not a keyword, e.g. `foo` or `build.success`: always an error, reported with a hint. */
    | { readonly type: "identifier" }
    /** A character the language has no use for, e.g. `=` or `#`: left to the parser so the error has context. */
    | { readonly type: "unknown" }
  );

const LITERAL_WORDS: ReadonlyMap<string, LiteralValue> = new Map<string, LiteralValue>([
  ["true", true],
  ["True", true],
  ["false", false],
  ["False", false],
  ["null", null],
  ["None", null],
]);

const OPERATOR_WORDS: ReadonlyMap<string, "and" | "or" | "not"> = new Map([
  ["and", "and"],
  ["or", "or"],
  ["not", "not"],
] as const);

type SymbolToken = { readonly type: "compare"; readonly op: ComparisonOperator } | { readonly type: "and" | "or" | "not" | "(" | ")" };

/** Two-character symbols are tried before one-character ones so `<=` is not read as `<` then `=`. */
const SYMBOLS_2: ReadonlyMap<string, SymbolToken> = new Map<string, SymbolToken>([
  ["==", { type: "compare", op: "==" }],
  ["!=", { type: "compare", op: "!=" }],
  ["<=", { type: "compare", op: "<=" }],
  [">=", { type: "compare", op: ">=" }],
  ["&&", { type: "and" }],
  ["||", { type: "or" }],
]);

const SYMBOLS_1: ReadonlyMap<string, SymbolToken> = new Map<string, SymbolToken>([
  ["<", { type: "compare", op: "<" }],
  [">", { type: "compare", op: ">" }],
  ["!", { type: "not" }],
  ["(", { type: "(" }],
  [")", { type: ")" }],
]);

const ESCAPES: ReadonlyMap<string, string> = new Map([
  ["'", "'"],
  ['"', '"'],
  ["\\", "\\"],
  ["n", "\n"],
  ["t", "\t"],
]);

const isSpace = (c: string | undefined): boolean => c === " " || c === "\t" || c === "\n" || c === "\r";
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= "0" && c <= "9";
// Same character classes as references (src/placeholder/path.ts), so a bare word can be suggested as a placeholder.
const isIdentStart = (c: string | undefined): boolean =>
  c !== undefined && ((c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c === "_" || c === "$");
const isIdentPart = (c: string | undefined): boolean => isIdentStart(c) || isDigit(c) || c === "-";

export class Lexer {
  /** Every placeholder read so far, in source order. */
  readonly references: Reference[] = [];
  private pos = 0;

  constructor(private readonly source: string) {}

  next(): Token {
    const s = this.source;
    while (isSpace(s[this.pos])) this.pos++;
    const start = this.pos;
    const c = s[start];
    if (c === undefined) return { type: "eof", start, end: start };
    const d = s[start + 1];
    if (c === "{" && d === "{") {
      const ref = this.placeholder(start, undefined);
      return { type: "placeholder", ref, start, end: this.pos };
    }
    if (c === "'" || c === '"') return this.string(start, c);
    if (isDigit(c) || (c === "-" && isDigit(d))) return this.number(start);
    if (isIdentStart(c)) return this.word(start);
    const two = d === undefined ? undefined : SYMBOLS_2.get(c + d);
    if (two) return this.symbol(two, start, 2);
    const one = SYMBOLS_1.get(c);
    if (one) return this.symbol(one, start, 1);
    this.pos = start + String.fromCodePoint(s.codePointAt(start)!).length;
    return { type: "unknown", start, end: this.pos };
  }

  private symbol(symbol: SymbolToken, start: number, length: number): Token {
    this.pos = start + length;
    return { ...symbol, start, end: this.pos };
  }

  /** Reads `{{ ref }}` starting at `open`; inside a string literal, its `quote` ends the search for `}}`. */
  private placeholder(open: number, quote: string | undefined): Reference {
    const s = this.source;
    let close = open + 2;
    while (close < s.length && !(s[close] === "}" && s[close + 1] === "}") && s[close] !== quote) close++;
    if (close >= s.length || s[close] === quote) {
      const text = JSON.stringify(s.slice(open, close));
      throw new ConditionSyntaxError(`unterminated placeholder ${text} ${at(open)}. expecting "}}"`, s, open);
    }
    const inner = s.slice(open + 2, close);
    const textStart = open + 2 + (inner.length - inner.trimStart().length);
    this.pos = close + 2;
    try {
      const ref = parseReference(inner.trim());
      this.references.push(ref);
      return ref;
    } catch (error) {
      if (!(error instanceof ReferenceSyntaxError)) throw error;
      throw syntaxError(s, textStart + error.offset, error.message);
    }
  }

  private string(start: number, quote: string): Token {
    const s = this.source;
    const parts: (string | Reference)[] = [];
    let text = "";
    let i = start + 1;
    for (;;) {
      const c = s[i];
      if (c === undefined) throw syntaxError(s, start, "unterminated string");
      if (c === quote) break;
      if (c === "\\") {
        const e = s[i + 1];
        if (e === undefined) throw syntaxError(s, start, "unterminated string");
        const decoded = ESCAPES.get(e);
        if (decoded === undefined) {
          const expecting = `\\', \\", \\\\, \\n or \\t`;
          throw syntaxError(s, i, `unexpected escape "\\${e}" while parsing string. expecting ${expecting}`);
        }
        text += decoded;
        i += 2;
      } else if (c === "{" && s[i + 1] === "{") {
        if (text !== "") parts.push(text);
        text = "";
        parts.push(this.placeholder(i, quote));
        i = this.pos;
      } else {
        text += c;
        i++;
      }
    }
    this.pos = i + 1;
    if (parts.length === 0) return { type: "literal", value: text, start, end: this.pos };
    if (text !== "") parts.push(text);
    return { type: "interpolation", parts, start, end: this.pos };
  }

  /** `-`? digits (`.` digits)? ([eE] [+-]? digits)? — the JSON number shape, leading zeros tolerated. */
  private number(start: number): Token {
    const s = this.source;
    let i = this.digits(s[start] === "-" ? start + 1 : start);
    if (s[i] === ".") i = this.digits(i + 1);
    if (s[i] === "e" || s[i] === "E") i = this.digits(s[i + 1] === "+" || s[i + 1] === "-" ? i + 2 : i + 1);
    if (isIdentPart(s[i]) || s[i] === ".") {
      throw syntaxError(s, i, `unexpected ${charAt(s, i)} while parsing number. expecting a digit or an operator`);
    }
    this.pos = i;
    return { type: "literal", value: Number(s.slice(start, i)), start, end: i };
  }

  /** Skips one or more digits from `i`; returns the offset after them. */
  private digits(i: number): number {
    const s = this.source;
    let j = i;
    while (isDigit(s[j])) j++;
    if (j === i) throw syntaxError(s, i, `unexpected ${charAt(s, i)} while parsing number. expecting a digit`);
    return j;
  }

  /** A keyword, or a bare reference-shaped word such as `build.items[0].id` (read whole for the error hint). */
  private word(start: number): Token {
    const s = this.source;
    let i = start + 1;
    while (isIdentPart(s[i])) i++;
    for (;;) {
      if (s[i] === "." && isIdentStart(s[i + 1])) {
        i += 2;
        while (isIdentPart(s[i])) i++;
      } else if (s[i] === "[" && isDigit(s[i + 1])) {
        let j = i + 1;
        while (isDigit(s[j])) j++;
        if (s[j] !== "]") break;
        i = j + 1;
      } else break;
    }
    this.pos = i;
    const text = s.slice(start, i);
    if (LITERAL_WORDS.has(text)) return { type: "literal", value: LITERAL_WORDS.get(text)!, start, end: i };
    const op = OPERATOR_WORDS.get(text);
    return { type: op ?? "identifier", start, end: i };
  }
}

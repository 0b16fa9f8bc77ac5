/**
 * @module Recursive-descent parser for conditions.
 *
 * Grammar, lowest precedence first:
 *   condition  := or EOF
 *   or         := and (("or" | "||") and)*
 *   and        := not (("and" | "&&") not)*
 *   not        := ("not" | "!") not | comparison
 *   comparison := operand (("==" | "!=" | "<" | "<=" | ">" | ">=") operand)?   -- non-associative
 *   operand    := placeholder | string | number | true | false | null | True | False | None | "(" or ")"
 */
import { parseReference } from "../placeholder/path.js";
import type { CompiledCondition, ConditionNode } from "./ast.js";
import type { ConditionSyntaxError } from "./errors.js";
import { listOf, syntaxError } from "./errors.js";
import { Lexer } from "./lexer.js";
import type { Token } from "./lexer.js";

/** Bounds recursion (here and in the evaluator) so hostile input fails with a syntax error, not a stack overflow. */
const MAX_DEPTH = 64;

/** Likely meant keywords, by lower-case spelling: `TRUE` → `true`, `none` → `None`, `AND` → `and`. */
const KEYWORD_HINTS: ReadonlyMap<string, string> = new Map([
  ["true", "true"],
  ["false", "false"],
  ["null", "null"],
  ["none", "None"],
  ["and", "and"],
  ["or", "or"],
  ["not", "not"],
]);

const SYMBOL_HINTS: ReadonlyMap<string, string> = new Map([
  ["=", "=="],
  ["&", "&&"],
  ["|", "||"],
]);

/**
 * Parses a step condition such as `{{build.success}} == False`.
 * @throws ConditionSyntaxError pointing at the first offending character
 */
export function parseCondition(source: string): CompiledCondition {
  const lexer = new Lexer(source);
  const ast = new Parser(source, lexer).parse();
  return { source, ast, references: lexer.references };
}

class Parser {
  private token: Token;
  private depth = 0;
  private parens = 0;
  /** Whether the operand just parsed had no comparison operator, so one may still follow. */
  private bare = false;

  constructor(
    private readonly source: string,
    private readonly lexer: Lexer,
  ) {
    this.token = lexer.next();
  }

  parse(): ConditionNode {
    const node = this.parseLogical("or", "condition");
    if (this.token.type !== "eof") throw this.unexpected("condition", this.continuations());
    return node;
  }

  private advance(): Token {
    const token = this.token;
    this.token = this.lexer.next();
    return token;
  }

  private parseLogical(op: "and" | "or", construct: string): ConditionNode {
    const first = op === "or" ? this.parseLogical("and", construct) : this.parseNot(construct);
    if (this.token.type !== op) return first;
    const operands = [first];
    while (this.token.type === op) {
      const context = `${this.quoted(this.advance())} expression`;
      operands.push(op === "or" ? this.parseLogical("and", context) : this.parseNot(context));
    }
    return { kind: "logical", op, operands, start: first.start, end: operands[operands.length - 1]!.end };
  }

  private parseNot(construct: string): ConditionNode {
    if (this.token.type !== "not") return this.parseComparison(construct);
    const not = this.advance();
    this.enter(not);
    const operand = this.parseNot(`${this.quoted(not)} expression`);
    this.depth--;
    return { kind: "not", operand, start: not.start, end: operand.end };
  }

  private parseComparison(construct: string): ConditionNode {
    const left = this.parseOperand(construct, 'a value or "not"');
    const op = this.token;
    if (op.type !== "compare") {
      this.bare = true;
      return left;
    }
    this.advance();
    const right = this.parseOperand("comparison", "a value");
    this.bare = false;
    if (this.token.type === "compare") {
      const hint = 'comparisons cannot be chained; combine them with "and"';
      throw this.unexpected("comparison", this.continuations(), hint);
    }
    return { kind: "comparison", op: op.op, left, right, start: left.start, end: right.end };
  }

  private parseOperand(construct: string, expecting: string): ConditionNode {
    const t = this.token;
    switch (t.type) {
      case "literal":
        this.advance();
        return { kind: "literal", value: t.value, start: t.start, end: t.end };
      case "placeholder":
        this.advance();
        return { kind: "reference", ref: t.ref, start: t.start, end: t.end };
      case "interpolation":
        this.advance();
        return { kind: "interpolation", parts: t.parts, start: t.start, end: t.end };
      case "(": {
        this.advance();
        this.enter(t);
        this.parens++;
        const inner = this.parseLogical("or", "parenthesized expression");
        if (this.token.type !== ")") throw this.unexpected("parenthesized expression", this.continuations());
        const close = this.advance();
        this.parens--;
        this.depth--;
        return { ...inner, start: t.start, end: close.end };
      }
      default:
        throw this.unexpected(construct, expecting);
    }
  }

  private enter(token: Token): void {
    if (++this.depth > MAX_DEPTH) {
      const message = `condition is nested too deeply: more than ${MAX_DEPTH} levels of parentheses and "not"`;
      throw syntaxError(this.source, token.start, message);
    }
  }

  /** What may follow a complete operand, e.g. `a comparison operator, "and", "or" or ")"`. */
  private continuations(): string {
    const items = this.bare ? ["a comparison operator"] : [];
    items.push('"and"', '"or"', this.parens > 0 ? '")"' : "end of condition");
    return listOf(items);
  }

  private unexpected(construct: string, expecting: string, hint?: string): ConditionSyntaxError {
    const t = this.token;
    const message = `unexpected ${this.describe(t)} while parsing ${construct}. expecting ${expecting}`;
    return syntaxError(this.source, t.start, message, hint ?? this.hint(t));
  }

  private describe(t: Token): string {
    switch (t.type) {
      case "eof":
        return "end of condition";
      case "identifier":
      case "placeholder":
        return `${t.type} ${this.quoted(t)}`;
      case "interpolation":
        return `string ${this.excerpt(t)}`;
      case "literal":
        if (typeof t.value === "string") return `string ${this.excerpt(t)}`;
        if (typeof t.value === "number") return `number ${this.excerpt(t)}`;
        return this.quoted(t);
      default:
        return this.quoted(t);
    }
  }

  private hint(t: Token): string | undefined {
    const text = this.source.slice(t.start, t.end);
    if (t.type === "unknown") {
      const symbol = SYMBOL_HINTS.get(text);
      return symbol && `did you mean "${symbol}"?`;
    }
    if (t.type !== "identifier") return undefined;
    const keyword = KEYWORD_HINTS.get(text.toLowerCase());
    if (keyword) return `did you mean "${keyword}"?`;
    try {
      parseReference(text);
    } catch {
      return undefined; // not a valid reference either (e.g. `constructor`), so there is nothing to suggest
    }
    return `did you mean "{{${text}}}"?`;
  }

  private quoted(t: Token): string {
    return JSON.stringify(this.excerpt(t));
  }

  private excerpt(t: Token): string {
    const text = this.source.slice(t.start, t.end);
    return text.length > 40 ? `${text.slice(0, 39)}…` : text;
  }
}

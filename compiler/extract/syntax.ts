/**
 * @module A small syntax tree of the TypeScript subset the extractor reads. `ts.ts` builds it from the parser;
 * everything else works on this, so the parser can be swapped without touching the interpreter.
 * Offsets are 0-based into the file's text; `end` is exclusive.
 */

export interface Node {
  readonly start: number;
  readonly end: number;
}

export type Expr =
  /** A string literal or a template literal without substitutions. `exact`: the source has no escapes. */
  | (Node & { readonly kind: "string"; readonly value: string; readonly exact: boolean })
  | (Node & { readonly kind: "number"; readonly value: number })
  | (Node & { readonly kind: "boolean"; readonly value: boolean })
  | (Node & { readonly kind: "null" })
  | (Node & { readonly kind: "regex"; readonly pattern: string; readonly flags: string })
  /** `head${e1}t1${e2}t2`: `parts[i]` holds an expression and the text after it, with its own span. */
  | (Node & {
      readonly kind: "template";
      readonly head: TemplateText;
      readonly parts: readonly { readonly expr: Expr; readonly text: TemplateText }[];
    })
  | (Node & { readonly kind: "ident"; readonly name: string })
  | (Node & { readonly kind: "member"; readonly object: Expr; readonly name: string; readonly nameStart: number })
  | (Node & { readonly kind: "index"; readonly object: Expr; readonly index: Expr })
  | (Node & { readonly kind: "call"; readonly callee: Expr; readonly args: readonly Expr[] })
  | (Node & { readonly kind: "object"; readonly props: readonly Prop[] })
  | (Node & { readonly kind: "array"; readonly elements: readonly Expr[] })
  | (Node & { readonly kind: "spread"; readonly expr: Expr })
  | (Node & { readonly kind: "arrow"; readonly params: readonly Pattern[]; readonly body: Expr | readonly Stmt[] })
  /** Anything outside the subset; `what` says what it is ("a conditional expression"). */
  | (Node & { readonly kind: "other"; readonly what: string });

/** Cooked text of a template part, with the source span of its raw text. */
export interface TemplateText extends Node {
  readonly value: string;
  readonly exact: boolean;
}

export type Prop =
  | (Node & { readonly kind: "prop"; readonly key: string; readonly value: Expr })
  | (Node & { readonly kind: "spread"; readonly expr: Expr })
  | (Node & { readonly kind: "other"; readonly what: string });

export type Pattern =
  | (Node & { readonly kind: "ident"; readonly name: string })
  /** `{ input, step: s }`: each element binds `local` to property `key`. */
  | (Node & { readonly kind: "object"; readonly elements: readonly { readonly key: string; readonly local: string }[] })
  | (Node & { readonly kind: "other"; readonly what: string });

export type Stmt =
  | (Node & { readonly kind: "const"; readonly name: string; readonly init: Expr | undefined })
  | (Node & { readonly kind: "expr"; readonly expr: Expr })
  | (Node & { readonly kind: "return"; readonly expr: Expr | undefined })
  /** Declarations that do nothing when the body runs (types, functions that are never called). */
  | (Node & { readonly kind: "ignored" })
  | (Node & { readonly kind: "other"; readonly what: string });

export interface Import {
  /** The local name. */
  readonly local: string;
  /** The exported name, "default", or "*" for a namespace import. */
  readonly imported: string;
  readonly from: string;
}

export interface Export {
  readonly exportName: string;
  /** The local name it exports (`export const x`, `export { x as y }`), or the expression of `export default`. */
  readonly local?: string;
  readonly expr?: Expr;
  /** `export { x } from "./m.js"`: re-exported from another module. */
  readonly from?: string;
  readonly start: number;
}

export interface Module {
  /** Absolute path. */
  readonly path: string;
  readonly text: string;
  readonly imports: ReadonlyMap<string, Import>;
  /** Module-level `const` declarations by name. */
  readonly consts: ReadonlyMap<string, Expr | undefined>;
  readonly exports: readonly Export[];
  /** `export * from "..."` specifiers. */
  readonly starExports: readonly string[];
}

/** The source text of a node, shortened for messages. */
export function snippet(text: string, node: Node, max = 60): string {
  const raw = text.slice(node.start, node.end).replace(/\s+/g, " ");
  return raw.length > max ? `${raw.slice(0, max - 3)}...` : raw;
}

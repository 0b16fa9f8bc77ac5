/**
 * @module The fields a tool's output schema statically has (`FieldTree`), read from its zod expression. Anything
 * not understood is `unknown`: never a guess.
 */
import type { FieldTree } from "../lint-target.js";
import type { Expr, Module } from "./syntax.js";
import type { Session } from "./session.js";
import { isChain, zodChain } from "./zod-chain.js";

const LEAVES = new Set([
  "string",
  "number",
  "int",
  "boolean",
  "enum",
  "literal",
  "null",
  "bigint",
  "date",
  "nativeEnum",
  "email",
  "url",
  "uuid",
  "iso",
]);
/** Methods that keep the shape of the schema they are called on. */
const KEEP = new Set([
  "optional",
  "nullable",
  "nullish",
  "default",
  "prefault",
  "catch",
  "describe",
  "meta",
  "min",
  "max",
  "length",
  "int",
  "positive",
  "negative",
  "nonnegative",
  "nonpositive",
  "gt",
  "gte",
  "lt",
  "lte",
  "regex",
  "url",
  "email",
  "uuid",
  "nonempty",
  "finite",
  "readonly",
  "trim",
  "toLowerCase",
  "toUpperCase",
  "startsWith",
  "endsWith",
  "includes",
  "datetime",
  "multipleOf",
  "step",
  "brand",
  "strict",
  "strip",
  "refine",
  "check",
]);
const UNKNOWN: FieldTree = { kind: "unknown" };

export function fieldTree(s: Session, m: Module, e: Expr, depth = 0): FieldTree {
  if (depth > 20) return UNKNOWN;
  const chain = zodChain(s, m, e);
  if (!isChain(chain)) return UNKNOWN;
  const { base } = chain;
  let tree: FieldTree;
  if (LEAVES.has(base.name)) tree = { kind: "leaf" };
  else if (base.name === "array" && base.args[0]) tree = { kind: "array", items: fieldTree(s, base.module, base.args[0], depth + 1) };
  else if ((base.name === "object" || base.name === "strictObject" || base.name === "looseObject") && base.args[0]?.kind === "object") {
    tree = objectTree(s, base.module, base.args[0], base.name === "looseObject", depth);
  } else return UNKNOWN;
  for (const method of chain.methods) {
    if (KEEP.has(method.name)) continue;
    if ((method.name === "passthrough" || method.name === "loose") && tree.kind === "object") tree = { ...tree, open: true };
    else if (method.name === "array") tree = { kind: "array", items: tree };
    else if (method.name === "extend" && tree.kind === "object" && method.args[0]?.kind === "object") {
      const more = objectTree(s, method.module, method.args[0], tree.open, depth);
      if (more.kind !== "object") return UNKNOWN;
      tree = { kind: "object", fields: new Map([...tree.fields, ...more.fields]), open: tree.open };
    } else return UNKNOWN;
  }
  return tree;
}

function objectTree(s: Session, m: Module, e: Extract<Expr, { kind: "object" }>, open: boolean, depth: number): FieldTree {
  const fields = new Map<string, FieldTree>();
  for (const p of e.props) {
    if (p.kind !== "prop") return UNKNOWN;
    fields.set(p.key, fieldTree(s, m, p.value, depth + 1));
  }
  return { kind: "object", fields, open };
}

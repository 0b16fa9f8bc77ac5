/**
 * @module Reads a zod schema expression as a chain: `z.<base>(args)` followed by method calls, following const
 * identifiers (in this file or imported by relative path) to their initializers.
 */
import type { Expr, Module, Node } from "./syntax.js";
import type { Session } from "./session.js";

export interface ZodCall {
  readonly name: string;
  readonly args: readonly Expr[];
  /** The module the call's arguments are written in. */
  readonly module: Module;
  readonly node: Node;
}

export interface ZodChain {
  readonly base: ZodCall;
  /** Method calls after the base, innermost first. */
  readonly methods: readonly ZodCall[];
}

/** The chain of a schema expression, or why it is not one (the node to report). */
export function zodChain(
  s: Session,
  m: Module,
  e: Expr,
): ZodChain | { readonly node: Node; readonly module: Module; readonly why: string } {
  const methods: ZodCall[] = [];
  let module = m;
  let expr = e;
  for (let depth = 0; depth < 100; depth++) {
    if (expr.kind === "ident") {
      const def = s.definition(module, expr.name);
      if (def.kind !== "expr")
        return {
          node: expr,
          module,
          why: def.kind === "none" ? "not a const of this file or of a file it imports by relative path" : "not a zod schema",
        };
      module = def.module;
      expr = def.expr;
      continue;
    }
    if (expr.kind === "member" && expr.object.kind === "ident") {
      // `t.pipelineInput` of `import * as t from "./tools.js"`
      const ns = s.namespaceModule(module, expr.object.name);
      const def = ns ? s.exported(ns, expr.name) : undefined;
      if (def?.kind === "expr") {
        module = def.module;
        expr = def.expr;
        continue;
      }
    }
    if (expr.kind === "call" && expr.args.length === 1 && isDslSecret(s, module, expr.callee)) {
      // `secret(schema)` of the DSL wraps a schema: read as a method applied after it
      methods.push({ name: "secret", args: [], module, node: { start: expr.start, end: expr.end } });
      expr = expr.args[0]!;
      continue;
    }
    if (expr.kind !== "call" || expr.callee.kind !== "member")
      return { node: expr, module, why: expr.kind === "call" ? "a function call" : "not a zod schema call" };
    const callee = expr.callee;
    if (callee.object.kind === "ident" && isZod(s, module, callee.object.name)) {
      return { base: { name: callee.name, args: expr.args, module, node: expr }, methods: methods.reverse() };
    }
    methods.push({ name: callee.name, args: expr.args, module, node: { start: callee.nameStart, end: expr.end } });
    expr = callee.object;
  }
  return { node: e, module: m, why: "too deeply nested" };
}

/** `secret` of the DSL: imported by name (`secret(...)`) or through a namespace (`tw.secret(...)`). */
function isDslSecret(s: Session, m: Module, callee: Expr): boolean {
  if (callee.kind === "ident") {
    const def = s.definition(m, callee.name);
    return def.kind === "dsl" && def.name === "secret";
  }
  if (callee.kind !== "member" || callee.name !== "secret" || callee.object.kind !== "ident") return false;
  const imp = m.imports.get(callee.object.name);
  return imp !== undefined && imp.imported === "*" && s.importTarget(m, imp.from).kind === "dsl";
}

function isZod(s: Session, m: Module, name: string): boolean {
  const def = s.definition(m, name);
  if (def.kind === "zod") return def.name === "z" || def.name === "*" || def.name === "default";
  const imp = m.imports.get(name);
  return imp !== undefined && imp.imported === "*" && (imp.from === "zod" || imp.from === "zod/v4");
}

export const isChain = (c: ReturnType<typeof zodChain>): c is ZodChain => "base" in c;

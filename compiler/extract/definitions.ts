/**
 * @module Where a module-level name is defined: a const of its module, or, through imports and re-exports
 * (`export { x } from`, `export *`, namespace imports), a const of another project module or a function of the DSL or
 * zod. Also the names an expression reads, which is what evaluating and extracting ahead of time follow.
 */
import type { Expr, Module } from "./syntax.js";
import { ModuleGraph } from "./module-graph.js";

export const DSL_FUNCTIONS = new Set([
  "workflow",
  "tool",
  "withOutput",
  "secret",
  "eq",
  "ne",
  "gt",
  "gte",
  "lt",
  "lte",
  "and",
  "or",
  "not",
  "isTrue",
  "failed",
  "succeeded",
  "finished",
]);

/** A step of the search for a name: a name in a module's scope, an export of a module, or an `export *` of one. */
type Lookup = { kind: "local" | "export"; module: Module; name: string } | { kind: "star"; module: Module; name: string; spec: string };

/** A name's definition: the module-level expression it stands for, or a DSL/zod import. */
export type Definition =
  | { kind: "expr"; module: Module; expr: Expr }
  | { kind: "dsl"; name: string }
  | { kind: "zod"; name: string }
  | { kind: "none" };

/** A module-level name an expression reads: `x`, or `x.y` (which is export `y` when `x` is a namespace import). */
export type NameRef = { readonly name: string; readonly member?: string };

export class DefinitionLookup extends ModuleGraph {
  /** Where a module-level name is defined, following imports and re-exports. */
  definition(module: Module, name: string): Definition {
    // most names are a const of the module or no module-level name at all: answered without a search
    if (module.consts.has(name)) {
      const init = module.consts.get(name);
      return init ? { kind: "expr", module, expr: init } : { kind: "none" };
    }
    if (!module.imports.has(name)) return { kind: "none" };
    return this.#resolveOnce({ kind: "local", module, name });
  }

  /** What export `exportName` of `module` is, following re-exports (`export { x } from`, `export *`). */
  exported(module: Module, exportName: string): Definition {
    return this.#resolveOnce({ kind: "export", module, name: exportName });
  }

  /** Imported names, searched once per pass (a tool imported by every step of 1,000 files is found once per file). */
  readonly #resolved = new WeakMap<Module, Map<string, Definition>>();
  #resolveOnce(start: Extract<Lookup, { kind: "local" | "export" }>): Definition {
    let found = this.#resolved.get(start.module);
    if (!found) this.#resolved.set(start.module, (found = new Map()));
    const key = `${start.kind}:${start.name}`;
    let def = found.get(key);
    if (!def) found.set(key, (def = this.#resolve(start)));
    return def;
  }

  /**
   * A depth-first search through imports and re-exports, with an explicit stack (a chain of re-exporting files
   * cannot overflow the call stack) and each (module, name) visited once (re-exports in a loop end). `export *`
   * specifiers are tried in order, each resolved only when reached; the first definition found wins.
   */
  #resolve(start: Lookup): Definition {
    const seen = new Set<string>();
    const stack: Lookup[] = [start];
    while (stack.length > 0) {
      const at = stack.pop()!;
      const { module, name } = at;
      if (at.kind === "star") {
        const target = this.importTarget(module, at.spec);
        if (target.kind === "dsl" && DSL_FUNCTIONS.has(name)) return { kind: "dsl", name };
        if (target.kind === "module") stack.push({ kind: "export", module: target.module, name });
        continue;
      }
      const key = `${at.kind}:${module.path}#${name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (at.kind === "local") {
        const init = module.consts.get(name);
        if (module.consts.has(name)) {
          if (init) return { kind: "expr", module, expr: init };
          continue;
        }
        const imp = module.imports.get(name);
        if (!imp) continue;
        const target = this.importTarget(module, imp.from);
        if (target.kind === "dsl") return { kind: "dsl", name: imp.imported };
        if (target.kind === "zod") return { kind: "zod", name: imp.imported };
        if (target.kind === "module" && imp.imported !== "*") stack.push({ kind: "export", module: target.module, name: imp.imported });
        continue;
      }
      const ex = module.exports.find((e) => e.exportName === name);
      if (ex?.expr) return { kind: "expr", module, expr: ex.expr };
      if (ex?.from && ex.local) {
        const target = this.importTarget(module, ex.from);
        if (target.kind === "dsl") return { kind: "dsl", name: ex.local };
        if (target.kind === "module") stack.push({ kind: "export", module: target.module, name: ex.local });
        continue;
      }
      if (ex?.local) {
        stack.push({ kind: "local", module, name: ex.local });
        continue;
      }
      for (let k = module.starExports.length - 1; k >= 0; k--) stack.push({ kind: "star", module, name, spec: module.starExports[k]! });
    }
    return { kind: "none" };
  }

  /** What a name read by an expression stands for: a module-level name, or an export of a namespace import. */
  protected definitionOf(module: Module, ref: NameRef): Definition {
    const ns = ref.member === undefined ? undefined : this.namespaceModule(module, ref.name);
    return ns ? this.exported(ns, ref.member!) : this.definition(module, ref.name);
  }

  /** Whether `callee` is the DSL's `workflow` (imported, possibly renamed), or `ns.workflow` of a namespace import of the DSL. */
  isWorkflowFunction(module: Module, callee: Expr): boolean {
    if (callee.kind === "ident") {
      const def = this.definition(module, callee.name);
      return def.kind === "dsl" && def.name === "workflow";
    }
    if (callee.kind !== "member" || callee.name !== "workflow" || callee.object.kind !== "ident") return false;
    const imp = module.imports.get(callee.object.name);
    return imp?.imported === "*" && this.importTarget(module, imp.from).kind === "dsl";
  }

  /** The project module a namespace import (`import * as t from "./tools.js"`) names, if it is one. */
  namespaceModule(module: Module, name: string): Module | undefined {
    const imp = module.imports.get(name);
    if (imp?.imported !== "*" || module.consts.has(name)) return undefined;
    const target = this.importTarget(module, imp.from);
    return target.kind === "module" ? target.module : undefined;
  }
}

/**
 * The names an expression reads, in order, found without recursion; inside function bodies too when `bodies` (a
 * name a body declares itself may be taken for a module-level one: the caller only evaluates ahead of time).
 */
export function namesIn(root: Expr, bodies: boolean): NameRef[] {
  const names: NameRef[] = [];
  const stack: Expr[] = [root];
  while (stack.length > 0) {
    const e = stack.pop()!;
    const children: Expr[] = [];
    switch (e.kind) {
      case "ident":
        names.push({ name: e.name });
        break;
      case "template":
        for (const part of e.parts) children.push(part.expr);
        break;
      case "member":
        if (e.object.kind === "ident") names.push({ name: e.object.name, member: e.name });
        else children.push(e.object);
        break;
      case "index":
        children.push(e.object, e.index);
        break;
      case "call":
        children.push(e.callee, ...e.args);
        break;
      case "object":
        for (const p of e.props)
          if (p.kind === "prop") children.push(p.value);
          else if (p.kind === "spread") children.push(p.expr);
        break;
      case "array":
        children.push(...e.elements);
        break;
      case "spread":
        children.push(e.expr);
        break;
      case "arrow":
        if (!bodies) break;
        if (!Array.isArray(e.body)) children.push(e.body as Expr);
        else
          for (const st of e.body as Extract<typeof e.body, readonly unknown[]>) {
            if (st.kind === "const" && st.init) children.push(st.init);
            else if ((st.kind === "expr" || st.kind === "return") && st.expr) children.push(st.expr);
          }
        break;
    }
    for (let k = children.length - 1; k >= 0; k--) stack.push(children[k]!);
  }
  return names;
}

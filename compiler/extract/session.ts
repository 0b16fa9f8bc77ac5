/**
 * @module One extraction pass over a set of modules: resolves names through module-level consts and imports
 * (relative imports are followed into the imported file), recognises the DSL's and zod's imports by what they
 * resolve to, and caches module-level values, tools and workflows.
 */
import { existsSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";
import { packageRoot } from "../../src/util/package-info.js";
import { spanAt, type Span } from "../diagnostic.js";
import type { ToolInfo } from "../lint-target.js";
import type { Parser } from "./ts.js";
import type { Expr, Import, Module, Node } from "./syntax.js";
import { nonStatic, NonStatic, relocate, type ToolDef, type Value, type WorkflowDef } from "./values.js";
import { evaluate } from "./evaluate.js";
import { fieldTree } from "./field-tree.js";
import { extractWorkflow, type WorkflowModel } from "./body.js";

// toolweave's own sources, imported by relative path from this repository's examples and built-ins
const OWN_ROOT = packageRoot();
const DSL_FILES = new Set(OWN_ROOT === undefined ? [] : [resolve(OWN_ROOT, "index.ts"), resolve(OWN_ROOT, "dsl/index.ts")]);
const isDslFile = (path: string) => DSL_FILES.has(path) || (OWN_ROOT !== undefined && path.startsWith(resolve(OWN_ROOT, "dsl") + sep) && path.endsWith(".ts"));

export const DSL_FUNCTIONS = new Set(["workflow", "tool", "eq", "ne", "gt", "gte", "lt", "lte", "and", "or", "not", "isTrue", "failed", "succeeded", "finished"]);

/** A name's definition: the module-level expression it stands for, or a DSL/zod import. */
export type Definition = { kind: "expr"; module: Module; expr: Expr } | { kind: "dsl"; name: string } | { kind: "zod"; name: string } | { kind: "none" };

export class Session {
  readonly #values = new Map<string, Value | NonStatic>();
  readonly #tools = new Map<string, ToolDef>();
  readonly #workflows = new Map<string, WorkflowModel | NonStatic>();
  /** existsSync answers for this pass: a tools file imported by 1,000 workflows is looked up once. */
  readonly #existing = new Map<string, boolean>();
  #exists(path: string): boolean {
    let found = this.#existing.get(path);
    if (found === undefined) this.#existing.set(path, (found = existsSync(path)));
    return found;
  }
  /** Absolute path → the project files it imports (for `update`). */
  readonly imports = new Map<string, Set<string>>();

  constructor(
    readonly parser: Parser,
    readonly cwd: string,
  ) {}

  file(path: string): string {
    const rel = relative(this.cwd, path);
    return rel.startsWith("..") || isAbsolute(rel) ? path : rel.split(sep).join("/");
  }

  span(module: Module, node: Node): Span {
    return spanAt(this.file(module.path), module.text, node.start, node.end);
  }

  /** The absolute path a relative specifier resolves to (NodeNext: `./x.js` is `./x.ts`), or undefined. */
  resolveSpecifier(from: Module, spec: string): string | undefined {
    if (!spec.startsWith(".")) return undefined;
    const base = resolve(dirname(from.path), spec);
    const candidates = /\.(m|c)?js$/.test(base)
      ? [base.replace(/\.js$/, ".ts").replace(/\.mjs$/, ".mts").replace(/\.cjs$/, ".cts"), base.replace(/\.js$/, ".tsx"), base]
      : [base, `${base}.ts`, `${base}.tsx`, resolve(base, "index.ts")];
    const found = candidates.find((c) => /\.(m|c)?tsx?$/.test(c) && this.#exists(c));
    if (found) {
      const set = this.imports.get(from.path) ?? new Set<string>();
      set.add(found);
      this.imports.set(from.path, set);
    }
    return found;
  }

  /** What an import specifier refers to. */
  importTarget(from: Module, spec: string): { kind: "dsl" } | { kind: "zod" } | { kind: "module"; module: Module } | { kind: "package" } {
    if (spec === "toolweave") return { kind: "dsl" };
    if (spec === "zod" || spec === "zod/v4") return { kind: "zod" };
    const path = this.resolveSpecifier(from, spec);
    if (!path) return { kind: "package" };
    if (isDslFile(path)) return { kind: "dsl" };
    const module = this.parser.module(path);
    return module ? { kind: "module", module } : { kind: "package" };
  }

  /** Where a module-level name is defined, following imports and re-exports. */
  definition(module: Module, name: string, seen = new Set<string>()): Definition {
    const key = `${module.path}#${name}`;
    if (seen.has(key)) return { kind: "none" };
    seen.add(key);
    const init = module.consts.get(name);
    if (module.consts.has(name)) return init ? { kind: "expr", module, expr: init } : { kind: "none" };
    const imp = module.imports.get(name);
    if (!imp) return { kind: "none" };
    const target = this.importTarget(module, imp.from);
    if (target.kind === "dsl") return { kind: "dsl", name: imp.imported };
    if (target.kind === "zod") return { kind: "zod", name: imp.imported };
    if (target.kind === "package" || imp.imported === "*") return { kind: "none" };
    return this.exported(target.module, imp.imported, seen);
  }

  exported(module: Module, exportName: string, seen: Set<string>): Definition {
    const ex = module.exports.find((e) => e.exportName === exportName);
    if (ex?.expr) return { kind: "expr", module, expr: ex.expr };
    if (ex?.from && ex.local) {
      const target = this.importTarget(module, ex.from);
      if (target.kind === "dsl") return { kind: "dsl", name: ex.local };
      return target.kind === "module" ? this.exported(target.module, ex.local, seen) : { kind: "none" };
    }
    if (ex?.local) return this.definition(module, ex.local, seen);
    for (const spec of module.starExports) {
      const target = this.importTarget(module, spec);
      if (target.kind === "dsl" && DSL_FUNCTIONS.has(exportName)) return { kind: "dsl", name: exportName };
      if (target.kind !== "module") continue;
      const found = this.exported(target.module, exportName, seen);
      if (found.kind !== "none") return found;
    }
    return { kind: "none" };
  }

  /** The project module a namespace import (`import * as t from "./tools.js"`) names, if it is one. */
  namespaceModule(module: Module, name: string): Module | undefined {
    const imp = module.imports.get(name);
    if (!imp || imp.imported !== "*" || module.consts.has(name)) return undefined;
    const target = this.importTarget(module, imp.from);
    return target.kind === "module" ? target.module : undefined;
  }

  /** The value of export `name` of `ns` (a namespace import's module), used at `use` in `module`. */
  lookupExport(module: Module, ns: Module, name: string, use: Node, what: string): Value {
    const def = this.exported(ns, name, new Set());
    if (def.kind === "none") throw nonStatic(module, use, what, `not an export of "${this.file(ns.path)}"`, "export it with const from that file");
    return this.#valueOf(module, def, name, undefined, use, what);
  }

  /** The value of a module-level name used at `use` in `module`. */
  lookup(module: Module, name: string, use: Node, what: string): Value {
    const imp = module.imports.get(name);
    if (imp && imp.imported === "*" && this.importTarget(module, imp.from).kind === "dsl") return { t: "dsl-ns", node: use };
    const ns = this.namespaceModule(module, name);
    if (ns) return { t: "module-ns", module: ns, node: use };
    return this.#valueOf(module, this.definition(module, name), name, imp, use, what);
  }

  #valueOf(module: Module, def: Definition, name: string, imp: Import | undefined, use: Node, what: string): Value {
    if (def.kind === "dsl") return { t: "builtin", name: DSL_FUNCTIONS.has(def.name) ? def.name : `other:${def.name}`, node: use };
    if (def.kind === "zod") return { t: "builtin", name: `zod:${def.name}`, node: use };
    if (def.kind === "none") {
      const is = imp ? `imported from "${imp.from}", which the compiler does not read` : module.consts.has(name) ? "declared without a value" : "not a const of this file or an import of one";
      throw nonStatic(module, use, what, is, "declare it with const in this file or in a file imported by relative path");
    }
    if (def.expr.kind === "other") throw nonStatic(module, use, what, `declared with ${def.expr.what.replace(/^an? /, "a ")}`, "declare it with const and a literal value");
    const key = `${def.module.path}#${def.expr.start}`;
    let value = this.#values.get(key);
    if (value === undefined) {
      this.#values.set(key, nonStatic(def.module, def.expr, what, "defined in terms of itself", "break the cycle"));
      try {
        value = evaluate(this, def.module, def.expr, new Map(), what);
      } catch (error) {
        if (!(error instanceof NonStatic)) throw error;
        value = error;
      }
      this.#values.set(key, value);
    }
    if (value instanceof NonStatic) throw value;
    return def.module === module ? value : relocate(value, use);
  }

  /** The tool a `tool("name", {...})` call defines. */
  tool(module: Module, call: Extract<Expr, { kind: "call" }>, what: string): ToolDef {
    const key = `${module.path}#${call.start}`;
    const cached = this.#tools.get(key);
    if (cached) return cached;
    const [nameArg, defArg] = call.args;
    const name = nameArg ? evaluate(this, module, nameArg, new Map(), what) : undefined;
    if (name?.t !== "json" || typeof name.v !== "string" || name.v === "") {
      throw nonStatic(module, nameArg ?? call, what, "not a string", "name the tool with a string literal: tool(\"docker_build\", { ... })");
    }
    const def = defArg?.kind === "object" ? defArg : undefined;
    const outputProp = def?.props.find((p) => p.kind === "prop" && p.key === "output");
    const output = outputProp?.kind === "prop" ? fieldTree(this, module, outputProp.value) : { kind: "unknown" as const };
    const tool: ToolDef = { name: name.v, output, span: this.span(module, call) };
    this.#tools.set(key, tool);
    return tool;
  }

  /** Drops what was evaluated from the module at `path`, so its syntax tree can be collected. */
  forget(path: string): void {
    const prefix = `${path}#`;
    for (const cache of [this.#values, this.#tools, this.#workflows] as Map<string, unknown>[]) {
      for (const key of cache.keys()) if (key.startsWith(prefix)) cache.delete(key);
    }
  }

  /** The workflow a `workflow(...)` call defines, extracted once. */
  workflowModel(module: Module, call: Extract<Expr, { kind: "call" }>, exportName: string): WorkflowModel {
    const key = `${module.path}#${call.start}`;
    let model = this.#workflows.get(key);
    if (model === undefined) {
      try {
        model = extractWorkflow(this, module, call, exportName);
      } catch (error) {
        if (!(error instanceof NonStatic)) throw error;
        model = error;
      }
      this.#workflows.set(key, model);
    }
    if (model instanceof NonStatic) throw model;
    return model;
  }

  /** A sub-workflow used at `use`: its name and tools (its own definition must be static). */
  workflow(module: Module, call: Extract<Expr, { kind: "call" }>, use: Node, what: string): WorkflowDef {
    try {
      const model = this.workflowModel(module, call, "");
      const tools = new Map<string, ToolInfo>(model.tools);
      return { name: model.template.name, tools };
    } catch (error) {
      if (!(error instanceof NonStatic) || error.module === module && error.node.start >= use.start && error.node.end <= use.end) throw error;
      const where = this.span(error.module, error.node);
      throw nonStatic(module, use, what, `a workflow whose definition is not static (${where.file}:${where.start.line}:${where.start.column})`, "fix that definition first");
    }
  }
}

/**
 * @module One extraction pass over a set of modules: resolves names through module-level consts and imports
 * (relative imports are followed into the imported file), recognises the DSL's and zod's imports by what they
 * resolve to, and caches module-level values, tools and workflows.
 */
import { existsSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";
import { packageRoot } from "../../src/util/package-info.js";
import { spanAt, type Span } from "../diagnostic.js";
import type { Parser } from "./ts.js";
import type { Expr, Import, Module, Node } from "./syntax.js";
import { nonStatic, NonStatic, relocate, type ToolDef, type Value, type WorkflowDef } from "./values.js";
import { evaluate } from "./evaluate.js";
import { fieldTree } from "./field-tree.js";
import { extractWorkflow, type WorkflowModel } from "./body.js";

// toolweave's own sources, imported by relative path from this repository's examples and built-ins
const OWN_ROOT = packageRoot();
const DSL_FILES = new Set(OWN_ROOT === undefined ? [] : [resolve(OWN_ROOT, "index.ts"), resolve(OWN_ROOT, "dsl/index.ts")]);
const isDslFile = (path: string) =>
  DSL_FILES.has(path) || (OWN_ROOT !== undefined && path.startsWith(resolve(OWN_ROOT, "dsl") + sep) && path.endsWith(".ts"));

export const DSL_FUNCTIONS = new Set([
  "workflow",
  "tool",
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

export class Session {
  readonly #values = new Map<string, Value | NonStatic>();
  readonly #tools = new Map<string, ToolDef>();
  readonly #workflows = new Map<string, WorkflowModel | NonStatic>();
  /** Workflows whose extraction has started and not ended, by key. */
  readonly #extracting = new Map<string, WorkflowDef>();
  /** Set while the sub-workflows of a workflow are extracted ahead of it: those extractions do not look ahead again. */
  #preparing = false;
  /**
   * Workflows waiting on that look-ahead's stack, by key, named already: a workflow extracted meanwhile that runs one
   * of them (a loop of workflows) gets this, as it would get a workflow being extracted.
   */
  readonly #waiting = new Map<string, WorkflowDef>();
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
      ? [
          base
            .replace(/\.js$/, ".ts")
            .replace(/\.mjs$/, ".mts")
            .replace(/\.cjs$/, ".cts"),
          base.replace(/\.js$/, ".tsx"),
          base,
        ]
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
  #definitionOf(module: Module, ref: NameRef): Definition {
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

  /** The value of export `name` of `ns` (a namespace import's module), used at `use` in `module`. */
  lookupExport(module: Module, ns: Module, name: string, use: Node, what: string): Value {
    const def = this.exported(ns, name);
    if (def.kind === "none")
      throw nonStatic(module, use, what, `not an export of "${this.file(ns.path)}"`, "export it with const from that file");
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
      const is = imp
        ? `imported from "${imp.from}", which the compiler does not read`
        : module.consts.has(name)
          ? "declared without a value"
          : "not a const of this file or an import of one";
      throw nonStatic(module, use, what, is, "declare it with const in this file or in a file imported by relative path");
    }
    if (def.expr.kind === "other")
      throw nonStatic(
        module,
        use,
        what,
        `declared with ${def.expr.what.replace(/^an? /, "a ")}`,
        "declare it with const and a literal value",
      );
    const key = `${def.module.path}#${def.expr.start}`;
    if (!this.#values.has(key)) this.#evaluateReferencesFirst(key, def.module, def.expr, what);
    const value = this.#evaluateOnce(key, def.module, def.expr, what);
    if (value instanceof NonStatic) throw value;
    return def.module === module ? value : relocate(value, use);
  }

  /** The value of a module-level definition, evaluated once; a failure is kept and thrown at every use. */
  #evaluateOnce(key: string, module: Module, expr: Expr, what: string): Value | NonStatic {
    let value = this.#values.get(key);
    if (value === undefined) {
      this.#values.set(key, nonStatic(module, expr, what, "defined in terms of itself", "break the cycle"));
      try {
        value = evaluate(this, module, expr, new Map(), what);
      } catch (error) {
        if (!(error instanceof NonStatic)) {
          this.#values.delete(key); // not a finding about this value (e.g. the call stack ran out): nothing to keep
          throw error;
        }
        value = error;
      }
      this.#values.set(key, value);
    }
    return value;
  }

  /**
   * Evaluates the module-level consts an expression names (and those they name...) before it, deepest first, from an
   * explicit stack: the expression's own evaluation then finds them cached, so a chain of thousands of consts, each
   * built from the one before, does not nest thousands of evaluations. Function bodies are not looked into: a
   * workflow body is evaluated when its workflow is extracted.
   */
  #evaluateReferencesFirst(key: string, module: Module, expr: Expr, what: string): void {
    const seen = new Set([key]);
    const stack: { key: string; module: Module; expr: Expr; expanded: boolean }[] = [{ key, module, expr, expanded: false }];
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (top.expanded) {
        stack.pop();
        if (stack.length > 0) this.#evaluateOnce(top.key, top.module, top.expr, what);
        continue;
      }
      top.expanded = true;
      const names = namesIn(top.expr, false);
      for (let k = names.length - 1; k >= 0; k--) {
        const def = this.#definitionOf(top.module, names[k]!);
        if (def.kind !== "expr" || def.expr.kind === "other") continue;
        const defKey = `${def.module.path}#${def.expr.start}`;
        if (seen.has(defKey) || this.#values.has(defKey)) continue;
        seen.add(defKey);
        stack.push({ key: defKey, module: def.module, expr: def.expr, expanded: false });
      }
    }
  }

  /** The tool a `tool("name", {...})` call defines. */
  tool(module: Module, call: Extract<Expr, { kind: "call" }>, what: string): ToolDef {
    const key = `${module.path}#${call.start}`;
    const cached = this.#tools.get(key);
    if (cached) return cached;
    const [nameArg, defArg] = call.args;
    const name = nameArg ? evaluate(this, module, nameArg, new Map(), what) : undefined;
    if (name?.t !== "json" || typeof name.v !== "string" || name.v === "") {
      throw nonStatic(module, nameArg ?? call, what, "not a string", 'name the tool with a string literal: tool("docker_build", { ... })');
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
    if (model === undefined && !this.#preparing) {
      this.#preparing = true;
      try {
        this.#extractSubWorkflowsFirst(key, module, call);
      } finally {
        this.#preparing = false;
      }
      model = this.#workflows.get(key);
    }
    if (model === undefined) {
      const def: WorkflowDef = this.#waiting.get(key) ?? { name: "", tools: new Map(), subWorkflows: new Map() };
      this.#waiting.delete(key);
      this.#extracting.set(key, def);
      try {
        model = extractWorkflow(this, module, call, exportName, def);
      } catch (error) {
        if (!(error instanceof NonStatic)) throw error;
        model = error;
      } finally {
        this.#extracting.delete(key);
      }
      this.#workflows.set(key, model);
    }
    if (model instanceof NonStatic) throw model;
    return model;
  }

  /**
   * Extracts the workflows a workflow's body runs (and those they run...) before it, deepest first, from an explicit
   * stack: its own extraction then finds them done, so a chain of hundreds of workflows, each running the next as a
   * sub-workflow, does not nest hundreds of extractions. Workflows that run each other in a loop are extracted
   * around the loop once (and reported by the rule recursive-workflow).
   */
  #extractSubWorkflowsFirst(key: string, module: Module, call: Extract<Expr, { kind: "call" }>): void {
    type Entry = { key: string; module: Module; call: Extract<Expr, { kind: "call" }>; expanded: boolean };
    const stack: Entry[] = [];
    const seen = new Set<string>();
    const schedule = (key: string, module: Module, call: Extract<Expr, { kind: "call" }>): void => {
      seen.add(key);
      stack.push({ key, module, call, expanded: false });
      const name = this.#workflowName(module, call);
      if (name !== undefined) this.#waiting.set(key, { name, tools: new Map(), subWorkflows: new Map() });
    };
    schedule(key, module, call);
    let done = false;
    try {
      while (stack.length > 0) {
        const top = stack[stack.length - 1]!;
        if (top.expanded) {
          stack.pop();
          // the workflow asked for is extracted by the caller; the others now, after what they run
          if (stack.length === 0 || this.#workflows.has(top.key) || this.#extracting.has(top.key)) continue;
          try {
            this.workflowModel(top.module, top.call, "");
          } catch (error) {
            if (!(error instanceof NonStatic)) throw error; // kept with the workflow, reported where it is used
          }
          continue;
        }
        top.expanded = true;
        const names = namesIn(top.call, true);
        for (let k = names.length - 1; k >= 0; k--) {
          const def = this.#definitionOf(top.module, names[k]!);
          if (def.kind !== "expr" || def.expr.kind !== "call" || !this.isWorkflowFunction(def.module, def.expr.callee)) continue;
          const subKey = `${def.module.path}#${def.expr.start}`;
          if (!seen.has(subKey) && !this.#workflows.has(subKey)) schedule(subKey, def.module, def.expr);
        }
      }
      done = true;
    } finally {
      // the workflow asked for keeps its entry: the caller extracts it next, into the object handed out meanwhile
      for (const scheduled of seen) if (!done || scheduled !== key) this.#waiting.delete(scheduled);
    }
  }

  /** The name a `workflow("name", ...)` call gives, when it is a static string. */
  #workflowName(module: Module, call: Extract<Expr, { kind: "call" }>): string | undefined {
    const arg = call.args[0];
    if (!arg) return undefined;
    try {
      const name = evaluate(this, module, arg, new Map(), "the name of a workflow");
      return name.t === "json" && typeof name.v === "string" && name.v !== "" ? name.v : undefined;
    } catch (error) {
      if (!(error instanceof NonStatic)) throw error;
      return undefined; // reported when the workflow is extracted
    }
  }

  /** A sub-workflow used at `use`: its name and tools (its own definition must be static). */
  workflow(module: Module, call: Extract<Expr, { kind: "call" }>, use: Node, what: string): WorkflowDef {
    // a workflow that runs itself, directly or through others: the rule recursive-workflow reports the chain
    const key = `${module.path}#${call.start}`;
    const extracting = this.#extracting.get(key) ?? this.#waiting.get(key);
    if (extracting) return extracting;
    try {
      return this.workflowModel(module, call, "").def;
    } catch (error) {
      if (!(error instanceof NonStatic) || (error.module === module && error.node.start >= use.start && error.node.end <= use.end))
        throw error;
      const where = this.span(error.module, error.node);
      throw nonStatic(
        module,
        use,
        what,
        `a workflow whose definition is not static (${where.file}:${where.start.line}:${where.start.column})`,
        "fix that definition first",
      );
    }
  }
}

/** A module-level name an expression reads: `x`, or `x.y` (which is export `y` when `x` is a namespace import). */
type NameRef = { readonly name: string; readonly member?: string };

/**
 * The names an expression reads, in order, found without recursion; inside function bodies too when `bodies` (a
 * name a body declares itself may be taken for a module-level one: the caller only evaluates ahead of time).
 */
function namesIn(root: Expr, bodies: boolean): NameRef[] {
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

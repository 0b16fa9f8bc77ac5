/**
 * @module One extraction pass over a set of modules: the module-level values, tools and workflows it evaluates, each
 * once (shared by every file of the pass), and the order that keeps long chains of them off the call stack. A
 * `Session` is also what the interpreter asks where a name is defined (definitions.ts) and which file an import
 * names (module-graph.ts): it extends both, so one object answers for the whole pass.
 */
import type { Expr, Import, Module, Node } from "./syntax.js";
import type { ToolAnnotations } from "../../dsl/tool.js";
import { nonStatic, NonStatic, relocate, type ToolDef, type Value, type WorkflowDef } from "./values.js";
import { evaluate } from "./evaluate.js";
import { fieldTree } from "./field-tree.js";
import { extractWorkflow, type WorkflowModel } from "./body.js";
import { DefinitionLookup, DSL_FUNCTIONS, namesIn, type Definition } from "./definitions.js";

export class Session extends DefinitionLookup {
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
        const def = this.definitionOf(top.module, names[k]!);
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
    const annotationsProp = def?.props.find((p) => p.kind === "prop" && p.key === "annotations");
    const annotations = annotationsProp?.kind === "prop" ? hintsOf(annotationsProp.value) : undefined;
    const tool: ToolDef = { name: name.v, output, span: this.span(module, call), ...(annotations ? { annotations } : {}) };
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
          const def = this.definitionOf(top.module, names[k]!);
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

const HINTS = new Set(["readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"]);

/**
 * The hints of a tool's `annotations` written as boolean literals in an object literal. Hints are never a reason for
 * a `non-static` finding: anything else (a const, a spread, a computed value) is left unread.
 */
function hintsOf(expr: Expr): ToolAnnotations | undefined {
  if (expr.kind !== "object") return undefined;
  const hints: Record<string, boolean> = {};
  for (const p of expr.props) if (p.kind === "prop" && HINTS.has(p.key) && p.value.kind === "boolean") hints[p.key] = p.value.value;
  return Object.keys(hints).length > 0 ? hints : undefined;
}

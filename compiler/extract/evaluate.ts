/**
 * @module Static evaluation of one expression of the DSL subset: literals, objects, arrays, template strings,
 * references (`x.out.a[0]`, `input.k`), consts, imports, and calls of the DSL (delegated to `builder.ts`).
 * Everything else is a `NonStatic` at its node.
 */
import { printPlaceholder } from "../../src/condition/print.js";
import type { Expr, Module, Node } from "./syntax.js";
import { HINT_CALL, HINT_VALUE, NonStatic, nonStatic, type Piece, type Value } from "./values.js";
import { callBuiltin, callMethod } from "./builder.js";
import type { Session } from "./session.js";

export type Env = Map<string, Value>;

export function evaluate(s: Session, m: Module, e: Expr, env: Env, what: string): Value {
  switch (e.kind) {
    case "string":
      return { t: "json", v: e.value, node: e, exact: e.exact };
    case "number":
    case "boolean":
      return { t: "json", v: e.value, node: e };
    case "null":
      return { t: "json", v: null, node: e };
    case "ident":
      if (env.has(e.name)) return env.get(e.name)!;
      if (e.name === "undefined") return { t: "undefined", node: e };
      return s.lookup(m, e.name, e, what);
    case "template":
      return template(s, m, e, env, what);
    case "member":
      return member(s, m, evaluate(s, m, e.object, env, what), e.name, e, what);
    case "index": {
      const object = evaluate(s, m, e.object, env, what);
      const index = evaluate(s, m, e.index, env, what);
      if (index.t !== "json" || (typeof index.v !== "string" && typeof index.v !== "number")) {
        throw nonStatic(m, e.index, what, "an index that is not a literal", "index with a number or string literal: x.out.items[0]");
      }
      return member(s, m, object, String(index.v), e, what);
    }
    case "call":
      return call(s, m, e, env, what);
    case "object": {
      const props = new Map<string, Value>();
      for (const p of e.props) {
        if (p.kind === "prop") props.set(p.key, evaluate(s, m, p.value, env, what));
        else if (p.kind === "spread") {
          const v = evaluate(s, m, p.expr, env, what);
          if (v.t !== "object")
            throw nonStatic(m, p, what, "a spread of a value that is not a static object", "write the properties inline");
          for (const [k, x] of v.props) props.set(k, x);
        } else throw nonStatic(m, p, what, p.what, "use plain `key: value` properties");
      }
      return { t: "object", props, node: e };
    }
    case "array": {
      const items: Value[] = [];
      for (const el of e.elements) {
        if (el.kind !== "spread") items.push(evaluate(s, m, el, env, what));
        else {
          const v = evaluate(s, m, el.expr, env, what);
          if (v.t !== "array") throw nonStatic(m, el, what, "a spread of a value that is not a static array", "write the items inline");
          items.push(...v.items);
        }
      }
      return { t: "array", items, node: e };
    }
    case "regex":
      throw nonStatic(m, e, what, "a regular expression", "parameters must be JSON values");
    case "spread":
      throw nonStatic(m, e, what, "a spread", HINT_VALUE);
    case "arrow":
      throw nonStatic(m, e, what, "a function", HINT_VALUE);
    case "other":
      throw nonStatic(m, e, what, e.what, HINT_VALUE);
  }
}

/** The pieces of a string-like value (a literal or a template string with references). */
export function piecesOf(m: Module, v: Value, at: Node, what: string): Piece[] {
  if (v.t === "text") return [...v.pieces];
  if (v.t === "json" && v.v !== null && typeof v.v !== "object") {
    const text = String(v.v);
    return [{ text, node: v.node, exact: typeof v.v === "string" && v.exact === true }];
  }
  if (v.t === "ref") return [{ text: placeholder(v.root, v.path), node: v.node, exact: false, ref: { step: v.step } }];
  if (v.t === "json" || v.t === "undefined") return [{ text: v.t === "json" ? String(v.v) : "undefined", node: v.node, exact: false }];
  throw nonStatic(m, at, what, `${describe(v)} inside a template string`, "use a literal or a reference (x.out.field) in ${...}");
}

function template(s: Session, m: Module, e: Extract<Expr, { kind: "template" }>, env: Env, what: string): Value {
  const pieces: Piece[] = [];
  const text = (t: { value: string; exact: boolean; start: number; end: number }) => {
    if (t.value !== "") pieces.push({ text: t.value, node: { start: t.start, end: t.end }, exact: t.exact });
  };
  text(e.head);
  for (const part of e.parts) {
    const v = evaluate(s, m, part.expr, env, what);
    pieces.push(...piecesOf(m, v, part.expr, what));
    text(part.text);
  }
  if (pieces.every((p) => !p.ref)) {
    return {
      t: "json",
      v: pieces.map((p) => p.text).join(""),
      node: e,
      exact: pieces.length === 1 && pieces[0]!.exact && e.parts.length === 0,
    };
  }
  return { t: "text", pieces, node: e };
}

/** The placeholder of a reference, as the runtime prints it. */
export const placeholder = (root: string, path: readonly (string | number)[]): string => printPlaceholder(root, path);

function member(s: Session, m: Module, object: Value, name: string, node: Node, what: string): Value {
  switch (object.t) {
    case "input":
      return { t: "ref", root: name, path: [], step: undefined, node };
    case "ref":
      return { ...object, path: [...object.path, /^(0|[1-9]\d*)$/.test(name) ? Number(name) : name], node };
    case "ctx":
      if (name === "input") return { t: "input", node };
      if (name === "step") return { t: "builtin", name: "step", node, scope: object.scope };
      break;
    case "step":
      if (name === "out") return { t: "ref", root: object.step.id, path: [], step: object.step, node };
      // the step's error message (`{{step.error}}`), for failure handlers
      if (name === "error") return { t: "ref", root: object.step.id, path: ["error"], step: object.step, node };
      if (name === "id") return { t: "json", v: object.step.id, node };
      break;
    case "dsl-ns":
      return { t: "builtin", name: name, node };
    case "module-ns":
      return s.lookupExport(m, object.module, name, node, what);
    case "object":
      if (object.props.has(name)) return object.props.get(name)!;
      break;
    case "array":
      if (/^\d+$/.test(name) && Number(name) < object.items.length) return object.items[Number(name)]!;
      break;
  }
  throw nonStatic(m, node, what, `${describe(object)} without a static property "${name}"`, HINT_VALUE);
}

function call(s: Session, m: Module, e: Extract<Expr, { kind: "call" }>, env: Env, what: string): Value {
  if (e.callee.kind === "member") {
    const receiver = evaluate(s, m, e.callee.object, env, what);
    if (receiver.t === "step" || receiver.t === "start") return callMethod(s, m, receiver, e.callee, e, env, what);
    if (receiver.t === "dsl-ns") return callBuiltin(s, m, { t: "builtin", name: e.callee.name, node: e.callee }, e, env, what);
    if (receiver.t === "ctx" && e.callee.name === "step")
      return callBuiltin(s, m, { t: "builtin", name: "step", node: e.callee, scope: receiver.scope }, e, env, what);
    throw nonStatic(m, e, what, "a function call", HINT_CALL);
  }
  let callee: Value;
  try {
    callee = evaluate(s, m, e.callee, env, what);
  } catch (error) {
    if (error instanceof NonStatic && error.node === e.callee) throw nonStatic(m, e, what, "a function call", HINT_CALL);
    throw error;
  }
  if (callee.t === "builtin") return callBuiltin(s, m, callee, e, env, what);
  throw nonStatic(m, e, what, "a function call", HINT_CALL);
}

export function describe(v: Value): string {
  switch (v.t) {
    case "json":
      return v.v === null ? "null" : `a ${typeof v.v}`;
    case "undefined":
      return "undefined";
    case "text":
      return "a template string";
    case "object":
      return "an object";
    case "array":
      return "an array";
    case "ref":
      return "a reference";
    case "step":
    case "start":
      return "a step";
    case "tool":
      return "a tool";
    case "workflow":
      return "a workflow";
    case "cond":
      return "a condition";
    case "builtin":
      return "a function";
    case "module-ns":
      return "a module namespace";
    default:
      return "the workflow's context";
  }
}

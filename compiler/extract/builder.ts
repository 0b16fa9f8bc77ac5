/**
 * @module The DSL's calls, interpreted statically: `step(id).tool(t)` / `.workflow(w)`, the builder methods, the
 * condition helpers (producing exactly the condition text `dsl/conditions.ts` produces: literals and placeholders
 * printed by `src/condition/print.ts`, joined in its forms), `tool()` and `workflow()`.
 */
import { printLiteral } from "../../src/condition/print.js";
import type { Backoff } from "../../src/model/schema.js";
import type { Expr, Module, Node } from "./syntax.js";
import { evaluate, placeholder, describe, type Env } from "./evaluate.js";
import { fieldTree } from "./field-tree.js";
import type { Session } from "./session.js";
import { HINT_CALL, type MapRec, nonStatic, type Piece, type StepRec, type Value } from "./values.js";
import { ITEM_INDEX } from "../../src/model/compile-step.js";

type Call = Extract<Expr, { kind: "call" }>;
type Member = Extract<Expr, { kind: "member" }>;
type Cond = Extract<Value, { t: "cond" }>;

const COMPARISONS: Record<string, string> = { eq: "==", ne: "!=", gt: ">", gte: ">=", lt: "<", lte: "<=" };

export function callBuiltin(s: Session, m: Module, fn: Extract<Value, { t: "builtin" }>, e: Call, env: Env, what: string): Value {
  const arg = (i: number, w = what) => {
    const a = e.args[i];
    if (!a) throw nonStatic(m, e, w, `a call of ${fn.name}() without argument ${i + 1}`, "pass every argument");
    return evaluate(s, m, a, env, w);
  };
  const args = () => e.args.map((_, i) => arg(i));
  switch (fn.name) {
    case "step": {
      const id = arg(0, "a step id");
      if (!fn.scope) throw nonStatic(m, e, what, "a step outside a workflow body", "declare steps inside the body");
      if (id.t !== "json" || typeof id.v !== "string")
        throw nonStatic(m, e.args[0]!, "a step id", describe(id), 'name the step with a string literal: step("build")');
      return { t: "start", id: id.v, idNode: e.args[0]!, node: e, scope: fn.scope };
    }
    case "tool":
      return { t: "tool", tool: s.tool(m, e, what), node: e };
    case "withOutput": {
      // the same tool (name, definition, annotations), whose fields are now those of the schema given
      const base = arg(0);
      if (base.t !== "tool") throw nonStatic(m, e.args[0]!, what, describe(base), "pass a tool made with tool(name, { input, output })");
      const output = e.args[1] ? fieldTree(s, m, e.args[1]) : { kind: "unknown" as const };
      return { t: "tool", tool: { ...base.tool, output }, node: e };
    }
    case "workflow":
      return { t: "workflow", wf: s.workflow(m, e, e, what), node: e };
    case "isTrue":
      return cond([operand(m, arg(0), e.args[0]!, what)], e);
    case "and":
    case "or": {
      if (e.args.length === 0) throw nonStatic(m, e, what, `${fn.name}() without conditions`, "pass at least one condition");
      const parts = args().map((c, i) => condOf(m, c, e.args[i]!, what));
      return cond(
        parts.flatMap((c, i) => [...(i > 0 ? [text(` ${fn.name} `, e)] : []), text("(", e), ...c.pieces, text(")", e)]),
        e,
      );
    }
    case "not":
      return cond([text("not (", e), ...condOf(m, arg(0), e.args[0]!, what).pieces, text(")", e)], e);
    case "failed":
    case "succeeded":
      return cond([outcome(m, arg(0), e.args[0]!, what), text(` == ${fn.name === "succeeded"}`, e)], e);
    case "finished": {
      if (e.args.length === 0) throw nonStatic(m, e, what, "finished() without steps", "pass at least one step");
      const steps = args().map((v, i) => outcome(m, v, e.args[i]!, what));
      return cond(
        steps.flatMap((p, i) => [...(i > 0 ? [text(" and ", e)] : []), p, text(" != null", e)]),
        e,
      );
    }
  }
  const op = COMPARISONS[fn.name];
  if (op) return cond([operand(m, arg(0), e.args[0]!, what), text(` ${op} `, e), operand(m, arg(1), e.args[1]!, what)], e);
  throw nonStatic(m, e, what, "a function call", HINT_CALL);
}

const text = (t: string, node: Node): Piece => ({ text: t, node, exact: false });
const cond = (pieces: Piece[], node: Node): Cond => ({ t: "cond", pieces, node });

function condOf(m: Module, v: Value, at: Node, what: string): Cond {
  if (v.t === "cond") return v;
  throw nonStatic(m, at, what, describe(v), "use a condition helper: eq, gt, and, failed(step), ...");
}

function outcome(m: Module, v: Value, at: Node, what: string): Piece {
  if (v.t !== "step") throw nonStatic(m, at, what, describe(v), "pass a step declared in this workflow");
  return { text: placeholder(v.step.id, ["success"]), node: at, exact: false, ref: { step: v.step } };
}

/** A condition operand, formatted as `operand()` in dsl/conditions.ts does. */
function operand(m: Module, v: Value, at: Node, what: string): Piece {
  if (v.t === "ref") return { text: placeholder(v.root, v.path), node: at, exact: false, ref: { step: v.step } };
  if (v.t === "json") {
    if (typeof v.v === "string") {
      if (v.v.includes("{{")) throw nonStatic(m, at, what, 'a condition literal containing "{{"', "compare with a reference instead");
      return { text: printLiteral(v.v), node: at, exact: false };
    }
    if (typeof v.v === "number" ? Number.isFinite(v.v) : typeof v.v === "boolean" || v.v === null)
      return { text: printLiteral(v.v), node: at, exact: false };
  }
  throw nonStatic(m, at, what, describe(v), "compare a reference with a string, number, boolean or null literal");
}

export function callMethod(
  s: Session,
  m: Module,
  recv: Extract<Value, { t: "step" | "start" }>,
  callee: Member,
  e: Call,
  env: Env,
  what: string,
): Value {
  const name = callee.name;
  if (recv.t === "start") {
    const a = e.args[0];
    const scope = recv.scope;
    if (name === "forEach" && !recv.forEach) return { ...recv, forEach: mapOf(s, m, recv.id, e, env), node: e };
    if (!a || (name !== "tool" && name !== "workflow"))
      throw nonStatic(m, e, what, `.${name}() on step("${recv.id}")`, "continue with .tool(t) or .workflow(w)");
    const target = evaluate(s, m, a, env, `the tool of step "${recv.id}"`);
    if (name === "tool" && target.t !== "tool")
      throw nonStatic(m, a, `the tool of step "${recv.id}"`, describe(target), "pass a tool made with tool(name, { input, output })");
    if (name === "workflow" && target.t !== "workflow")
      throw nonStatic(m, a, `the sub-workflow of step "${recv.id}"`, describe(target), "pass a workflow made with workflow(name, ...)");
    const step: StepRec = {
      id: recv.id,
      index: scope.steps.length,
      call: recv.node,
      idNode: recv.idNode,
      targetNode: a,
      after: [],
      ...(target.t === "tool" ? { tool: target.tool } : target.t === "workflow" ? { sub: target.wf } : {}),
      ...(recv.forEach ? { forEach: recv.forEach } : {}),
    };
    scope.steps.push(step);
    return { t: "step", step, node: e };
  }
  const step = recv.step;
  const arg = (i: number, w: string) => {
    const a = e.args[i];
    if (!a) throw nonStatic(m, e, w, `.${name}() without an argument`, "pass the argument");
    // a map step's .with() and .when() take a function of its item and index
    if (a.kind === "arrow" && step.forEach && (name === "with" || name === "when"))
      return { value: perItem(s, m, step.forEach, a, env, w), node: a };
    return { value: evaluate(s, m, a, env, w), node: a };
  };
  const number = (v: { value: Value; node: Node }, w: string) => {
    if (v.value.t !== "json" || typeof v.value.v !== "number")
      throw nonStatic(m, v.node, w, describe(v.value), "write a number literal or a const");
    return { value: v.value.v, node: v.node };
  };
  switch (name) {
    case "with": {
      const w = `the parameters of step "${step.id}"`;
      const p = arg(0, w);
      if (p.value.t !== "object") throw nonStatic(m, p.node, w, describe(p.value), HINT_CALL);
      step.params = p.value;
      break;
    }
    case "then": {
      const w = `the order of step "${step.id}"`;
      const next = arg(0, w);
      if (next.value.t !== "step") throw nonStatic(m, next.node, w, describe(next.value), 'pass a step: a.then(step("b")...)');
      next.value.step.after.push({
        step,
        node: callee.object.kind === "ident" ? callee.object : { start: callee.nameStart, end: callee.end },
      });
      return { ...next.value, node: e };
    }
    case "after":
      e.args.forEach((_, i) => {
        const w = `the order of step "${step.id}"`;
        const other = arg(i, w);
        if (other.value.t !== "step") throw nonStatic(m, other.node, w, describe(other.value), "pass steps declared in this workflow");
        step.after.push({ step: other.value.step, node: other.node });
      });
      break;
    case "when": {
      const w = `the condition of step "${step.id}"`;
      const c = arg(0, w);
      if (c.value.t === "ref")
        step.condition = cond(
          [{ text: placeholder(c.value.root, c.value.path), node: c.node, exact: false, ref: { step: c.value.step } }],
          c.node,
        );
      else step.condition = { ...condOf(m, c.value, c.node, w), node: c.node };
      break;
    }
    case "retry": {
      const w = `the retry policy of step "${step.id}"`;
      const p = arg(0, w);
      if (p.value.t !== "object") throw nonStatic(m, p.node, w, describe(p.value), "write { max, delayMs, backoff } inline");
      const prop = (k: string) => {
        const v = (p.value as Extract<Value, { t: "object" }>).props.get(k);
        return v && v.t !== "undefined" ? { value: v, node: v.node } : undefined;
      };
      const max = prop("max");
      if (!max) throw nonStatic(m, p.node, w, "a retry policy without max", "write { max: n }");
      step.maxRetries = number(max, w);
      const delay = prop("delayMs");
      if (delay) step.retryDelayMs = number(delay, w);
      const backoff = prop("backoff");
      if (backoff) {
        if (backoff.value.t !== "json" || (backoff.value.v !== "fixed" && backoff.value.v !== "exponential"))
          throw nonStatic(m, backoff.node, w, describe(backoff.value), 'write "fixed" or "exponential"');
        step.backoff = { value: backoff.value.v as Backoff, node: backoff.node };
      }
      break;
    }
    case "timeout":
      step.timeoutMs = number(arg(0, `the timeout of step "${step.id}"`), `the timeout of step "${step.id}"`);
      break;
    case "describe": {
      const w = `the description of step "${step.id}"`;
      const d = arg(0, w);
      if (d.value.t !== "json" || typeof d.value.v !== "string") throw nonStatic(m, d.node, w, describe(d.value), "write a string literal");
      step.description = { value: d.value.v, node: d.node };
      break;
    }
    default:
      throw nonStatic(m, e, what, `.${name}(), not a step builder method`, "use with, then, after, when, retry, timeout or describe");
  }
  return { ...recv, node: e };
}

/** `.forEach(list, { as, concurrency })` of `step(id)`: the list must be a reference, the options literals. */
function mapOf(s: Session, m: Module, id: string, e: Call, env: Env): MapRec {
  const what = `the list of map step "${id}"`;
  const a = e.args[0];
  if (!a) throw nonStatic(m, e, what, ".forEach() without a list", "pass a reference to a list: .forEach(files.out.paths)");
  const list = evaluate(s, m, a, env, what);
  if (list.t !== "ref") throw nonStatic(m, a, what, describe(list), "pass a reference to a list: a step's output or an input");
  const given = e.args[1] ? evaluate(s, m, e.args[1], env, `the options of map step "${id}"`) : undefined;
  if (given !== undefined && given.t !== "object")
    throw nonStatic(m, e.args[1]!, `the options of map step "${id}"`, describe(given), "write { as, concurrency } inline");
  const option = (key: string, type: "string" | "number") => {
    const v = given?.t === "object" ? given.props.get(key) : undefined;
    if (v === undefined || v.t === "undefined") return undefined;
    if (v.t !== "json" || typeof v.v !== type)
      throw nonStatic(m, v.node, `the ${key} of map step "${id}"`, describe(v), `write a ${type} literal or a const`);
    return { value: v.v as never, node: v.node };
  };
  const as = option("as", "string") as { value: string; node: Node } | undefined;
  const concurrency = option("concurrency", "number") as { value: number; node: Node } | undefined;
  return { list, as: as?.value ?? "item", ...(concurrency ? { concurrency } : {}), node: e };
}

/** A map step's `(item, index) => value`, evaluated with its parameters bound to the item's placeholders. */
function perItem(s: Session, m: Module, map: MapRec, fn: Extract<Expr, { kind: "arrow" }>, env: Env, what: string): Value {
  if (!("kind" in fn.body))
    throw nonStatic(m, fn, what, "a function with a block body", "write it with an expression body: (item) => ({ ... })");
  const inner: Env = new Map(env);
  const bind = (k: number, root: string) => {
    const p = fn.params[k];
    if (!p) return;
    if (p.kind !== "ident") throw nonStatic(m, p, what, "a destructured parameter", "name the item and index: (item, index) => ...");
    inner.set(p.name, { t: "ref", root, path: [], step: undefined, node: p });
  };
  bind(0, map.as);
  bind(1, ITEM_INDEX);
  return evaluate(s, m, fn.body, inner, what);
}

/**
 * @module The JSON Schema of a workflow's zod input, computed statically so that it deep-equals what
 * `z.toJSONSchema(input, { io: "input", unrepresentable: "any" })` returns at run time, for the subset:
 * object, string, number, int, boolean, null, any, unknown, enum, literal, array; optional, nullable, default,
 * describe, the DSL's secret(); min, max, length, nonempty, regex, url, int, positive, nonnegative, negative,
 * nonpositive, gt, gte, lt, lte.
 * Anything else is `non-static` at the part of the schema that is outside the subset.
 */
import type { JsonValue } from "../../src/model/schema.js";
import type { Expr, Module } from "./syntax.js";
import type { Session } from "./session.js";
import { evaluate, describe } from "./evaluate.js";
import { nonStatic, type Value } from "./values.js";
import { isChain, zodChain, type ZodCall } from "./zod-chain.js";

type Js = Record<string, JsonValue>;
interface Schema {
  readonly render: () => Js;
  readonly optional: boolean;
}

const HINT =
  "use z.object with z.string/number/boolean/enum/literal/array, .optional(), .default(v), .describe(), secret(), .min()/.max()/.int()/.regex()";
const MAX = Number.MAX_SAFE_INTEGER;

export function inputJsonSchema(s: Session, m: Module, e: Expr, what: string): Js {
  return { $schema: "https://json-schema.org/draft/2020-12/schema", ...schema(s, m, e, what).render() };
}

function schema(s: Session, m: Module, e: Expr, what: string): Schema {
  const chain = zodChain(s, m, e);
  if (!isChain(chain)) throw nonStatic(chain.module, chain.node, what, chain.why, HINT);
  const base = baseSchema(s, chain.base, what);
  let current: Schema = { render: base.render, optional: false };
  let isBase = true;
  for (const method of chain.methods) {
    const inner = current;
    if (method.name === "describe") {
      const text = literal(s, method, 0, what);
      if (typeof text !== "string")
        throw nonStatic(method.module, method.node, what, "a description that is not a string", "write a string literal");
      if (isBase) base.json.description = text;
      else current = { render: () => ({ description: text, ...inner.render() }), optional: inner.optional };
    } else if (method.name === "secret") {
      // the DSL's secret(): zod's `.meta({ writeOnly: true })`, which toJSONSchema writes beside the schema's own keys
      if (isBase) base.json.writeOnly = true;
      else current = { render: () => ({ ...inner.render(), writeOnly: true }), optional: inner.optional };
    } else if (method.name === "optional") {
      current = { render: inner.render, optional: true };
      isBase = false;
    } else if (method.name === "default") {
      const value = literal(s, method, 0, what);
      current = { render: () => ({ default: value, ...inner.render() }), optional: true };
      isBase = false;
    } else if (method.name === "nullable") {
      current = { render: () => nullable(inner.render()), optional: inner.optional };
      isBase = false;
    } else if (isBase && base.check(method)) {
    } else {
      throw nonStatic(method.module, method.node, what, `.${method.name}(), outside the schema subset the compiler converts`, HINT);
    }
  }
  return current;
}

function nullable(inner: Js): Js {
  const keys = Object.keys(inner);
  if (keys.length === 1 && typeof inner.type === "string") return { type: [inner.type, "null"] };
  return { anyOf: [inner, { type: "null" }] };
}

function literal(s: Session, call: ZodCall, i: number, what: string): JsonValue {
  const arg = call.args[i];
  if (!arg) throw nonStatic(call.module, call.node, what, `.${call.name}() without an argument`, "pass the value");
  return toJson(call.module, evaluate(s, call.module, arg, new Map(), what), what);
}

function toJson(m: Module, v: Value, what: string): JsonValue {
  if (v.t === "json") return v.v;
  if (v.t === "array") return v.items.map((x) => toJson(m, x, what));
  if (v.t === "object")
    return Object.fromEntries([...v.props].filter(([, x]) => x.t !== "undefined").map(([k, x]) => [k, toJson(m, x, what)]));
  throw nonStatic(m, v.node, what, describe(v), "write a JSON literal");
}

interface Base {
  readonly json: Js;
  render(): Js;
  /** Applies a check method; false when it is not one this base supports. */
  check(call: ZodCall): boolean;
}

function baseSchema(s: Session, call: ZodCall, what: string): Base {
  const json: Js = {};
  const plain = (render: () => Js, check: (c: ZodCall) => boolean = () => false): Base => ({
    json,
    render: () => ({ ...render(), ...json }),
    check,
  });
  switch (call.name) {
    case "string": {
      const patterns: string[] = [];
      const out: Js = { type: "string" };
      return {
        json,
        render: () => ({
          ...out,
          ...(patterns.length === 1
            ? { pattern: patterns[0]! }
            : patterns.length > 1
              ? { allOf: patterns.map((p) => ({ pattern: p })) }
              : {}),
          ...json,
        }),
        check(c) {
          const n = () => numberArg(s, c, what);
          if (c.name === "min" || c.name === "nonempty") out.minLength = Math.max(Number(out.minLength ?? 0), c.name === "min" ? n() : 1);
          else if (c.name === "max") out.maxLength = n();
          else if (c.name === "length") out.minLength = out.maxLength = n();
          else if (c.name === "url") out.format = "uri";
          else if (c.name === "regex" && c.args[0]?.kind === "regex") patterns.push(c.args[0].pattern);
          else return false;
          return true;
        },
      };
    }
    case "number":
    case "int": {
      const out: { type: string; minimum?: number; exclusiveMinimum?: number; maximum?: number; exclusiveMaximum?: number } = {
        type: call.name === "int" ? "integer" : "number",
      };
      return {
        json,
        render: () => {
          const r: Js = { ...out };
          if (out.type === "integer" && out.minimum === undefined && out.exclusiveMinimum === undefined) r.minimum = -MAX;
          if (out.type === "integer" && out.maximum === undefined && out.exclusiveMaximum === undefined) r.maximum = MAX;
          return { type: r.type!, ...r, ...json };
        },
        check(c) {
          const n = () => numberArg(s, c, what);
          const low = (v: number) => (out.minimum = Math.max(out.minimum ?? -Infinity, v));
          const high = (v: number) => (out.maximum = Math.min(out.maximum ?? Infinity, v));
          if (c.name === "int") out.type = "integer";
          else if (c.name === "min" || c.name === "gte") low(n());
          else if (c.name === "max" || c.name === "lte") high(n());
          else if (c.name === "gt" || c.name === "positive") out.exclusiveMinimum = c.name === "gt" ? n() : 0;
          else if (c.name === "lt" || c.name === "negative") out.exclusiveMaximum = c.name === "lt" ? n() : 0;
          else if (c.name === "nonnegative") low(0);
          else if (c.name === "nonpositive") high(0);
          else return false;
          return true;
        },
      };
    }
    case "boolean":
      return plain(() => ({ type: "boolean" }));
    case "null":
      return plain(() => ({ type: "null" }));
    case "any":
    case "unknown":
      return plain(() => ({}));
    case "enum": {
      const values = literal(s, call, 0, what);
      if (!Array.isArray(values) || !values.every((v) => typeof v === "string"))
        throw nonStatic(call.module, call.node, what, "an enum that is not an array of strings", HINT);
      return plain(() => ({ type: "string", enum: values }));
    }
    case "literal": {
      const v = literal(s, call, 0, what);
      if (v === null || typeof v === "object") throw nonStatic(call.module, call.node, what, "a literal of this kind", HINT);
      return plain(() => ({ type: typeof v, const: v }));
    }
    case "array": {
      const item = call.args[0] ? schema(s, call.module, call.args[0], what) : undefined;
      if (!item) throw nonStatic(call.module, call.node, what, "z.array() without an item schema", HINT);
      const out: Js = {};
      return {
        json,
        render: () => ({ ...out, type: "array", items: item.render(), ...json }),
        check(c) {
          if (c.name === "min" || c.name === "nonempty") out.minItems = c.name === "min" ? numberArg(s, c, what) : 1;
          else if (c.name === "max") out.maxItems = numberArg(s, c, what);
          else if (c.name === "length") out.minItems = out.maxItems = numberArg(s, c, what);
          else return false;
          return true;
        },
      };
    }
    case "object": {
      const shape = call.args[0];
      if (shape?.kind !== "object")
        throw nonStatic(call.module, shape ?? call.node, what, "an object schema whose shape is not an object literal", HINT);
      const properties: Record<string, Schema> = {};
      for (const p of shape.props) {
        if (p.kind !== "prop") throw nonStatic(call.module, p, what, p.kind === "spread" ? "a spread in a schema shape" : p.what, HINT);
        properties[p.key] = schema(s, call.module, p.value, what);
      }
      return plain(() => {
        const required = Object.keys(properties).filter((k) => !properties[k]!.optional);
        return {
          type: "object",
          properties: Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, v.render()])),
          ...(required.length > 0 ? { required } : {}),
        };
      });
    }
  }
  throw nonStatic(call.module, call.node, what, `z.${call.name}(), outside the schema subset the compiler converts`, HINT);
}

function numberArg(s: Session, c: ZodCall, what: string): number {
  const v = literal(s, c, 0, what);
  if (typeof v !== "number")
    throw nonStatic(c.module, c.node, what, `.${c.name}() with a bound that is not a number`, "write a number literal");
  return v;
}

/**
 * @module A template's own `inputs` JSON Schema (as toolweave writes it from a DSL workflow's zod input) back to zod:
 * the source of `z.object({ ... })` and the same schema at run time, so that `weave migrate` keeps the variables'
 * types, defaults and descriptions. Only the subset the compiler converts statically is read (string, number,
 * integer, boolean, unknown, enum, array, object; description, default, bounds); the result is used only when zod
 * turns it back into exactly the JSON Schema it came from.
 */
import { z } from "zod";
import type { JsonValue } from "../../src/model/schema.js";
import { isPlainObject, propertyKey } from "../../src/codegen/value-shape.js";
import { jsonEqual } from "../../src/condition/values.js";

export type DeclaredType =
  | { readonly kind: "string"; readonly enum?: readonly string[] }
  | { readonly kind: "number" | "boolean" | "unknown" }
  | { readonly kind: "array"; readonly items: Declared }
  | { readonly kind: "object"; readonly fields: ReadonlyMap<string, Declared> };

/** A schema node: its type, the checks and annotations on it, and whether it may be left out. */
export type Declared = DeclaredType & {
  readonly checks: readonly string[];
  readonly description?: string;
  /** A default makes the value optional to callers and always present in the body. */
  readonly default?: JsonValue;
  /** Left out of `required`, without a default. */
  readonly optional: boolean;
};

const MAX = Number.MAX_SAFE_INTEGER;

/** The declared variables of `inputs`, or undefined when it is outside the subset or does not round-trip. */
export function readDeclaredInputs(inputs: Record<string, JsonValue>): ReadonlyMap<string, Declared> | undefined {
  const { $schema: _schema, ...root } = inputs;
  const node = read(root, false);
  if (node?.kind !== "object" || node.checks.length > 0 || node.description !== undefined || node.default !== undefined) return undefined;
  const runtime = z.toJSONSchema(zodOf(node), { io: "input", unrepresentable: "any" }) as Record<string, JsonValue>;
  return jsonEqual(runtime, inputs.$schema === undefined ? { ...root, $schema: runtime.$schema! } : inputs) ? node.fields : undefined;
}

function read(raw: JsonValue, optional: boolean): Declared | undefined {
  if (!isPlainObject(raw)) return undefined;
  const { type, description, default: dflt, ...rest } = raw as Record<string, JsonValue>;
  if (description !== undefined && typeof description !== "string") return undefined;
  const base = {
    ...(description !== undefined ? { description } : {}),
    ...(dflt !== undefined ? { default: dflt } : {}),
    optional: optional && dflt === undefined,
  };
  const checks: string[] = [];
  const take = (key: string, method: string): boolean => {
    const v = rest[key];
    if (v === undefined) return true;
    delete rest[key];
    if (typeof v !== "number") return false;
    checks.push(`.${method}(${JSON.stringify(v)})`);
    return true;
  };
  switch (type) {
    case undefined:
      return Object.keys(rest).length === 0 ? { kind: "unknown", checks, ...base } : undefined;
    case "string": {
      const values = rest.enum;
      delete rest.enum;
      if (values !== undefined && !(Array.isArray(values) && values.length > 0 && values.every((v) => typeof v === "string")))
        return undefined;
      if (!take("minLength", "min") || !take("maxLength", "max") || Object.keys(rest).length > 0) return undefined;
      return values === undefined ? { kind: "string", checks, ...base } : { kind: "string", enum: values as string[], checks, ...base };
    }
    case "integer":
    case "number": {
      if (type === "integer") {
        checks.push(".int()");
        if (rest.minimum === -MAX) delete rest.minimum;
        if (rest.maximum === MAX) delete rest.maximum;
      }
      if (
        !take("minimum", "min") ||
        !take("maximum", "max") ||
        !take("exclusiveMinimum", "gt") ||
        !take("exclusiveMaximum", "lt") ||
        Object.keys(rest).length > 0
      )
        return undefined;
      return { kind: "number", checks, ...base };
    }
    case "boolean":
      return Object.keys(rest).length === 0 ? { kind: "boolean", checks, ...base } : undefined;
    case "array": {
      const items = rest.items === undefined ? undefined : read(rest.items, false);
      delete rest.items;
      if (!items || items.optional || !take("minItems", "min") || !take("maxItems", "max") || Object.keys(rest).length > 0)
        return undefined;
      return { kind: "array", items, checks, ...base };
    }
    case "object": {
      const { properties, required, ...others } = rest;
      if (Object.keys(others).length > 0 || (properties !== undefined && !isPlainObject(properties))) return undefined;
      if (required !== undefined && !(Array.isArray(required) && required.every((r) => typeof r === "string"))) return undefined;
      const fields = new Map<string, Declared>();
      for (const [k, v] of Object.entries((properties ?? {}) as Record<string, JsonValue>)) {
        const field = read(v, !(required as string[] | undefined)?.includes(k));
        if (!field || k === "__proto__") return undefined;
        fields.set(k, field);
      }
      return { kind: "object", fields, checks, ...base };
    }
    default:
      return undefined;
  }
}

/** The runtime schema, built as the source below builds it. */
function zodOf(d: Declared): z.ZodType {
  let s: z.ZodType;
  switch (d.kind) {
    case "string":
      s = d.enum ? z.enum(d.enum as [string, ...string[]]) : z.string();
      break;
    case "number":
      s = z.number();
      break;
    case "boolean":
      s = z.boolean();
      break;
    case "unknown":
      s = z.unknown();
      break;
    case "array":
      s = z.array(zodOf(d.items));
      break;
    case "object":
      s = z.object(Object.fromEntries([...d.fields].map(([k, f]) => [k, zodOf(f)])));
      break;
  }
  for (const check of d.checks) {
    const [, method, arg] = /^\.(\w+)\((.*)\)$/.exec(check)!;
    s = (s as unknown as Record<string, (...args: unknown[]) => z.ZodType>)[method!]!(...(arg === "" ? [] : [JSON.parse(arg!)]));
  }
  if (d.description !== undefined) s = s.describe(d.description);
  if (d.default !== undefined) s = s.default(d.default as never);
  else if (d.optional) s = s.optional();
  return s;
}

/** The source of the schema of `fields` (the workflow's `input:`), `indent` being its line's indentation. */
export function declaredSource(fields: ReadonlyMap<string, Declared>, indent = "  "): string {
  if (fields.size === 0) return "z.object({})";
  return `z.object({\n${[...fields].map(([k, f]) => `${indent}  ${propertyKey(k)}: ${source(f, `${indent}  `)},`).join("\n")}\n${indent}})`;
}

function source(d: Declared, indent: string): string {
  let s: string;
  switch (d.kind) {
    case "string":
      s = d.enum ? `z.enum([${d.enum.map((v) => JSON.stringify(v)).join(", ")}])` : "z.string()";
      break;
    case "number":
    case "boolean":
    case "unknown":
      s = `z.${d.kind}()`;
      break;
    case "array":
      s = `z.array(${source(d.items, indent)})`;
      break;
    case "object":
      s = declaredSource(d.fields, indent);
      break;
  }
  s += d.checks.join("");
  if (d.description !== undefined) s += `.describe(${JSON.stringify(d.description)})`;
  if (d.default !== undefined) s += `.default(${JSON.stringify(d.default)})`;
  else if (d.optional) s += ".optional()";
  return s;
}

/**
 * @module The shape of observed JSON values (what every sample had in common), rendered as a zod schema: at run
 * time (for a workflow's `inputs` JSON Schema) and as source text (for the emitted DSL file), from one description.
 *
 * Shapes are normalised as they are built: a value that was sometimes `null` is `nullable`; a value whose kinds
 * otherwise differ is `unknown`. So every shape is in the zod subset the compiler converts statically.
 */
import { z } from "zod";
import type { PathSegment } from "../placeholder/path.js";

export type Shape =
  /** `any`: a value of unknown type that conditions may still compare (`eq(ref, null)` needs more than `unknown`). */
  | { readonly kind: "string" | "number" | "boolean" | "null" | "unknown" | "any" }
  | { readonly kind: "array"; readonly items: Shape | undefined }
  /** `open`: fields not listed are kept (`z.looseObject`), for a value that is also used whole. */
  | { readonly kind: "object"; readonly fields: ReadonlyMap<string, Field>; readonly open?: boolean }
  | { readonly kind: "nullable"; readonly inner: Shape };

export interface Field {
  readonly shape: Shape;
  readonly optional: boolean;
}

const UNKNOWN: Shape = { kind: "unknown" };
const ANY: Shape = { kind: "any" };
const PRIMITIVE = new Set(["string", "number", "boolean"]);

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null &&
  typeof v === "object" &&
  !Array.isArray(v) &&
  (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);

/** Keys that would not survive as object-literal keys in source (`{ "__proto__": x }` sets the prototype). */
export const isUsableKey = (key: string): boolean => key !== "__proto__";

/** The shape of one value. */
export function shapeOf(value: unknown): Shape {
  if (value === null) return { kind: "null" };
  if (typeof value === "string") return { kind: "string" };
  if (typeof value === "number") return Number.isFinite(value) ? { kind: "number" } : UNKNOWN;
  if (typeof value === "boolean") return { kind: "boolean" };
  if (Array.isArray(value)) return { kind: "array", items: value.reduce<Shape | undefined>((s, v) => merge(s, shapeOf(v)), undefined) };
  if (isPlainObject(value)) {
    const fields = new Map<string, Field>();
    for (const [k, v] of Object.entries(value))
      if (isUsableKey(k) && v !== undefined) fields.set(k, { shape: shapeOf(v), optional: false });
    return { kind: "object", fields };
  }
  return UNKNOWN;
}

/** The shape of every value in `values` (undefined when there are none). */
export function shapeOfAll(values: Iterable<unknown>): Shape | undefined {
  let s: Shape | undefined;
  for (const v of values) s = merge(s, shapeOf(v));
  return s;
}

/** The least shape that covers both. */
export function merge(a: Shape | undefined, b: Shape): Shape {
  if (a === undefined) return b;
  // null with a value of unknown type: `any`, since a DSL parameter typed `unknown` does not take a null literal
  if (a.kind === "any" || b.kind === "any") return ANY;
  if (a.kind === "unknown" || b.kind === "unknown") return isNullish(a) || isNullish(b) ? ANY : UNKNOWN;
  if (a.kind === "null" && b.kind === "null") return a;
  if (a.kind === "null") return nullable(b);
  if (b.kind === "null") return nullable(a);
  if (a.kind === "nullable" || b.kind === "nullable")
    return nullable(merge(a.kind === "nullable" ? a.inner : a, b.kind === "nullable" ? b.inner : b));
  if (a.kind !== b.kind) return UNKNOWN;
  if (a.kind === "array" && b.kind === "array") return { kind: "array", items: b.items === undefined ? a.items : merge(a.items, b.items) };
  if (a.kind === "object" && b.kind === "object") {
    const fields = new Map<string, Field>();
    for (const [k, f] of a.fields) {
      const other = b.fields.get(k);
      fields.set(
        k,
        other ? { shape: merge(f.shape, other.shape), optional: f.optional || other.optional } : { shape: f.shape, optional: true },
      );
    }
    for (const [k, f] of b.fields) if (!a.fields.has(k)) fields.set(k, { shape: f.shape, optional: true });
    return a.open || b.open ? { kind: "object", fields, open: true } : { kind: "object", fields };
  }
  return a;
}

const isNullish = (s: Shape): boolean => s.kind === "null" || s.kind === "nullable";

function nullable(s: Shape): Shape {
  if (s.kind === "unknown") return ANY; // as in merge: a DSL parameter typed `unknown` does not take null
  return s.kind === "nullable" || s.kind === "null" || s.kind === "any" ? s : { kind: "nullable", inner: s };
}

/** The shape at `path` when every value has it (no optional field on the way), else undefined. */
export function requiredShapeAt(shape: Shape, path: readonly PathSegment[]): Shape | undefined {
  let s: Shape | undefined = shape;
  for (const seg of path) {
    if (s === undefined) return undefined;
    if (typeof seg === "number") {
      s = s.kind === "array" ? s.items : undefined;
    } else {
      const f: Field | undefined = s.kind === "object" ? s.fields.get(seg) : undefined;
      if (f === undefined || f.optional) return undefined;
      s = f.shape;
    }
  }
  return s;
}

/** Whether a value of shape `from` may stand where `to` is expected (as the types of the emitted DSL see it). */
export function assignable(from: Shape, to: Shape): boolean {
  if (to.kind === "unknown" || to.kind === "any") return true;
  if (to.kind === "nullable") return from.kind === "null" || assignable(from.kind === "nullable" ? from.inner : from, to.inner);
  return PRIMITIVE.has(from.kind) && from.kind === to.kind;
}

/** The zod schema of a shape (what the emitted source builds). */
export function zodOf(shape: Shape | undefined): z.ZodType {
  if (shape === undefined) return z.unknown();
  switch (shape.kind) {
    case "string":
      return z.string();
    case "number":
      return z.number();
    case "boolean":
      return z.boolean();
    case "null":
      return z.null();
    case "unknown":
      return z.unknown();
    case "any":
      return z.any();
    case "nullable":
      return zodOf(shape.inner).nullable();
    case "array":
      return z.array(zodOf(shape.items));
    case "object": {
      const fields = Object.fromEntries([...shape.fields].map(([k, f]) => [k, f.optional ? zodOf(f.shape).optional() : zodOf(f.shape)]));
      return shape.open ? z.looseObject(fields) : z.object(fields);
    }
  }
}

/** The same schema as source text, `indent` being the indentation of the line it starts on. */
export function zodSource(shape: Shape | undefined, indent = ""): string {
  if (shape === undefined) return "z.unknown()";
  switch (shape.kind) {
    case "string":
    case "number":
    case "boolean":
    case "null":
    case "unknown":
    case "any":
      return `z.${shape.kind}()`;
    case "nullable":
      return `${zodSource(shape.inner, indent)}.nullable()`;
    case "array":
      return `z.array(${zodSource(shape.items, indent)})`;
    case "object": {
      const object = shape.open ? "z.looseObject" : "z.object";
      if (shape.fields.size === 0) return `${object}({})`;
      const entries = [...shape.fields].map(
        ([k, f]) => `${propertyKey(k)}: ${zodSource(f.shape, `${indent}  `)}${f.optional ? ".optional()" : ""}`,
      );
      const flat = `${object}({ ${entries.join(", ")} })`;
      if (flat.length + indent.length <= 110 && !flat.includes("\n")) return flat;
      const inner = [...shape.fields].map(
        ([k, f]) => `${indent}  ${propertyKey(k)}: ${zodSource(f.shape, `${indent}  `)}${f.optional ? ".optional()" : ""},`,
      );
      return `${object}({\n${inner.join("\n")}\n${indent}})`;
    }
  }
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** An object-literal key: bare when it is an identifier, else quoted. */
export function propertyKey(key: string): string {
  return IDENTIFIER.test(key) ? key : JSON.stringify(key);
}

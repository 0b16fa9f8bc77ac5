/**
 * @module A JSON Schema with its local references (`#/$defs/Name`, `#/definitions/Name`, as pydantic and
 * zod-to-json-schema write them) replaced by what they name, since the zod source is written inline. A reference to
 * itself (a recursive type), or one that names nothing, becomes `{}` (any value): the types are then looser than the
 * server's, never stricter, and the server still checks what it receives.
 */
type Json = unknown;

export function inlineRefs(schema: Json): Json {
  const root = schema;
  const resolve = (ref: string): Json => {
    const match = /^#\/(\$defs|definitions)\/(.+)$/.exec(ref);
    if (!match || typeof root !== "object" || root === null) return undefined;
    const defs = (root as Record<string, unknown>)[match[1]!];
    const name = match[2]!.replace(/~1/g, "/").replace(/~0/g, "~");
    return typeof defs === "object" && defs !== null ? (defs as Record<string, unknown>)[name] : undefined;
  };
  const visit = (node: Json, seen: readonly string[]): Json => {
    if (Array.isArray(node)) return node.map((item) => visit(item, seen));
    if (typeof node !== "object" || node === null) return node;
    const record = node as Record<string, unknown>;
    if (typeof record.$ref === "string") {
      const ref = record.$ref;
      const target = seen.includes(ref) ? undefined : resolve(ref);
      const { $ref: _, ...rest } = record;
      if (target === undefined) return visit(rest, seen);
      return visit({ ...(target as object), ...rest }, [...seen, ref]);
    }
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(record)) if (key !== "$defs" && key !== "definitions") out[key] = visit(value, seen);
    return out;
  };
  return visit(schema, []);
}

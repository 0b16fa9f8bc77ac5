/**
 * @module Which variables of a run are secret: the top-level inputs whose JSON Schema says `writeOnly` (the DSL's
 * `secret()` writes it), and any a caller names.
 */
import type { JsonValue } from "../model/schema.js";

/**
 * Names of the top-level properties of an `inputs` JSON Schema that are secret: marked `"writeOnly": true`
 * themselves or anywhere inside (an object input with a secret field is secret as a whole).
 */
export function secretInputNames(inputs: Readonly<Record<string, JsonValue>> | undefined): string[] {
  const properties = inputs?.properties;
  if (!isRecord(properties)) return [];
  return Object.keys(properties).filter((name) => hasWriteOnly(properties[name]));
}

function isRecord(value: unknown): value is Record<string, JsonValue> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Whether a schema says `writeOnly: true` anywhere in it. Iterative: a schema may be nested deep. */
function hasWriteOnly(schema: JsonValue | undefined): boolean {
  const stack: (JsonValue | undefined)[] = [schema];
  const seen = new Set<object>();
  while (stack.length > 0) {
    const value = stack.pop();
    if (value === null || typeof value !== "object" || seen.has(value)) continue;
    seen.add(value);
    if (Array.isArray(value)) {
      stack.push(...value);
      continue;
    }
    if (value.writeOnly === true) return true;
    // `default`, `examples` and `const` hold data, not schemas
    for (const [key, child] of Object.entries(value))
      if (key !== "default" && key !== "examples" && key !== "const" && key !== "enum") stack.push(child);
  }
  return false;
}

/** The secret variables of a run: those named by its inputs' schema and by `extra`, that are set. */
export function secretVariables(
  inputs: Readonly<Record<string, JsonValue>> | undefined,
  variables: Readonly<Record<string, unknown>>,
  extra: readonly string[] = [],
): Record<string, unknown> {
  const secrets: Record<string, unknown> = {};
  for (const name of new Set([...secretInputNames(inputs), ...extra])) {
    if (Object.hasOwn(variables, name) && variables[name] !== undefined) secrets[name] = variables[name];
  }
  return secrets;
}

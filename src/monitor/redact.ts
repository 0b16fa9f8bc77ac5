/**
 * @module Replacing secret fields in tool parameters and results before they are logged.
 */

export const REDACTED = "[REDACTED]";
export const CIRCULAR = "[Circular]";

/**
 * A copy of `value` in which every property whose key matches one of `keys` (case-insensitively, at any depth)
 * has the value `"[REDACTED]"`. Never mutates `value`.
 *
 * Arrays and objects are copied; objects become plain objects of their own enumerable string-keyed properties,
 * which is what `JSON.stringify` would see. Objects with a `toJSON` method (`Date`, `Buffer`, …) are values,
 * not records of fields: they are kept as they are, by reference. A reference back to an object that is being
 * copied (a cycle) becomes `"[Circular]"`; the same object reached twice without a cycle is copied twice.
 */
export function redact(value: unknown, keys: readonly string[]): unknown {
  return redactWith(value, redactionKeys(keys));
}

/** Lower-cased key set for `redactWith`; build it once and reuse it on hot paths. */
export function redactionKeys(keys: readonly string[]): ReadonlySet<string> {
  return new Set(keys.map((key) => key.toLowerCase()));
}

export function redactWith(value: unknown, keys: ReadonlySet<string>): unknown {
  return copy(value, keys, new Set());
}

function copy(value: unknown, keys: ReadonlySet<string>, ancestors: Set<object>): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (ancestors.has(value)) return CIRCULAR;
  if (!Array.isArray(value) && typeof (value as { toJSON?: unknown }).toJSON === "function") return value;
  ancestors.add(value);
  try {
    if (Array.isArray(value)) return value.map((item: unknown) => copy(item, keys, ancestors));
    // fromEntries defines own properties, so a "__proto__" key stays data instead of changing the prototype.
    return Object.fromEntries(
      Object.entries(value).map(([key, field]) => [
        key,
        keys.has(key.toLowerCase()) ? REDACTED : copy(field, keys, ancestors),
      ]),
    );
  } finally {
    ancestors.delete(value);
  }
}

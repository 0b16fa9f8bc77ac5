/**
 * @module The value semantics of conditions: truthiness and JSON equality. (Text rendering and type names are
 * shared with placeholders: `renderText` in placeholder/placeholders.ts, `typeName` in placeholder/path.ts.)
 * Written without allocation on the common paths because conditions are evaluated on the executor's hot path.
 */

/** False for `false`, `null`, `undefined`, `0`, `NaN`, `""`, `[]` and `{}`; true otherwise. */
export function isTruthy(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return Boolean(value);
  if (Array.isArray(value)) return value.length > 0;
  for (const key in value) if (Object.hasOwn(value, key)) return true;
  return false;
}

/** Deep structural equality of JSON values; no coercion (`3` is not `"3"`), own properties only. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let keys = 0;
  for (const key in x) {
    if (!Object.hasOwn(x, key)) continue;
    if (!Object.hasOwn(y, key) || !jsonEqual(x[key], y[key])) return false;
    keys++;
  }
  for (const key in y) if (Object.hasOwn(y, key)) keys--;
  return keys === 0;
}

/**
 * @module The one object key JSON can hold that JavaScript cannot copy by assignment: `__proto__`. `JSON.parse`
 * makes it an own property, but `out[key] = value` with that key replaces `out`'s prototype instead, so a template
 * `{ "__proto__": { "force": true } }` would hand a tool a hidden `force` the template does not show (and an
 * original-format step could smuggle a `condition` past strict validation). Templates refuse the key (a located
 * validation error); values that merely pass through (results, variables) are copied as own data properties.
 */

export const PROTO_KEY = "__proto__";

/** The validation message for a template that holds the key. */
export const PROTO_KEY_DETAIL = `the key "${PROTO_KEY}" is not allowed: JavaScript reads it as the object's prototype, so a tool would see fields the template does not show. rename the key`;

/** `target[key] = value` as an own data property, also when the key is `__proto__`. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === PROTO_KEY) Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  else target[key] = value;
}

interface Visit {
  readonly value: object;
  readonly parent: Visit | undefined;
  readonly key: string | number | undefined;
}

/**
 * The paths (below `base`) of every object in `value` that has an own `__proto__` key, in document order.
 * Iterative, so a deeply nested value cannot overflow the stack; shared or cyclic objects are visited once. Only
 * objects and arrays are visited, and a path is built only for a finding: a 100,000-step template stays cheap.
 */
export function protoKeyPaths(value: unknown, base: readonly (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== "object") return [];
  const found: (string | number)[][] = [];
  const seen = new Set<object>();
  const stack: Visit[] = [{ value, parent: undefined, key: undefined }];
  const pathOf = (visit: Visit): (string | number)[] => {
    const path: (string | number)[] = [];
    for (let v: Visit | undefined = visit; v?.key !== undefined; v = v.parent) path.push(v.key);
    return [...base, ...path.reverse()];
  };
  while (stack.length > 0) {
    const visit = stack.pop()!;
    const current = visit.value;
    if (seen.has(current)) continue;
    seen.add(current);
    const keys: (string | number)[] = Array.isArray(current) ? current.map((_, i) => i) : Object.keys(current);
    if (!Array.isArray(current) && Object.hasOwn(current, PROTO_KEY)) found.push([...pathOf(visit), PROTO_KEY]);
    // pushed in reverse, so children are visited in document order
    for (let k = keys.length - 1; k >= 0; k--) {
      const key = keys[k]!;
      if (key === PROTO_KEY) continue;
      const child = (current as Record<string | number, unknown>)[key];
      if (child !== null && typeof child === "object") stack.push({ value: child, parent: visit, key });
    }
  }
  return found;
}

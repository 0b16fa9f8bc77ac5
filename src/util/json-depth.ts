/**
 * @module The nesting bound of templates. Objects and arrays nested a few thousand levels deep overflow the stack
 * of every recursive walk over a template (zod's parse, compiling placeholders, canonical JSON, JSON Schema walks),
 * so templates are refused past {@link MAX_TEMPLATE_DEPTH} levels, with the path where the bound is passed, before
 * any of those walks runs. Real templates nest a handful of levels (the deepest in this repository: 9).
 */

/** Levels of objects and arrays a template may nest, the template object itself being level 1. */
export const MAX_TEMPLATE_DEPTH = 256;

/** The validation message of a value nested deeper than {@link MAX_TEMPLATE_DEPTH}. */
export const TOO_DEEP_DETAIL = `nested too deeply: a template may nest objects and arrays at most ${MAX_TEMPLATE_DEPTH} levels deep, and this value is level ${MAX_TEMPLATE_DEPTH + 1}. flatten it (a tool can take deep data from a variable or from another step's result)`;

/**
 * The path (below `base`) of the first object or array, in document order, that is nested more than `limit`
 * levels deep; undefined when there is none. `baseDepth` is the level of `value`'s parent (0 when `value` is the
 * root). Iterative, so no depth overflows the stack; a cycle nests without end, so it is found too. An object
 * reached again is walked again only when reached deeper than before, so shared values cost little.
 */
export function tooDeepPath(
  value: unknown,
  limit: number = MAX_TEMPLATE_DEPTH,
  base: readonly (string | number)[] = [],
  baseDepth = 0,
): (string | number)[] | undefined {
  if (value === null || typeof value !== "object") return undefined;
  // the common case, cheaply: how deep is it? (no paths, no allocation per value; a value shared so much that
  // walking every way to it would take long is walked again, remembering what it has seen)
  const depth = maxDepth(value, baseDepth + 1, limit, QUICK_VISITS) ?? maxDepth(value, baseDepth + 1, limit, Infinity, new Map())!;
  if (depth <= limit) return undefined;
  return pathPastLimit(value, limit, base, baseDepth);
}

/** Visits of the quick walk before it gives way to the one that remembers what it has seen (~10 per template value). */
const QUICK_VISITS = 10_000_000;

/**
 * The depth of the deepest container, or the first depth past `limit`; undefined after `budget` visits. With
 * `deepest`, a container already walked is walked again only when reached deeper than before.
 */
function maxDepth(root: object, rootDepth: number, limit: number, budget: number, deepest?: Map<object, number>): number | undefined {
  const values: object[] = [root];
  const depths: number[] = [rootDepth];
  let max = 0;
  let visits = 0;
  while (values.length > 0) {
    if (++visits > budget) return undefined;
    const current = values.pop()!;
    const depth = depths.pop()!;
    if (depth > limit) return depth;
    if (depth > max) max = depth;
    if (deepest !== undefined) {
      const seen = deepest.get(current);
      if (seen !== undefined && seen >= depth) continue;
      deepest.set(current, depth);
    }
    if (Array.isArray(current)) {
      for (const child of current) {
        if (child === null || typeof child !== "object") continue;
        values.push(child);
        depths.push(depth + 1);
      }
    } else {
      for (const key in current) {
        if (!Object.hasOwn(current, key)) continue;
        const child = (current as Record<string, unknown>)[key];
        if (child === null || typeof child !== "object") continue;
        values.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return max;
}

interface Visit {
  readonly value: object;
  readonly depth: number;
  readonly parent: Visit | undefined;
  readonly key: string | number | undefined;
}

/** The first path past the limit, in document order (only walked when there is one). */
function pathPastLimit(
  value: object,
  limit: number,
  base: readonly (string | number)[],
  baseDepth: number,
): (string | number)[] | undefined {
  const deepest = new Map<object, number>();
  const stack: Visit[] = [{ value, depth: baseDepth + 1, parent: undefined, key: undefined }];
  while (stack.length > 0) {
    const visit = stack.pop()!;
    if (visit.depth > limit) {
      const path: (string | number)[] = [];
      for (let v: Visit | undefined = visit; v?.key !== undefined; v = v.parent) path.push(v.key);
      return [...base, ...path.reverse()];
    }
    const seen = deepest.get(visit.value);
    if (seen !== undefined && seen >= visit.depth) continue;
    deepest.set(visit.value, visit.depth);
    const current = visit.value as Record<string | number, unknown>;
    const keys: (string | number)[] = Array.isArray(current) ? current.map((_, i) => i) : Object.keys(current);
    // pushed in reverse, so children are visited in document order
    for (let k = keys.length - 1; k >= 0; k--) {
      const key = keys[k]!;
      const child = current[key];
      if (child !== null && typeof child === "object") stack.push({ value: child, depth: visit.depth + 1, parent: visit, key });
    }
  }
  return undefined;
}

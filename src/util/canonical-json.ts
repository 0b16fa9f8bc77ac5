/**
 * @module JSON text that is equal for equal values, whatever their key order: what hashes and secret checks are
 * computed over.
 */
import { setOwn } from "./proto-keys.js";

/** JSON with object keys sorted at every depth, so equal values give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) setOwn(sorted, key, sortKeys(v));
  }
  return sorted;
}

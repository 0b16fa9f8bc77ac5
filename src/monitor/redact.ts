/**
 * @module Replacing secret fields in tool parameters and results before they are logged.
 */
import { CIRCULAR, REDACTED, safeCopy } from "../util/safe-json.js";

export { CIRCULAR, REDACTED };

/**
 * The monitor copies at most this many values of one call's parameters (or result), for its record and again for
 * its log line: it runs inside the run, on every call, so its work per call is bounded well below a printer's.
 */
export const MONITOR_MAX_VALUES = 100_000;

/**
 * A copy of `value` in which every property whose key matches one of `keys` (case-insensitively, at any depth)
 * has the value `"[REDACTED]"`. Never mutates `value`, never throws, never recurses.
 *
 * Arrays and objects are copied; objects become plain objects of their own enumerable string-keyed properties,
 * which is what `JSON.stringify` would see. Objects with a `toJSON` method (`Date`, `Buffer`, …) are values,
 * not records of fields: they are kept as they are, by reference. A reference back to an object that is being
 * copied (a cycle) becomes `"[Circular]"`; the same object reached twice without a cycle is copied twice. What
 * cannot be read (a getter or a Proxy trap that throws) becomes `"[Unreadable: <reason>]"`, a container nested
 * more than 256 levels deep `"[too deep]"`, and past 1,000,000 values the rest is left out (`"[truncated] …"`).
 */
export function redact(value: unknown, keys: readonly string[]): unknown {
  return redactWith(value, redactionKeys(keys));
}

/** Lower-cased key set for `redactWith`; build it once and reuse it on hot paths. */
export function redactionKeys(keys: readonly string[]): ReadonlySet<string> {
  return new Set(keys.map((key) => key.toLowerCase()));
}

/** {@link redact} with a prepared key set; `maxValues` bounds the copy (the rest is left out, marked). */
export function redactWith(value: unknown, keys: ReadonlySet<string>, maxValues?: number): unknown {
  return safeCopy(value, { mode: "copy", redactKeys: keys, ...(maxValues === undefined ? {} : { maxValues }) }).value;
}

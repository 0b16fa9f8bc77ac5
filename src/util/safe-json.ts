/**
 * @module Copies of any value that can always be printed or logged.
 *
 * A tool's result can be anything: a BigInt, a cycle, a value nested thousands of levels deep, an object whose
 * getter or `toJSON` throws, a Proxy whose traps throw, a sparse array a billion long. `JSON.stringify` throws on
 * most of these (or overflows the stack), and a recursive copy overflows on the deep ones. {@link safeCopy} walks
 * the value with an explicit stack (no recursion), and puts a marker string where a value cannot be copied:
 *
 * - a reference back to an enclosing object (a cycle): `"[Circular]"`
 * - a container nested deeper than `maxDepth` (256 by default): `"[too deep]"`
 * - a value whose reading throws (a getter, a Proxy trap): `"[Unreadable: <reason>]"`; whose `toJSON` throws:
 *   `"[Unserializable: <reason>]"`
 * - in `"json"` mode, a BigInt: `"123n"` (or what `bigint` makes of it)
 * - past `maxValues` values (1,000,000 by default), the rest of each open array or object is left out, marked
 *
 * It never throws and never recurses, so it cannot overflow the stack whatever the input; its work is bounded by
 * `maxValues`. Each replacement is counted and the first few are listed with their paths, so a caller can say what
 * was replaced and where.
 */
import { setOwn } from "./proto-keys.js";

export const CIRCULAR = "[Circular]";
export const TOO_DEEP = "[too deep]";
export const TRUNCATED = "[truncated]";
export const REDACTED = "[REDACTED]";

/** Containers nested deeper than this (the value itself being level 1) are replaced by `"[too deep]"`. */
export const DEFAULT_MAX_DEPTH = 256;
/** At most this many values are copied. */
export const DEFAULT_MAX_VALUES = 1_000_000;

export type ReplacementKind = "bigint" | "circular" | "too_deep" | "unreadable" | "truncated";

/** A value that was replaced by a marker. */
export interface Replacement {
  readonly kind: ReplacementKind;
  /** Where, below the copied value: `a.b[2]`, `["odd key"]` (empty for the value itself). */
  readonly path: string;
  /** The marker written in its place. */
  readonly text: string;
}

export interface SafeCopyOptions {
  /**
   * `"json"` (default): what `JSON.stringify` would write, as a tree of plain objects, arrays, strings, numbers,
   * booleans and null: `toJSON` is called, boxed primitives are unwrapped, `undefined`, functions and symbols are
   * left out of objects (null in arrays), a BigInt becomes text.
   * `"copy"`: a structural copy of the arrays and plain records, everything else kept as it is (a BigInt, `undefined`,
   * and objects with a `toJSON` method such as `Date`, by reference).
   */
  readonly mode?: "json" | "copy";
  /** @default 256 */
  readonly maxDepth?: number;
  /** @default 1_000_000 */
  readonly maxValues?: number;
  /** Lower-cased object keys whose values become `"[REDACTED]"`, at any depth. */
  readonly redactKeys?: ReadonlySet<string>;
  /** The text of a BigInt in `"json"` mode. @default (n) => `${n}n` */
  readonly bigint?: (value: bigint) => string;
  /** How many replacements are listed (all are counted). @default 10 */
  readonly maxListed?: number;
}

export interface SafeCopy {
  /** The copy; `undefined` when the value itself has no JSON form (`"json"` mode: undefined, a function, a symbol). */
  readonly value: unknown;
  /** The first replacements, in document order. */
  readonly replacements: readonly Replacement[];
  /** How many values were replaced. */
  readonly replaced: number;
}

/** What a thrown value says, in at most 200 characters; never throws. */
export function thrownReason(error: unknown): string {
  let text: string;
  try {
    const message = typeof error === "object" && error !== null ? (error as { message?: unknown }).message : undefined;
    text = typeof message === "string" ? message : typeof error === "string" ? error : String(error);
  } catch {
    text = "a value that cannot be described";
  }
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

const unreadable = (error: unknown): string => `[Unreadable: ${thrownReason(error)}]`;
const unserializable = (error: unknown): string => `[Unserializable: ${thrownReason(error)}]`;

interface Frame {
  readonly source: object;
  readonly target: unknown[] | Record<string, unknown>;
  /** Own enumerable keys of a record; undefined for an array or a typed array (walked by index up to `count`). */
  readonly keys: readonly string[] | undefined;
  readonly count: number;
  index: number;
  /** 1 for the value itself. */
  readonly depth: number;
  readonly parent: Frame | undefined;
  readonly key: string | number | undefined;
}

/** Left out of an object (`"json"` mode: undefined, functions, symbols); null in an array. */
const OMIT: unique symbol = Symbol("omit");

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function formatPath(segments: readonly (string | number)[]): string {
  let out = "";
  for (const s of segments)
    out += typeof s === "number" ? `[${s}]` : IDENTIFIER.test(s) ? (out === "" ? s : `.${s}`) : `[${JSON.stringify(s)}]`;
  return out;
}

/** The value inside a `Number`, `String`, `Boolean` or `BigInt` object (as `JSON.stringify` unwraps them), else the object. */
function unbox(value: object): unknown {
  try {
    if (value instanceof Number) return Number.prototype.valueOf.call(value);
    if (value instanceof String) return String.prototype.valueOf.call(value);
    if (value instanceof Boolean) return Boolean.prototype.valueOf.call(value);
    if (value instanceof BigInt) return BigInt.prototype.valueOf.call(value);
  } catch {
    // a Proxy, or an object that only pretends (Object.create(Number.prototype)): an object like any other
  }
  return value;
}

/** See the module comment. Never throws; never recurses. */
export function safeCopy(input: unknown, options: SafeCopyOptions = {}): SafeCopy {
  const json = (options.mode ?? "json") === "json";
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const maxListed = options.maxListed ?? 10;
  const redactKeys = options.redactKeys !== undefined && options.redactKeys.size > 0 ? options.redactKeys : undefined;
  const bigintText = options.bigint ?? ((n: bigint): string => `${n}n`);
  let budget = options.maxValues ?? DEFAULT_MAX_VALUES;
  const replacements: Replacement[] = [];
  let replaced = 0;
  const ancestors = new Set<object>();
  const stack: Frame[] = [];

  const pathOf = (parent: Frame | undefined, key: string | number | undefined): string => {
    const segments: (string | number)[] = key === undefined ? [] : [key];
    for (let f = parent; f?.key !== undefined; f = f.parent) segments.push(f.key);
    return formatPath(segments.reverse());
  };
  const mark = (kind: ReplacementKind, text: string, parent: Frame | undefined, key: string | number | undefined): string => {
    replaced++;
    if (replacements.length < maxListed) replacements.push({ kind, path: pathOf(parent, key), text });
    return text;
  };

  /** The copy of a leaf, OMIT, or the (still empty) copy of a container whose frame it pushes. */
  const enter = (original: unknown, key: string | number | undefined, parent: Frame | undefined, depth: number): unknown => {
    budget--;
    let value = original;
    if (json) {
      if ((typeof value === "object" && value !== null) || typeof value === "function" || typeof value === "bigint") {
        try {
          const toJSON = (value as { toJSON?: unknown }).toJSON;
          if (typeof toJSON === "function") value = (toJSON as (key: string) => unknown).call(value, key === undefined ? "" : String(key));
        } catch (error) {
          return mark("unreadable", unserializable(error), parent, key);
        }
      }
      if (typeof value === "object" && value !== null) value = unbox(value);
      if (value === undefined || typeof value === "function" || typeof value === "symbol") return OMIT;
      if (typeof value === "bigint") return mark("bigint", bigintText(value), parent, key);
    }
    if (typeof value !== "object" || value === null) return value;
    if (ancestors.has(value)) return mark("circular", CIRCULAR, parent, key);
    if (depth > maxDepth) return mark("too_deep", TOO_DEEP, parent, key);
    let keys: string[] | undefined;
    let record = false;
    let count: number;
    try {
      const isArray = Array.isArray(value);
      // a value with its own JSON form (Date, Buffer, ...) is a value, not a record of fields
      if (!json && !isArray && typeof (value as { toJSON?: unknown }).toJSON === "function") return value;
      if (isArray) {
        const length = (value as unknown[]).length;
        count = typeof length === "number" && length >= 0 ? length : 0;
      } else if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
        // JSON writes a typed array as a record of its indices: walked by index, not through a list of its keys
        record = true;
        count = (value as Uint8Array).length;
      } else {
        keys = Object.keys(value);
        record = true;
        count = keys.length;
      }
    } catch (error) {
      return mark("unreadable", unreadable(error), parent, key);
    }
    const target: unknown[] | Record<string, unknown> = record ? {} : [];
    ancestors.add(value);
    stack.push({ source: value, target, keys, count, index: 0, depth, parent, key });
    return target;
  };

  const put = (frame: Frame, key: string | number, value: unknown): void => {
    if (Array.isArray(frame.target)) frame.target.push(value === OMIT ? null : value);
    else if (value !== OMIT) setOwn(frame.target, String(key), value);
  };

  const root = enter(input, undefined, undefined, 1);
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    if (frame.index >= frame.count) {
      stack.pop();
      ancestors.delete(frame.source);
      continue;
    }
    if (budget <= 0) {
      // out of budget: close every open container, saying how much of it is left out
      const left = frame.count - frame.index;
      const what = Array.isArray(frame.target)
        ? `${left} more item${left === 1 ? "" : "s"} left out`
        : `${left} more field${left === 1 ? "" : "s"} left out`;
      const text = mark("truncated", `${TRUNCATED} ${what}`, frame, frame.keys === undefined ? frame.index : frame.keys[frame.index]);
      if (Array.isArray(frame.target)) frame.target.push(text);
      else setOwn(frame.target, TRUNCATED, text);
      frame.index = frame.count;
      continue;
    }
    const i = frame.index++;
    const key = frame.keys === undefined ? i : frame.keys[i]!;
    if (redactKeys !== undefined && typeof key === "string" && redactKeys.has(key.toLowerCase())) {
      put(frame, key, REDACTED);
      continue;
    }
    let child: unknown;
    try {
      child = (frame.source as Record<string | number, unknown>)[key];
    } catch (error) {
      put(frame, key, mark("unreadable", unreadable(error), frame, key));
      continue;
    }
    put(frame, key, enter(child, key, frame, frame.depth + 1));
  }
  return { value: root === OMIT ? undefined : root, replacements, replaced };
}

export interface SafeStringifyOptions extends Omit<SafeCopyOptions, "mode"> {
  /** As `JSON.stringify`'s third argument. */
  readonly indent?: number | string;
}

/**
 * `JSON.stringify(value, null, indent)` that never throws: the JSON of {@link safeCopy}'s copy (with its
 * replacements). `text` is undefined where `JSON.stringify` gives undefined (undefined, a function, a symbol).
 */
export function safeStringify(value: unknown, options: SafeStringifyOptions = {}): SafeCopy & { readonly text: string | undefined } {
  const copy = safeCopy(value, { ...options, mode: "json" });
  let text: string | undefined;
  try {
    text = JSON.stringify(copy.value, null, options.indent);
  } catch (error) {
    // only a text longer than a string can be (hundreds of MB) gets here
    text = JSON.stringify(`[Unserializable: ${thrownReason(error)}]`);
  }
  return { ...copy, text };
}

/**
 * `JSON.stringify(value)` of a plain tree (objects, arrays, strings, numbers, booleans, null: what {@link safeCopy}
 * makes in `"json"` mode), written from an explicit stack: a value nested any number of levels deep is written whole,
 * where `JSON.stringify` overflows the call stack at a few thousand.
 */
export function stringifyPlain(value: unknown): string {
  /** An array or object being written, and the position of the next item or key. */
  interface Open {
    readonly value: unknown[] | Record<string, unknown>;
    /** The object's keys; undefined for an array. */
    readonly keys: readonly string[] | undefined;
    index: number;
  }
  const stack: Open[] = [];
  let out = "";
  const write = (v: unknown): void => {
    if (v === null || typeof v !== "object") {
      out += JSON.stringify(v) ?? "null";
    } else if (Array.isArray(v)) {
      out += "[";
      stack.push({ value: v, keys: undefined, index: 0 });
    } else {
      out += "{";
      stack.push({ value: v as Record<string, unknown>, keys: Object.keys(v), index: 0 });
    }
  };
  write(value);
  while (stack.length > 0) {
    const open = stack[stack.length - 1]!;
    const count = open.keys === undefined ? (open.value as unknown[]).length : open.keys.length;
    if (open.index >= count) {
      out += open.keys === undefined ? "]" : "}";
      stack.pop();
      continue;
    }
    if (open.index > 0) out += ",";
    const i = open.index++;
    if (open.keys === undefined) {
      write((open.value as unknown[])[i]);
    } else {
      const key = open.keys[i]!;
      out += `${JSON.stringify(key)}:`;
      write((open.value as Record<string, unknown>)[key]);
    }
  }
  return out;
}

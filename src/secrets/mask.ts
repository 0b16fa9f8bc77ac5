/**
 * @module Masking the values of secret inputs wherever a run writes or shows what happened.
 *
 * Redaction by field name (the monitor's `redact`) misses a token under another key, a result that echoes it, an
 * error message that quotes it. A {@link SecretMask} knows the secret *values* instead (the variables whose input is
 * marked `writeOnly`, see `secretInputNames`) and replaces each occurrence, inside any text, by a marker that names
 * the input: `"Bearer [secret:token]"`.
 *
 * What it matches, per string leaf of a secret value: the text itself, and its JSON-escaped and URI-encoded forms
 * (a token inside a JSON body or a query string). A string shorter than {@link MIN_MASKED_LENGTH} characters is
 * masked only where it is a whole value, since masking it inside any text would also hide ordinary words; a number
 * of at least that many digits is masked as a whole value and inside text. Encodings it does not know (base64, a
 * hash) are not found: a tool that derives a secret from a secret should mark its own output.
 *
 * For the journal, masking must be undone on resume: {@link SecretMask.seal} returns the masked value with the
 * spots it changed ({@link SecretSpot}), each saying which secret stood where, and {@link unseal} puts the values
 * given on resume back. The masked text alone is never parsed back, so a result that happens to contain
 * `"[secret:token]"` is restored as it was.
 */
import type { JsonValue } from "../model/schema.js";
import { safeCopy } from "../util/safe-json.js";
import { setOwn } from "../util/proto-keys.js";

/** Secret strings shorter than this are masked only as whole values. */
export const MIN_MASKED_LENGTH = 4;

/** A secret's value, or one leaf of it, as it was written: plain, JSON-escaped or URI-encoded. */
export interface SecretRef {
  /** The secret input's (the variable's) name. */
  readonly secret: string;
  /** For a leaf inside an object or array secret: where, below the variable. */
  readonly path?: readonly (string | number)[];
  readonly encoding?: "json" | "uri";
}

/** A run of text: literal text and secrets, in order. */
export type TextParts = readonly (string | SecretRef)[];

/** One place where {@link SecretMask.seal} replaced a secret; `at` is the path in the masked value. */
export type SecretSpot =
  /** The string at `at` was the concatenation of `text`. */
  | { readonly at: readonly (string | number)[]; readonly text: TextParts }
  /** The number at `at` was this secret. */
  | { readonly at: readonly (string | number)[]; readonly value: SecretRef }
  /** The object at `at` has the key `key` (masked), whose original was the concatenation of `text`. */
  | { readonly at: readonly (string | number)[]; readonly key: string; readonly text: TextParts };

interface Needle {
  readonly text: string;
  readonly ref: SecretRef;
}

type Path = (string | number)[];
type Container = unknown[] | Record<string, unknown>;

const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

/** The text a marker shows: `[secret:token]`, `[secret:auth.key]`. */
export function secretMarker(ref: SecretRef): string {
  let name = ref.secret;
  for (const p of ref.path ?? []) name += typeof p === "number" ? `[${p}]` : `.${p}`;
  return `[secret:${name}]`;
}

const joinMasked = (parts: TextParts): string => parts.map((p) => (typeof p === "string" ? p : secretMarker(p))).join("");

/** The secret values of a run, ready to mask text and values. Immutable; {@link SecretMask.none} masks nothing. */
export class SecretMask {
  static readonly none = new SecretMask({}, [], new Map(), new Map());

  /** @param secrets the secret variables, by name (values that are not JSON are masked as far as they are) */
  static of(secrets: Readonly<Record<string, unknown>>): SecretMask {
    return SecretMask.none.with(secrets);
  }

  private constructor(
    /** The secret values, by input name (for whoever must mask elsewhere: a worker process). */
    readonly values: Readonly<Record<string, unknown>>,
    readonly needles: readonly Needle[],
    readonly wholeStrings: ReadonlyMap<string, SecretRef>,
    readonly wholeNumbers: ReadonlyMap<number, SecretRef>,
  ) {}

  /** The secret inputs' names. */
  get names(): string[] {
    return Object.keys(this.values);
  }

  get isEmpty(): boolean {
    return this.needles.length === 0 && this.wholeStrings.size === 0 && this.wholeNumbers.size === 0;
  }

  /** This mask and more secrets (a sub-workflow's own); a name already here keeps its first value. */
  with(secrets: Readonly<Record<string, unknown>>): SecretMask {
    const values: Record<string, unknown> = { ...this.values };
    const needles = [...this.needles];
    const wholeStrings = new Map(this.wholeStrings);
    const wholeNumbers = new Map(this.wholeNumbers);
    const add = (text: string, ref: SecretRef): void => {
      if (text.length >= MIN_MASKED_LENGTH && !needles.some((n) => n.text === text)) needles.push({ text, ref });
    };
    for (const name of Object.keys(secrets)) {
      if (Object.hasOwn(values, name)) continue;
      setOwn(values, name, secrets[name]);
      for (const [path, leaf] of leaves(secrets[name])) {
        const ref: SecretRef = path.length > 0 ? { secret: name, path } : { secret: name };
        if (typeof leaf === "number") {
          const text = String(leaf);
          if (text.length < MIN_MASKED_LENGTH) continue;
          if (!wholeNumbers.has(leaf)) wholeNumbers.set(leaf, ref);
          add(text, ref);
        } else if (leaf !== "") {
          if (!wholeStrings.has(leaf)) wholeStrings.set(leaf, ref);
          add(leaf, ref);
          const escaped = JSON.stringify(leaf).slice(1, -1);
          if (escaped !== leaf) add(escaped, { ...ref, encoding: "json" });
          const encoded = encodeURIComponent(leaf);
          if (encoded !== leaf) add(encoded, { ...ref, encoding: "uri" });
        }
      }
    }
    // longest first: where two secrets start at the same place, the longer one is masked whole
    needles.sort((a, b) => b.text.length - a.text.length);
    return new SecretMask(values, needles, wholeStrings, wholeNumbers);
  }

  /** `text` with every secret in it replaced by its marker. */
  text(text: string): string {
    if (this.isEmpty) return text;
    const parts = this.#parts(text);
    return parts === undefined ? text : joinMasked(parts);
  }

  /**
   * A copy of `value` for showing or logging, with the secrets masked in every string and key (and numbers that are
   * secrets replaced by their marker). Never throws and never recurses: the value is first copied by `safeCopy`
   * (cycles, depth and hostile objects become markers). Values that are not plain (a Date, a Map) are kept as they are.
   */
  value(value: unknown, maxValues?: number): unknown {
    if (this.isEmpty) return value;
    const copy = safeCopy(value, { mode: "copy", ...(maxValues === undefined ? {} : { maxValues }) }).value;
    return this.#walk(copy, undefined);
  }

  /**
   * The JSON value with its secrets masked, and the spots to put them back with {@link unseal}. `spots` is empty
   * (and `value` the same object) when it holds no secret.
   */
  seal(value: JsonValue): { value: JsonValue; spots: SecretSpot[] } {
    if (this.isEmpty) return { value, spots: [] };
    const spots: SecretSpot[] = [];
    const masked = this.#walk(value, spots) as JsonValue;
    return spots.length === 0 ? { value, spots } : { value: masked, spots };
  }

  /** The text's parts, or undefined when no secret is in it. */
  #parts(text: string): TextParts | undefined {
    const whole = this.wholeStrings.get(text);
    if (whole !== undefined) return [whole];
    let parts: (string | SecretRef)[] | undefined;
    let from = 0;
    let cut = 0;
    for (;;) {
      let best: Needle | undefined;
      let at = -1;
      for (const needle of this.needles) {
        const i = text.indexOf(needle.text, from);
        // needles are longest first: a later one wins only by starting earlier
        if (i >= 0 && (at < 0 || i < at)) {
          at = i;
          best = needle;
        }
      }
      if (best === undefined) break;
      parts ??= [];
      if (at > cut) parts.push(text.slice(cut, at));
      parts.push(best.ref);
      cut = from = at + best.text.length;
    }
    if (parts === undefined) return undefined;
    if (cut < text.length) parts.push(text.slice(cut));
    return parts;
  }

  /** Copies the plain arrays and objects of `root` with the secrets masked, recording spots when given. Iterative. */
  #walk(root: unknown, spots: SecretSpot[] | undefined): unknown {
    const leaf = (value: unknown, path: () => Path): unknown => {
      if (typeof value === "string") {
        const parts = this.#parts(value);
        if (parts === undefined) return value;
        spots?.push({ at: path(), text: parts });
        return joinMasked(parts);
      }
      if (typeof value === "number") {
        const ref = this.wholeNumbers.get(value);
        if (ref === undefined) return value;
        spots?.push({ at: path(), value: ref });
        return secretMarker(ref);
      }
      return value;
    };
    interface Frame {
      readonly source: Container;
      readonly target: Container;
      readonly keys: readonly string[] | undefined;
      index: number;
      readonly path: Path;
    }
    const open = (value: Container, path: Path, stack: Frame[]): Container => {
      const target: Container = Array.isArray(value) ? [] : {};
      stack.push({ source: value, target, keys: Array.isArray(value) ? undefined : Object.keys(value), index: 0, path });
      return target;
    };
    const stack: Frame[] = [];
    const seen = new Set<object>();
    if (!Array.isArray(root) && !isPlainObject(root)) return leaf(root, () => []);
    seen.add(root);
    const result = open(root, [], stack);
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      const count = frame.keys === undefined ? (frame.source as unknown[]).length : frame.keys.length;
      if (frame.index >= count) {
        stack.pop();
        continue;
      }
      const i = frame.index++;
      const sourceKey = frame.keys === undefined ? i : frame.keys[i]!;
      let key: string | number = sourceKey;
      if (typeof sourceKey === "string") {
        const parts = this.#parts(sourceKey);
        if (parts !== undefined) {
          key = joinMasked(parts);
          // two keys masked alike stay apart, and the spot names the key as written
          while (Object.hasOwn(frame.target, key)) key = `${key}~`;
          spots?.push({ at: frame.path, key, text: parts });
        }
      }
      const child = (frame.source as Record<string | number, unknown>)[sourceKey];
      let copy: unknown;
      if ((Array.isArray(child) || isPlainObject(child)) && !seen.has(child)) {
        seen.add(child);
        copy = open(child, [...frame.path, key], stack);
      } else {
        copy = leaf(child, () => [...frame.path, key]);
      }
      if (Array.isArray(frame.target)) frame.target.push(copy);
      else setOwn(frame.target, key as string, copy);
    }
    return result;
  }
}

/** Every leaf of a secret value that can be masked (strings and numbers), with its path; iterative, JSON-normalised. */
function leaves(value: unknown): [Path, string | number][] {
  const found: [Path, string | number][] = [];
  const stack: [unknown, Path][] = [[safeCopy(value, { mode: "json" }).value, []]];
  while (stack.length > 0) {
    const [v, path] = stack.pop()!;
    if (typeof v === "string" || typeof v === "number") found.push([path, v]);
    else if (Array.isArray(v)) v.forEach((item, i) => stack.push([item, [...path, i]]));
    else if (v !== null && typeof v === "object") for (const [k, item] of Object.entries(v)) stack.push([item, [...path, k]]);
  }
  return found;
}

/** A secret's value is missing, or has no leaf where a sealed spot needs one, when a journal is unsealed. */
export class SecretValueMissingError extends Error {
  override readonly name = "SecretValueMissingError";
  constructor(readonly ref: SecretRef) {
    super(`the journal holds secret input ${secretMarker(ref)}, but no value was given for it`);
  }
}

function secretText(ref: SecretRef, values: Readonly<Record<string, unknown>>): string {
  const leaf = secretLeaf(ref, values);
  const text = typeof leaf === "string" ? leaf : String(leaf);
  return ref.encoding === "json" ? JSON.stringify(text).slice(1, -1) : ref.encoding === "uri" ? encodeURIComponent(text) : text;
}

function secretLeaf(ref: SecretRef, values: Readonly<Record<string, unknown>>): unknown {
  let v: unknown = Object.hasOwn(values, ref.secret) ? values[ref.secret] : undefined;
  for (const p of ref.path ?? [])
    v = v !== null && typeof v === "object" && Object.hasOwn(v, p) ? (v as Record<string | number, unknown>)[p] : undefined;
  if (typeof v !== "string" && typeof v !== "number") throw new SecretValueMissingError(ref);
  return v;
}

const textOf = (parts: TextParts, values: Readonly<Record<string, unknown>>): string =>
  parts.map((p) => (typeof p === "string" ? p : secretText(p, values))).join("");

/**
 * Puts the secrets back into a value sealed by {@link SecretMask.seal}, from the secret inputs' values as given now.
 * Mutates and returns `value` (a value just parsed from the journal).
 * @throws SecretValueMissingError when a spot names a secret (or a leaf of one) that `values` lacks
 */
export function unseal(value: JsonValue, spots: readonly SecretSpot[], values: Readonly<Record<string, unknown>>): JsonValue {
  let root: unknown = value;
  const containerAt = (path: readonly (string | number)[]): Record<string | number, unknown> => {
    let v: unknown = root;
    for (const p of path) v = (v as Record<string | number, unknown>)[p];
    return v as Record<string | number, unknown>;
  };
  const set = (at: readonly (string | number)[], next: unknown): void => {
    if (at.length === 0) root = next;
    else setOwn(containerAt(at.slice(0, -1)) as Record<string, unknown>, String(at[at.length - 1]), next);
  };
  // values first: their paths go through keys as masked; then keys, deepest first, each object rebuilt in key order
  const keys: Extract<SecretSpot, { key: string }>[] = [];
  for (const spot of spots) {
    if ("key" in spot) keys.push(spot);
    else if ("value" in spot) set(spot.at, secretLeaf(spot.value, values));
    else set(spot.at, textOf(spot.text, values));
  }
  keys.sort((a, b) => b.at.length - a.at.length);
  for (const spot of keys) {
    const object = containerAt(spot.at) as Record<string, unknown>;
    const original = textOf(spot.text, values);
    const rebuilt: Record<string, unknown> = {};
    for (const k of Object.keys(object)) setOwn(rebuilt, k === spot.key ? original : k, object[k]);
    for (const k of Object.keys(object)) delete object[k];
    for (const k of Object.keys(rebuilt)) setOwn(object, k, rebuilt[k]);
  }
  return root as JsonValue;
}

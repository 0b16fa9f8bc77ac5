/**
 * @module `{{...}}` placeholders: compile a JSON value once into a plan, then substitute it many times.
 *
 * A string that is exactly one placeholder keeps the referenced value's type; a placeholder inside longer text
 * is rendered as text (objects as JSON). Values without placeholders are returned as they are.
 */
import { setOwn } from "../util/proto-keys.js";
import { safeCopy, stringifyPlain } from "../util/safe-json.js";
import { parseReference, ReferenceSyntaxError, type Reference } from "./path.js";

/** A placeholder that does not parse, with the offset of the problem inside the string that holds it. */
export class PlaceholderSyntaxError extends Error {
  override readonly name = "PlaceholderSyntaxError";
  constructor(
    message: string,
    readonly text: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** Resolves a reference to its value, or throws an error that names it. */
export type Resolver = (ref: Reference) => unknown;

export type CompiledValue =
  | { readonly kind: "constant"; readonly value: unknown }
  | { readonly kind: "reference"; readonly ref: Reference }
  | { readonly kind: "text"; readonly parts: readonly (string | Reference)[] }
  | { readonly kind: "array"; readonly items: readonly CompiledValue[] }
  | { readonly kind: "object"; readonly entries: readonly (readonly [string, CompiledValue])[] };

/** Splits a string into literal text and references. @throws PlaceholderSyntaxError */
export function parseText(text: string): (string | Reference)[] {
  const parts: (string | Reference)[] = [];
  let from = 0;
  for (;;) {
    const open = text.indexOf("{{", from);
    if (open < 0) break;
    const close = text.indexOf("}}", open + 2);
    if (close < 0) {
      throw new PlaceholderSyntaxError(`unterminated placeholder in "${text}" at column ${open + 1}. expecting "}}"`, text, open);
    }
    if (open > from) parts.push(text.slice(from, open));
    const inner = text.slice(open + 2, close);
    const lead = inner.length - inner.trimStart().length;
    const body = inner.trim();
    if (body === "") throw new PlaceholderSyntaxError(`empty placeholder "{{}}" in "${text}" at column ${open + 1}`, text, open);
    try {
      parts.push(parseReference(body));
    } catch (error) {
      if (!(error instanceof ReferenceSyntaxError)) throw error;
      const offset = open + 2 + lead + error.offset;
      throw new PlaceholderSyntaxError(`${error.message} at column ${offset + 1}`, text, offset);
    }
    from = close + 2;
  }
  if (from < text.length) parts.push(text.slice(from));
  return parts;
}

/** Compiles a JSON value into a substitution plan. @throws PlaceholderSyntaxError */
export function compileValue(value: unknown): CompiledValue {
  if (typeof value === "string") {
    if (!value.includes("{{")) return { kind: "constant", value };
    const parts = parseText(value);
    if (parts.length === 1 && typeof parts[0] !== "string") return { kind: "reference", ref: parts[0]! };
    return { kind: "text", parts };
  }
  if (Array.isArray(value)) {
    const items = value.map(compileValue);
    return items.every((i) => i.kind === "constant") ? { kind: "constant", value } : { kind: "array", items };
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).map(([k, v]) => [k, compileValue(v)] as const);
    return entries.every(([, c]) => c.kind === "constant") ? { kind: "constant", value } : { kind: "object", entries };
  }
  return { kind: "constant", value };
}

/** Every reference in a plan, in document order. */
export function referencesOf(compiled: CompiledValue, out: Reference[] = []): Reference[] {
  switch (compiled.kind) {
    case "constant":
      break;
    case "reference":
      out.push(compiled.ref);
      break;
    case "text":
      for (const p of compiled.parts) if (typeof p !== "string") out.push(p);
      break;
    case "array":
      for (const i of compiled.items) referencesOf(i, out);
      break;
    case "object":
      for (const [, c] of compiled.entries) referencesOf(c, out);
      break;
  }
  return out;
}

/** Produces the value of a plan, resolving each reference through `resolve`. */
export function substitute(compiled: CompiledValue, resolve: Resolver): unknown {
  switch (compiled.kind) {
    case "constant":
      return compiled.value;
    case "reference":
      return resolve(compiled.ref);
    case "text": {
      let out = "";
      for (const p of compiled.parts) out += typeof p === "string" ? p : renderText(resolve(p));
      return out;
    }
    case "array":
      return compiled.items.map((i) => substitute(i, resolve));
    case "object": {
      const out: Record<string, unknown> = {};
      for (const [k, c] of compiled.entries) setOwn(out, k, substitute(c, resolve));
      return out;
    }
  }
}

/**
 * How a value reads inside text: strings as they are, objects and arrays as JSON, null (and undefined) as `null`.
 * A value nested too deeply for `JSON.stringify` (a tool's result thousands of levels deep) is written whole too.
 * @throws TypeError for what JSON cannot hold (a cycle, a BigInt, a getter that throws), naming where it is
 */
export function renderText(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === null || value === undefined) return "null";
  if (typeof value === "object") return jsonText(value);
  return String(value);
}

/** `JSON.stringify(value)`, or, when that overflows the call stack, the same text written without recursion. */
function jsonText(value: object): string {
  try {
    return JSON.stringify(value);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
  }
  const copy = safeCopy(value, { maxDepth: Infinity, maxValues: Infinity, maxListed: 1 });
  const problem = copy.replacements[0];
  if (problem !== undefined) {
    const what = problem.kind === "circular" ? "a value that contains itself (a cycle)" : problem.kind === "bigint" ? "a BigInt" : `a value that cannot be read (${problem.text})`;
    throw new TypeError(`cannot write the value as JSON text: it holds ${what} at ${problem.path === "" ? "the top" : problem.path}`);
  }
  return stringifyPlain(copy.value);
}

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

/** A malformed placeholder found by {@link compileCollecting}: the path of the string that holds it, and the error. */
export interface PlaceholderIssue {
  readonly path: readonly (string | number)[];
  readonly error: PlaceholderSyntaxError;
}

/**
 * Compiles a JSON value into a substitution plan in one pass, collecting every string whose placeholders do not
 * parse (the first problem of each string) at its path below `base`, in document order. A string with a problem is
 * compiled as a constant: when `issues` grew, the plan must not be used.
 */
export function compileCollecting(value: unknown, base: readonly (string | number)[], issues: PlaceholderIssue[]): CompiledValue {
  return compileAt(value, [...base], issues);
}

/** `path`: a stack of keys, pushed and popped on the way down, copied only for an issue. */
function compileAt(value: unknown, path: (string | number)[], issues: PlaceholderIssue[]): CompiledValue {
  if (typeof value === "string") {
    if (!value.includes("{{")) return { kind: "constant", value };
    let parts: (string | Reference)[];
    try {
      parts = parseText(value);
    } catch (error) {
      if (!(error instanceof PlaceholderSyntaxError)) throw error;
      issues.push({ path: path.slice(), error });
      return { kind: "constant", value };
    }
    if (parts.length === 1 && typeof parts[0] !== "string") return { kind: "reference", ref: parts[0]! };
    return { kind: "text", parts };
  }
  if (Array.isArray(value)) {
    const items: CompiledValue[] = [];
    let constant = true;
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      const item = compileAt(value[i], path, issues);
      path.pop();
      items.push(item);
      if (item.kind !== "constant") constant = false;
    }
    return constant ? { kind: "constant", value } : { kind: "array", items };
  }
  if (value !== null && typeof value === "object") {
    const entries: (readonly [string, CompiledValue])[] = [];
    let constant = true;
    for (const key of Object.keys(value)) {
      path.push(key);
      const entry = compileAt((value as Record<string, unknown>)[key], path, issues);
      path.pop();
      entries.push([key, entry]);
      if (entry.kind !== "constant") constant = false;
    }
    return constant ? { kind: "constant", value } : { kind: "object", entries };
  }
  return { kind: "constant", value };
}

/** Compiles a JSON value into a substitution plan. @throws PlaceholderSyntaxError, the first in document order */
export function compileValue(value: unknown): CompiledValue {
  if (typeof value === "string" && !value.includes("{{")) return { kind: "constant", value };
  const issues: PlaceholderIssue[] = [];
  const compiled = compileAt(value, [], issues);
  if (issues.length > 0) throw issues[0]!.error;
  return compiled;
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
    const what =
      problem.kind === "circular"
        ? "a value that contains itself (a cycle)"
        : problem.kind === "bigint"
          ? "a BigInt"
          : `a value that cannot be read (${problem.text})`;
    throw new TypeError(`cannot write the value as JSON text: it holds ${what} at ${problem.path === "" ? "the top" : problem.path}`);
  }
  return stringifyPlain(copy.value);
}

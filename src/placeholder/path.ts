/**
 * @module The reference inside a placeholder: `name`, `name.a.b`, `step.items[0].id`.
 *
 * Shared by the placeholder engine and the condition language, so both read references the same way.
 */

/** One step along a reference: a field name or an array index. */
export type PathSegment = string | number;

/** A parsed placeholder reference. `root` is a variable or step id; `path` walks into its value. */
export interface Reference {
  /** The text between the braces, trimmed: `build.items[0].id`. */
  readonly text: string;
  readonly root: string;
  readonly path: readonly PathSegment[];
}

/** Segments that would reach an object's prototype; never followed. */
export const FORBIDDEN_SEGMENTS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/** A reference that does not parse. `offset` is relative to the start of the reference text. */
export class ReferenceSyntaxError extends Error {
  override readonly name = "ReferenceSyntaxError";
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** `[A-Za-z_$]`, by character code (this runs for every character of every reference). */
function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36;
}
/** `[A-Za-z0-9_$-]`. */
function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57) || c === 45;
}

/**
 * Parses the inside of `{{ ... }}` (already trimmed) into a {@link Reference}.
 * Identifiers may contain `-` (step ids such as `deploy-us` are common); indexes are non-negative integers.
 * @throws ReferenceSyntaxError with the offset of the offending character
 */
export function parseReference(text: string): Reference {
  const segments: PathSegment[] = [];
  const cursor = { i: 0 };
  segments.push(readName(text, cursor));
  while (cursor.i < text.length) {
    const c = text[cursor.i];
    if (c === ".") {
      cursor.i++;
      segments.push(readName(text, cursor));
    } else if (c === "[") {
      const start = ++cursor.i;
      while (cursor.i < text.length && text[cursor.i]! >= "0" && text[cursor.i]! <= "9") cursor.i++;
      if (cursor.i === start || text[cursor.i] !== "]") {
        const found = cursor.i >= text.length ? "end of reference" : `"${text[cursor.i]}"`;
        throw new ReferenceSyntaxError(
          `unexpected ${found} while parsing index in reference "${text}". expecting digits and "]"`,
          cursor.i,
        );
      }
      segments.push(Number(text.slice(start, cursor.i)));
      cursor.i++;
    } else {
      throw new ReferenceSyntaxError(`unexpected "${c}" while parsing reference "${text}". expecting ".", "[" or "}}"`, cursor.i);
    }
  }
  const [root, ...path] = segments as [string, ...PathSegment[]];
  return { text, root, path };
}

/** Reads a name at `cursor.i` and advances past it. (A function of its own, not a closure created per call.) */
function readName(text: string, cursor: { i: number }): string {
  const start = cursor.i;
  if (start >= text.length || !isIdentStart(text.charCodeAt(start))) {
    const found = start >= text.length ? "end of reference" : `"${text[start]}"`;
    throw new ReferenceSyntaxError(`unexpected ${found} while parsing reference "${text}". expecting a name`, start);
  }
  let i = start + 1;
  while (i < text.length && isIdentPart(text.charCodeAt(i))) i++;
  cursor.i = i;
  const name = text.slice(start, i);
  if (FORBIDDEN_SEGMENTS.has(name)) {
    throw new ReferenceSyntaxError(`"${name}" is not allowed in reference "${text}": it would reach an object's prototype`, start);
  }
  return name;
}

/** Why a step id or variable name cannot be the root of a placeholder; undefined when it can. */
export type UnreferenceableReason =
  | { readonly kind: "empty" }
  | { readonly kind: "forbidden" }
  /** The first character cannot start a name (a digit, "-"). */
  | { readonly kind: "start"; readonly character: string }
  /** A "." or "[" after a valid name: a placeholder would read a path into `root` instead. */
  | { readonly kind: "path"; readonly root: string; readonly character: string }
  /** A character no name can hold (a space, a non-ASCII letter, ...). */
  | { readonly kind: "character"; readonly character: string };

/**
 * Whether `name` can be written as the root of a placeholder (`{{name}}`, `{{name.field}}`), by the grammar of
 * {@link parseReference}: `[A-Za-z_$][A-Za-z0-9_$-]*`, and none of {@link FORBIDDEN_SEGMENTS}. If not, why not.
 */
export function unreferenceableReason(name: string): UnreferenceableReason | undefined {
  if (name === "") return { kind: "empty" };
  if (FORBIDDEN_SEGMENTS.has(name)) return { kind: "forbidden" };
  const first = String.fromCodePoint(name.codePointAt(0)!);
  if (!isIdentStart(name.charCodeAt(0)))
    return isIdentPart(name.charCodeAt(0)) ? { kind: "start", character: first } : { kind: "character", character: first };
  for (let i = 1; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (isIdentPart(c)) continue;
    const character = String.fromCodePoint(name.codePointAt(i)!);
    return character === "." || character === "[" ? { kind: "path", root: name.slice(0, i), character } : { kind: "character", character };
  }
  return undefined;
}

/**
 * A name close to `name` that a placeholder can hold: accents dropped (`ünïcode` → `unicode`), each run of other
 * characters a placeholder cannot hold made one `_` (`my step` → `my_step`, `a.b` → `a_b`), `_` before a leading
 * digit (`1build` → `_1build`; leading `-` dropped), `_step` after a forbidden name; `step` when nothing is left.
 */
export function referenceableName(name: string): string {
  const parts = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .split(/[^A-Za-z0-9_$-]+/)
    .filter((p) => p !== "");
  let out = parts.join("_").replace(/^-+/, "");
  if (!/[A-Za-z0-9]/.test(out)) return "step";
  if (!isIdentStart(out.charCodeAt(0))) out = `_${out}`;
  return FORBIDDEN_SEGMENTS.has(out) ? `${out}_step` : out;
}

/** Renders a path back to its source form: `["items", 0, "id"]` → `items[0].id`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = "";
  for (const seg of path) out += typeof seg === "number" ? `[${seg}]` : out === "" ? seg : `.${seg}`;
  return out;
}

/**
 * Parses a field path as used by `WorkflowContext.getResult(step, "status.config.replicas")` or `"items[0]"`.
 * A leading index (`"[0]"`) is allowed here because the root is already known.
 */
export function parseFieldPath(field: string): PathSegment[] {
  if (field === "") return [];
  const text = field.startsWith("[") ? `_${field}` : `_.${field}`;
  return [...parseReference(text).path];
}

/** The outcome of walking a path: found, or the first segment that was missing. */
export type Lookup = { found: true; value: unknown } | { found: false; at: number; reason: string };

/** Walks `path` into `value` using own properties only (never the prototype chain). */
export function lookupPath(value: unknown, path: readonly PathSegment[]): Lookup {
  let current = value;
  for (let k = 0; k < path.length; k++) {
    const seg = path[k]!;
    if (typeof seg === "number") {
      if (!Array.isArray(current)) return { found: false, at: k, reason: `${typeName(current)} is not an array` };
      if (seg >= current.length) return { found: false, at: k, reason: `index ${seg} is out of range (length ${current.length})` };
      current = current[seg];
    } else {
      if (current === null || typeof current !== "object" || Array.isArray(current)) {
        return { found: false, at: k, reason: `${typeName(current)} has no fields` };
      }
      if (!Object.hasOwn(current, seg)) {
        const keys = Object.keys(current);
        return {
          found: false,
          at: k,
          reason: `no field "${seg}"${keys.length ? `. fields are ${keys.map((x) => `"${x}"`).join(", ")}` : ""}`,
        };
      }
      current = (current as Record<string, unknown>)[seg];
    }
  }
  return { found: true, value: current };
}

/** `a string`, `a number`, `null`, `an array`, ... for error messages. */
export function typeName(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/**
 * @module Reads a JSON template file (current or original snake_case format) into a {@link LintTarget}, keeping
 * the offsets of every JSON node so diagnostics point at the user's own characters, even through the conversion
 * from the original format and inside string escapes.
 */
import { parseTree, printParseErrorCode, type Node, type ParseError } from "jsonc-parser";
import { convertLegacyTemplate, ignoredLegacyKeys, isLegacyTemplate } from "../src/model/legacy.js";
import { spanAt, spanFinder, type Diagnostic, type Span } from "./diagnostic.js";
import type { JsonPath, LintTarget } from "./lint-target.js";

/** Keys of a converted step, and the original keys they may come from (tried in this order). */
const LEGACY_STEP_KEYS: Readonly<Record<string, readonly string[]>> = {
  id: ["step_id", "id"],
  toolName: ["tool_name", "toolName"],
  dependsOn: ["depends_on", "dependencies", "dependsOn"],
  maxRetries: ["retry_count", "max_retries", "maxRetries"],
  retryDelayMs: ["retry_delay", "retryDelayMs"],
  timeoutMs: ["timeout_seconds", "timeout", "timeoutMs"],
};

/** Top-level keys the conversion takes from `metadata` when they are not set directly. */
const LEGACY_TOP_KEYS: Readonly<Record<string, readonly JsonPath[]>> = {
  category: [["category"], ["metadata", "category"]],
  tags: [["tags"], ["metadata", "tags"]],
};

/** What each jsonc-parser error code expects (the codes are a const enum, so they are keyed by name). */
const EXPECTED: Partial<Record<ReturnType<typeof printParseErrorCode>, string>> = {
  ColonExpected: 'expecting ":"',
  CommaExpected: 'expecting ","',
  CloseBraceExpected: 'expecting "}"',
  CloseBracketExpected: 'expecting "]"',
  ValueExpected: "expecting a value",
  PropertyNameExpected: "expecting a property name in double quotes",
  EndOfFileExpected: "expecting end of file",
  InvalidCommentToken: "comments are not allowed in JSON",
  InvalidSymbol: "expecting a value",
  InvalidNumberFormat: "expecting a number such as 1, -2.5 or 1e3",
  UnexpectedEndOfString: 'expecting a closing "',
  UnexpectedEndOfComment: 'expecting "*/"',
  UnexpectedEndOfNumber: "expecting digits",
  InvalidUnicode: 'expecting four hex digits after "\\u"',
  InvalidEscapeCharacter: 'expecting one of \\" \\\\ \\/ \\b \\f \\n \\r \\t \\u after "\\"',
  InvalidCharacter: "control characters must be escaped in strings",
};

/** `invalid JSON: unexpected "}". expecting ","`. */
export function describeParseError(text: string, error: ParseError): string {
  const found =
    error.offset >= text.length
      ? "end of file"
      : JSON.stringify(text.slice(error.offset, error.offset + Math.max(1, Math.min(error.length, 20))));
  const code = printParseErrorCode(error.error);
  const before = text.slice(0, error.offset).trimEnd();
  if (before.endsWith(",") && (code === "PropertyNameExpected" || code === "ValueExpected"))
    return `invalid JSON: unexpected ${found} after ",". trailing commas are not allowed`;
  const expecting = EXPECTED[code] ?? "expecting valid JSON";
  return `invalid JSON: unexpected ${found}. ${expecting}`;
}

/** Parses `text`; a syntax error yields one `invalid-template` diagnostic at its exact position and no target. */
export function readJsonTarget(file: string, text: string): { target?: LintTarget; diagnostics: Diagnostic[] } {
  const errors: ParseError[] = [];
  let root: Node | undefined;
  try {
    root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  } catch (error) {
    // jsonc-parser descends recursively: a file nested thousands of levels deep exhausts the call stack
    if (!(error instanceof RangeError)) throw error;
    const deepest = deepestNesting(text);
    const message = `invalid JSON: nested ${deepest.depth} levels deep here, deeper than the JSON reader can follow. flatten the values`;
    return {
      diagnostics: [
        { ruleId: "invalid-template", severity: "error", message, span: spanAt(file, text, deepest.offset, deepest.offset + 1) },
      ],
    };
  }
  const first = errors[0];
  if (first || root === undefined) {
    const offset = first?.offset ?? 0;
    const end = Math.min(text.length, offset + Math.max(first?.length ?? 0, offset < text.length ? 1 : 0));
    const message = first ? describeParseError(text, first) : "invalid JSON: the file is empty. expecting a template object";
    return { diagnostics: [{ ruleId: "invalid-template", severity: "error", message, span: spanAt(file, text, offset, end) }] };
  }
  const raw = jsonValueOf(root);
  const legacy = isLegacyTemplate(raw);
  const template = legacy ? convertLegacyTemplate(raw as Record<string, unknown>) : raw;

  const span = spanFinder(file, text);
  const locate = (path: JsonPath, range?: { readonly start: number; readonly end: number }): Span => {
    const { node, complete } = find(root, path, legacy);
    if (complete && range && node.type === "string") {
      const map = contentOffsets(text, node);
      const start = map[Math.min(range.start, map.length - 1)]!;
      const end = map[Math.min(Math.max(range.end, range.start), map.length - 1)]!;
      return span(start, end);
    }
    return span(node.offset, node.offset + node.length);
  };

  const ignoredKeys = legacy ? ignoredLegacyKeys(raw) : [];
  return {
    target: {
      file,
      text,
      origin: "json",
      template,
      locate,
      inputs: inputsOf(template),
      ...(ignoredKeys.length > 0 ? { ignoredKeys } : {}),
    },
    diagnostics: [],
  };
}

/** The deepest `{` or `[` of a JSON text (strings skipped), and how many containers are open there. */
function deepestNesting(text: string): { depth: number; offset: number } {
  let depth = 0;
  let deepest = { depth: 0, offset: 0 };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      for (i++; i < text.length && text.charCodeAt(i) !== 34; i++) if (text.charCodeAt(i) === 92 /* \ */) i++;
    } else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > deepest.depth) deepest = { depth, offset: i };
    } else if (c === 125 /* } */ || c === 93 /* ] */) depth--;
  }
  return deepest;
}

/** The names under `inputs.properties`, when the template declares them. */
function inputsOf(template: unknown): ReadonlySet<string> | undefined {
  const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
  if (!isObject(template) || !isObject(template.inputs) || !isObject(template.inputs.properties)) return undefined;
  return new Set(Object.keys(template.inputs.properties));
}

/**
 * The JSON value of a node, built like `JSON.parse` does (the last of duplicate keys wins). Containers are made
 * before their contents and filled from an explicit stack, so nesting depth cannot overflow the call stack.
 */
function jsonValueOf(root: Node): unknown {
  const stack: { node: Node; value: unknown }[] = [];
  const make = (node: Node): unknown => {
    if (node.type !== "object" && node.type !== "array") return node.value;
    const value = node.type === "object" ? {} : [];
    stack.push({ node, value });
    return value;
  };
  const result = make(root);
  while (stack.length > 0) {
    const { node, value } = stack.pop()!;
    for (const child of node.children ?? []) {
      if (node.type === "array") (value as unknown[]).push(make(child));
      else {
        const [key, v] = child.children ?? [];
        if (key && v)
          Object.defineProperty(value, key.value as string, { value: make(v), enumerable: true, writable: true, configurable: true });
      }
    }
  }
  return result;
}

/** The value node of the property `key` of an object node (the last one, as `JSON.parse` keeps). */
function property(node: Node, key: string): Node | undefined {
  if (node.type !== "object") return undefined;
  let found: Node | undefined;
  for (const prop of node.children ?? []) if (prop.children?.[0]?.value === key && prop.children[1]) found = prop.children[1];
  return found;
}

/** Walks `path` as far as it exists; in a converted file, current keys are looked up under their original names. */
function find(root: Node, path: JsonPath, legacy: boolean): { node: Node; complete: boolean } {
  if (legacy && path.length >= 1 && typeof path[0] === "string" && path[0] in LEGACY_TOP_KEYS) {
    for (const alt of LEGACY_TOP_KEYS[path[0]]!) {
      const hit = walk(root, [...alt, ...path.slice(1)], legacy);
      if (hit.complete) return hit;
    }
  }
  return walk(root, path, legacy);
}

function walk(root: Node, path: JsonPath, legacy: boolean): { node: Node; complete: boolean } {
  let node = root;
  for (let k = 0; k < path.length; k++) {
    const seg = path[k]!;
    let next: Node | undefined;
    if (typeof seg === "number") {
      next = node.type === "array" ? node.children?.[seg] : undefined;
    } else {
      const inStep = legacy && k === 2 && path[0] === "steps" && typeof path[1] === "number";
      const names = inStep ? (LEGACY_STEP_KEYS[seg] ?? [seg]) : [seg];
      for (const name of names) if ((next = property(node, name))) break;
    }
    if (!next) return { node, complete: false };
    node = next;
  }
  return { node, complete: true };
}

/**
 * For a string node, `map[i]` is the source offset of content character `i` (`map[length]` is the closing quote),
 * so a range of the decoded string maps back through escapes such as `\"`, `\\` and `\u00e9`.
 */
function contentOffsets(text: string, node: Node): number[] {
  const map: number[] = [];
  const last = node.offset + node.length - 1; // the closing quote
  let i = node.offset + 1;
  while (i < last) {
    map.push(i);
    if (text[i] === "\\") i += text[i + 1] === "u" ? 6 : 2;
    else i++;
  }
  map.push(last);
  return map;
}

/**
 * @module The names a suggested workflow gets: step ids from tool names, input names from parameter paths (both unique),
 * and the workflow's default name from its tool sequence.
 */
import { createHash } from "node:crypto";
import { FORBIDDEN_SEGMENTS, type PathSegment } from "../placeholder/path.js";

/** Default names longer than this are shortened (`<first>__<last>___<hash>`). */
const MAX_NAME = 100;
const RESERVED_INPUTS = new Set([...FORBIDDEN_SEGMENTS, "then", "toString", "valueOf", "toJSON"]);

/** A step id from a tool name: the characters a reference allows (`[A-Za-z0-9_$-]`, not starting with a digit or "-"). */
export function stepIdOf(toolName: string): string {
  const id = toolName.replace(/[^A-Za-z0-9_$-]/g, "_");
  return /^[A-Za-z_$]/.test(id) ? id : `_${id}`;
}

/** An input name: a JavaScript identifier (`input.<name>` in the DSL), from the parameter's last field name. */
export function inputNameOf(path: readonly PathSegment[]): string {
  let end = path.length;
  const indexes: number[] = [];
  while (end > 0 && typeof path[end - 1] === "number") indexes.unshift(path[--end] as number);
  const base = end > 0 ? String(path[end - 1]) : "value";
  let name = [base, ...indexes].join("_").replace(/[^A-Za-z0-9_$]/g, "_");
  if (!/^[A-Za-z_$]/.test(name)) name = `_${name}`;
  return RESERVED_INPUTS.has(name) ? `${name}Input` : name;
}

/** `names`, each made unique against `taken` and the others with a `_2`, `_3`... suffix. */
export function uniqueNames(names: readonly string[], taken: ReadonlySet<string>): string[] {
  const seen = new Set(taken);
  return names.map((name) => {
    let unique = name;
    for (let i = 2; seen.has(unique); i++) unique = `${name}_${i}`;
    seen.add(unique);
    return unique;
  });
}

/** A tool name that can be one part of a default name: letters and digits, single inner `_` or `-`, no `_x<n>` ending. */
const PLAIN_TOOL = /^[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+)*$/;

/**
 * The default name of a workflow suggested from `tools`, different for different tool sequences: the tools joined by
 * "__", a run of one tool written once with `_x<count>` (`docker_build__deploy_region_x3__verify_regions`). When that
 * is longer than 100 characters, or a tool name is not plain (other characters, `__`, a leading or trailing `_` or
 * `-`, an `_x<digits>` ending), `<first>__<last>___<hash>` instead, with 8 hex digits of the sequence's SHA-256
 * (a plain name never holds `___`, so the two forms cannot meet).
 */
export function suggestedName(tools: readonly string[]): string {
  const parts: string[] = [];
  for (let i = 0; i < tools.length; ) {
    let n = 1;
    while (tools[i + n] === tools[i]) n++;
    parts.push(n === 1 ? tools[i]! : `${tools[i]}_x${n}`);
    i += n;
  }
  const plain = parts.join("__");
  if (plain.length <= MAX_NAME && tools.every((t) => PLAIN_TOOL.test(t) && !/_x\d+$/.test(t))) return plain;
  const safe = (t: string): string =>
    t
      .replace(/[^A-Za-z0-9_-]+/g, "_")
      .replace(/_{2,}/g, "_")
      .replace(/^[_-]+|[_-]+$/g, "")
      .slice(0, 40) || "tool";
  const hash = createHash("sha256").update(JSON.stringify(tools)).digest("hex").slice(0, 8);
  return `${safe(tools[0]!)}__${safe(tools.at(-1)!)}___${hash}`;
}

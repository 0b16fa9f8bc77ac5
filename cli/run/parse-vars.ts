/** @module Workflow variables from `--var key=value` (repeatable) and `--vars file.json`. */
import { formatPath, type PathSegment } from "../../src/placeholder/path.js";
import { MAX_TEMPLATE_DEPTH, tooDeepPath } from "../../src/util/json-depth.js";
import { readJsonFile } from "../shared/json-file.js";
import { UserError, UserErrorList } from "../../src/util/user-error.js";

/**
 * Why a variable nested past the bound is refused: a run passes variables whole through recursive walks (the
 * journal's canonical JSON and checks, conditions, the report), which a value thousands of levels deep overflows.
 */
const TOO_DEEP_VARIABLE = `nested too deeply: a variable may nest objects and arrays at most ${MAX_TEMPLATE_DEPTH} levels deep, as a template may, and this value is level ${MAX_TEMPLATE_DEPTH + 1}. flatten it, or give a tool the path of a file that holds the data`;

/** The path (from the variable's name) of the first value of `value` nested past the bound, the variable being level 1. */
function tooDeepVariable(name: string, value: unknown): string | undefined {
  const path: PathSegment[] | undefined = tooDeepPath(value, MAX_TEMPLATE_DEPTH, [name], 0);
  return path === undefined ? undefined : formatPath(path);
}

/**
 * Splits `key=value` at the first `=`. The value is parsed as JSON when it is valid JSON (`3`, `true`, `[1,2]`,
 * `"quoted"`), and kept as the raw string otherwise (`prod`, `a b`).
 * @throws UserError when there is no `=`, the key is empty, or the value nests more than 256 levels
 */
export function parseVarAssignment(text: string): [string, unknown] {
  const eq = text.indexOf("=");
  if (eq <= 0) {
    const why = eq < 0 ? 'it has no "="' : "the name is empty";
    throw new UserError(`invalid --var "${text}": ${why}. expecting name=value`, ["example: --var replicas=3 --var env=prod"]);
  }
  const name = text.slice(0, eq);
  const value = parseVarValue(text.slice(eq + 1));
  const deep = tooDeepVariable(name, value);
  if (deep !== undefined) throw new UserError(`invalid --var "${name}": ${deep}: ${TOO_DEEP_VARIABLE}`);
  return [name, value];
}

/** commander parser of `--var name=value` (repeatable). */
export function collectVar(text: string, previous: [string, unknown][] | undefined): [string, unknown][] {
  return [...(previous ?? []), parseVarAssignment(text)];
}

/** commander parser of a repeatable option naming something (`--secret token --secret key`). */
export function collectName(text: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), text];
}

export function parseVarValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/**
 * Reads a JSON object of variables.
 * @throws UserErrorList `<file>: <path>: nested too deeply ...` for each variable nested more than 256 levels
 */
export async function readVarsFile(file: string): Promise<Record<string, unknown>> {
  const json = await readJsonFile(file, "variables file");
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    const got = json === null ? "null" : Array.isArray(json) ? "an array" : typeof json;
    throw new UserError(`${file}: a variables file must be a JSON object, got ${got}`, ['example: { "env": "prod", "replicas": 3 }']);
  }
  const problems: string[] = [];
  for (const [name, value] of Object.entries(json)) {
    const deep = tooDeepVariable(name, value);
    if (deep !== undefined) problems.push(`${file}: ${deep}: ${TOO_DEEP_VARIABLE}`);
  }
  if (problems.length > 0) throw new UserErrorList(problems);
  return json as Record<string, unknown>;
}

/** `--var` assignments override the file's variables; later assignments override earlier ones. */
export function mergeVars(
  fromFile: Record<string, unknown>,
  assignments: readonly (readonly [string, unknown])[],
): Record<string, unknown> {
  // fromEntries defines own properties, so a variable named "__proto__" stays a variable
  return Object.fromEntries([...Object.entries(fromFile), ...assignments]);
}

/** commander parser of `--env-var name=ENV_VAR` (repeatable). */
export function collectEnvVar(text: string, previous: [string, string][] | undefined): [string, string][] {
  const eq = text.indexOf("=");
  const name = text.slice(0, eq);
  const env = text.slice(eq + 1);
  if (eq <= 0 || env === "") {
    throw new UserError(
      `invalid --env-var "${text}": expecting name=ENV_VAR, the variable and the environment variable that holds its value`,
      ["example: --env-var token=GITHUB_TOKEN"],
    );
  }
  return [...(previous ?? []), [name, env]];
}

/**
 * The variables `--env-var` names, read from the environment as text (never parsed as JSON: a token is text).
 * @throws UserError naming an environment variable that is not set
 */
export function envVariables(
  assignments: readonly (readonly [string, string])[],
  env: NodeJS.ProcessEnv = process.env,
): [string, string][] {
  return assignments.map(([name, key]) => {
    const value = env[key];
    if (value === undefined)
      throw new UserError(`--env-var ${name}=${key}: the environment variable ${key} is not set`, [`set it first, e.g. export ${key}=...`]);
    return [name, value];
  });
}

/**
 * @module A project's lint settings: `weave.config.json`, found in the directory lint runs in or the nearest one
 * above it (or named with `--config`), sets each rule's severity or turns it off:
 *
 *     { "lint": { "rules": { "unnecessary-serialization": "off", "implicit-dependency": "error" } } }
 *
 * Every mistake in it (invalid JSON, an unknown key, an unknown rule id, a severity that does not exist) is a usage
 * error located at `file:line:col`, naming the key and what is allowed; all of them are reported at once.
 */
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { parseTree, type Node, type ParseError } from "jsonc-parser";
import { closest, quoteList } from "../src/util/closest-name.js";
import { readTextFileSync } from "../src/util/text-file.js";
import { positionAt, type Severity } from "./diagnostic.js";
import { displayPath, InputError } from "./files.js";
import { describeParseError } from "./json-target.js";
import { rules } from "./rules/index.js";

/** The name of the file looked for. */
export const CONFIG_FILE = "weave.config.json";

/** What a rule can be set to: a severity, or "off". */
export type RuleSetting = Severity | "off";

/** Every setting, in the order messages list them. */
export const RULE_SETTINGS: readonly RuleSetting[] = ["off", "info", "warning", "error"];

/** Settings by rule id; a rule not listed keeps its own severity. */
export type RuleSettings = Partial<Record<string, RuleSetting>>;

export interface LintConfig {
  /** The config file read, as diagnostics name files; undefined when there is none. */
  readonly file?: string;
  readonly rules: RuleSettings;
}

/** A config file (or a `rules` option) with mistakes: each problem is one full line, located. A usage error (exit 2). */
export class ConfigError extends InputError {
  constructor(readonly problems: readonly string[]) {
    super(problems.join("\n"));
  }
}

/** What other linters call these settings, and ours. */
const ALIASES: Readonly<Record<string, RuleSetting>> = {
  warn: "warning",
  err: "error",
  information: "info",
  note: "info",
  notice: "info",
  none: "off",
  disabled: "off",
  "0": "off",
  "1": "warning",
  "2": "error",
  false: "off",
};

const isRuleSetting = (v: unknown): v is RuleSetting => typeof v === "string" && (RULE_SETTINGS as readonly string[]).includes(v);

const ruleIds = (): string[] => rules.map((r) => r.id).sort();

/** The problem with a rule id, or undefined when a rule has it. */
function unknownRule(id: string, where: string): string | undefined {
  const ids = ruleIds();
  if (ids.includes(id)) return undefined;
  const near = closest(id, ids);
  return `unknown rule ${JSON.stringify(id)} in ${where}. ${near ? `did you mean "${near}"? ` : ""}rules are ${quoteList(ids, ids.length)}`;
}

/** The problem with a setting, or undefined when it is one. */
function badSetting(value: unknown, where: string): string | undefined {
  if (isRuleSetting(value)) return undefined;
  const alias = ALIASES[String(value).toLowerCase()];
  const got =
    typeof value === "string"
      ? JSON.stringify(value)
      : value === null
        ? "null"
        : Array.isArray(value)
          ? "an array"
          : typeof value === "object"
            ? "an object"
            : String(value);
  return `${where} is ${got}. ${alias ? `did you mean "${alias}"? ` : ""}expecting ${RULE_SETTINGS.map((s) => `"${s}"`).join(", ")}`;
}

/**
 * Checks rule settings given as an option (`lint({ rules })`): each problem names the key, `rules["unknwon-rule"]`.
 * @throws ConfigError listing every problem
 */
export function checkRuleSettings(settings: Readonly<Record<string, unknown>>, name = "rules"): RuleSettings {
  const problems: string[] = [];
  for (const [id, value] of Object.entries(settings)) {
    const where = `${name}[${JSON.stringify(id)}]`;
    const unknown = unknownRule(id, name);
    const problem = unknown !== undefined ? `${where}: ${unknown}` : badSetting(value, where);
    if (problem) problems.push(problem);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return settings as RuleSettings;
}

/** The nearest `weave.config.json`: in `dir` or the closest directory above it. */
export function findConfigFile(dir: string): string | undefined {
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    const file = path.join(at, CONFIG_FILE);
    if (existsSync(file) && statSync(file).isFile()) return file;
    if (path.dirname(at) === at) return undefined;
  }
}

/**
 * The settings of the config file `explicit` (relative to `cwd`) or, without it, of the nearest one from `cwd` up;
 * no file: no settings.
 * @throws ConfigError for a missing explicit file or any mistake in the file
 */
export function loadLintConfig(cwd: string, explicit?: string): LintConfig {
  const file = explicit !== undefined ? path.resolve(cwd, explicit) : findConfigFile(cwd);
  if (file === undefined) return { rules: {} };
  const shown = displayPath(cwd, file);
  let text: string;
  try {
    if (statSync(file).isDirectory())
      throw new ConfigError([`${shown}: cannot read the config file: it is a directory. name a ${CONFIG_FILE} file`]);
    text = readTextFileSync(file);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError([
      `${shown}: cannot read the config file: ${code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : (error as Error).message}`,
    ]);
  }
  return { file: shown, rules: parseLintConfig(shown, text) };
}

/**
 * The rule settings of a config file's text (`file` as messages name it).
 * @throws ConfigError listing every problem, each `file:line:col: message`
 */
export function parseLintConfig(file: string, text: string): RuleSettings {
  const at = (node: Node | undefined): string => {
    const p = positionAt(text, node?.offset ?? 0);
    return `${file}:${p.line}:${p.column}`;
  };
  /** Problems with their offsets, reported in file order. */
  const found: { offset: number; text: string }[] = [];
  const problems = {
    push: (node: Node, message: string): void => void found.push({ offset: node.offset, text: `${at(node)}: ${message}` }),
  };
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: false, disallowComments: false, allowEmptyContent: true });
  const first = errors[0];
  if (first) {
    const p = positionAt(text, first.offset);
    throw new ConfigError([
      `${file}:${p.line}:${p.column}: ${describeParseError(text, first)}. a config file is a JSON object such as { "lint": { "rules": { "unnecessary-serialization": "off" } } }`,
    ]);
  }
  if (root === undefined) return {};
  const settings: RuleSettings = {};
  /** The properties of an object node, or a problem when it is not one. */
  const objectAt = (node: Node, name: string, allowed: readonly string[]): [string, Node, Node][] => {
    if (node.type !== "object") {
      problems.push(
        node,
        `${name} must be an object, not ${node.type === "array" ? "an array" : node.type === "null" ? "null" : `a ${node.type}`}`,
      );
      return [];
    }
    const out: [string, Node, Node][] = [];
    for (const prop of node.children ?? []) {
      const [key, value] = prop.children ?? [];
      if (!key || !value) continue;
      const k = String(key.value);
      if (allowed.length > 0 && !allowed.includes(k)) {
        const near = closest(k, allowed);
        problems.push(
          key,
          `unknown key ${JSON.stringify(k)} in ${name}. ${near ? `did you mean "${near}"? ` : ""}allowed keys are ${quoteList(allowed)}`,
        );
        continue;
      }
      out.push([k, key, value]);
    }
    return out;
  };
  for (const [key, , value] of objectAt(root, file, ["$schema", "lint"])) {
    if (key !== "lint") continue;
    for (const [lintKey, , rulesNode] of objectAt(value, '"lint"', ["rules"])) {
      if (lintKey !== "rules") continue;
      for (const [id, idNode, setting] of objectAt(rulesNode, '"lint.rules"', [])) {
        const problem = unknownRule(id, '"lint.rules"');
        if (problem) {
          problems.push(idNode, problem);
          continue;
        }
        const bad = badSetting(
          setting.value ?? (setting.type === "object" ? {} : setting.type === "array" ? [] : setting.value),
          `"lint.rules.${id}"`,
        );
        if (bad) problems.push(setting, bad);
        else settings[id] = setting.value as RuleSetting;
      }
    }
  }
  if (found.length > 0) throw new ConfigError(found.sort((a, b) => a.offset - b.offset).map((p) => p.text));
  return settings;
}

/**
 * @module `.mcp.json`: the MCP servers a project uses, in the form editors and agents share:
 *
 *     { "mcpServers": { "files": { "command": "node", "args": ["server.js", "${HOME}/data"], "env": { "TOKEN": "${TOKEN}" } } } }
 *
 * Each server is started over stdio. `${VAR}` and `${VAR:-default}` in `command`, `args`, `env` and `cwd` read the
 * environment, as the editors that share this file do; a variable that is not set and has no default is an error, not
 * an empty string. A server runs in the file's folder unless it says `cwd` (relative to that folder). Its name becomes
 * its tools' prefix (`files.read_file`), so it may not contain a dot.
 *
 * Every mistake is reported at once, each at `file:line:col` with what to write instead.
 */
import path from "node:path";
import { z } from "zod";
import { offsetOfPath } from "../../src/util/json-path-offset.js";
import { locateJsonError } from "../../src/util/json-location.js";
import { positionAt } from "../../src/util/text-position.js";
import { UserErrorList } from "../../src/util/user-error.js";

/** One server, ready to start: variables expanded, `cwd` absolute. */
export interface McpServerConfig {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  /** Set for the server on top of the environment it inherits. */
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
}

export interface McpConfig {
  /** The file read, as messages name it (absent for a config given as an object). */
  readonly file?: string;
  readonly servers: readonly McpServerConfig[];
}

/** A server's name: its tools are `<name>.<tool>` in templates. */
export const SERVER_NAME = /^[A-Za-z0-9_-]{1,64}$/;

const ServerEntry = z
  .object({
    command: z.string().min(1, "must name the program that starts the server"),
    args: z.array(z.string()).optional(),
    env: z.record(z.string(), z.string()).optional(),
    cwd: z.string().optional(),
    // what editors add and a stdio client does not use
    type: z.literal("stdio").optional(),
    description: z.string().optional(),
    disabled: z.boolean().optional(),
  })
  .strict();

const ConfigFile = z.object({ mcpServers: z.record(z.string(), z.unknown()) }).loose();

/**
 * Reads a config: `text` is the file's content (`file` names it in messages, and its folder is where servers run).
 * @throws UserErrorList every problem, located
 */
export function parseMcpConfig(text: string, file: string, env: NodeJS.ProcessEnv = process.env): McpConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    const at = locateJsonError(text, error);
    throw new UserErrorList([`${file}:${at.line}:${at.column}: invalid JSON: ${at.message}`]);
  }
  const problems: string[] = [];
  const report = (where: readonly (string | number)[], message: string): void => {
    // a missing key is reported where its object is
    let offset: number | undefined;
    for (let n = where.length; offset === undefined && n >= 0; n--) offset = offsetOfPath(text, where.slice(0, n));
    const { line, column } = positionAt(text, offset ?? 0);
    const key = where.length === 0 ? "" : `${where.join(".")}: `;
    problems.push(`${file}:${line}:${column}: ${key}${message}`);
  };
  const servers = readServers(json, path.dirname(path.resolve(file)), env, report);
  if (problems.length > 0) throw new UserErrorList(problems);
  return { file, servers };
}

/**
 * A config given as the file's object (the API's `startMcpServers({ mcpServers: ... })`); servers run in `baseDir`.
 * @throws UserErrorList every problem
 */
export function mcpConfigOf(value: unknown, baseDir: string, env: NodeJS.ProcessEnv = process.env): McpConfig {
  const problems: string[] = [];
  const servers = readServers(value, baseDir, env, (where, message) =>
    problems.push(`MCP config: ${where.length === 0 ? "" : `${where.join(".")}: `}${message}`),
  );
  if (problems.length > 0) throw new UserErrorList(problems);
  return { servers };
}

type Report = (where: readonly (string | number)[], message: string) => void;

function readServers(json: unknown, baseDir: string, env: NodeJS.ProcessEnv, report: Report): McpServerConfig[] {
  const top = ConfigFile.safeParse(json);
  if (!top.success) {
    report([], 'expected an object with "mcpServers": { "<name>": { "command": "...", "args": [...] } }');
    return [];
  }
  const servers: McpServerConfig[] = [];
  for (const [name, value] of Object.entries(top.data.mcpServers)) {
    const where = ["mcpServers", name];
    if (!SERVER_NAME.test(name)) {
      report(where, `a server's name is its tools' prefix (${name}.<tool>): use letters, digits, "_" and "-" only`);
      continue;
    }
    const entry = ServerEntry.safeParse(value);
    if (!entry.success) {
      for (const issue of entry.error.issues)
        report([...where, ...issue.path.map((p) => (typeof p === "symbol" ? String(p) : p))], issueMessage(issue));
      continue;
    }
    if (entry.data.disabled) continue;
    const expand = (text: string, at: readonly (string | number)[]): string =>
      expandVariables(text, env, (m) => report([...where, ...at], m));
    const { command, args = [], env: serverEnv = {}, cwd } = entry.data;
    servers.push({
      name,
      command: expand(command, ["command"]),
      args: args.map((arg, i) => expand(arg, ["args", i])),
      env: Object.fromEntries(Object.entries(serverEnv).map(([k, v]) => [k, expand(v, ["env", k])])),
      cwd: cwd === undefined ? baseDir : path.resolve(baseDir, expand(cwd, ["cwd"])),
    });
  }
  return servers;
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys")
    return `unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}: a server has "command", "args", "env" and "cwd" (only stdio servers are supported)`;
  if (issue.code === "invalid_type") return `expected ${issue.expected}`;
  return issue.message;
}

/** `${VAR}` and `${VAR:-default}` from the environment; `$$` is not special. */
export function expandVariables(text: string, env: NodeJS.ProcessEnv, report: (message: string) => void): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (whole, name: string, fallback: string | undefined) => {
    const value = env[name];
    if (value !== undefined && value !== "") return value;
    if (fallback !== undefined) return fallback;
    report(`"${whole}": the environment variable ${name} is not set (set it, or give a default: \${${name}:-value})`);
    return whole;
  });
}

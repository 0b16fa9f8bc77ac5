/**
 * @module `weave tools pull`: the typed tools module of a project's MCP servers, and its lock. The lock keeps a hash
 * of each tool's schemas, description and annotations, so `--check` can say which tools a server changed (or added,
 * or dropped) since the module was written, the way a lockfile says which dependency moved. `--check` writes
 * nothing; it also fails when the module on disk is not what a pull would write (edited by hand).
 */
import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { McpTool } from "../../adapters/mcp/servers.js";
import { hashJson } from "../../src/journal/hash.js";
import { writeFileAtomic } from "../../src/util/atomic-write.js";
import { UserError } from "../../src/util/user-error.js";
import { emitToolsModule } from "./emit-module.js";

export interface PullOptions {
  /** The `.mcp.json`, as the user typed it. */
  readonly mcp: string;
  /** The module to write, as the user typed it. */
  readonly out: string;
}

export interface Lock {
  readonly version: 1;
  /** `<server>.<tool>` → hash of what the server says of it. */
  readonly tools: Readonly<Record<string, string>>;
}

/** The lock beside the module: `tools/mcp.ts` → `tools/mcp.lock.json`. */
export const lockPathOf = (out: string): string => `${out.replace(/\.(m|c)?[jt]s$/, "")}.lock.json`;

export function lockOf(tools: readonly McpTool[]): Lock {
  const entries = tools
    .map(
      (t) =>
        [
          t.qualifiedName,
          hashJson({
            description: t.description ?? null,
            input: t.inputSchema,
            output: t.outputSchema ?? null,
            annotations: t.annotations ?? null,
          }),
        ] as const,
    )
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { version: 1, tools: Object.fromEntries(entries) };
}

/** What `weave tools pull` writes, as text. */
export function pulled(tools: readonly McpTool[], options: PullOptions): { module: string; lock: string } {
  return {
    module: emitToolsModule(tools, { config: options.mcp.split(path.sep).join("/") }),
    lock: `${JSON.stringify(lockOf(tools), null, 2)}\n`,
  };
}

export async function writePulled(tools: readonly McpTool[], options: PullOptions): Promise<void> {
  const { module, lock } = pulled(tools, options);
  await mkdir(path.dirname(options.out), { recursive: true });
  await writeFileAtomic(options.out, module);
  await writeFileAtomic(lockPathOf(options.out), lock);
}

/**
 * What differs between the servers' tools and the pulled module: one line per tool that changed, appeared or went,
 * and one for a module that is not what a pull writes. Empty when the module is current.
 */
export async function staleness(tools: readonly McpTool[], options: PullOptions): Promise<string[]> {
  const lockFile = lockPathOf(options.out);
  const [moduleText, lockText] = await Promise.all([readIfThere(options.out), readIfThere(lockFile)]);
  if (moduleText === undefined) return [`${options.out}: not pulled yet`];
  if (lockText === undefined) return [`${lockFile}: missing (it is written with the module)`];
  let old: Lock;
  try {
    old = JSON.parse(lockText) as Lock;
  } catch {
    throw new UserError(`${lockFile}: not valid JSON: pull again to rewrite it`);
  }
  const now = lockOf(tools);
  const problems: string[] = [];
  for (const [name, hash] of Object.entries(now.tools)) {
    const before = old.tools?.[name];
    if (before === undefined) problems.push(`${name}: new on its server`);
    else if (before !== hash) problems.push(`${name}: its schemas, description or annotations changed`);
  }
  for (const name of Object.keys(old.tools ?? {})) if (!(name in now.tools)) problems.push(`${name}: no longer on its server`);
  if (problems.length === 0 && moduleText !== pulled(tools, options).module)
    problems.push(`${options.out}: not what weave tools pull writes (edited by hand?)`);
  return problems;
}

async function readIfThere(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new UserError(`cannot read ${file}: ${(error as Error).message}`);
  }
}

/** @module Loading the `--tools` module: its default export maps tool names to functions. */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { ToolFunction, Tools } from "../../src/executor/types.js";
import { loadWorkflowModule } from "./load-workflow-module.js";
import { UserError } from "../../src/util/user-error.js";

const EXAMPLE = ["export default {", "  build: async (params, context) => ({ image: `app:${params.tag}` }),", "};"];
const HINTS = ["a tools module default-exports an object of functions, for example:", ...EXAMPLE.map((line) => `  ${line}`)];

/**
 * Loaded as a workflow file is (bundled with esbuild), so a TypeScript module needs no loader.
 * @param specifier a path, relative to `cwd`, to a .js/.mjs/.ts module
 * @throws UserError naming the module and what it must export
 */
export async function loadTools(specifier: string, cwd = process.cwd()): Promise<Tools> {
  const file = resolve(cwd, specifier);
  if (!existsSync(file)) throw new UserError(`tools module "${specifier}" not found (looked for ${file})`, HINTS);
  const { exports } = await loadWorkflowModule(specifier, cwd);
  return checkTools(specifier, exports.default);
}

function checkTools(specifier: string, tools: unknown): Tools {
  if (tools === undefined) throw new UserError(`tools module "${specifier}" has no default export`, HINTS);
  if (tools === null || typeof tools !== "object" || Array.isArray(tools)) {
    const got = tools === null ? "null" : Array.isArray(tools) ? "an array" : typeof tools;
    throw new UserError(`the default export of tools module "${specifier}" must be an object of functions, got ${got}`, HINTS);
  }
  const notFunctions = Object.entries(tools).filter(([, value]) => typeof value !== "function");
  if (notFunctions.length > 0) {
    const list = notFunctions.map(([name, value]) => `"${name}" (${value === null ? "null" : typeof value})`).join(", ");
    throw new UserError(
      `the default export of tools module "${specifier}" must map tool names to functions, but ${list} ${notFunctions.length === 1 ? "is not a function" : "are not functions"}`,
      HINTS,
    );
  }
  return tools as Record<string, ToolFunction>;
}

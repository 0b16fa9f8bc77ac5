/** @module The options of `weave run`, and the variables they give. */
import type { DistributedOptions } from "./distributed-run.js";
import type { DurableOptions } from "./durable-run.js";
import { envVariables, mergeVars, readVarsFile } from "./parse-vars.js";

/** `--run-id`, `--runs-dir` and `--fsync` make the run durable (see DurableOptions). */
export interface RunOptions extends DurableOptions, DistributedOptions {
  /** Required for a .json template (unless `mcp` gives its tools); for a workflow file, replaces tool implementations by name. */
  tools?: string;
  /** `--mcp <.mcp.json>`: MCP servers started for the run, their tools callable as `<server>.<tool>`. */
  mcp?: string;
  /** Which workflow of a workflow file that exports several. */
  workflow?: string;
  var?: [string, unknown][];
  vars?: string;
  /** `--env-var name=ENV`: variables read from the environment (a secret kept out of the command line). */
  envVar?: [string, string][];
  /** `--secret <name>`: variables to treat as secret, besides the inputs the workflow marks `writeOnly`. */
  secret?: string[];
  json?: boolean;
  concurrency?: number;
  failFast?: boolean;
  log?: string;
  /** Write an HTML report of the run to this file. */
  report?: string;
  /** `--timeout`: bound on the whole run in ms, instead of the template's `timeoutMs` ({@link NO_TIMEOUT}: none). */
  timeout?: number;
}

/** `--timeout none` (commander keeps the text when a parser returns null). */
export const NO_TIMEOUT = 0;

/** The executor's option for `--timeout`, when given. */
export const timeoutOption = (options: RunOptions): { timeoutMs?: number | null } =>
  options.timeout === undefined ? {} : { timeoutMs: options.timeout === NO_TIMEOUT ? null : options.timeout };

/** `--vars` file, overridden by each `--var`, then by each `--env-var`. @throws UserError for an unset environment variable */
export async function readVariables(options: RunOptions): Promise<Record<string, unknown>> {
  return mergeVars(options.vars === undefined ? {} : await readVarsFile(options.vars), [
    ...(options.var ?? []),
    ...envVariables(options.envVar ?? []),
  ]);
}

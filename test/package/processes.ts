// Real child processes for the publish test: npm, npx and node, with an environment that points npm at the
// throwaway registry and carries nothing of the test runner's own process (vitest, NODE_OPTIONS, npm_* of `npm test`).
import { spawn } from "node:child_process";
import { existsSync, realpathSync } from "node:fs";
import path from "node:path";
import { stripVTControlCharacters } from "node:util";

export interface Outcome {
  /** The command as a shell would show it, with its directory. */
  readonly command: string;
  readonly cwd: string;
  /** The exit code; null when the process was killed by a signal (see `signal`). */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly timedOut: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

/** For assertion messages: the command, where it ran, how it ended, and everything it printed. */
export function show(outcome: Outcome): string {
  const end = outcome.timedOut ? "timed out (killed)" : outcome.signal ? `killed by ${outcome.signal}` : `exit code ${outcome.code}`;
  const block = (name: string, text: string): string => (text.trim() === "" ? `${name}: (empty)` : `${name}:\n${text.replace(/\s+$/, "")}`);
  return [`$ ${outcome.command}`, `  (in ${outcome.cwd}; ${end})`, block("stdout", outcome.stdout), block("stderr", outcome.stderr)].join(
    "\n",
  );
}

export interface RunOptions {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly timeoutMs: number;
}

const quote = (arg: string): string => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`);

/**
 * Runs `file args` (no shell) and resolves with how it ended; never rejects for a failing command. The process runs
 * in a process group of its own, so a timeout kills it and everything it started (npm's scripts, vitest's workers).
 */
export function run(file: string, args: readonly string[], options: RunOptions, display?: string): Promise<Outcome> {
  const command = display ?? [file, ...args].map(quote).join(" ");
  return new Promise((resolve) => {
    const child = spawn(file, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    if (child.pid !== undefined) running.add(child.pid);
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, options.timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      if (child.pid !== undefined) running.delete(child.pid);
      resolve({
        command,
        cwd: options.cwd,
        code: null,
        signal: null,
        timedOut,
        stdout,
        stderr: `${stderr}\n(could not start: ${error.message})`,
      });
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (child.pid !== undefined) running.delete(child.pid);
      // colours (vitest colours its summary even when piped): assertions match the text
      resolve({
        command,
        cwd: options.cwd,
        code,
        signal,
        timedOut,
        stdout: stripVTControlCharacters(stdout),
        stderr: stripVTControlCharacters(stderr),
      });
    });
  });
}

/** The process groups of the commands {@link run} started that have not ended yet. */
const running = new Set<number>();

/** Kills what {@link run} started and is still running (a stage that timed out leaves its command behind). */
export function killRunning(): void {
  for (const pid of running) killGroup(pid);
  running.clear();
}

/** SIGKILLs the process group led by `pid` (a process started by {@link run} or with `detached: true`). */
export function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // already gone
  }
}

/**
 * npm's own scripts (`npm-cli.js`, `npx-cli.js`), run with this very node. `npm_execpath` is set when the tests run
 * under `npm test`, not under `npx vitest`; otherwise the `npm` on PATH is followed to its script.
 */
export function npmScripts(): { npm: string; npx: string } {
  const candidates: string[] = [];
  const fromEnv = process.env.npm_execpath;
  if (fromEnv && /npm-cli\.js$/.test(fromEnv)) candidates.push(fromEnv);
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const bin = path.join(dir, "npm");
    if (dir !== "" && existsSync(bin)) candidates.push(realpathSync(bin));
  }
  candidates.push(path.join(path.dirname(process.execPath), "..", "lib", "node_modules", "npm", "bin", "npm-cli.js"));
  for (const npm of candidates) {
    const npx = path.join(path.dirname(npm), "npx-cli.js");
    if (path.basename(npm) === "npm-cli.js" && existsSync(npm) && existsSync(npx)) return { npm, npx };
  }
  throw new Error(`cannot find npm's npm-cli.js (looked at: ${candidates.join(", ")})`);
}

/** Variables of the runner that must not reach the commands under test. */
const INHERITED =
  /^(npm_.*|vitest.*|__vitest.*|node_options|node_env|test|init_cwd|node_v8_coverage|weave_debug|force_color|no_color|node_path)$/i;

/** The runner's environment without its own variables (see INHERITED), this node first on PATH. */
export function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!INHERITED.test(key)) env[key] = value;
  // the node running the tests first on PATH: npm's scripts (tsc, vitest, weave) start with `#!/usr/bin/env node`
  env.PATH = [path.dirname(process.execPath), process.env.PATH ?? ""].join(path.delimiter);
  return env;
}

/**
 * The environment of every npm, npx and node command: npm talks to `registry` only (its token in `userconfig`, a
 * file of the test's own, so the user's ~/.npmrc plays no part), with no audit, funding or update checks. The
 * default npm cache is kept: tarballs are found there by integrity.
 */
export function consumerEnv(registry: string, userconfig: string): NodeJS.ProcessEnv {
  return {
    ...cleanEnv(),
    npm_config_registry: registry,
    npm_config_userconfig: userconfig,
    npm_config_audit: "false",
    npm_config_fund: "false",
    npm_config_update_notifier: "false",
    npm_config_progress: "false",
  };
}

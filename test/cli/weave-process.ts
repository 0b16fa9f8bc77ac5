// Running `node bin/weave.js` as a real process, for the CLI tests.
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { afterAll, beforeAll } from "vitest";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const WEAVE = join(ROOT, "bin", "weave.js");
/** A line of a stack trace. */
export const STACK = /\n\s+at /;

export interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  // a developer's own debug setting must not change the output tests assert; a test may ask for it
  if (!Object.hasOwn(extra, "WEAVE_DEBUG")) delete env.WEAVE_DEBUG;
  delete env.FORCE_COLOR;
  // a developer's own payload key must not reach the processes of tests that do not give one
  if (!Object.hasOwn(extra, "WEAVE_PAYLOAD_KEY")) delete env.WEAVE_PAYLOAD_KEY;
  return env;
}

export function weave(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [WEAVE, ...args],
      { cwd: options.cwd ?? ROOT, timeout: 15_000, env: cleanEnv(options.env) },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== "number") return reject(error);
        resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
      },
    );
  });
}

/**
 * A temporary directory for the file's tests (made before them, removed after), and `workdir(name)`: a fresh path
 * inside it for one test's tools to write into.
 */
export function useWorkdirs(prefix: string): { workdir(name: string): Promise<string>; root(): string } {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  return {
    root: () => dir,
    async workdir(name) {
      const path = join(dir, name);
      await rm(path, { recursive: true, force: true });
      return path;
    },
  };
}

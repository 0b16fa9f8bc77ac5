/**
 * @module Runs a command as a child process and measures its wall time and peak RSS: through GNU `/usr/bin/time -v`
 * when present, else through a Node wrapper that prints `process.resourceUsage().maxRSS` at exit (Node commands only).
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

export interface Measured {
  readonly exitCode: number;
  readonly wallMs: number;
  /** Peak resident set size, bytes. */
  readonly maxRssBytes: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly via: "/usr/bin/time -v" | "process.resourceUsage";
}

const TIME = "/usr/bin/time";

/** Runs `node <args>` in `cwd`. */
export function measureNode(args: readonly string[], cwd: string): Measured {
  const useTime = existsSync(TIME);
  const started = performance.now();
  const res = useTime
    ? spawnSync(TIME, ["-v", process.execPath, ...args], { cwd, encoding: "utf8", maxBuffer: 256 * 2 ** 20 })
    : spawnSync(
        process.execPath,
        [
          "--input-type=module",
          "-e",
          `process.on("exit", () => process.stderr.write("\\nMAXRSS_KB " + process.resourceUsage().maxRSS + "\\n")); process.argv.splice(1, 1); await import(${JSON.stringify(args[0])});`,
          "--",
          ...args,
        ],
        { cwd, encoding: "utf8", maxBuffer: 256 * 2 ** 20 },
      );
  const wallMs = performance.now() - started;
  if (res.error) throw res.error;
  const stderr = res.stderr;
  const kb = useTime ? /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1] : /MAXRSS_KB (\d+)/.exec(stderr)?.[1];
  if (kb === undefined) throw new Error(`no peak RSS in the output of node ${args.join(" ")}:\n${stderr.slice(-2000)}`);
  return {
    exitCode: res.status ?? -1,
    wallMs,
    maxRssBytes: Number(kb) * 1024,
    stdout: res.stdout,
    stderr,
    via: useTime ? "/usr/bin/time -v" : "process.resourceUsage",
  };
}

// A throwaway npm registry (verdaccio, a devDependency) on a free port of 127.0.0.1: `toolweave` is served only from
// what the test publishes to it; every other package is proxied to the registry npm is configured with.
import { spawn, type ChildProcess } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import path from "node:path";
import { killGroup } from "./processes.js";

export interface Registry {
  /** `http://127.0.0.1:<port>/` */
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** What the server printed so far (its log level is warn). */
  output(): string;
  /** Stops the server (SIGTERM, then SIGKILL after 5 s) and waits for it to exit. */
  stop(): Promise<void>;
}

/** A port nothing listens on right now: listen on port 0, read the port, close. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      if (address === null || typeof address === "string") return reject(new Error(`unexpected server address ${String(address)}`));
      server.close(() => resolve(address.port));
    });
  });
}

export interface StartOptions {
  /** node_modules/verdaccio/bin/verdaccio */
  readonly bin: string;
  /** A temporary directory of the test's: the config, the storage and the htpasswd go there. */
  readonly dir: string;
  /** The registry the server proxies every package but toolweave to (`npm config get registry`). */
  readonly uplink: string;
  readonly env: NodeJS.ProcessEnv;
  readonly timeoutMs: number;
}

export async function startVerdaccio(options: StartOptions): Promise<Registry> {
  const port = await freePort();
  const config = path.join(options.dir, "config.yaml");
  // JSON is YAML: no quoting of paths to get wrong
  const settings = {
    storage: path.join(options.dir, "storage"),
    auth: { htpasswd: { file: path.join(options.dir, "htpasswd"), max_users: -1 } },
    uplinks: { upstream: { url: options.uplink, timeout: "60s", max_fails: 5 } },
    packages: {
      toolweave: { access: "$all", publish: "$all", unpublish: "$all" },
      "**": { access: "$all", publish: "$all", proxy: "upstream" },
    },
    max_body_size: "100mb",
    web: { enable: false },
    log: { type: "stdout", format: "pretty", level: "warn" },
  };
  await writeFile(config, `${JSON.stringify(settings, null, 2)}\n`);

  const url = `http://127.0.0.1:${port}/`;
  const child: ChildProcess = spawn(process.execPath, [options.bin, "--config", config, "--listen", `127.0.0.1:${port}`], {
    cwd: options.dir,
    env: options.env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  let exit: string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.on("exit", (code, signal) => {
      exit = signal ? `killed by ${signal}` : `exit code ${code}`;
      resolve();
    });
    child.on("error", (error) => {
      exit = `could not start: ${error.message}`;
      resolve();
    });
  });
  const pid = child.pid;

  const stop = async (): Promise<void> => {
    if (exit !== undefined || pid === undefined) return;
    try {
      process.kill(pid, "SIGTERM");
    } catch {
      return;
    }
    const timer = setTimeout(() => killGroup(pid), 5_000);
    await exited;
    clearTimeout(timer);
  };

  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    if (exit !== undefined) throw new Error(`verdaccio stopped before it answered on ${url} (${exit}). its output:\n${output}`);
    try {
      const response = await fetch(new URL("-/ping", url), { signal: AbortSignal.timeout(2_000) });
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`verdaccio did not answer GET ${url}-/ping within ${options.timeoutMs} ms. its output:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  if (pid === undefined) throw new Error("verdaccio has no pid");
  return { url, port, pid, output: () => output, stop };
}

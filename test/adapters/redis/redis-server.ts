/**
 * A real `redis-server` for the distributed tests: started on a free loopback port with persistence off, stopped by
 * its pid. Without redis-server the tests are skipped with a message, except under CI=true, where they fail.
 */
import { spawn, spawnSync } from "node:child_process";
import { connect, createServer } from "node:net";
import { describe, it } from "vitest";

export { startRedis, type RedisServer } from "../../../bench/lib/redis-server.js";

const found = spawnSync("redis-server", ["--version"], { encoding: "utf8" });
/** `redis-server --version`, or undefined when it is not installed. */
export const REDIS_VERSION: string | undefined = found.status === 0 ? found.stdout.trim() : undefined;

const MISSING = "redis-server is not installed (apt-get install redis-server): the distributed engine's tests need a real Redis";

/**
 * `describe` when redis-server exists; else one skipped test saying why, or, under CI=true, one failing test
 * (CI installs redis-server in .ci/run: a missing one is a broken setup, never a silent skip).
 */
export function describeWithRedis(name: string, body: () => void): void {
  if (REDIS_VERSION !== undefined) {
    describe(name, body);
    return;
  }
  if (process.env.CI === "true") {
    describe(name, () => {
      it("needs redis-server", () => {
        throw new Error(`${MISSING} (CI=true: not skipped)`);
      });
    });
    return;
  }
  process.stderr.write(`[toolweave tests] skipping "${name}": ${MISSING}\n`);
  describe.skip(`${name} (skipped: ${MISSING})`, body);
}

/** A redis-server on a given port (to restart one on the port it had), persistence off; `args` are passed on. */
export interface PortRedis {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** SIGKILL, and wait for the process to be gone (its port free again). */
  kill(): Promise<void>;
  /** SIGTERM, and wait for the process to be gone. */
  stop(): Promise<void>;
}

/** Starts redis-server on 127.0.0.1:`port`; resolves once it answers PING (within 10 s). */
export async function startRedisOn(port: number, args: readonly string[] = []): Promise<PortRedis> {
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--loglevel", "warning", ...args],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => void (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => void (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const gone = (): boolean => child.exitCode !== null || child.signalCode !== null;
  const end = async (signal: NodeJS.Signals): Promise<void> => {
    if (!gone()) child.kill(signal);
    await exited;
  };
  const started = Date.now();
  while (!(await answers(port))) {
    if (gone())
      throw new Error(`redis-server on port ${port} exited (${child.exitCode ?? child.signalCode}) before answering: ${output.trim()}`);
    if (Date.now() - started > 10_000) {
      await end("SIGKILL");
      throw new Error(`redis-server on port ${port} did not answer within 10 s: ${output.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return { url: `redis://127.0.0.1:${port}`, port, pid: child.pid!, kill: () => end("SIGKILL"), stop: () => end("SIGTERM") };
}

/** A 127.0.0.1 port nothing listens on (now). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** Any answer to PING, even NOAUTH (a server with a password answers too). */
function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once("error", () => done(false));
    socket.once("data", (chunk) => done(/^(\+PONG|-NOAUTH)/.test(chunk.toString())));
    socket.once("connect", () => socket.write("PING\r\n"));
  });
}

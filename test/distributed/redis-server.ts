/**
 * A real `redis-server` for the distributed tests: started on a free loopback port with persistence off, stopped by
 * its pid. Without redis-server the tests are skipped with a message, except under CI=true, where they fail.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { connect, createServer } from "node:net";
import { describe, it } from "vitest";

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

export interface RedisServer {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** Starts redis-server on a free 127.0.0.1 port, without persistence; resolves once it accepts connections. */
export async function startRedis(): Promise<RedisServer> {
  for (let tries = 1; ; tries++) {
    const port = await freePort();
    try {
      return await launch(port);
    } catch (error) {
      if (tries >= 3) throw error;
    }
  }
}

function launch(port: number): Promise<RedisServer> {
  const child: ChildProcess = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--loglevel", "warning"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return new Promise((resolve, reject) => {
    let output = "";
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`redis-server exited (${code}) before accepting connections: ${output.trim()}`)));
    const started = Date.now();
    const poll = async (): Promise<void> => {
      if (await ping(port)) {
        resolve({
          url: `redis://127.0.0.1:${port}`,
          port,
          pid: child.pid!,
          async stop() {
            if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, "SIGTERM");
            await exited;
          },
        });
        return;
      }
      if (Date.now() - started > 10_000) {
        process.kill(child.pid!, "SIGKILL");
        reject(new Error(`redis-server on port ${port} did not answer within 10 s: ${output.trim()}`));
        return;
      }
      setTimeout(() => void poll(), 20);
    };
    setTimeout(() => void poll(), 20);
  });
}

/** PING over a raw socket: true on +PONG. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    let reply = "";
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once("error", () => done(false));
    socket.on("data", (chunk) => {
      reply += chunk.toString();
      if (reply.includes("\r\n")) done(reply.startsWith("+PONG"));
    });
    socket.once("connect", () => socket.write("PING\r\n"));
  });
}

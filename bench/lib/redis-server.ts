/**
 * A real `redis-server` on a free loopback port, persistence off, stopped by its pid: for the distributed engine's
 * tests and its benchmark.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { connect, createServer } from "node:net";

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
  const child: ChildProcess = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--loglevel", "warning"],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
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

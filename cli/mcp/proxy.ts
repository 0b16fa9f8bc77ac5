/**
 * @module `weave mcp proxy`: starts an MCP server over stdio and stands between it and its client, relaying the bytes
 * both ways unchanged, while a copy of each message is read to log the client's tool calls.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { constants } from "node:os";
import type { Readable, Writable } from "node:stream";
import type { Monitor } from "../../src/monitor/index.js";
import { thrownReason } from "../../src/util/safe-json.js";
import { UserError } from "../../src/util/user-error.js";
import { EXIT } from "../exit-codes.js";
import { openToolCallLog } from "../run/open-log.js";
import { LineSplitter } from "./line-splitter.js";
import { ToolCallMatcher } from "./tool-call-matcher.js";

export interface ProxyOptions {
  /** The server's command and its arguments. */
  readonly command: string;
  readonly args: readonly string[];
  /** The tool-call log to append to; without it, nothing is logged. */
  readonly log?: string | undefined;
  /** Tools are logged as `<name>.<tool>`. */
  readonly name?: string | undefined;
  /** See {@link ToolCallMatcherOptions.idleGapMs}. */
  readonly idleGapMs: number;
}

/** The streams the proxy stands between: the client's end (this process's stdin and stdout) and where notes go. */
export interface ProxyStreams {
  readonly input: Readable;
  readonly output: Writable;
  readonly errors: Writable;
}

const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/**
 * Runs the proxy until the server exits. The log is opened before the server starts, so a log that cannot be written
 * stops it before the client sees anything.
 * @returns the server's exit code (128 + the signal's number when a signal ended it)
 * @throws UserError when the log cannot be written or the server cannot be started
 */
export async function runProxy(options: ProxyOptions, streams: ProxyStreams): Promise<number> {
  const monitor = options.log === undefined ? undefined : await openToolCallLog(options.log, { maxInMemory: 0 });
  let server: ChildProcess;
  try {
    server = await start(options.command, options.args);
  } catch (error) {
    await monitor?.close().catch(() => undefined);
    throw error;
  }
  const matcher =
    monitor === undefined
      ? undefined
      : new ToolCallMatcher({
          serverName: options.name,
          idleGapMs: options.idleGapMs,
          record: (metric) => monitor.record(metric),
          newSessionId: randomUUID,
          now: () => performance.timeOrigin + performance.now(),
        });
  const stopForwarding = forwardSignals(server);
  try {
    const exited = relay(server, streams, matcher);
    const { code, signal } = await exited;
    matcher?.finish(
      signal === null ? `no response: the MCP server exited with code ${code}` : `no response: the MCP server was stopped by ${signal}`,
    );
    return code ?? (signal === null ? EXIT.failed : 128 + (constants.signals[signal] ?? 0));
  } finally {
    stopForwarding();
    await closeLog(monitor, options.log, streams.errors);
  }
}

/** The server's process, once it has started. */
function start(command: string, args: readonly string[]): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["pipe", "pipe", "inherit"], shell: false, windowsHide: true });
    child.once("spawn", () => resolve(child));
    child.once("error", (error: NodeJS.ErrnoException) => {
      const why =
        error.code === "ENOENT" ? "no such command" : error.code === "EACCES" ? "permission denied (not an executable?)" : error.message;
      reject(
        new UserError(`cannot start the MCP server "${command}": ${why}`, [
          "give the server's command after --, as its client would start it: weave mcp proxy -- npx -y @modelcontextprotocol/server-memory",
        ]),
      );
    });
  });
}

/**
 * Relays client → server and server → client, byte for byte, with backpressure, and shows the matcher a copy of each
 * complete line; a line that is not JSON is relayed all the same. Resolves when the server has exited and its output
 * has all been relayed. The client closing its end closes the server's stdin.
 */
function relay(
  server: ChildProcess,
  streams: ProxyStreams,
  matcher: ToolCallMatcher | undefined,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const serverIn = server.stdin!;
  const serverOut = server.stdout!;
  // writing to a server that has exited fails with EPIPE: its exit is what the proxy reports
  serverIn.on("error", () => undefined);
  streams.input.pipe(serverIn);
  serverOut.pipe(streams.output, { end: false });
  if (matcher !== undefined) {
    watch(streams.input, (message) => matcher.fromClient(message));
    watch(serverOut, (message) => matcher.fromServer(message));
  }
  return new Promise((resolve) => {
    server.once("close", (code, signal) => {
      streams.input.unpipe(serverIn);
      // nothing more to relay: stop reading, so a client that keeps its end open does not keep the proxy alive
      streams.input.pause();
      resolve({ code, signal });
    });
  });
}

/** Calls `onMessage` with each line of `stream` that is JSON, as it completes. */
function watch(stream: Readable, onMessage: (message: unknown) => void): void {
  const lines = new LineSplitter();
  const parse = (line: string): void => {
    if (line.trim() === "") return;
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      return;
    }
    onMessage(message);
  };
  stream.on("data", (chunk: Buffer | string) => {
    for (const line of lines.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk)) parse(line);
  });
  stream.once("end", () => {
    const rest = lines.end();
    if (rest !== undefined) parse(rest);
  });
}

/**
 * Passes SIGINT, SIGTERM and SIGHUP on to the server, whose exit then ends the proxy; a second one kills it.
 * @returns a function that stops forwarding
 */
function forwardSignals(server: ChildProcess): () => void {
  let received = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    received++;
    if (server.exitCode !== null || server.signalCode !== null) return;
    server.kill(received > 1 ? "SIGKILL" : signal);
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);
  return () => {
    for (const signal of SIGNALS) process.removeListener(signal, onSignal);
  };
}

/** Writes what is queued; a log that failed is a warning, since the server's exit code is what the client needs. */
async function closeLog(monitor: Monitor | undefined, file: string | undefined, errors: Writable): Promise<void> {
  try {
    await monitor?.close();
  } catch (error) {
    errors.write(`weave: warning: tool calls were not all logged to "${file}": ${thrownReason(error)}\n`);
  }
}

// `weave serve --mcp` on the wire: stdout carries protocol messages only (what a tool prints goes to stderr), and the
// server exits when the client closes its stdin, cancelling the runs still going.
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cleanEnv, ROOT, WEAVE, useWorkdirs } from "../weave-process.js";

const F = "test/cli/serve/fixtures/workflows";

const { workdir } = useWorkdirs("weave-cli-serve-stdio-");

interface Server {
  readonly child: ChildProcessWithoutNullStreams;
  send(message: object): void;
  /** The first message on stdout that matches. */
  next(match: (message: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  stdout(): string;
  /** Lines of stdout that are not JSON: none, or the protocol is broken. */
  notJson(): string[];
  stderr(): string;
  exited: Promise<number | null>;
}

function start(args: string[]): Server {
  const child = spawn(process.execPath, [WEAVE, "serve", "--mcp", ...args], { cwd: ROOT, env: cleanEnv() });
  let stdout = "";
  let stderr = "";
  const waiting: { match: (m: Record<string, unknown>) => boolean; resolve: (m: Record<string, unknown>) => void }[] = [];
  const seen: Record<string, unknown>[] = [];
  const notJson: string[] = [];
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    const lines = stdout.split("\n").slice(0, -1);
    for (const line of lines.slice(seen.length + notJson.length)) {
      let message: Record<string, unknown>;
      try {
        message = JSON.parse(line) as Record<string, unknown>;
      } catch {
        notJson.push(line);
        continue;
      }
      seen.push(message);
      for (const w of waiting.filter((w) => w.match(message))) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve(message);
      }
    }
  });
  child.stderr.on("data", (chunk: Buffer) => void (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return {
    child,
    send: (message) => child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", ...message })}\n`),
    next: (match) =>
      new Promise((resolve, reject) => {
        const found = seen.find(match);
        if (found) return resolve(found);
        waiting.push({ match, resolve });
        setTimeout(() => reject(new Error(`no such message; stdout: ${stdout}; stderr: ${stderr}`)), 10_000);
      }),
    stdout: () => stdout,
    notJson: () => notJson,
    stderr: () => stderr,
    exited,
  };
}

async function initialize(server: Server): Promise<void> {
  server.send({
    id: 0,
    method: "initialize",
    params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
  });
  await server.next((m) => m.id === 0);
  server.send({ method: "notifications/initialized" });
}

describe.concurrent("weave serve --mcp over stdio", () => {
  it("writes only protocol messages to stdout: what a tool prints goes to stderr; exits 0 when stdin closes", async () => {
    const wd = await workdir("announce");
    const server = start([`${F}/release.ts`]);
    await initialize(server);
    server.send({ id: 1, method: "tools/call", params: { name: "release", arguments: { dir: wd, tag: "v5", quiet: false } } });
    const answer = await server.next((m) => m.id === 1);
    expect(answer.result).toMatchObject({ structuredContent: { image: "app:v5" } });
    server.child.stdin.end();
    expect(await server.exited).toBe(0);
    expect(server.notJson()).toEqual([]);
    const lines = server.stdout().trimEnd().split("\n");
    // the handshake and the answer: no progress without a progress token, and no line of the tool's
    expect(lines.map((line) => (JSON.parse(line) as { jsonrpc: string; id: number }).id)).toEqual([0, 1]);
    expect(server.stderr()).toContain("announcing: released app:v5");
    expect(server.stderr()).toContain("weave: serving 1 workflow as MCP tools over stdio: release");
  });

  it("cancels the runs still going when the client closes stdin, then exits 0", async () => {
    const wd = await workdir("closed");
    const server = start([`${F}/waits.ts`]);
    await initialize(server);
    server.send({ id: 1, method: "tools/call", params: { name: "waits", arguments: { dir: wd } } });
    const deadline = Date.now() + 10_000;
    while (!existsSync(join(wd, "started")) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    server.child.stdin.end();
    expect(await server.exited).toBe(0);
    // the tool saw its run cancelled before the process exited, and nothing was answered
    expect(await readFile(join(wd, "aborted"), "utf8")).toMatch(/^RunCancelledError: cancelled/);
    expect(existsSync(join(wd, "after"))).toBe(false);
    expect(server.stdout().trimEnd().split("\n")).toHaveLength(1);
  });
});

// `weave mcp proxy` as a real process between a client (this test, writing raw bytes) and a stand-in server
// (fixtures/raw-server.mjs): the bytes both ways, the log, stderr, exit codes, signals and usage errors.
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { cleanEnv, ROOT, STACK, WEAVE, weave, useWorkdirs } from "../weave-process.js";

const { root } = useWorkdirs("weave-cli-mcp-proxy-");
const RAW_SERVER = join(ROOT, "test", "cli", "mcp", "fixtures", "raw-server.mjs");

interface Proxy {
  readonly child: ChildProcessWithoutNullStreams;
  /** Everything the proxy wrote on stdout so far. */
  stdout(): Buffer;
  stderr(): string;
  /** Resolves when `test` holds, checking every 10 ms (the test's timeout bounds it). */
  until(test: () => boolean): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startProxy(args: string[], env: Record<string, string> = {}): Proxy {
  const child = spawn(process.execPath, [WEAVE, "mcp", "proxy", ...args], { cwd: ROOT, env: cleanEnv(env) });
  const out: Buffer[] = [];
  let err = "";
  child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
  child.stderr.on("data", (chunk: Buffer) => void (err += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("close", (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    stdout: () => Buffer.concat(out),
    stderr: () => err,
    exited,
    async until(test) {
      while (!test()) await sleep(10);
    },
  };
}

const request = (id: number, name: string, args: unknown = {}): string =>
  `${JSON.stringify({ jsonrpc: "2.0", id, method: "tools/call", params: { name, arguments: args } })}\n`;
/** What raw-server.mjs answers to a call of "echo" with { n }. */
const echoed = (id: number, n: number): string =>
  `${JSON.stringify({ jsonrpc: "2.0", id, result: { content: [{ type: "text", text: `héllo ✓ ${n}` }] } })}\n`;

const readLog = async (file: string): Promise<Record<string, unknown>[]> =>
  (await readFile(file, "utf8"))
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe.concurrent("weave mcp proxy, relaying", () => {
  it("relays both ways byte for byte, logs each tools/call with its response, and exits with the server's code", async () => {
    const log = join(root(), "relay", "calls.jsonl");
    const received = join(root(), "relay-received.bin");
    const proxy = startProxy(["--log", log, "--name", "raw", "--", "node", RAW_SERVER, "7"], { RAW_SERVER_RECEIVED: received });
    await proxy.until(() => proxy.stderr().includes("raw-server: started\n"));

    // a request split in three writes, one cut inside the "€" (3 bytes in UTF-8)
    const first = Buffer.from(request(1, "echo", { n: 1, note: "5 €" }));
    const cut = first.indexOf(Buffer.from("€")) + 1;
    const sent: Buffer[] = [first.subarray(0, 10), first.subarray(10, cut), first.subarray(cut)];
    sent.push(Buffer.from("this is not JSON\n"), Buffer.from(request(2, "fail") + request(3, "hang") + request(4, "echo", { n: 4 })));
    for (const chunk of sent) {
      proxy.child.stdin.write(chunk);
      await sleep(30);
    }
    const expected = Buffer.from(
      `${echoed(1, 1)}not json: 16 chars\n${JSON.stringify({ jsonrpc: "2.0", id: 2, error: { code: -32602, message: "Tool fail not found" } })}\n${echoed(4, 4)}`,
    );
    await proxy.until(() => proxy.stdout().length >= expected.length);
    proxy.child.stdin.end();
    const { code } = await proxy.exited;

    expect(code).toBe(7);
    expect(proxy.stdout().equals(expected)).toBe(true);
    expect((await readFile(received)).equals(Buffer.concat(sent))).toBe(true);
    expect(proxy.stderr()).toBe("raw-server: started\nraw-server: stdin closed\n");

    const records = await readLog(log);
    expect(records.map((r) => [r.toolName, r.success, r.error])).toEqual([
      ["raw.echo", true, undefined],
      ["raw.fail", false, "Tool fail not found (JSON-RPC error -32602)"],
      ["raw.echo", true, undefined],
      ["raw.hang", false, "no response: the MCP server exited with code 7"],
    ]);
    expect(records[0]).toMatchObject({
      stepId: "",
      attempt: 1,
      parameters: { n: 1, note: "5 €" },
      result: { content: [{ type: "text", text: "héllo ✓ 1" }] },
    });
    expect(new Set(records.map((r) => r.executionId)).size).toBe(1);
    expect(records[0]!.executionId).toMatch(/^[0-9a-f-]{36}$/);
    for (const r of records) {
      expect(r.timestamp).toBeGreaterThan(Date.now() - 60_000);
      expect(r.durationMs).toBeGreaterThanOrEqual(0);
    }
    // the response to call 1 came in three pieces 20 ms apart
    expect(records[0]!.durationMs).toBeGreaterThanOrEqual(30);
  });

  it("only relays without --log", async () => {
    const proxy = startProxy(["--", "node", RAW_SERVER]);
    proxy.child.stdin.end(request(5, "echo", { n: 5 }));
    expect(await proxy.exited).toEqual({ code: 0, signal: null });
    expect(proxy.stdout().toString()).toBe(echoed(5, 5));
  });

  it("passes SIGTERM on to the server and exits as it did, logging the call left waiting", async () => {
    const log = join(root(), "signal.jsonl");
    const received = join(root(), "signal-received.bin");
    const proxy = startProxy(["--log", log, "--", "node", RAW_SERVER, "0"], { RAW_SERVER_RECEIVED: received });
    await proxy.until(() => proxy.stderr().includes("raw-server: started\n"));
    proxy.child.stdin.write(request(1, "hang"));
    // the proxy reads the request as it passes it on
    await proxy.until(() => existsSync(received));
    proxy.child.kill("SIGTERM");
    const { code } = await proxy.exited;
    expect(code).toBe(128 + 15);
    // the server was stopped before its stdin closed: it never said so
    expect(proxy.stderr()).toBe("raw-server: started\n");
    expect(await readLog(log)).toEqual([
      expect.objectContaining({ toolName: "hang", success: false, error: "no response: the MCP server was stopped by SIGTERM" }),
    ]);
  });
});

describe.concurrent("weave mcp proxy, usage errors (exit 2)", () => {
  it("needs the server's command after --", async () => {
    for (const args of [
      ["mcp", "proxy"],
      ["mcp", "proxy", "--log", join(root(), "none.jsonl"), "--"],
    ]) {
      const { code, stdout, stderr } = await weave(args);
      expect(code).toBe(2);
      expect(stdout).toBe("");
      expect(stderr).toBe(
        "weave: no MCP server to start: give its command after --\n  weave mcp proxy --log calls.jsonl -- npx -y @modelcontextprotocol/server-memory\n",
      );
    }
  });

  it("names a log it cannot write, and does not start the server", async () => {
    const file = join(root(), "a-file");
    await writeFile(file, "");
    const log = join(file, "calls.jsonl");
    const marker = join(root(), "started-anyway");
    const { code, stdout, stderr } = await weave([
      "mcp",
      "proxy",
      "--log",
      log,
      "--",
      "node",
      "-e",
      `require("node:fs").writeFileSync(${JSON.stringify(marker)}, "")`,
    ]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(new RegExp(`^weave: cannot write tool-call log "${log.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}": `));
    expect(stderr).not.toMatch(STACK);
    expect(existsSync(marker)).toBe(false);
  });

  it("says when the server's command cannot be started", async () => {
    const log = join(root(), "not-started.jsonl");
    const { code, stdout, stderr } = await weave(["mcp", "proxy", "--log", log, "--", "./no/such-server", "--flag"]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr.split("\n")[0]).toBe('weave: cannot start the MCP server "./no/such-server": no such command');
    expect(await readFile(log, "utf8")).toBe("");
  });

  it("rejects a --name with a dot and a bad --idle-gap", async () => {
    const name = await weave(["mcp", "proxy", "--name", "a.b", "--", "node", RAW_SERVER]);
    expect(name.code).toBe(2);
    expect(name.stderr).toContain('weave: --name must be a server\'s name without a ".", got "a.b"');
    const gap = await weave(["mcp", "proxy", "--idle-gap", "soon", "--", "node", RAW_SERVER]);
    expect(gap.code).toBe(2);
    expect(gap.stderr).toContain('weave: --idle-gap must be a number of milliseconds (0 or more), got "soon"');
  });
});

// MCP servers as tools (toolweave/mcp): the reference servers (filesystem, memory) and a test server, all real
// processes over stdio, started by startMcpServers and called by the executor like any tool.
import { getEventListeners } from "node:events";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMonitor, type ExecutionEvent, type ToolContext, WorkflowContext, WorkflowExecutor, WorkflowTemplate } from "toolweave";
import { startMcpServers, type McpServers } from "toolweave/mcp";

const require = createRequire(import.meta.url);
const serverScript = (pkg: string) => require.resolve(`@modelcontextprotocol/${pkg}/dist/index.js`);
const TEST_SERVER = path.join(import.meta.dirname, "fixtures/test-server.mjs");

let dir: string;
let servers: McpServers;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "weave-mcp-"));
  writeFileSync(
    path.join(dir, ".mcp.json"),
    JSON.stringify({
      mcpServers: {
        files: { command: "node", args: [serverScript("server-filesystem"), "${MCP_TEST_DIR}"] },
        memory: { command: "node", args: [serverScript("server-memory")], env: { MEMORY_FILE_PATH: "${MCP_TEST_DIR}/memory.jsonl" } },
        test: { command: "node", args: [TEST_SERVER] },
      },
    }),
  );
  servers = await startMcpServers(path.join(dir, ".mcp.json"), { env: { ...process.env, MCP_TEST_DIR: dir } });
}, 60_000);

afterAll(async () => {
  await servers?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("startMcpServers", () => {
  it("lists every server's tools as <server>.<tool>, with their schemas and annotations", () => {
    const names = Object.keys(servers.tools);
    expect(names).toEqual(
      expect.arrayContaining(["files.write_file", "files.read_text_file", "memory.create_entities", "memory.read_graph", "test.sum"]),
    );
    const readGraph = servers.list().find((t) => t.qualifiedName === "memory.read_graph")!;
    expect(readGraph).toMatchObject({ server: "memory", name: "read_graph", annotations: { readOnlyHint: true } });
    expect(readGraph.inputSchema.type).toBe("object");
  });

  it("runs a workflow over the filesystem and memory servers: parallel writes, data passed from one server to the other", async () => {
    const template = new WorkflowTemplate({
      name: "notes",
      steps: [
        { id: "write_a", toolName: "files.write_file", parameters: { path: path.join(dir, "a.txt"), content: "alpha beta" } },
        { id: "write_b", toolName: "files.write_file", parameters: { path: path.join(dir, "b.txt"), content: "gamma" } },
        { id: "read_a", toolName: "files.read_text_file", dependsOn: ["write_a"], parameters: { path: path.join(dir, "a.txt") } },
        { id: "words", toolName: "test.words", dependsOn: ["read_a"], parameters: { text: "{{read_a.content}}" } },
        {
          id: "remember",
          toolName: "memory.create_entities",
          dependsOn: ["write_b", "read_a", "words"],
          parameters: { entities: [{ name: "a.txt", entityType: "file", observations: ["{{read_a.content}}", "{{words[1]}}"] }] },
        },
        { id: "graph", toolName: "memory.read_graph", dependsOn: ["remember"] },
        { id: "sum", toolName: "test.sum", parameters: { a: 2, b: 3 } },
      ],
      outputs: { graph: "{{graph.entities}}", sum: "{{sum.sum}}", words: "{{words}}" },
    });
    const result = await new WorkflowExecutor({ tools: servers.tools }).execute(template, new WorkflowContext());
    expect(result.error).toBeUndefined();
    expect(result.status).toBe("completed");
    expect(readFileSync(path.join(dir, "b.txt"), "utf8")).toBe("gamma");
    expect(result.outputs).toEqual({
      graph: [{ name: "a.txt", entityType: "file", observations: ["alpha beta", "beta"] }],
      sum: 5,
      words: ["alpha", "beta"],
    });
    expect(readFileSync(path.join(dir, "memory.jsonl"), "utf8")).toContain('"name":"a.txt"');
  });

  it("fails the step with the server's message for an isError result and for a protocol error", async () => {
    const template = new WorkflowTemplate({
      name: "errors",
      steps: [
        { id: "fail", toolName: "test.fail", parameters: { message: "quota exceeded" } },
        { id: "bad", toolName: "test.sum", parameters: { a: "two", b: 3 } },
      ],
    });
    const result = await new WorkflowExecutor({ tools: servers.tools }).execute(template, new WorkflowContext());
    const errors = Object.fromEntries(result.failedSteps.map((s) => [s.id, s.error]));
    expect(errors.fail).toBe("test.fail: quota exceeded");
    expect(errors.bad).toMatch(/^test\.sum: .*(a|number)/i);
  });

  it("turns a step's timeout into an MCP cancellation the server sees, and the server's progress into step_progress", async () => {
    const cancelled = path.join(dir, "cancelled.txt");
    const template = new WorkflowTemplate({
      name: "slow",
      steps: [
        { id: "short", toolName: "test.wait", parameters: { ms: 60 } },
        { id: "long", toolName: "test.wait", timeoutMs: 300, parameters: { ms: 30_000, cancelled } },
      ],
    });
    const events: ExecutionEvent[] = [];
    const result = await new WorkflowExecutor({ tools: servers.tools }).execute(template, new WorkflowContext(), undefined, {
      onEvent: (e) => void events.push(e),
    });
    expect(result.failedSteps.map((s) => [s.id, s.error])).toEqual([["long", expect.stringMatching(/timed out after 300 ?ms/)]]);
    await expect.poll(() => existsSync(cancelled), { timeout: 5_000 }).toBe(true);
    const progress = events.filter((e) => e.type === "step_progress" && e.stepId === "short");
    expect(progress.length).toBeGreaterThan(0);
    expect(progress[0]).toMatchObject({ total: 60, message: "waiting", attempt: 1 });
  });

  it("starts a server that died again on the step's next attempt, and the run completes", async () => {
    const marker = path.join(dir, "crashed.txt");
    const template = new WorkflowTemplate({
      name: "crash",
      steps: [{ id: "call", toolName: "test.crash_once", maxRetries: 1, retryDelayMs: 0, parameters: { marker } }],
      outputs: { recovered: "{{call.recovered}}", pid: "{{call.pid}}" },
    });
    const before = servers.starts().test!;
    const result = await new WorkflowExecutor({ tools: servers.tools }).execute(template, new WorkflowContext());
    expect(result.status).toBe("completed");
    expect(result.completedSteps[0]?.attempts).toBe(2);
    expect(result.outputs.recovered).toBe(true);
    // a new process answered
    expect(result.outputs.pid).not.toBe(Number(readFileSync(marker, "utf8")));
    expect(servers.starts().test).toBe(before + 1);
  });

  it("leaves no listener on a signal its calls shared (a run's signal lives as long as the run)", async () => {
    const signal = new AbortController().signal;
    const sum = servers.tools["test.sum"]!;
    for (let i = 0; i < 20; i++) expect(await sum({ a: i, b: 1 }, { signal } as ToolContext)).toEqual({ sum: i + 1 });
    expect(getEventListeners(signal, "abort")).toHaveLength(0);
  });

  it("starts a server killed in the middle of a call again, and the step's retry completes", async () => {
    const pidFile = path.join(dir, "killed.pid");
    const own = await startMcpServers({
      mcpServers: { victim: { command: "node", args: [TEST_SERVER], env: { TEST_SERVER_PID_FILE: pidFile } } },
    });
    try {
      const template = new WorkflowTemplate({
        name: "killed",
        steps: [{ id: "wait", toolName: "victim.wait", maxRetries: 1, retryDelayMs: 0, parameters: { ms: 400 } }],
        outputs: { said: "{{wait}}" },
      });
      const first = Number(readFileSync(pidFile, "utf8"));
      const running = new WorkflowExecutor({ tools: own.tools }).execute(template, new WorkflowContext());
      await new Promise((resolve) => setTimeout(resolve, 100));
      process.kill(first, "SIGKILL");
      const result = await running;
      expect(result.status).toBe("completed");
      expect(result.outputs.said).toBe("waited 400");
      expect(result.completedSteps[0]?.attempts).toBe(2);
      expect(Number(readFileSync(pidFile, "utf8"))).not.toBe(first);
      expect(own.starts()).toEqual({ victim: 2 });
    } finally {
      await own.close();
    }
  });

  it("masks a secret input in what the monitor records of an MCP call, and in the server's error", async () => {
    const monitor = createMonitor();
    const template = new WorkflowTemplate({
      name: "secret",
      inputs: { type: "object", properties: { token: { type: "string", writeOnly: true } } },
      steps: [
        { id: "sum", toolName: "test.sum", parameters: { a: 1, b: 2, note: "{{token}}" } },
        { id: "fail", toolName: "test.fail", parameters: { message: "bad token {{token}}" } },
      ],
    });
    const result = await new WorkflowExecutor({ tools: servers.tools, monitor }).execute(
      template,
      new WorkflowContext({ token: "hunter2-secret" }),
    );
    expect(result.failedSteps[0]?.error).toBe("test.fail: bad token [secret:token]");
    expect(JSON.stringify(monitor.toolCallLog)).not.toContain("hunter2-secret");
    expect(monitor.toolCallLog.find((r) => r.toolName === "test.sum")?.parameters).toMatchObject({ note: "[secret:token]" });
  });

  it("names MCP tools a server does not have, with the closest one", () => {
    expect(servers.unknownTools(["memory.read_graf", "test.sum", "local_tool", "nope.x"])).toEqual([
      '"memory.read_graf": the MCP server "memory" has no tool "read_graf"; did you mean "memory.read_graph"?',
    ]);
  });
});

describe("startMcpServers errors", () => {
  it("stops the servers that started and names the one that did not, with its stderr", async () => {
    const script = path.join(dir, "broken.mjs");
    writeFileSync(script, 'process.stderr.write("cannot open the database\\n"); process.exit(1);\n');
    const started = startMcpServers({
      mcpServers: { ok: { command: "node", args: [TEST_SERVER] }, broken: { command: "node", args: [script] } },
    });
    await expect(started).rejects.toThrow(/MCP server "broken" \(node .*broken\.mjs\) did not start: .*\n.*\n\s+cannot open the database/);
  });

  it("reports every mistake of a config file at its line and column", async () => {
    const file = path.join(dir, "bad.mcp.json");
    writeFileSync(
      file,
      '{\n  "mcpServers": {\n    "a.b": { "command": "x" },\n    "c": { "args": ["${NOT_SET_FOR_SURE}"] },\n    "d": { "command": "x", "url": "http://h" }\n  }\n}\n',
    );
    await expect(startMcpServers(file, { env: {} })).rejects.toThrow(
      [
        `${file}:3:5: mcpServers.a.b: a server's name is its tools' prefix (a.b.<tool>): use letters, digits, "_" and "-" only`,
        `${file}:4:5: mcpServers.c.command: expected string`,
        `${file}:5:5: mcpServers.d: unknown key "url": a server has "command", "args", "env" and "cwd" (only stdio servers are supported)`,
      ].join("\n"),
    );
  });
});

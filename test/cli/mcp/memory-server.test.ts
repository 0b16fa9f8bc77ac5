// `weave mcp proxy` in front of a real MCP server (@modelcontextprotocol/server-memory), driven by the SDK's real
// client as an agent would drive it, then `weave mine` on the log it wrote.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { describe, expect, it } from "vitest";
import { ROOT, WEAVE, weave, useWorkdirs } from "../weave-process.js";

const { root } = useWorkdirs("weave-cli-mcp-memory-");
const MEMORY_SERVER = join(ROOT, "node_modules", "@modelcontextprotocol", "server-memory", "dist", "index.js");

interface Session {
  readonly results: Record<string, unknown>;
  readonly tools: string[];
  readonly stderr: string;
}

/** One agent session through the proxy: the tools listed, then four calls, the last of a tool that does not exist. */
async function agentSession(log: string, n: number): Promise<Session> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [WEAVE, "mcp", "proxy", "--log", log, "--name", "memory", "--", "node", MEMORY_SERVER],
    env: { MEMORY_FILE_PATH: join(root(), `memory-${n}.jsonl`) },
    cwd: ROOT,
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Buffer) => void (stderr += chunk.toString()));
  const client = new Client({ name: "test-agent", version: "1.0.0" });
  await client.connect(transport);
  try {
    const tools = (await client.listTools()).tools.map((t) => t.name);
    const entity = `service-${n}`;
    const results = {
      create_entities: await client.callTool({
        name: "create_entities",
        arguments: { entities: [{ name: entity, entityType: "service", observations: ["deployed"] }] },
      }),
      add_observations: await client.callTool({
        name: "add_observations",
        arguments: { observations: [{ entityName: entity, contents: [`version ${n}`] }] },
      }),
      read_graph: await client.callTool({ name: "read_graph", arguments: {} }),
      no_such_tool: await client.callTool({ name: "no_such_tool", arguments: {} }),
    };
    return { results, tools, stderr };
  } finally {
    await client.close();
  }
}

describe("weave mcp proxy in front of the memory server", () => {
  it("gives the client the server's real results, logs one record per call, and weave mine finds the sequence", async () => {
    const log = join(root(), "logs", "calls.jsonl");
    // three agents at once, each with its own proxy and server, all appending to one log
    const sessions = await Promise.all([1, 2, 3].map((n) => agentSession(log, n)));

    for (const [i, session] of sessions.entries()) {
      const n = i + 1;
      expect(session.tools).toEqual(expect.arrayContaining(["create_entities", "add_observations", "read_graph"]));
      expect(session.results.create_entities).toMatchObject({
        structuredContent: { entities: [{ name: `service-${n}`, entityType: "service", observations: ["deployed"] }] },
      });
      expect(session.results.add_observations).toMatchObject({
        structuredContent: { results: [{ entityName: `service-${n}`, addedObservations: [`version ${n}`] }] },
      });
      expect(session.results.read_graph).toMatchObject({
        structuredContent: { entities: [{ name: `service-${n}`, observations: ["deployed", `version ${n}`] }], relations: [] },
      });
      expect(session.results.no_such_tool).toMatchObject({
        isError: true,
        content: [{ type: "text", text: expect.stringContaining("no_such_tool not found") }],
      });
      // the server's stderr comes through the proxy's
      expect(session.stderr).toContain("Knowledge Graph MCP Server running on stdio");
    }
    // the server really did the work: its own file holds the entity
    expect(await readFile(join(root(), "memory-2.jsonl"), "utf8")).toContain('"name":"service-2"');

    const records = (await readFile(log, "utf8"))
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records).toHaveLength(12);
    const bySession = new Map<unknown, Record<string, unknown>[]>();
    for (const r of records) bySession.set(r.executionId, [...(bySession.get(r.executionId) ?? []), r]);
    expect(bySession.size).toBe(3);
    for (const calls of bySession.values()) {
      expect(calls.map((r) => [r.toolName, r.success])).toEqual([
        ["memory.create_entities", true],
        ["memory.add_observations", true],
        ["memory.read_graph", true],
        ["memory.no_such_tool", false],
      ]);
      expect(calls[3]!.error).toContain("no_such_tool not found");
      const entity = (calls[0]!.parameters as { entities: { name: string }[] }).entities[0]!.name;
      expect(calls[0]!.result).toMatchObject({ structuredContent: { entities: [{ name: entity }] } });
    }

    const mined = await weave(["mine", log]);
    expect(mined.stderr).toBe("");
    expect(mined.code).toBe(0);
    const lines = mined.stdout.split("\n");
    expect(lines[1]).toMatch(/^ {3}1 {2}memory\.create_entities → memory\.add_observations → memory\.read_graph +3 +100% /);
    expect(mined.stdout).toContain(`from 12 calls in 3 sessions of ${log}.`);

    const emitted = await weave(["mine", log, "--emit", "json"]);
    expect(emitted.code).toBe(0);
    const template = JSON.parse(emitted.stdout) as { steps: { toolName: string }[] };
    expect(template.steps.map((s) => s.toolName)).toEqual(["memory.create_entities", "memory.add_observations", "memory.read_graph"]);
  }, 60_000);
});

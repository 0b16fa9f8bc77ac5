// createWorkflowMcpServer on another transport than stdio (the SDK's in-memory pair), and what it refuses, as data.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { tool, workflow } from "toolweave";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createWorkflowMcpServer, describeServeIssue, serveIssues, WorkflowServeError } from "../../../../adapters/mcp/serve/index.js";
import { WorkflowTemplate } from "../../../../src/model/template.js";

const double = tool("double", {
  input: z.object({ n: z.number() }),
  output: z.object({ n: z.number() }),
  run: async ({ n }) => ({ n: n * 2 }),
});

const twice = workflow("twice", { description: "Doubles n twice", input: z.object({ n: z.number() }) }, ({ input, step }) => {
  const first = step("first").tool(double).with({ n: input.n });
  const second = step("second").tool(double).with({ n: first.out.n });
  return { n: second.out.n };
});

const countTemplate = new WorkflowTemplate({
  name: "count",
  steps: [{ id: "count", toolName: "count_words", parameters: { text: "{{text}}" } }],
  outputs: { words: "{{count.words}}" },
});

describe("createWorkflowMcpServer", () => {
  it("serves DSL workflows and templates over any transport", async () => {
    const server = createWorkflowMcpServer([twice, countTemplate], {
      tools: { count_words: (params) => ({ words: String(params.text).split(" ").length }) },
      serverInfo: { name: "in-memory", version: "1.2.3" },
    });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    const client = new Client({ name: "test", version: "1.0.0" });
    await client.connect(clientSide);
    try {
      expect(client.getServerVersion()).toMatchObject({ name: "in-memory", version: "1.2.3" });
      const { tools } = await client.listTools();
      expect(tools.map((t) => [t.name, t.description])).toEqual([
        ["twice", "Doubles n twice"],
        ["count", undefined],
      ]);
      const progress: number[] = [];
      const doubled = await client.callTool({ name: "twice", arguments: { n: 5 } }, undefined, {
        onprogress: (p) => void progress.push(p.progress),
      });
      expect(doubled.structuredContent).toEqual({ n: 20 });
      expect(progress).toEqual([1, 2]);
      const counted = await client.callTool({ name: "count", arguments: { text: "one two three" } });
      expect(counted.structuredContent).toEqual({ words: 3 });
    } finally {
      await client.close();
    }
  });

  it("refuses names MCP does not allow, names used twice and tools without an implementation, every one at once", () => {
    const spaced = new WorkflowTemplate({ name: "two words", steps: [{ id: "a", toolName: "x", parameters: {} }] });
    const issues = serveIssues([
      { workflow: twice, source: "a.ts" },
      { workflow: twice, source: "b.ts" },
      { workflow: spaced, source: "c.json" },
    ]);
    expect(issues).toEqual([
      { code: "duplicate_name", workflow: "twice", source: "b.ts", firstSource: "a.ts" },
      { code: "invalid_name", workflow: "two words", source: "c.json" },
      { code: "missing_tools", workflow: "two words", tools: ["x"], source: "c.json" },
    ]);
    expect(() => createWorkflowMcpServer([twice, twice])).toThrow(WorkflowServeError);
    expect(describeServeIssue(issues[0]!)).toBe(
      'workflow "twice" is served twice, also from a.ts. MCP tool names must be unique: rename one, or serve one of them',
    );
  });
});

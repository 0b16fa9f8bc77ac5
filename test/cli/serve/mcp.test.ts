// `weave serve --mcp`: the real CLI as an MCP server over stdio, driven by the SDK's real client.
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { JSONRPCMessage, Progress } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanEnv, ROOT, WEAVE, useWorkdirs, weave } from "../weave-process.js";

const F = "test/cli/serve/fixtures/workflows";

const { workdir, root: tempRoot } = useWorkdirs("weave-cli-serve-");

interface Connection {
  readonly client: Client;
  /** Every message the server sent after the handshake, as the client received it. */
  readonly received: JSONRPCMessage[];
  stderr(): string;
}

async function connect(args: string[]): Promise<Connection> {
  const env = Object.fromEntries(Object.entries(cleanEnv()).filter((e): e is [string, string] => e[1] !== undefined));
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [WEAVE, "serve", "--mcp", ...args],
    cwd: ROOT,
    env,
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Buffer) => void (stderr += chunk.toString()));
  const client = new Client({ name: "toolweave-tests", version: "1.0.0" });
  await client.connect(transport);
  const received: JSONRPCMessage[] = [];
  const deliver = transport.onmessage;
  transport.onmessage = (message) => {
    received.push(message);
    deliver?.(message);
  };
  return { client, received, stderr: () => stderr };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const text = (result: unknown): string =>
  (((result as { content?: unknown }).content ?? []) as { type: string; text?: string }[])
    .filter((c) => c.type === "text")
    .map((c) => c.text)
    .join("\n");

describe("weave serve --mcp <dir> --tools <module>", () => {
  let server: Connection;
  let log: string;

  beforeAll(async () => {
    log = join(tempRoot(), "calls.jsonl");
    server = await connect([F, "--tools", `${F}/tools.ts`, "--log", log]);
  });
  afterAll(async () => {
    await server?.client.close();
  });

  it("lists one tool per workflow found (not the tools module), with its description and input schema", async () => {
    const { tools } = await server.client.listTools();
    expect(tools.map((t) => t.name)).toEqual(["publish", "release", "waits"]);
    const [publish, release, waits] = tools;
    expect(release!.description).toBe("Build the image, push it, announce it");
    // the DSL's zod input, as JSON Schema: defaults make a field optional
    expect(release!.inputSchema).toMatchObject({
      type: "object",
      properties: {
        dir: { type: "string" },
        tag: { type: "string", minLength: 1 },
        replicas: { type: "integer", minimum: 1, default: 2 },
        refuse: { type: "boolean", default: false },
      },
      required: ["dir", "tag"],
    });
    // a template's inputs, as written
    const template = JSON.parse(await readFile(join(ROOT, F, "publish.json"), "utf8")) as { inputs: unknown };
    expect(publish!.inputSchema).toEqual(template.inputs);
    expect(waits!.description).toBe("Waits to be cancelled");
    expect(waits!.inputSchema).toMatchObject({ type: "object", properties: { dir: { type: "string" } }, required: ["dir"] });
  });

  it("declares an outputSchema typed from the tools' zod outputs, and none for a workflow without outputs", async () => {
    const { tools } = await server.client.listTools();
    const byName = new Map(tools.map((t) => [t.name, t]));
    expect(byName.get("release")!.outputSchema).toMatchObject({
      type: "object",
      additionalProperties: false,
      properties: {
        image: { type: "string" },
        layers: { type: "integer" },
        digest: { type: "string" },
        host: { type: "string" },
        replicas: { type: "integer", minimum: 1 },
        note: { type: "string" },
        channel: { const: "stable" },
      },
    });
    // an output that reads a skipped step is left out: none is required
    expect(byName.get("release")!.outputSchema).not.toHaveProperty("required");
    // a template's tools declare no types: its keys are known, their values are not
    expect(byName.get("publish")!.outputSchema).toEqual({
      type: "object",
      properties: { path: {}, words: {}, copies: {} },
      additionalProperties: false,
    });
    expect(byName.get("waits")!.outputSchema).toBeUndefined();
  });

  it("runs a workflow: its outputs as structuredContent (those weave run gives), a summary, a progress notification per step", async () => {
    const wd = await workdir("release");
    const progress: Progress[] = [];
    const result = await server.client.callTool({ name: "release", arguments: { dir: wd, tag: "v1" } }, undefined, {
      onprogress: (p) => void progress.push(p),
    });
    expect(result.isError).toBeFalsy();
    // the real work happened
    expect(await readFile(join(wd, "image.txt"), "utf8")).toBe("app:v1");
    const run = await weave(["run", `${F}/release.ts`, "--json", "--var", `dir=${wd}`, "--var", "tag=v1"]);
    expect(run.code).toBe(0);
    const outputs = (JSON.parse(run.stdout) as { outputs: Record<string, unknown> }).outputs;
    expect(outputs).toMatchObject({ image: "app:v1", layers: 3, digest: "sha256:6", host: "registry.local", replicas: 2 });
    expect(result.structuredContent).toEqual(outputs);
    expect(text(result)).toMatch(/^workflow "release" completed in \d+ ms: 2 steps completed, 1 skipped\noutputs: \{"image":"app:v1",/);
    expect(progress).toEqual([
      { progress: 1, total: 3, message: "build completed" },
      { progress: 2, total: 3, message: "push completed" },
      { progress: 3, total: 3, message: "announce skipped" },
    ]);
  });

  it("sends no progress notifications to a call that asked for none", async () => {
    const wd = await workdir("no-progress");
    const before = server.received.length;
    const result = await server.client.callTool({ name: "release", arguments: { dir: wd, tag: "v2" } });
    expect(result.structuredContent).toMatchObject({ image: "app:v2" });
    const methods = server.received.slice(before).map((m) => ("method" in m ? m.method : "response"));
    expect(methods).toEqual(["response"]);
  });

  it("answers a failed run with isError, naming the failed step and its error", async () => {
    const wd = await workdir("refused");
    const progress: Progress[] = [];
    const result = await server.client.callTool({ name: "release", arguments: { dir: wd, tag: "v3", refuse: true } }, undefined, {
      onprogress: (p) => void progress.push(p),
    });
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toBeUndefined();
    const message = text(result);
    expect(message).toMatch(/^workflow "release" failed after \d+ ms: step "push" failed: registry refused app:v3$/m);
    expect(message).toContain("failed steps:\n- push (1 attempt): registry refused app:v3");
    expect(message).toContain('skipped steps:\n- announce: dependency "push" failed');
    expect(progress.map((p) => p.message)).toEqual(["build completed", "push failed: registry refused app:v3", "announce skipped"]);
  });

  it("refuses bad arguments before running anything, naming each bad field", async () => {
    const wd = await workdir("bad-arguments");
    const dsl = await server.client.callTool({ name: "release", arguments: { tag: 3 } });
    expect(dsl.isError).toBe(true);
    expect(text(dsl)).toBe(
      [
        'invalid arguments for workflow "release":',
        "- dir: Invalid input: expected string, received undefined",
        "- tag: Invalid input: expected string, received number",
      ].join("\n"),
    );
    const template = await server.client.callTool({ name: "publish", arguments: { dir: wd, title: "t", copies: 0, colour: "red" } });
    expect(template.isError).toBe(true);
    expect(text(template)).toBe(
      [
        'invalid arguments for workflow "publish":',
        "- copies: must be >= 1",
        '- colour: not an input of workflow "publish". its inputs are dir, title, copies',
      ].join("\n"),
    );
    expect(existsSync(wd)).toBe(false);
  });

  it("runs a JSON template with the functions of --tools, its input defaults filled in", async () => {
    const wd = await workdir("publish");
    const progress: Progress[] = [];
    const result = await server.client.callTool({ name: "publish", arguments: { dir: wd, title: "hello big world" } }, undefined, {
      onprogress: (p) => void progress.push(p),
    });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual({ path: join(wd, "page.txt"), words: 3, copies: 1 });
    expect(await readFile(join(wd, "page.txt"), "utf8")).toBe("hello big world x1");
    expect(progress.map((p) => p.progress)).toEqual([1, 2]);
    expect(progress.every((p) => p.total === 2)).toBe(true);
  });

  it("cancels the run when the client cancels the request: the running tool sees its signal aborted", async () => {
    const wd = await workdir("cancel");
    const controller = new AbortController();
    const call = server.client.callTool({ name: "waits", arguments: { dir: wd } }, undefined, { signal: controller.signal });
    await until(() => existsSync(join(wd, "started")), "the tool to start");
    controller.abort(new Error("the agent changed its mind"));
    await expect(call).rejects.toThrow("the agent changed its mind");
    await until(() => existsSync(join(wd, "aborted")), "the tool to see the abort");
    // the run was cancelled, with the reason the client gave
    expect(await readFile(join(wd, "aborted"), "utf8")).toMatch(/^RunCancelledError: cancelled: .*the agent changed its mind/);
    // the server goes on serving; by the time it answers, the cancelled run has long ended without its second step
    const next = await server.client.callTool({ name: "release", arguments: { dir: wd, tag: "v4" } });
    expect(next.structuredContent).toMatchObject({ image: "app:v4" });
    expect(existsSync(join(wd, "after"))).toBe(false);
  });

  it("--log appends a record per tool call of every run", async () => {
    const records = (await readFile(log, "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { workflowName: string; stepId: string; success: boolean });
    expect(records.filter((r) => r.workflowName === "release" && r.stepId === "push").map((r) => r.success)).toEqual([
      true,
      true,
      false,
      true,
    ]);
    expect(
      records
        .filter((r) => r.workflowName === "publish")
        .map((r) => r.stepId)
        .sort(),
    ).toEqual(["count", "write"]);
  });

  it("answers a call of an unknown tool with a protocol error naming the tools", async () => {
    await expect(server.client.callTool({ name: "relase", arguments: {} })).rejects.toThrow(
      'unknown tool "relase". the tools are "publish", "release", "waits"',
    );
  });
});

describe("weave serve --mcp <template> --mcp-config <.mcp.json>", () => {
  it("serves a workflow whose steps call MCP servers: one tool call runs them all", async () => {
    const memory = join(tempRoot(), "served-memory.jsonl");
    const config = join(tempRoot(), "served.mcp.json");
    const example = JSON.parse(await readFile(join(ROOT, "examples/mcp/.mcp.json"), "utf8")) as {
      mcpServers: Record<string, { args: string[]; env?: Record<string, string> }>;
    };
    // the example's servers, run from the example's folder, with a memory file of the test's own
    const servers = Object.fromEntries(
      Object.entries(example.mcpServers).map(([name, s]) => [
        name,
        { ...s, cwd: join(ROOT, "examples/mcp"), ...(s.env ? { env: { MEMORY_FILE_PATH: memory } } : {}) },
      ]),
    );
    await writeFile(config, JSON.stringify({ mcpServers: servers }));
    const served = await connect(["examples/mcp/notes.workflow.json", "--mcp-config", config]);
    try {
      const { tools } = await served.client.listTools();
      expect(tools.map((t) => t.name)).toEqual(["remember_notes"]);
      const result = await served.client.callTool({ name: "remember_notes", arguments: {} });
      expect(result.isError).toBeFalsy();
      const outputs = result.structuredContent as { remembered: { name: string }[] };
      expect(outputs.remembered.map((e) => e.name)).toEqual(["note-0", "note-1", "note-2"]);
      expect(served.stderr()).toMatch(/weave: started MCP servers files, memory \(\d+ tools\)/);
    } finally {
      await served.client.close();
    }
  });
});

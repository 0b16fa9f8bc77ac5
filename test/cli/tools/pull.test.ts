// weave tools pull: a typed tools module from real MCP servers (the memory reference server and a test server),
// checked with tsc (a misspelt output field does not compile), read by the compiler, run with --mcp, and kept
// current in CI with --check.
import { readFileSync, writeFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { emitDir, ROOT, typecheck } from "../../helpers/emitted-source.js";
import { STACK, weave } from "../weave-process.js";

const DIR = emitDir("tools-pull");
const TEST_SERVER = path.join(ROOT, "test/adapters/mcp/fixtures/test-server.mjs");
const MEMORY_SERVER = path.join(ROOT, "node_modules/@modelcontextprotocol/server-memory/dist/index.js");

/** The workflow a user writes with the pulled tools. */
const WORKFLOW = `import { z } from "zod";
import { withOutput, workflow } from "toolweave";
import { memory, test } from "./tools/mcp.js";

// the test server's words tool declares no output: its text is JSON, tightened here
const words = withOutput(test.words, z.array(z.string()));

export const notes = workflow("notes", { input: z.object({ text: z.string().default("alpha beta") }) }, ({ input, step }) => {
  const split = step("split").tool(words).with({ text: input.text });
  const remember = step("remember")
    .tool(memory.create_entities)
    .with({ entities: [{ name: "note", entityType: "note", observations: [split.out[1]!] }] }).retry({ max: 2 });
  const graph = step("graph").tool(memory.read_graph).with({}).after(remember);
  const sum = step("sum").tool(test.sum).with({ a: 2, b: 3 });
  return { entities: graph.out.entities, sum: sum.out.sum };
});
`;

const TYPE_ERRORS = `import { workflow } from "toolweave";
import { memory, test } from "./tools/mcp.js";

export const wrong = workflow("wrong", {}, ({ step }) => {
  const graph = step("graph").tool(memory.read_graph).with({});
  const text = step("text").tool(test.words).with({ text: "a b" });
  // @ts-expect-error a field the server's output schema does not have
  graph.out.entitys;
  // @ts-expect-error an input of the wrong type
  step("sum").tool(test.sum).with({ a: "2", b: 3 });
  // @ts-expect-error a tool without an output schema has nothing to read until withOutput says what it answers
  step("again").tool(test.words).with({ text: text.out.first });
  return {};
});
`;

const config = (variant: string) =>
  JSON.stringify({
    mcpServers: {
      memory: { command: "node", args: [MEMORY_SERVER], env: { MEMORY_FILE_PATH: path.join(DIR, "memory.jsonl") } },
      test: { command: "node", args: [TEST_SERVER], env: { TEST_SERVER_VARIANT: variant } },
    },
  });

beforeAll(async () => {
  await mkdir(DIR, { recursive: true });
  writeFileSync(path.join(DIR, ".mcp.json"), config("1"));
});

describe("weave tools pull", () => {
  it("writes the module and its lock, one object per server, tools named <server>.<tool>", async () => {
    const { code, stdout, stderr } = await weave(["tools", "pull"], { cwd: DIR });
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toMatch(/^wrote tools\/mcp\.ts \(and tools\/mcp\.lock\.json\): \d+ tools of memory, test\n$/);
    const module = readFileSync(path.join(DIR, "tools/mcp.ts"), "utf8");
    expect(module).toContain("export const memory = {");
    expect(module).toContain('  read_graph: tool("memory.read_graph", {');
    expect(module).toContain("   * Read the entire knowledge graph");
    expect(module).toContain("   * The server says: read-only, idempotent.");
    // what the servers say of their tools, for lint: only the hints a server sets, in a fixed order
    expect(module).toContain(
      "    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },\n  }),",
    );
    expect(module).toMatch(
      / {2}wait: tool\("test\.wait", \{\n(?: {4}.*\n)+ {4}annotations: \{ readOnlyHint: true, idempotentHint: true \},\n/,
    );
    expect(module).toMatch(
      / {2}words: tool\("test\.words", \{\n {4}input: z\.object\(\{ "text": z\.string\(\) \}\),\n {4}output: z\.unknown\(\),/,
    );
    const lock = JSON.parse(readFileSync(path.join(DIR, "tools/mcp.lock.json"), "utf8"));
    expect(lock.tools["test.sum"]).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it("gives types that tsc checks: the workflow compiles, and a misspelt field or a wrong input does not", () => {
    writeFileSync(path.join(DIR, "notes.ts"), WORKFLOW);
    writeFileSync(path.join(DIR, "wrong.ts"), TYPE_ERRORS);
    expect(typecheck(DIR)).toBe("");
  }, 120_000);

  it("gives tools the compiler knows: lint reads their output fields and annotations (withOutput is static too)", async () => {
    // retrying memory.create_entities is no retry-destructive warning: its server marks it not destructive
    const clean = await weave(["lint", "notes.ts"], { cwd: DIR });
    expect(clean).toMatchObject({ code: 0, stdout: "no problems in 1 file\n" });
    writeFileSync(path.join(DIR, "typo.ts"), WORKFLOW.replace("graph.out.entities", "graph.out.entitie"));
    // besides tsc's type error, the compiler names the field, where it is read
    const typo = await weave(["lint", "typo.ts"], { cwd: DIR });
    expect(typo.code).toBe(1);
    expect(typo.stdout).toContain(
      'typo.ts:15:22: error: "graph.out.entitie" reads "entitie" of step "graph", but the output of tool "memory.read_graph" has no field "entitie" there. did you mean "entities"? [unknown-field]',
    );
  });

  it("runs a workflow on the pulled tools with --mcp", async () => {
    const { code, stdout, stderr } = await weave(["run", "notes.ts", "--mcp", ".mcp.json", "--json"], { cwd: DIR });
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const { outputs } = JSON.parse(stdout);
    expect(outputs.sum).toBe(5);
    expect(outputs.entities).toEqual([{ name: "note", entityType: "note", observations: ["beta"] }]);
  });

  it("says to pass --mcp when the workflow's MCP tools have no implementation", async () => {
    const { code, stderr } = await weave(["run", "notes.ts"], { cwd: DIR });
    expect(code).toBe(2);
    expect(stderr).toContain("for the tools of MCP servers (<server>.<tool>), pass --mcp <.mcp.json>");
    expect(stderr).not.toMatch(STACK);
  });

  it("--check: exit 0 while current; exit 1 naming the tool a server changed, and the module edited by hand", async () => {
    const current = await weave(["tools", "pull", "--check"], { cwd: DIR });
    expect(current.code).toBe(0);
    expect(current.stdout).toMatch(/^tools\/mcp\.ts is current: \d+ tools of 2 servers\n$/);

    writeFileSync(path.join(DIR, ".mcp.json"), config("2"));
    const changed = await weave(["tools", "pull", "--check"], { cwd: DIR });
    expect(changed.code).toBe(1);
    expect(changed.stderr).toBe(
      "test.sum: its schemas, description or annotations changed\ntools/mcp.ts is out of date: run weave tools pull and commit it\n",
    );

    writeFileSync(path.join(DIR, ".mcp.json"), config("1"));
    const module = path.join(DIR, "tools/mcp.ts");
    writeFileSync(module, readFileSync(module, "utf8").replace("Read the entire knowledge graph", "Read it all"));
    const edited = await weave(["tools", "pull", "--check"], { cwd: DIR });
    expect(edited.code).toBe(1);
    expect(edited.stderr).toContain("tools/mcp.ts: not what weave tools pull writes (edited by hand?)");
  });

  it("keeps the example's pulled module current (the reference servers' tools as the installed versions list them)", async () => {
    const { code, stdout, stderr } = await weave([
      "tools",
      "pull",
      "--check",
      "--mcp",
      "examples/mcp/.mcp.json",
      "--out",
      "examples/mcp/tools/mcp.ts",
    ]);
    expect(stderr).toBe("");
    expect(stdout).toMatch(/^examples\/mcp\/tools\/mcp\.ts is current: \d+ tools of 2 servers\n$/);
    expect(code).toBe(0);
  });

  it("reports a config with mistakes at its line, exit 2", async () => {
    writeFileSync(path.join(DIR, "bad.mcp.json"), '{ "mcpServers": { "x": { "args": [] } } }');
    const { code, stderr } = await weave(["tools", "pull", "--mcp", "bad.mcp.json", "--check"], { cwd: DIR });
    expect(code).toBe(2);
    expect(stderr).toContain("bad.mcp.json:1:19: mcpServers.x.command: expected string");
    expect(stderr).not.toMatch(STACK);
  });
});

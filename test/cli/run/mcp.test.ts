// weave run --mcp: MCP servers started for a run (the reference servers of examples/mcp, and a test server),
// their tools called as <server>.<tool>, checked before the run, and stopped when it ends, Ctrl-C included.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cleanEnv, ROOT, STACK, useWorkdirs, weave, WEAVE } from "../weave-process.js";

const { workdir } = useWorkdirs("weave-run-mcp-");
const TEST_SERVER = join(ROOT, "test/adapters/mcp/fixtures/test-server.mjs");

/** A folder with an .mcp.json of the test server, and a template calling `steps`. */
async function project(name: string, steps: unknown[]): Promise<string> {
  const dir = await workdir(name);
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, ".mcp.json"),
    JSON.stringify({ mcpServers: { test: { command: "node", args: [TEST_SERVER], env: { TEST_SERVER_PID_FILE: "${PID_FILE:-pid}" } } } }),
  );
  await writeFile(join(dir, "flow.json"), JSON.stringify({ name: "flow", steps }));
  return dir;
}

const isRunning = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("weave run --mcp", () => {
  it("runs the MCP example over the filesystem and memory servers, with no tools module", async () => {
    const dir = await workdir("example");
    await mkdir(dir, { recursive: true });
    const memory = join(dir, "memory.jsonl");
    const { code, stdout, stderr } = await weave(["run", "examples/mcp/notes.workflow.json", "--mcp", "examples/mcp/.mcp.json", "--json"], {
      env: { WEAVE_MEMORY_FILE: memory },
    });
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.outputs.remembered.map((e: { name: string }) => e.name)).toEqual(["note-0", "note-1", "note-2"]);
    expect(result.outputs.remembered[1].observations[0]).toContain("roll back before you debug");
    expect(JSON.parse(result.outputs.files).map((f: { name: string }) => f.name)).toEqual(["deploy.md", "oncall.md", "release.md"]);
    expect(readFileSync(memory, "utf8")).toContain('"name":"note-2"');
  });

  it("names a tool no server has before anything runs, with the closest one; exit 2", async () => {
    const dir = await project("unknown", [{ id: "add", toolName: "test.summ", parameters: { a: 1, b: 2 } }]);
    const { code, stdout, stderr } = await weave(["run", "flow.json", "--mcp", ".mcp.json"], { cwd: dir });
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain('flow.json: "test.summ": the MCP server "test" has no tool "summ"; did you mean "test.sum"?');
    expect(stderr).not.toMatch(STACK);
  });

  it("reports a server that cannot start, with its stderr; exit 2", async () => {
    const dir = await project("broken", [{ id: "add", toolName: "test.sum", parameters: { a: 1, b: 2 } }]);
    await writeFile(
      join(dir, ".mcp.json"),
      JSON.stringify({ mcpServers: { test: { command: "node", args: ["-e", "console.error('no licence key'); process.exit(1)"] } } }),
    );
    const { code, stderr } = await weave(["run", "flow.json", "--mcp", ".mcp.json"], { cwd: dir });
    expect(code).toBe(2);
    expect(stderr).toMatch(/MCP server "test" \(node -e .*\) did not start: .*[\s\S]*no licence key/);
    expect(stderr).not.toMatch(STACK);
  });

  it("on Ctrl-C cancels the MCP call the server is answering and stops the server; exit 130", async () => {
    const dir = await project("interrupt", [{ id: "wait", toolName: "test.wait", parameters: { ms: 60_000, cancelled: "cancelled.txt" } }]);
    const child = spawn(process.execPath, [WEAVE, "run", "flow.json", "--mcp", ".mcp.json"], { cwd: dir, env: cleanEnv() });
    // the server is up; the run starts right after
    await expect.poll(() => existsSync(join(dir, "pid")), { timeout: 10_000 }).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const pid = Number(readFileSync(join(dir, "pid"), "utf8"));
    expect(isRunning(pid)).toBe(true);
    child.kill("SIGINT");
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code).toBe(130);
    expect(existsSync(join(dir, "cancelled.txt"))).toBe(true);
    await expect.poll(() => isRunning(pid), { timeout: 5_000 }).toBe(false);
  });
});

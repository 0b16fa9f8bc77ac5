// `weave serve`: what it refuses before serving anything (exit 2, naming the file), with nothing on stdout.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useWorkdirs, weave } from "../weave-process.js";

const F = "test/cli/serve/fixtures";

const { workdir } = useWorkdirs("weave-cli-serve-usage-");

describe.concurrent("weave serve: usage errors", () => {
  it("needs --mcp", async () => {
    const { code, stdout, stderr } = await weave(["serve", `${F}/workflows/release.ts`]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toBe(
      "weave: serve needs --mcp: the Model Context Protocol is the only protocol it serves\n" +
        "  weave serve --mcp <workflow files, templates or directories...>\n",
    );
  });

  it("needs files or directories", async () => {
    const { code, stdout, stderr } = await weave(["serve", "--mcp"]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/^weave: no workflows to serve: name workflow files, templates or directories after --mcp\n/);
  });

  it("refuses a path that does not exist", async () => {
    const { code, stderr } = await weave(["serve", "--mcp", `${F}/nowhere.ts`]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^weave: cannot find "test\/cli\/serve\/fixtures\/nowhere\.ts"\n/);
  });

  it("refuses a file named on the command line that exports no workflow", async () => {
    const { code, stdout, stderr } = await weave(["serve", "--mcp", `${F}/workflows/release.ts`, `${F}/bad/no-workflows.ts`]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/^weave: test\/cli\/serve\/fixtures\/bad\/no-workflows\.ts exports no workflow \(its exports: answer\)\n/);
  });

  it("refuses a directory with no workflows", async () => {
    const dir = await workdir("empty");
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "notes.json"), JSON.stringify({ not: "a template" }));
    const { code, stderr } = await weave(["serve", "--mcp", dir]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^weave: found no workflows to serve in ".*empty"\n/);
  });

  it("refuses two workflows with one name, naming both files, and a name MCP does not allow", async () => {
    const { code, stdout, stderr } = await weave([
      "serve",
      "--mcp",
      `${F}/workflows/release.ts`,
      `${F}/bad/release-again.ts`,
      `${F}/bad/bad-name.ts`,
    ]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr.trimEnd().split("\n")).toEqual([
      `${F}/bad/release-again.ts: workflow "release" is served twice, also from ${F}/workflows/release.ts. MCP tool names must be unique: rename one, or serve one of them`,
      `${F}/bad/bad-name.ts: workflow "deploy prod" cannot be served as an MCP tool: tool names are 1 to 128 letters, digits, "_", "." or "-". rename the workflow`,
    ]);
  });

  it("refuses a template without --tools, and one whose tools --tools does not have", async () => {
    const without = await weave(["serve", "--mcp", `${F}/workflows/publish.json`]);
    expect(without.code).toBe(2);
    expect(without.stderr).toMatch(
      /^weave: test\/cli\/serve\/fixtures\/workflows\/publish\.json is a JSON template: serving it needs --tools <module> \(or --mcp-config <\.mcp\.json>\)\n/,
    );

    const dir = await workdir("tools");
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "tools.mjs"), "export default { write_file: async () => ({}) };\n");
    const missing = await weave(["serve", "--mcp", `${F}/workflows/publish.json`, "--tools", join(dir, "tools.mjs")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      `${F}/workflows/publish.json: workflow "publish" uses a tool without an implementation: "count". pass implementations by tool name (weave serve --tools <module>)\n`,
    );
  });
});

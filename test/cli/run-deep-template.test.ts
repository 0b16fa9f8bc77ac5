// `weave run` and `weave library` on templates nested thousands of levels deep (issue 12, item 13): real
// processes. A located validation error and exit 2, never "internal error" with exit 1; a template at the bound runs.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { STACK, useWorkdirs, weave } from "./weave-process.js";

const TOOLS = ["--tools", "test/cli/fixtures/tools.ts"];
const dirs = useWorkdirs("weave-cli-deep-");
const workdir = async (name: string): Promise<string> => {
  const dir = await dirs.workdir(name);
  await mkdir(dir, { recursive: true });
  return dir;
};

/** A template whose step parameter `content` is `levels` objects deep; written as text (JSON.stringify would overflow). */
const template = (dir: string, levels: number): string =>
  `{"name":"deep","description":"d","steps":[{"id":"a","toolName":"write_file","parameters":{"dir":${JSON.stringify(dir)},"name":"out.txt","content":${'{"d":'.repeat(levels)}1${"}".repeat(levels)}}}]}`;

/** `content.d.d...`: the path of the object at level 257 (template 1, steps 2, step 3, parameters 4, content 5). */
const LIMIT_PATH = `steps[0].parameters.content${".d".repeat(252)}`;

describe.concurrent("weave run: a template nested too deeply", () => {
  it("parameters 5,000 levels deep: the file, the path where level 257 starts and the bound; exit 2, no stack trace", async () => {
    const dir = await workdir("deep-5000");
    const file = join(dir, "deep.json");
    await writeFile(file, template(join(dir, "out"), 5_000));
    const { code, stdout, stderr } = await weave(["run", file, ...TOOLS]);
    expect(stderr).not.toContain("internal error");
    expect(stderr).not.toMatch(STACK);
    expect(stderr).toBe(`${file}: ${LIMIT_PATH}: nested too deeply: a template may nest objects and arrays at most 256 levels deep, and this value is level 257. flatten it (a tool can take deep data from a variable or from another step's result)\n`);
    expect(code).toBe(2);
    expect(stdout).toBe("");
  });

  it("a template at the bound (256 levels) runs", async () => {
    const dir = await workdir("deep-256");
    const file = join(dir, "at-bound.json");
    await writeFile(file, template(join(dir, "out"), 252));
    const { code, stderr } = await weave(["run", file, ...TOOLS]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
  });

  it("a template cut off 20,000 levels deep: the JSON error with its line and column, exit 2", async () => {
    const dir = await workdir("truncated");
    const file = join(dir, "cut.json");
    const text = `{"name":"deep","steps":[{"id":"a","toolName":"write_file","parameters":{"content":${"[".repeat(20_000)}`;
    await writeFile(file, text);
    const { code, stderr } = await weave(["run", file, ...TOOLS]);
    expect(stderr).not.toContain("internal error");
    expect(stderr).toBe(`${file}:1:${text.length + 1}: invalid JSON: unexpected end of JSON input\n`);
    expect(code).toBe(2);
  });

  it("weave library add of such a template: the same located error, exit 2, nothing added", async () => {
    const dir = await workdir("library-add");
    const file = join(dir, "deep.json");
    await writeFile(file, template(join(dir, "out"), 5_000));
    const { code, stderr } = await weave(["library", "add", file, "--library", join(dir, "lib.json")]);
    expect(stderr).not.toContain("internal error");
    expect(stderr).toContain(`${file}: ${LIMIT_PATH}: nested too deeply`);
    expect(code).toBe(2);
  });

  it("weave library list with a library file holding such a workflow: file:line:col of the value, exit 2", async () => {
    const dir = await workdir("library-file");
    const lib = join(dir, "lib.json");
    await writeFile(lib, `{"version":1,"workflows":[\n${template(join(dir, "out"), 5_000)}]}`);
    const { code, stderr } = await weave(["library", "list", "--library", lib]);
    expect(stderr).not.toContain("internal error");
    expect(stderr).not.toMatch(STACK);
    expect(stderr).toContain(`weave: cannot read workflow library "${lib}" (1 problem):\n  ${lib}:2:`);
    expect(stderr).toContain(`: workflows[0].${LIMIT_PATH} ("deep"): nested too deeply`);
    expect(code).toBe(2);
  });
});

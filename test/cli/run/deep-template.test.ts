// `weave run` and `weave library` on templates nested thousands of levels deep (issue 12, item 13): real
// processes. A located validation error and exit 2, never "internal error" with exit 1; a template at the bound runs.
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { STACK, useWorkdirs, weave } from "../weave-process.js";

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
    expect(stderr).toBe(
      `${file}: ${LIMIT_PATH}: nested too deeply: a template may nest objects and arrays at most 256 levels deep, and this value is level 257. flatten it (a tool can take deep data from a variable or from another step's result)\n`,
    );
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

// Variables nested thousands of levels deep (issue 12): a durable run (--run-id) crashed as an internal error
// encoding its journal; they are refused where they are read, at the templates' bound, exit 2, nothing run.
describe.concurrent("weave run --run-id: variables nested too deeply", () => {
  const DETAIL =
    "nested too deeply: a variable may nest objects and arrays at most 256 levels deep, as a template may, and this value is level 257. flatten it, or give a tool the path of a file that holds the data";
  /** A template whose step records `{{v}}` (whole) and `x {{v}}` (in text) into `dir`. */
  const recording = (dir: string): string =>
    JSON.stringify({
      name: "vars",
      description: "d",
      steps: [{ id: "a", toolName: "record_params", parameters: { dir, v: "{{v}}", text: "x {{v}}" } }],
    });

  it("--vars with a 5,000-deep value: file: path: message, exit 2, no journal, nothing run", async () => {
    const dir = await workdir("vars-5000");
    const file = join(dir, "t.json");
    const vars = join(dir, "vars.json");
    await writeFile(file, recording(dir));
    await writeFile(vars, `{"v":${'{"d":'.repeat(5_000)}1${"}".repeat(5_000)}}`);
    const { code, stdout, stderr } = await weave([
      "run",
      file,
      ...TOOLS,
      "--vars",
      vars,
      "--run-id",
      "deep",
      "--runs-dir",
      join(dir, "runs"),
    ]);
    expect(stderr).not.toContain("internal error");
    expect(stderr).toBe(`${vars}: v${".d".repeat(256)}: ${DETAIL}\n`);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(existsSync(join(dir, "runs", "deep.jsonl"))).toBe(false);
    expect(existsSync(join(dir, "params.json"))).toBe(false);
  });

  it("--var with a 5,000-deep value: the same, naming the variable", async () => {
    const dir = await workdir("var-5000");
    const file = join(dir, "t.json");
    await writeFile(file, recording(dir));
    const { code, stderr } = await weave([
      "run",
      file,
      ...TOOLS,
      "--var",
      `v=${"[".repeat(5_000)}${"]".repeat(5_000)}`,
      "--run-id",
      "deep",
      "--runs-dir",
      join(dir, "runs"),
    ]);
    expect(stderr).toBe(`weave: invalid --var "v": v${"[0]".repeat(256)}: ${DETAIL}\n`);
    expect(code).toBe(2);
  });

  it("a variable at the bound (256 levels) runs durably, whole and in text, and resumes", async () => {
    const dir = await workdir("vars-256");
    const file = join(dir, "t.json");
    const vars = join(dir, "vars.json");
    const value = `${'{"d":'.repeat(255)}{}${"}".repeat(255)}`;
    await writeFile(file, recording(dir));
    await writeFile(vars, `{"v":${value}}`);
    const run = await weave(["run", file, ...TOOLS, "--vars", vars, "--run-id", "bound", "--runs-dir", join(dir, "runs")]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(JSON.parse(await readFile(join(dir, "params.json"), "utf8"))).toEqual({ dir, v: JSON.parse(value), text: `x ${value}` });
    const again = await weave(["resume", "bound", "--runs-dir", join(dir, "runs")]);
    expect(again.code).toBe(0);
  });
});

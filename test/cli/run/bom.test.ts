// Files that start with a UTF-8 byte order mark (EF BB BF, as some Windows editors save them), through the real CLI
// (issue 12): every reader accepts them the same way (src/util/text-file.ts), and every position counts from the
// first character after the mark. `weave lint` and `weave compile` used to refuse such a template at 1:1 while
// `weave run` took it, and a TypeScript workflow's line-1 columns were one too far.
import { existsSync } from "node:fs";
import { appendFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { STACK, useWorkdirs, weave } from "../weave-process.js";

const BOM = "\uFEFF";
const TOOLS = ["--tools", "test/cli/fixtures/tools.ts"];
const dirs = useWorkdirs("weave-cli-bom-");
const workdir = async (name: string): Promise<string> => {
  const dir = await dirs.workdir(name);
  await mkdir(dir, { recursive: true });
  return dir;
};

/** One line: `write_file` into `dir`, then `record_params` of `{{v}}` and the written file's path. */
const template = (dir: string, dependsOn = "write"): string =>
  `{"name":"bom","description":"d","steps":[{"id":"write","toolName":"write_file","parameters":{"dir":${JSON.stringify(dir)},"name":"out.txt","content":"hi"}},{"id":"record","toolName":"record_params","dependsOn":["${dependsOn}"],"parameters":{"dir":${JSON.stringify(dir)},"v":"{{v}}","path":"{{write.path}}"}}]}\n`;

/** The 1-based column of `needle` in the first line of `text`, counted after the byte order mark. */
const columnOf = (text: string, needle: string): number => text.replace(BOM, "").indexOf(needle) + 1;

describe.concurrent("a file starting with a byte order mark", () => {
  it("weave lint: a clean template passes (exit 0); so does weave compile", async () => {
    const dir = await workdir("clean");
    const file = join(dir, "t.workflow.json");
    await writeFile(file, BOM + template(dir));
    const lint = await weave(["lint", file]);
    expect(lint).toMatchObject({ code: 0, stdout: "no problems in 1 file\n", stderr: "" });
    const compile = await weave(["compile", file, "--out", join(dir, "out")]);
    expect(compile.stdout).toBe("no problems in 1 file\n");
    expect(compile.code).toBe(0);
  });

  it("weave lint: a finding on line 1 is at the column of the character, counted after the mark; the code frame has no mark", async () => {
    const dir = await workdir("finding");
    const file = join(dir, "t.json");
    const text = BOM + template(dir, "wirte");
    await writeFile(file, text);
    const r = await weave(["lint", file, "--format", "json"]);
    expect(r.code).toBe(1);
    const { diagnostics } = JSON.parse(r.stdout) as { diagnostics: { ruleId: string; line: number; column: number }[] };
    expect(diagnostics).toContainEqual(
      expect.objectContaining({ ruleId: "unknown-dependency", line: 1, column: columnOf(text, '"wirte"') }),
    );
    const pretty = await weave(["lint", file]);
    expect(pretty.stdout).toContain(`${file}:1:${columnOf(text, '"wirte"')}: error: `);
    expect(pretty.stdout).toContain(`1 | {"name":"bom"`);
    expect(pretty.stdout).not.toContain(BOM);
  });

  it("weave lint and weave run: a JSON syntax error on line 1 is at the same line:col", async () => {
    const dir = await workdir("syntax");
    const file = join(dir, "t.json");
    const text = `${BOM}{"name":"bom" "steps":[]}\n`;
    await writeFile(file, text);
    const column = columnOf(text, '"steps"');
    expect(column).toBe(15);
    const lint = await weave(["lint", file]);
    expect(lint.code).toBe(1);
    expect(lint.stdout).toContain(`${file}:1:${column}: error: invalid JSON: unexpected "\\"steps\\"". expecting ","`);
    const run = await weave(["run", file, ...TOOLS]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`^${file.replace(/[.]/g, "\\.")}:1:${column}: invalid JSON`));
    expect(run.stderr).not.toMatch(STACK);
  });

  it("weave lint of a directory: a JSON file with a mark that is not a template is skipped, as without the mark", async () => {
    const dir = await workdir("directory");
    await writeFile(join(dir, "ok.json"), BOM + template(dir));
    await writeFile(join(dir, "config.json"), `${BOM}{"pipeline":{"steps":["lint","test"]}}\n`);
    const r = await weave(["lint", dir]);
    expect(r).toMatchObject({ code: 0, stdout: "no problems in 1 file\n" });
  });

  it("weave run: the template and its --vars file", async () => {
    const dir = await workdir("run");
    const file = join(dir, "t.json");
    await writeFile(file, BOM + template(dir));
    await writeFile(join(dir, "vars.json"), `${BOM}{"v":[1,2]}`);
    const r = await weave(["run", file, ...TOOLS, "--vars", join(dir, "vars.json")]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(JSON.parse(await readFile(join(dir, "params.json"), "utf8"))).toEqual({ dir, v: [1, 2], path: join(dir, "out.txt") });
  });

  it("weave compile: a TypeScript workflow's source positions on line 1 count from after the mark", async () => {
    const dir = await workdir("ts");
    await writeFile(join(dir, "tools.ts"), await readFile("test/cli/lint/fixtures/ts/tools.ts", "utf8"));
    const source = `${BOM}import { z } from "zod"; import { workflow } from "toolweave"; import { build } from "./tools.js"; export const release = workflow("release", { description: "d", input: z.object({}) }, ({ step }) => { const built = step("build").tool(build).with({ context: "." }); return { id: built.out.imageId }; });\n`;
    await writeFile(join(dir, "release.ts"), source);
    const r = await weave(["compile", join(dir, "release.ts"), "--out", join(dir, "out")]);
    expect(r.code).toBe(0);
    const compiled = JSON.parse(await readFile(join(dir, "out", "release.workflow.json"), "utf8")) as { steps: { source: unknown }[] };
    expect(compiled.steps[0]!.source).toEqual({ file: join(dir, "release.ts"), line: 1, column: columnOf(source, 'step("build")') });
  });

  it("weave library list and weave migrate read a library file with a mark", async () => {
    const dir = await workdir("library");
    const lib = join(dir, "lib.json");
    await writeFile(lib, `${BOM}{"version":1,"workflows":[${template(dir).trim()}]}\n`);
    const list = await weave(["library", "list", "--library", lib]);
    expect(list.stderr).toBe("");
    expect(list.code).toBe(0);
    expect(list.stdout).toContain("bom");
    const legacy = join(dir, "legacy.json");
    await writeFile(legacy, `${BOM}{"name":"old","steps":[{"step_id":"a","tool_name":"write_file","parameters":{},"retry_delay":0.5}]}\n`);
    const migrated = await weave(["migrate", legacy]);
    expect(migrated.code).toBe(0);
    expect(JSON.parse(migrated.stdout)).toMatchObject({ name: "old", steps: [{ id: "a", toolName: "write_file", retryDelayMs: 500 }] });
    // a problem is located after the mark too
    await writeFile(legacy, `${BOM}{"name":"old" "steps":[]}\n`);
    const bad = await weave(["migrate", legacy]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`${legacy}:1:15: error: invalid JSON`);
  });

  it("weave resume: a journal saved with a mark resumes, and a torn last line is cut off at the right byte", async () => {
    const wd = await workdir("journal");
    const runs = join(wd, "runs");
    const journal = join(runs, "bom-1.jsonl");
    const first = await weave(["run", "test/cli/fixtures/ts/durable.ts", "--var", `dir=${wd}`, "--run-id", "bom-1", "--runs-dir", runs]);
    expect(first.code).toBe(1);
    const lines = (await readFile(journal, "utf8")).trim().split("\n").length;
    await writeFile(journal, BOM + (await readFile(journal, "utf8")));
    await appendFile(journal, '{"type":"sta');
    await writeFile(join(wd, "fixed"), "");
    const resumed = await weave(["resume", "bom-1", "--runs-dir", runs]);
    expect(resumed.stderr).toContain(`line ${lines + 1} is incomplete`);
    expect(resumed.stderr).toContain(`weave: resuming run "bom-1" (session 2, journal ${journal}): 1 of 3 steps done`);
    expect(resumed.code).toBe(0);
    // the cut left every earlier line whole: the journal reads back cleanly
    const again = await weave(["resume", "bom-1", "--runs-dir", runs, "--json"]);
    expect(again.stderr).toMatch(/weave: run "bom-1" already completed \(.*\); nothing is run again/);
    expect(again.stderr).not.toContain("warning");
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ status: "completed", outputs: { text: "a!+c" } });
    expect(existsSync(journal)).toBe(true);
  });
});

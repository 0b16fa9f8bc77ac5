// `weave run <workflow.ts>`: mistakes in a workflow file, its variables or the flags are user errors (exit 2), each
// said in a few lines that name the place, never with a stack trace.
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { STACK, useWorkdirs, weave } from "../weave-process.js";

const F = "test/cli/fixtures/ts";

const { root: tempRoot } = useWorkdirs("weave-cli-ts-errors-");

describe.concurrent("weave run <workflow.ts>: user mistakes exit 2 without a stack trace", () => {
  async function userError(args: string[], cwd?: string): Promise<string> {
    const { code, stdout, stderr } = await weave(args, cwd === undefined ? {} : { cwd });
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).not.toMatch(STACK);
    return stderr;
  }

  it("a syntax error: file:line:col, the line and a caret", async () => {
    // written here rather than kept as a fixture: `tsc` checks every .ts file under test/
    const root = join(tempRoot(), "syntax");
    await mkdir(root, { recursive: true });
    await writeFile(
      join(root, "broken.ts"),
      [
        "export function total(prices: number[]): number {",
        "  let sum = 0",
        "  for (const p of prices) sum += p;",
        "  return sum +;",
        "}",
        "",
      ].join("\n"),
    );
    expect(await userError(["run", "broken.ts"], root)).toBe(
      ['broken.ts:4:15: Unexpected ";"', "  4 |   return sum +;", "    |               ^", ""].join("\n"),
    );
  });

  it("a duplicate step id: found statically, before the file loads, at the second declaration", async () => {
    const stderr = await userError(["run", `${F}/duplicate-step.ts`]);
    expect(stderr).toBe(
      [
        `${F}/duplicate-step.ts:9:8: error: step id "build" is already used by the step first defined at 8:8. step ids must be unique in a workflow [duplicate-step]`,
        '9 |   step("build").tool(noop).with({});',
        "  |        ^~~~~~~",
        `weave: nothing was run: workflow "twice" would fail on this error. fix it and run again (weave lint ${F}/duplicate-step.ts checks without running)`,
        "",
      ].join("\n"),
    );
  });

  it("an import of a package that is not installed", async () => {
    expect(await userError(["run", `${F}/missing-package.ts`])).toBe(
      [
        `${F}/missing-package.ts:3:17: cannot find package "left-pad-not-installed"`,
        '  3 | import pad from "left-pad-not-installed";',
        "    |                 ^",
        "  install it: npm install left-pad-not-installed",
        "",
      ].join("\n"),
    );
  });

  it("a file that exports no workflow: what it exports, and an example", async () => {
    const stderr = await userError(["run", `${F}/no-workflow.ts`]);
    expect(stderr).toMatch(
      /^weave: test\/cli\/fixtures\/ts\/no-workflow\.ts exports no workflow \(its exports: build, version\)\n {2}export one made with workflow\(\) from toolweave, for example:\n {4}export const deploy = workflow\("deploy", /,
    );
    expect(stderr.trim().split("\n")).toHaveLength(6);
  });

  it("a file that throws while loading: the message and the line that threw", async () => {
    const stderr = await userError(["run", `${F}/throws.ts`]);
    expect(stderr).toBe(
      [
        `weave: ${F}/throws.ts threw while loading: settings.json is missing`,
        `  thrown at ${F}/throws.ts:5:9 (in readSettings)`,
        '  5 |   throw new Error("settings.json is missing");',
        "    |         ^",
        "  set WEAVE_DEBUG=1 to see where it was thrown",
        "",
      ].join("\n"),
    );
  });

  it("a file that also runs its workflow at its top level (the README's snippet copied whole): refused, nothing runs twice", async () => {
    const dir = join(tempRoot(), "runs-itself");
    const { code, stdout, stderr } = await weave(["run", `${F}/runs-itself.ts`, "--var", `dir=${dir}`], { env: { RUNS_ITSELF_DIR: dir } });
    expect([code, stdout]).toEqual([2, ""]);
    // not once on import, not once from the CLI
    expect(existsSync(dir)).toBe(false);
    expect(stderr).toBe(
      [
        `weave: ${F}/runs-itself.ts runs workflow "deploy" itself while it loads (a top-level .run(...)), and weave run runs the workflow the file exports: it would run twice. nothing was run`,
        `  called at ${F}/runs-itself.ts:18:29`,
        '  18 | const result = await deploy.run({ dir: process.env.RUNS_ITSELF_DIR ?? ".weave/runs-itself" });',
        "     |                             ^",
        "  keep the definition and the invocation apart: export the workflow from this file, and either run it with weave run,",
        '  or call .run(...) from another script that imports it (run-deploy.ts: import { deploy } from "./deploy.js"; await deploy.run({...}))',
        "",
      ].join("\n"),
    );
  });

  it("several workflows and no --workflow: their names", async () => {
    const stderr = await userError(["run", `${F}/two-workflows.ts`, "--var", "dir=x"]);
    expect(stderr).toBe(
      `weave: ${F}/two-workflows.ts exports 2 workflows; choose one with --workflow <name>:\n  build_image (export buildImage)\n  release\n`,
    );
  });

  it("--workflow naming no workflow: did you mean", async () => {
    const stderr = await userError(["run", `${F}/two-workflows.ts`, "--workflow", "relase"]);
    expect(stderr).toBe(
      `weave: ${F}/two-workflows.ts has no workflow named "relase". did you mean "release"?\n  its workflows: build_image (export buildImage), release\n`,
    );
    expect(await userError(["run", `${F}/two-workflows.ts`, "--workflow", "deploy"])).not.toContain("did you mean");
  });

  it("a text input given a value that reads as a number: how to quote it", async () => {
    const stderr = await userError(["run", `${F}/deploy.ts`, "--var", "dir=123", "--var", "n=3"]);
    expect(stderr).toContain("  input dir: Invalid input: expected string, received number\n");
    expect(stderr).toContain(`  --var reads values as JSON when they parse: to pass dir as text, quote it: --var 'dir="..."'\n`);
  });

  it("variables that do not match the input schema: one line per field", async () => {
    const stderr = await userError(["run", `${F}/deploy.ts`, "--var", "n=three"]);
    expect(stderr).toBe(
      [
        'weave: workflow "deploy" was given invalid input',
        "  input dir: Invalid input: expected string, received undefined",
        "  input n: Invalid input: expected number, received string",
        "  set variables with --var <name>=<value> (repeatable; n=3 is the number 3) or --vars <file.json>",
        "",
      ].join("\n"),
    );
  });

  it("a tool without run and no --tools for it", async () => {
    expect(await userError(["run", `${F}/no-run.ts`, "--var", "dir=x"])).toContain(
      'weave: workflow "stamped" uses a tool without an implementation: "stamp"\n',
    );
  });

  it.each([
    [["run", `${F}/nope.ts`], `weave: cannot read workflow file "${F}/nope.ts": no such file\n`],
    [["run", `${F}/lib`], `weave: cannot run "${F}/lib": expecting a workflow file (.ts .mts .cts .js .mjs) or a template (.json)\n`],
    [
      ["run", "test/cli/fixtures/deploy.json", "--tools", "test/cli/fixtures/tools.ts", "--workflow", "deploy"],
      'weave: --workflow chooses among the workflows of a .ts/.js file; "test/cli/fixtures/deploy.json" is a template\n',
    ],
  ])("%j", async (args, message) => {
    expect(await userError(args)).toBe(message);
  });
});

describe("weave run --help", () => {
  it("shows a workflow-file example and --workflow", async () => {
    const { code, stdout } = await weave(["run", "--help"]);
    expect(code).toBe(0);
    expect(stdout).toContain("$ weave run deploy.ts --var env=prod --var replicas=3");
    expect(stdout).toContain("--workflow <name>");
    expect(stdout).toContain('import { tool, workflow } from "toolweave";');
  });
});

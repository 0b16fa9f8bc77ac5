/**
 * toolweave inside a user's bundle: an app that imports `toolweave` is bundled by esbuild into one file (every
 * package in it, as for a serverless function), moved to a folder with nothing beside it, and run. The runtime must
 * read no file next to its own modules: the built-in workflows come from the bundle, not from a JSON file on disk.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

const APP = `
import { z } from "zod";
import { tool, workflow, WorkflowLibrary } from "toolweave";

const double = tool("double", { input: z.object({ n: z.number() }), output: z.object({ n: z.number() }), run: async ({ n }) => ({ n: n * 2 }) });
const twice = workflow("twice", { input: z.object({ n: z.number() }) }, ({ input, step }) => {
  const a = step("a").tool(double).with({ n: input.n });
  const b = step("b").tool(double).with({ n: a.out.n });
  return { n: b.out.n };
});
const result = await twice.run({ n: 3 });
const library = new WorkflowLibrary();
console.log(JSON.stringify({ status: result.status, outputs: result.status === "completed" ? result.outputs : null, builtins: library.listAll().map((w) => w.name), search: library.search({ query: "deploy staging" }).slice(0, 1).map((w) => w.name) }));
`;

function node(file: string, cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [file], { cwd, timeout: 30_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe("toolweave bundled into a user's app", () => {
  it("runs a workflow and lists the built-in workflows from a lone bundle file", async () => {
    // inside the repository (its git-ignored tmp/), where `toolweave` resolves to this checkout
    await mkdir(join(ROOT, "tmp"), { recursive: true });
    const src = await mkdtemp(join(ROOT, "tmp", "bundle-src-"));
    const out = await mkdtemp(join(tmpdir(), "toolweave-bundle-out-"));
    dirs.push(src, out);
    await writeFile(join(src, "app.ts"), APP);
    await build({
      entryPoints: [join(src, "app.ts")],
      outfile: join(out, "app.mjs"),
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      // CommonJS packages inside an ES module bundle call require() for Node's built-ins
      banner: { js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);' },
      logLevel: "silent",
    });
    expect(await readdir(out)).toEqual(["app.mjs"]);

    const run = await node(join(out, "app.mjs"), out);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const printed = JSON.parse(run.stdout) as { status: string; outputs: { n: number }; builtins: string[]; search: string[] };
    expect(printed.status).toBe("completed");
    expect(printed.outputs).toEqual({ n: 12 });
    expect(printed.builtins).toHaveLength(10);
    expect(printed.builtins).toContain("deploy_to_staging");
    expect(printed.search).toEqual(["deploy_to_staging"]);
  });
});

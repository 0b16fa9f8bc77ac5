// toolweave/esbuild with the real esbuild: `?template` imports become the templates `weave compile` writes, findings
// become esbuild errors and warnings at their places, and the workflow's files are watched.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import vm from "node:vm";
import { type BuildFailure, type BuildOptions, type BuildResult, build, context, type Message, type Plugin } from "esbuild";
import { compile } from "toolweave/compiler";
import { weaveTemplates, type WeaveTemplatesOptions } from "toolweave/esbuild";
import { afterAll, describe, expect, it } from "vitest";
import { emitDir, ROOT, typecheck } from "../../helpers/emitted-source.js";

const FIXTURES = "test/compiler/bundler/fixtures";

/** Bundles `code` (an entry module at the repository's root) with the plugin, as an IIFE whose exports are `bundle`. */
function bundle(code: string, options: WeaveTemplatesOptions = {}, more: BuildOptions = {}) {
  return build({
    stdin: { contents: code, resolveDir: ROOT, sourcefile: "entry.ts", loader: "ts" },
    absWorkingDir: ROOT,
    bundle: true,
    write: false,
    format: "iife",
    globalName: "bundle",
    platform: "node",
    metafile: true,
    logLevel: "silent",
    plugins: [weaveTemplates(options)],
    ...more,
  });
}

/** The default export of a bundle built by {@link bundle}, as plain JSON values. */
function defaultExport(result: BuildResult): unknown {
  const value = vm.runInNewContext(`${result.outputFiles![0]!.text}\nbundle`) as { default: unknown };
  return JSON.parse(JSON.stringify(value.default));
}

/** The errors of a build that must fail. */
async function errorsOf(built: Promise<unknown>): Promise<Message[]> {
  const error = await built.then(
    () => undefined,
    (e: unknown) => e as BuildFailure,
  );
  expect(error, "the build should fail").toBeDefined();
  return error!.errors;
}

const templateOf = (spec: string, options?: WeaveTemplatesOptions) =>
  bundle(`export { default } from "./${FIXTURES}/${spec}";`, options).then(defaultExport);

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe("a ?template import", () => {
  it("is the template weave compile writes for the workflow", async () => {
    const out = mkdtempSync(path.join(tmpdir(), "weave-esbuild-compiled-"));
    dirs.push(out);
    const compiled = await compile({ cwd: ROOT, paths: ["test/cli/lint/fixtures/ts", FIXTURES], outDir: out });
    const written = compiled.manifest.workflows.map((w) => w.name);
    expect(written).toEqual(["first_flow", "ignored", "release", "ship", "warned"]);

    const imports: [string, string][] = [
      ["test/cli/lint/fixtures/ts/release.ts?template", "release"],
      [`${FIXTURES}/ship.ts?template`, "ship"],
      [`${FIXTURES}/warned.ts?template`, "warned"],
      // its suppressed finding is kept as the step's lint.ignore
      [`${FIXTURES}/ignored.ts?template`, "ignored"],
      [`${FIXTURES}/pair.ts?workflow=first_flow&template`, "first_flow"],
    ];
    for (const [spec, name] of imports) {
      const result = await bundle(`export { default } from "./${spec}";`);
      expect(result.errors, spec).toEqual([]);
      expect(defaultExport(result), spec).toEqual(JSON.parse(readFileSync(path.join(out, `${name}.workflow.json`), "utf8")));
    }
    expect(readFileSync(path.join(out, "ignored.workflow.json"), "utf8")).toContain('"lookalike-placeholder": "the receiver expands');
  });

  it("ships JSON, not the compiler: the bundle's inputs are the entry and the template", async () => {
    const result = await bundle(`import release from "./test/cli/lint/fixtures/ts/release.ts?template"; console.log(release.name);`);
    const inputs = Object.keys(result.metafile!.inputs).sort();
    expect(inputs).toEqual(["entry.ts", "toolweave-template:test/cli/lint/fixtures/ts/release.ts?template"]);
    const text = result.outputFiles![0]!.text;
    expect(text).not.toMatch(/ts-morph|typescript|zod/);
    expect(text.length).toBeLessThan(3000);
  });

  it("is an esbuild error at the finding's place when the workflow has an error", async () => {
    const errors = await errorsOf(bundle(`import t from "./${FIXTURES}/broken.ts?template"; console.log(t);`));
    expect(errors).toHaveLength(1);
    expect(errors[0]!.text).toMatch(/^"\{\{biuld\.imageId\}\}" in step "notify" refers to "biuld".*\[unknown-reference\]$/);
    expect(errors[0]!.pluginName).toBe("toolweave-templates");
    // weave lint says broken.ts:8:51 (1-based); esbuild's columns are 0-based
    expect(errors[0]!.location).toMatchObject({
      file: `${FIXTURES}/broken.ts`,
      line: 8,
      column: 50,
      length: "{{biuld.imageId}}".length,
      lineText: '  step("notify").tool(notify).with({ text: "built {{biuld.imageId}}" });',
    });
  });

  it("reports a warning as an esbuild warning, or as an error with warnings: error, or not at all", async () => {
    const entry = `export { default } from "./${FIXTURES}/warned.ts?template";`;
    const warned = await bundle(entry);
    expect(warned.warnings).toHaveLength(1);
    expect(warned.warnings[0]!.text).toMatch(/\[lookalike-placeholder\]$/);
    expect(warned.warnings[0]!.location).toMatchObject({ file: `${FIXTURES}/warned.ts`, line: 8, column: 50 });
    expect(defaultExport(warned)).toMatchObject({ name: "warned" });

    const errors = await errorsOf(bundle(entry, { warnings: "error" }));
    expect(errors.map((e) => [e.text.slice(-23), e.location?.line])).toEqual([["[lookalike-placeholder]", 8]]);

    const quiet = await bundle(entry, { warnings: "ignore" });
    expect(quiet.warnings).toEqual([]);
  });

  it("leaves out a finding that a weave-ignore comment suppresses", async () => {
    const result = await bundle(`export { default } from "./${FIXTURES}/ignored.ts?template";`);
    expect(result.warnings).toEqual([]);
  });

  it("takes rule settings from a config file", async () => {
    const result = await bundle(`export { default } from "./${FIXTURES}/broken.ts?template";`, {
      config: `${FIXTURES}/relaxed.config.json`,
    });
    expect(result.warnings.map((w) => w.text)).toEqual([expect.stringMatching(/\[unknown-reference\]$/)]);
    expect(defaultExport(result)).toMatchObject({ name: "broken" });

    const errors = await errorsOf(templateOf("ship.ts?template", { config: `${FIXTURES}/missing.config.json` }));
    expect(errors.map((e) => e.text)).toEqual([`${FIXTURES}/missing.config.json: cannot read the config file: no such file`]);
  });
});

describe("a file with two workflows", () => {
  it("needs the workflow named: ?template alone is an error naming both", async () => {
    const errors = await errorsOf(bundle(`import t from "./${FIXTURES}/pair.ts?template"; console.log(t);`));
    expect(errors.map((e) => e.text)).toEqual([
      `${FIXTURES}/pair.ts exports 2 workflows, "first_flow", "second_flow". name one: "?workflow=first_flow&template"`,
    ]);
    // at the import
    expect(errors[0]!.location).toMatchObject({ file: "entry.ts", line: 1 });
  });

  it("gives the one named by its name or its export name; the other's error does not count", async () => {
    for (const spec of ["pair.ts?workflow=first_flow&template", "pair.ts?workflow=first&template", "pair.ts?template=first_flow"]) {
      const result = await bundle(`export { default } from "./${FIXTURES}/${spec}";`);
      expect(result.errors, spec).toEqual([]);
      expect(result.warnings, spec).toEqual([]);
      expect(defaultExport(result), spec).toMatchObject({ name: "first_flow", steps: [{ id: "build", toolName: "docker_build" }] });
    }
    const errors = await errorsOf(templateOf("pair.ts?workflow=second&template"));
    expect(errors.map((e) => [e.location?.file, e.location?.line, e.text.slice(-19)])).toEqual([
      [`${FIXTURES}/pair.ts`, 12, "[unknown-reference]"],
    ]);
  });

  it("names the workflows when the one asked for does not exist", async () => {
    const errors = await errorsOf(templateOf("pair.ts?workflow=third&template"));
    expect(errors.map((e) => e.text)).toEqual([
      `${FIXTURES}/pair.ts has no workflow named "third". its workflows are "first_flow", "second_flow"`,
    ]);
  });

  it("refuses a query it does not understand, saying how to write one", async () => {
    const errors = await errorsOf(templateOf("pair.ts?template&workflow=first&workflow=second"));
    expect(errors[0]!.text).toMatch(/unexpected "workflow" in a \?template query\. write "\.\/file\.ts\?template"/);
  });
});

describe("watching", () => {
  /** Every build of a context, as it ends. */
  function recorder(): { plugin: Plugin; until: (what: string, ok: (r: BuildResult) => boolean) => Promise<BuildResult> } {
    const results: BuildResult[] = [];
    return {
      plugin: { name: "record", setup: (b) => void b.onEnd((r) => void results.push(r)) },
      async until(what, ok) {
        for (const started = Date.now(); Date.now() - started < 15_000; await new Promise((r) => setTimeout(r, 50))) {
          const found = results.find(ok);
          if (found) return found;
        }
        throw new Error(`no build ${what} in 15 s; builds: ${JSON.stringify(results.map((r) => r.errors.map((e) => e.text)))}`);
      },
    };
  }

  it("rebuilds when the tools file the workflow imports changes, also after a build that failed", async () => {
    mkdirSync(path.join(ROOT, "tmp"), { recursive: true });
    const dir = mkdtempSync(path.join(ROOT, "tmp", "bundler-watch-"));
    dirs.push(dir);
    for (const f of ["tools.ts", "ship.ts"]) copyFileSync(path.join(ROOT, FIXTURES, f), path.join(dir, f));
    writeFileSync(path.join(dir, "entry.ts"), `import ship from "./ship.ts?template";\nexport default ship;\n`);
    const tools = path.join(dir, "tools.ts");
    const original = readFileSync(tools, "utf8");
    const record = recorder();
    const ctx = await context({
      entryPoints: [path.join(dir, "entry.ts")],
      absWorkingDir: dir,
      bundle: true,
      write: false,
      format: "esm",
      logLevel: "silent",
      plugins: [weaveTemplates(), record.plugin],
    });
    try {
      await ctx.watch();
      const text = (r: BuildResult) => r.outputFiles?.[0]?.text ?? "";
      await record.until("with the template", (r) => r.errors.length === 0 && text(r).includes('"toolName": "docker_build"'));

      writeFileSync(tools, original.replace('tool("docker_build"', 'tool("docker_build_v2"'));
      await record.until("with the renamed tool", (r) => text(r).includes('"toolName": "docker_build_v2"'));

      // the workflow reads built.out.imageId, which the tool no longer has
      writeFileSync(tools, original.replace("output: z.object({ imageId: z.string() })", "output: z.object({ id: z.string() })"));
      const failed = await record.until("failing", (r) => r.errors.length > 0);
      expect(failed.errors.map((e) => [e.location?.file, e.text.slice(-15)])).toContainEqual(["ship.ts", "[unknown-field]"]);

      writeFileSync(tools, original.replace('tool("docker_build"', 'tool("docker_build_v3"'));
      await record.until("fixed again", (r) => r.errors.length === 0 && text(r).includes('"toolName": "docker_build_v3"'));
    } finally {
      await ctx.dispose();
    }
  }, 60_000);
});

describe("the TypeScript declaration of docs/compile-in-builds.md", () => {
  const page = readFileSync(path.join(ROOT, "docs/compile-in-builds.md"), "utf8");
  const declaration = /```ts file=template-imports\.d\.ts\n([\s\S]*?)```/.exec(page)?.[1];
  const consumer = [
    'import { type TemplateData, WorkflowTemplate } from "toolweave";',
    'import release from "./release.ts?template";',
    'import first from "./pair.ts?workflow=first_flow&template";',
    "const data: TemplateData = release;",
    "const toolName: string | undefined = first.steps[0]?.toolName;",
    "const template: WorkflowTemplate = WorkflowTemplate.fromJSON(first);",
    "// @ts-expect-error a template has no field nope",
    "release.nope;",
    "export { data, template, toolName };",
    "",
  ].join("\n");
  // made while the tests are collected: emitDir's afterAll removes them
  const withDeclaration = emitDir("bundler-declaration");
  const withoutDeclaration = emitDir("bundler-no-declaration");

  it("types both forms of import as TemplateData", () => {
    expect(declaration).toBeDefined();
    writeFileSync(path.join(withDeclaration, "template-imports.d.ts"), declaration!);
    writeFileSync(path.join(withDeclaration, "consumer.ts"), consumer);
    expect(typecheck(withDeclaration)).toBe("");
  }, 120_000);

  it("is what makes them type-check", () => {
    writeFileSync(path.join(withoutDeclaration, "consumer.ts"), consumer);
    const output = typecheck(withoutDeclaration);
    expect(output).toContain("consumer.ts(2,21): error TS2307: Cannot find module './release.ts?template'");
    expect(output).toContain("consumer.ts(3,19): error TS2307: Cannot find module './pair.ts?workflow=first_flow&template'");
  }, 120_000);
});

/**
 * The package as its users get it: `npm pack` of the built dist/, published to a throwaway registry (verdaccio on
 * 127.0.0.1, proxying every other package to the registry npm is configured with), then installed outside this
 * repository by a plain Node ES module program and by a project scaffolded with `npx toolweave init`. Everything is
 * a real process; nothing here resolves `toolweave` to the sources (as vitest.config.ts and tsconfig.json do for the
 * other tests).
 *
 * Runs `npm run build`? No: it fails when dist/ is older than the sources, because other test files run the CLI
 * from dist/ concurrently and the build empties dist/.
 */
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, statSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listing, moduleImports, newestSource, setWritable } from "./files.js";
import { cleanEnv, consumerEnv, killRunning, npmScripts, run, show, type Outcome } from "./processes.js";
import { startVerdaccio, type Registry } from "./verdaccio.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const CONSUMER_FILES = fileURLToPath(new URL("./consumer/", import.meta.url));
const VERDACCIO = path.join(ROOT, "node_modules", "verdaccio", "bin", "verdaccio");
/** What goes into dist/ (as bin/weave.js and scripts/bundle.ts see it). */
const SOURCES = ["src", "cli", "adapters", "dsl", "compiler", "scaffold", "index.ts", "package.json"];
/** Built files whose age is compared with the sources': the CLI bundle, the main entry, the declarations. */
const BUILT = ["dist/cli.js", "dist/index.js", "dist/types/index.d.ts"];
/** A line of a stack trace. */
const STACK = /^\s+at /m;
const INSTALL_PEERS = "npm install bullmq ioredis";

interface PackageJson {
  name: string;
  version: string;
  exports: Record<string, string | Record<string, string>>;
  bin: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  scripts?: Record<string, string>;
}
const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, "utf8")) as T;
const sha256 = (file: string): string => createHash("sha256").update(readFileSync(file)).digest("hex");

/** `npm pack --json`: one entry per package. */
interface PackEntry {
  filename: string;
  version: string;
  integrity: string;
  files: { path: string }[];
}

/** A JSON template in which "push" reads "build"'s output without depending on it: a hidden dependency. */
const HIDDEN_TEMPLATE = `${JSON.stringify(
  {
    name: "hidden",
    description: "reads a step it does not wait for",
    steps: [
      { id: "build", toolName: "docker_build", parameters: { image: "app" } },
      { id: "push", toolName: "docker_push", parameters: { imageId: "{{build.imageId}}" } },
    ],
  },
  null,
  2,
)}\n`;

/** A TypeScript workflow file for `weave run` (bundled in memory by the installed package's esbuild). */
const HELLO_WORKFLOW = `import { z } from "zod";
import { tool, workflow } from "toolweave";

const greet = tool("greet", {
  input: z.object({ name: z.string() }),
  output: z.object({ text: z.string() }),
  run: async ({ name }: { name: string }) => ({ text: \`hello \${name}\` }),
});

export const hello = workflow("hello", { description: "greets", input: z.object({ name: z.string().default("world") }) }, ({ input, step }) => {
  const greeting = step("greet").tool(greet).with({ name: input.name });
  return { text: greeting.out.text };
});
`;

/** The value of an earlier stage, or a failure saying which stage did not get that far. */
function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`cannot run this stage: ${what} (an earlier stage failed; see its error)`);
  return value;
}

/** The toolweave packages in npm's npx cache (`<cache>/_npx/<key>/node_modules`) whose lock file has them from `registry`. */
function npxInstallsFrom(npxCache: string, registry: string): string[] {
  if (!existsSync(npxCache)) return [];
  return readdirSync(npxCache)
    .map((key) => path.join(npxCache, key))
    .filter((dir) => {
      try {
        return readFileSync(path.join(dir, "package-lock.json"), "utf8").includes(`"${registry}toolweave/-/`);
      } catch {
        return false;
      }
    })
    .map((dir) => path.join(dir, "node_modules", "toolweave"));
}

/** stdout as JSON (a failure shows the command's output). */
function stdoutJson<T>(outcome: Outcome): T {
  try {
    return JSON.parse(outcome.stdout) as T;
  } catch (error) {
    throw new Error(`stdout is not JSON (${(error as Error).message})\n${show(outcome)}`);
  }
}

/** The last line of stdout that parses as a JSON object. */
function lastJson<T>(outcome: Outcome): T {
  const lines = outcome.stdout.trim().split("\n").reverse();
  for (const line of lines) {
    if (!line.startsWith("{")) continue;
    try {
      return JSON.parse(line) as T;
    } catch {
      // not this line
    }
  }
  throw new Error(`no JSON object on stdout\n${show(outcome)}`);
}

/**
 * The shell commands of the README's tutorial, in order, one per entry: `cmd && cmd` split, comments dropped. The
 * tutorial is for users outside this repository, so its commands are run here, on the published package.
 */
function tutorialCommands(): string[][] {
  const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
  const start = readme.indexOf("\n## A five-minute tutorial\n");
  const end = readme.indexOf("\n## ", start + 1);
  if (start < 0 || end < 0) throw new Error('README.md has no "## A five-minute tutorial" section');
  const blocks = [...readme.slice(start, end).matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
  return blocks
    .flatMap((block) => block.split("\n"))
    .map((line) => line.replace(/\s+#.*$/, "").trim())
    .filter((line) => line !== "")
    .flatMap((line) => line.split("&&").map((command) => command.trim().split(/\s+/)));
}

describe("toolweave as published to a registry and installed by a user", () => {
  const pkg = readJson<PackageJson>(path.join(ROOT, "package.json"));
  const scripts = npmScripts();
  let temp = "";
  let registry: Registry | undefined;
  let env: NodeJS.ProcessEnv | undefined;
  let tarball: string | undefined;
  let app: string | undefined;
  let scaffold: string | undefined;
  let readOnly: string | undefined;

  const npm = (args: string[], cwd: string, timeoutMs: number, withEnv = need(env, "the registry")): Promise<Outcome> =>
    run(process.execPath, [scripts.npm, ...args], { cwd, env: withEnv, timeoutMs }, `npm ${args.join(" ")}`);
  const npx = (args: string[], cwd: string, timeoutMs: number): Promise<Outcome> =>
    run(process.execPath, [scripts.npx, ...args], { cwd, env: need(env, "the registry"), timeoutMs }, `npx ${args.join(" ")}`);
  const node = (args: string[], cwd: string, timeoutMs: number): Promise<Outcome> =>
    run(process.execPath, args, { cwd, env: need(env, "the registry"), timeoutMs }, `node ${args.join(" ")}`);
  /** A file of the repository's own build and the same file as installed: the install is this build, not another. */
  const expectSameBuild = (installed: string): void => {
    const file = path.join(installed, "dist", "cli.js");
    expect(existsSync(file), `${file} is missing`).toBe(true);
    expect(sha256(file), `${file} is not the dist/cli.js of this build (an older toolweave@${pkg.version} was installed?)`).toBe(
      sha256(path.join(ROOT, "dist", "cli.js")),
    );
  };

  beforeAll(async () => {
    // os.tmpdir(), outside the repository: nothing up the tree (node_modules, package.json) may help resolution
    temp = realpathSync(await mkdtemp(path.join(tmpdir(), "toolweave-publish-")));
  });

  afterAll(async () => {
    // commands a timed-out stage left running, then the registry, then the files
    killRunning();
    try {
      if (readOnly !== undefined && existsSync(readOnly)) setWritable(readOnly, true);
    } finally {
      try {
        await registry?.stop();
      } finally {
        if (temp !== "") await rm(temp, { recursive: true, force: true });
      }
    }
  }, 30_000);

  it("packs dist/ as built from the current sources, and none of the repository's own files", async () => {
    const newest = newestSource(ROOT, SOURCES);
    for (const built of BUILT) {
      const file = path.join(ROOT, built);
      const mtimeMs = existsSync(file) ? statSync(file).mtimeMs : -1;
      if (mtimeMs < newest.mtimeMs) {
        const why =
          mtimeMs < 0
            ? `${built} does not exist`
            : `${built} (${new Date(mtimeMs).toISOString()}) is older than ${path.relative(ROOT, newest.file)} (${new Date(newest.mtimeMs).toISOString()})`;
        throw new Error(`dist/ is older than the sources: run npm run build (${why})`);
      }
    }

    const packDir = path.join(temp, "pack");
    mkdirSync(packDir);
    const packed = await npm(["pack", "--ignore-scripts", "--json", "--pack-destination", packDir], ROOT, 60_000, cleanEnv());
    expect(packed.code, show(packed)).toBe(0);
    const entries = stdoutJson<PackEntry[]>(packed);
    expect(entries, show(packed)).toHaveLength(1);
    const entry = entries[0]!;
    expect(entry.version).toBe(pkg.version);
    const files = entry.files.map((f) => f.path).sort();
    const listed = `the tarball holds:\n${files.join("\n")}`;

    const forbidden = files.filter(
      (file) =>
        /^(test|bench|\.ci|scripts|src|examples|templates|tmp|docs|node_modules|\.weave)\//.test(file) ||
        /(^|\/)(__)?fixtures(__)?\//.test(file) ||
        (/\.[cm]?tsx?$/.test(file) && !/\.d\.[cm]?ts$/.test(file)),
    );
    expect(forbidden, listed).toEqual([]);

    // the entry points, and every file the exports and the bins point at
    const targets = new Set([
      "dist/index.js",
      "dist/cli.js",
      "dist/types/index.d.ts",
      "bin/weave.js",
      "schema/template.schema.json",
      "package.json",
      "README.md",
      "LICENSE",
    ]);
    for (const target of [...Object.values(pkg.exports), pkg.bin])
      for (const file of typeof target === "string" ? [target] : Object.values(target)) targets.add(path.posix.normalize(file));
    expect(
      [...targets].filter((file) => !files.includes(file)),
      listed,
    ).toEqual([]);
    // every module the bundles import by a relative path (the shared chunks, lazily loaded parts) is packed too
    // (bin/weave.js is not scanned: it imports the sources only in a checkout of the repository)
    const unpacked: string[] = [];
    for (const file of files.filter((f) => /^dist\/.*\.js$/.test(f))) {
      for (const specifier of moduleImports(path.join(ROOT, file)).filter((s) => /^\.{1,2}\//.test(s))) {
        const target = path.posix.join(path.posix.dirname(file), specifier);
        if (!files.includes(target)) unpacked.push(`${file} imports ${specifier}`);
      }
    }
    expect(unpacked, listed).toEqual([]);
    // and every packed module is one of this build: reached from an entry point (no chunk of an earlier bundle)
    const reached = new Set<string>();
    const reach = (file: string): void => {
      if (reached.has(file) || !files.includes(file)) return;
      reached.add(file);
      for (const specifier of moduleImports(path.join(ROOT, file)).filter((s) => /^\.{1,2}\//.test(s)))
        reach(path.posix.join(path.posix.dirname(file), specifier));
    };
    for (const entry of ["index", "compiler", "distributed", "mcp", "esbuild", "cli"]) reach(`dist/${entry}.js`);
    expect(
      files.filter((file) => /^dist\/.*\.js$/.test(file) && !reached.has(file)),
      listed,
    ).toEqual([]);
    expect(files.filter((file) => /^dist\/chunks\/.*\.js$/.test(file)).length, listed).toBeGreaterThan(0);

    tarball = path.join(packDir, entry.filename);
    expect(existsSync(tarball), show(packed)).toBe(true);
  }, 60_000);

  it("publishes the tarball to a throwaway registry", async () => {
    const file = need(tarball, "the tarball");
    const uplink = await run(
      process.execPath,
      [scripts.npm, "config", "get", "registry"],
      { cwd: temp, env: cleanEnv(), timeoutMs: 30_000 },
      "npm config get registry",
    );
    expect(uplink.code, show(uplink)).toBe(0);
    expect(uplink.stdout.trim(), show(uplink)).toMatch(/^https?:\/\//);

    const dir = path.join(temp, "registry");
    mkdirSync(dir);
    registry = await startVerdaccio({ bin: VERDACCIO, dir, uplink: uplink.stdout.trim(), env: cleanEnv(), timeoutMs: 60_000 });
    const hostPath = `//127.0.0.1:${registry.port}/`;
    const userconfig = path.join(temp, "npmrc");
    writeFileSync(userconfig, `${hostPath}:_authToken=dummy-token\n`);
    env = consumerEnv(registry.url, userconfig);

    const publishDir = path.join(temp, "publish");
    mkdirSync(publishDir);
    const published = await npm(
      ["publish", file, "--ignore-scripts", "--registry", registry.url, `--${hostPath}:_authToken=dummy-token`],
      publishDir,
      60_000,
    );
    expect(published.code, `${show(published)}\nverdaccio:\n${registry.output()}`).toBe(0);

    // the registry serves this very tarball as toolweave@<version>
    const response = await fetch(new URL("toolweave", registry.url));
    expect(response.status, registry.output()).toBe(200);
    const packument = (await response.json()) as {
      versions: Record<string, { dist: { integrity: string } }>;
      "dist-tags": Record<string, string>;
    };
    expect(Object.keys(packument.versions)).toEqual([pkg.version]);
    expect(packument["dist-tags"].latest).toBe(pkg.version);
    const expectedIntegrity = `sha512-${createHash("sha512").update(readFileSync(file)).digest("base64")}`;
    expect(packument.versions[pkg.version]?.dist.integrity).toBe(expectedIntegrity);
  }, 90_000);

  it("works in a plain Node ES module program: the DSL, the compiler, the JSON Schema, and a MissingPackageError without bullmq", async () => {
    need(registry, "the registry with toolweave published");
    const consumer = path.join(temp, "consumer");
    mkdirSync(consumer);
    writeFileSync(path.join(consumer, "package.json"), `${JSON.stringify({ type: "module" }, null, 2)}\n`);
    const installed = await npm(["install", "toolweave", "zod"], consumer, 150_000);
    expect(installed.code, show(installed)).toBe(0);
    const own = path.join(consumer, "node_modules", "toolweave");
    expect(readJson<PackageJson>(path.join(own, "package.json")).version, show(installed)).toBe(pkg.version);
    expectSameBuild(own);
    // the optional peers are not installed, nor found anywhere up the tree: the MissingPackageError below is real
    for (const peer of ["bullmq", "ioredis", "@viz-js/viz"]) {
      expect(existsSync(path.join(consumer, "node_modules", peer)), `${peer} was installed: ${show(installed)}`).toBe(false);
      expect(() => createRequire(path.join(consumer, "package.json")).resolve(peer), `${peer} resolves from ${consumer}`).toThrow();
    }

    for (const script of ["app.mjs", "register-hook.mjs", "resolve-hook.mjs", "import-only.mjs"])
      copyFileSync(path.join(CONSUMER_FILES, script), path.join(consumer, script));
    writeFileSync(path.join(consumer, "hidden.workflow.json"), HIDDEN_TEMPLATE);

    const ran = await node(["app.mjs", "hidden.workflow.json"], consumer, 60_000);
    expect(ran.code, show(ran)).toBe(0);
    const report = lastJson<{
      run: { status: string; error: string | null; outputs: unknown; completed: string[]; dependsOn: Record<string, string[]> };
      lint: { files: string[]; diagnostics: { ruleId: string; severity: string; message: string }[] };
      schema: { path: string; title: unknown; $schema: unknown; properties: string[] };
      missing: { thrown: boolean; name?: string; isMissingPackageError?: boolean; packageName?: string; message?: string };
    }>(ran);
    const context = show(ran);

    expect(report.run, context).toEqual({
      status: "completed",
      error: null,
      outputs: { text: "HELLO WEAVE!", length: 11 },
      completed: ["greet", "shout"],
      dependsOn: { greet: [], shout: ["greet"] },
    });

    expect(report.lint.files, context).toEqual(["hidden.workflow.json"]);
    expect(
      report.lint.diagnostics.map((d) => d.ruleId),
      context,
    ).toEqual(["hidden-dependency"]);
    expect(report.lint.diagnostics[0]?.message, context).toContain('"build"');

    expect(report.schema.path, context).toBe(path.join(own, "schema", "template.schema.json"));
    expect(report.schema.$schema, context).toMatch(/^https:\/\/json-schema\.org\//);
    expect(report.schema.properties, context).toEqual(expect.arrayContaining(["name", "steps"]));

    expect(report.missing, context).toMatchObject({
      thrown: true,
      name: "MissingPackageError",
      isMissingPackageError: true,
      packageName: "bullmq",
    });
    expect(report.missing.message, context).toContain('"bullmq"');
    expect(report.missing.message, context).toContain(INSTALL_PEERS);
    app = consumer;
  }, 150_000);

  it('loads neither the compiler\'s nor the optional packages, nor any file of toolweave but .js, on import("toolweave")', async () => {
    const dir = need(app, "the plain Node install");
    const hook = pathToFileURL(path.join(dir, "register-hook.mjs")).href;
    const probed = await node(["--import", hook, "import-only.mjs"], dir, 30_000);
    expect(probed.code, show(probed)).toBe(0);
    const { exports } = lastJson<{ exports: string[] }>(probed);
    expect(exports, show(probed)).toEqual(
      expect.arrayContaining(["tool", "workflow", "WorkflowExecutor", "WorkflowTemplate", "MissingPackageError"]),
    );

    const loaded = [...probed.stderr.matchAll(/^resolved (file:\S+)$/gm)].map((m) => fileURLToPath(m[1]!));
    const own = `${path.join(dir, "node_modules", "toolweave")}${path.sep}`;
    const ownFiles = loaded.filter((file) => file.startsWith(own));
    const context = `loaded:\n${loaded.join("\n")}\n${show(probed)}`;
    expect(ownFiles, context).toContain(path.join(own, "dist", "index.js"));
    expect(
      ownFiles.filter((file) => !file.endsWith(".js")),
      context,
    ).toEqual([]);
    const heavy = loaded.filter((file) =>
      /[\\/]node_modules[\\/](ts-morph|@ts-morph|typescript|esbuild|@esbuild|bullmq|ioredis|@viz-js)[\\/]/.test(file),
    );
    expect(heavy, context).toEqual([]);
  }, 30_000);

  it("scaffolds a project with npx toolweave init that installs, type-checks, lints, runs, tests and installs again with npm ci", async () => {
    const url = need(registry, "the registry with toolweave published").url;
    const parent = path.join(temp, "scaffold");
    mkdirSync(parent);
    const init = await npx(["--yes", "--registry", url, "toolweave", "init", "my-app"], parent, 120_000);
    expect(init.code, show(init)).toBe(0);
    expect(init.stdout, show(init)).toContain("npm install");
    // npx ran the toolweave of this registry (its npx cache keeps an install per package list, reused while the
    // registry gives the same tarball URL): not one of an earlier run
    const cache = await npm(["config", "get", "cache"], parent, 30_000);
    expect(cache.code, show(cache)).toBe(0);
    const npxInstalls = npxInstallsFrom(path.join(cache.stdout.trim(), "_npx"), url);
    expect(npxInstalls.length, `no install of toolweave from ${url} in ${cache.stdout.trim()}/_npx\n${show(init)}`).toBeGreaterThan(0);
    for (const installed of npxInstalls) expectSameBuild(installed);

    const project = path.join(parent, "my-app");
    // the scaffold is scaffold of this repository (gitignore written as .gitignore) plus a package.json
    const template = path.join(ROOT, "scaffold");
    const expected = new Map(
      listing(template)
        .filter((line) => line.split("\t")[1] === "file")
        .map((line) => line.split("\t")[0]!)
        .map((file) => [file === "gitignore" ? ".gitignore" : file, file]),
    );
    const written = listing(project)
      .filter((line) => line.split("\t")[1] === "file")
      .map((line) => line.split("\t")[0]!);
    expect(written.sort(), show(init)).toEqual([...expected.keys(), "package.json"].sort());
    for (const [file, source] of expected)
      expect(readFileSync(path.join(project, file), "utf8"), file).toBe(readFileSync(path.join(template, source), "utf8"));
    const manifest = readJson<PackageJson>(path.join(project, "package.json"));
    expect(manifest.dependencies?.toolweave, JSON.stringify(manifest, null, 2)).toBe(`^${pkg.version}`);
    expect(Object.keys(manifest.dependencies ?? {}).sort()).toEqual(["toolweave", "zod"]);
    expect(Object.keys(manifest.devDependencies ?? {}).sort()).toEqual(["@types/node", "typescript", "vitest"]);

    const installed = await npm(["install"], project, 150_000);
    expect(installed.code, show(installed)).toBe(0);
    expectSameBuild(path.join(project, "node_modules", "toolweave"));
    expect(existsSync(path.join(project, "package-lock.json")), show(installed)).toBe(true);

    const typecheck = await npm(["run", "typecheck"], project, 120_000);
    expect(typecheck.code, show(typecheck)).toBe(0);

    // the compiler reads toolweave's declarations, never its sources
    const listFiles = await npx(["tsc", "--noEmit", "--listFiles"], project, 120_000);
    expect(listFiles.code, show(listFiles)).toBe(0);
    const fromToolweave = listFiles.stdout
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => line.includes("/node_modules/toolweave/"));
    expect(fromToolweave.length, show(listFiles)).toBeGreaterThan(0);
    expect(
      fromToolweave.filter((file) => /\.[cm]?tsx?$/.test(file) && !/\.d\.[cm]?ts$/.test(file)),
      show(listFiles),
    ).toEqual([]);

    const lint = await npx(["weave", "lint"], project, 120_000);
    expect(lint.code, show(lint)).toBe(0);
    // the CI step of the scaffold: its committed templates are current
    const built = await npm(["run", "build", "--", "--check"], project, 120_000);
    expect(built.code, show(built)).toBe(0);

    const started = await npx(["weave", "run", "workflows/docs-report.ts", "--json"], project, 120_000);
    expect(started.code, show(started)).toBe(0);
    const result = stdoutJson<{ status: string; outputs: { words?: unknown; report?: unknown } }>(started);
    expect(result.status, show(started)).toBe("completed");
    expect(result.outputs.words, show(started)).toEqual(expect.any(Number));
    expect(existsSync(path.join(project, "report.json")), show(started)).toBe(true);

    const tested = await npm(["test"], project, 180_000);
    expect(tested.code, show(tested)).toBe(0);
    expect(tested.stdout, show(tested)).toMatch(/Tests\s+2 passed \(2\)/);

    const version = await npx(["toolweave", "--version"], project, 60_000);
    expect(version.code, show(version)).toBe(0);
    expect(version.stdout.trim(), show(version)).toBe(pkg.version);

    const ci = await npm(["ci"], project, 120_000);
    expect(ci.code, show(ci)).toBe(0);
    expectSameBuild(path.join(project, "node_modules", "toolweave"));
    const afterCi = await npx(["weave", "--version"], project, 60_000);
    expect(afterCi.code, show(afterCi)).toBe(0);
    expect(afterCi.stdout.trim(), show(afterCi)).toBe(pkg.version);

    scaffold = project;
  }, 300_000);

  it("runs the CLI from a read-only install and writes nothing into it", async () => {
    const dir = need(app, "the plain Node install");
    const own = path.join(dir, "node_modules", "toolweave");
    setWritable(own, false);
    readOnly = own;
    writeFileSync(path.join(dir, "hello.ts"), HELLO_WORKFLOW);
    const before = listing(own);

    const version = await npx(["weave", "--version"], dir, 60_000);
    expect(version.code, show(version)).toBe(0);
    expect(version.stdout.trim(), show(version)).toBe(pkg.version);

    const lint = await npx(["weave", "lint", "hidden.workflow.json"], dir, 60_000);
    expect(lint.code, show(lint)).toBe(1);
    expect(lint.stdout, show(lint)).toContain("[hidden-dependency]");

    const ran = await npx(["weave", "run", "hello.ts", "--var", "name=reader", "--json"], dir, 60_000);
    expect(ran.code, show(ran)).toBe(0);
    expect(stdoutJson(ran), show(ran)).toMatchObject({ status: "completed", outputs: { text: "hello reader" } });

    // as root, chmod does not stop writes: compare what is there
    expect(listing(own), [version, lint, ran].map(show).join("\n")).toEqual(before);
  }, 60_000);

  it("says which optional peer to install when weave worker runs without bullmq, or a report or SVG without @viz-js/viz: exit 2, no stack trace", async () => {
    const project = need(scaffold, "the scaffolded project");
    expect(existsSync(path.join(project, "node_modules", "bullmq"))).toBe(false);
    const worker = await npx(["weave", "worker", "--redis", "redis://127.0.0.1:1", "--tools", "workflows/docs-report.ts"], project, 60_000);
    expect(worker.timedOut, show(worker)).toBe(false);
    expect(worker.code, show(worker)).toBe(2);
    expect(worker.stderr, show(worker)).toContain("bullmq");
    expect(worker.stderr, show(worker)).toContain(INSTALL_PEERS);
    expect(worker.stderr, show(worker)).not.toMatch(STACK);
    expect(worker.stdout, show(worker)).not.toMatch(STACK);

    // the SVG renderer: a run with --report is refused before any step runs, not after
    expect(existsSync(path.join(project, "node_modules", "@viz-js", "viz"))).toBe(false);
    const report = await npx(
      ["weave", "run", "workflows/docs-report.ts", "--report", "missing-viz.html", "--var", "out=missing-viz.json"],
      project,
      60_000,
    );
    expect(report.code, show(report)).toBe(2);
    expect(report.stderr, show(report)).toContain('needs the package "@viz-js/viz", which is not installed');
    expect(report.stderr, show(report)).toContain("npm install @viz-js/viz");
    expect(report.stderr, show(report)).not.toMatch(STACK);
    expect(existsSync(path.join(project, "missing-viz.json")), "the workflow ran although its report could not be drawn").toBe(false);
    const svg = await npx(["weave", "graph", "workflows/docs-report.ts", "--format", "svg"], project, 60_000);
    expect(svg.code, show(svg)).toBe(2);
    expect(svg.stderr, show(svg)).toContain("npm install @viz-js/viz");
    expect(svg.stderr, show(svg)).not.toMatch(STACK);
  }, 60_000);

  it("runs every command of the README's tutorial as written", async () => {
    const project = need(scaffold, "the scaffolded project");
    const commands = tutorialCommands();
    // the first commands are what the scaffold stage ran: npx toolweave init my-app, cd my-app, npm install
    expect(commands.slice(0, 3).map((c) => c.join(" "))).toEqual(["npx toolweave init my-app", "cd my-app", "npm install"]);
    const rest = commands.slice(3);
    expect(rest.length).toBeGreaterThanOrEqual(6);
    for (const [tool, ...args] of rest) {
      expect(["npx", "npm"], `a tutorial command this test cannot run: ${[tool, ...args].join(" ")}`).toContain(tool);
      const outcome = tool === "npx" ? await npx(args, project, 120_000) : await npm(args, project, 150_000);
      expect(outcome.code, show(outcome)).toBe(0);
      expect(outcome.stderr, show(outcome)).not.toMatch(STACK);
    }
    // what the commands say they make
    expect(existsSync(path.join(project, "run.html")), "weave run --report run.html wrote no page").toBe(true);
    expect(readFileSync(path.join(project, "run.html"), "utf8")).toContain("<svg");
    expect(existsSync(path.join(project, "build", "docs_report.workflow.json")), "weave compile --out build/ wrote no template").toBe(true);
  }, 600_000);
});

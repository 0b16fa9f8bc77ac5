// The test tree mirrors the source tree: test/<path> holds the tests of <path> (test/src/executor for src/executor,
// test/cli/run for cli/run), so a newcomer finds a module's tests by its folder. The suites that cross areas have
// their own top-level folders, and a few folder names hold what tests share rather than tests of a module.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const TEST = path.join(ROOT, "test");

/** Top-level suites that cross areas. */
const CROSS_AREA = new Set(["security", "examples", "package", "docs", "layout", "helpers", "fixtures"]);
/** Folders, at any depth, with what the tests beside them share: inputs, shared suites, type-level tests. */
const SUPPORT = new Set(["fixtures", "corpus", "suites", "types", "consumer"]);

function testFolders(dir: string, rel: string, out: string[]): string[] {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (!statSync(full).isDirectory() || SUPPORT.has(name)) continue;
    const relative = rel ? `${rel}/${name}` : name;
    if (!rel && CROSS_AREA.has(name)) continue;
    out.push(relative);
    testFolders(full, relative, out);
  }
  return out;
}

it("gives every test folder a source folder of the same path", () => {
  const orphans = testFolders(TEST, "", []).filter((folder) => !existsSync(path.join(ROOT, folder)));
  expect(orphans).toEqual([]);
});

it("puts no test file at the top of test/", () => {
  const loose = readdirSync(TEST).filter((name) => name.endsWith(".ts"));
  expect(loose).toEqual([]);
});

// One import style: a test reaches what the package exports by its name (`toolweave`, `toolweave/compiler`,
// `toolweave/distributed`, resolved to the sources by vitest.config.ts), and an internal module by its relative path.
// Fixtures are left out: they run in other processes or are read by the compiler, where the name means the built package.
it("imports the package's entry points by name in tests", () => {
  const ENTRY =
    /from "(?:\.\.\/)+(?:index|src\/index|dsl\/index|compiler\/index|compiler\/bundler\/esbuild-plugin|adapters\/redis\/index)\.js"/;
  const offenders: string[] = [];
  for (const entry of readdirSync(TEST, { recursive: true, encoding: "utf8" })) {
    const file = entry.split(path.sep).join("/");
    if (!/\.ts$/.test(file) || file.split("/").includes("fixtures")) continue;
    if (ENTRY.test(readFileSync(path.join(TEST, file), "utf8"))) offenders.push(`test/${file}`);
  }
  expect(offenders).toEqual([]);
});

/**
 * @module `weave init [dir]`: scaffolds a project with typed tools, a workflow, a test of it and a CI lint step
 * (the files of init-scaffold.ts). The project depends on the running CLI's own version of toolweave.
 * Writes nothing when any file it would write already exists, unless `--force`.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Command } from "commander";
import { writeFileAtomic } from "../../src/util/atomic-write.js";
import { packageRoot } from "../../src/util/package-info.js";
import { scaffoldFiles } from "./scaffold.js";
import { EXIT } from "../exit-codes.js";
import { UserError } from "../../src/util/user-error.js";

const HELP_AFTER = `
Examples:
  $ weave init my-workflows
  $ weave init .            # into the current directory, if none of the files exist yet

Writes package.json, tsconfig.json, workflows/tools.ts (typed tools), workflows/docs-report.ts (a workflow),
test/docs-report.test.ts (vitest), .github/workflows/weave.yml (CI: weave lint, tsc, tests), docs/ and README.md.
Exit codes: 0 written, 2 a file already exists (nothing written; --force overwrites) or bad usage.
`;

interface InitOptions {
  force?: boolean;
  name?: string;
}

interface PackageJson {
  name: string;
  version: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

/** Adds the `init` command; `onExit` receives its exit code. */
export function addInitCommand(program: Command, onExit: (code: number) => void): void {
  program
    .command("init")
    .description("scaffold a project: typed tools, a workflow, its test and a CI lint step")
    .argument("[dir]", "directory to create the project in", ".")
    .option("--name <name>", "package name (default: the directory's name)")
    .option("--force", "overwrite files that already exist")
    .addHelpText("after", HELP_AFTER)
    .action(async (dir: string, options: InitOptions) => onExit(await init(dir, options)));
}

async function init(dir: string, options: InitOptions): Promise<number> {
  const target = path.resolve(dir);
  if (existsSync(target) && !statSync(target).isDirectory())
    throw new UserError(`"${dir}" exists and is not a directory`, ["choose another path: weave init <new-dir>"]);
  const files = projectFiles(packageName(options.name ?? path.basename(target)));
  const existing = [...files.keys()].filter((file) => existsSync(path.join(target, file)));
  if (existing.length > 0 && !options.force) {
    throw new UserError(
      `not writing into "${dir}": ${existing.length === 1 ? "this file exists" : "these files exist"}: ${existing.join(", ")}`,
      ["nothing was written. choose an empty directory, or overwrite them with --force"],
    );
  }
  for (const [file, content] of files) {
    await mkdir(path.dirname(path.join(target, file)), { recursive: true });
    await writeFileAtomic(path.join(target, file), content);
  }
  const cd = path.resolve(dir) === process.cwd() ? "" : dir;
  process.stdout.write(
    [
      `created a toolweave project in ${cd === "" ? "the current directory" : cd} (${files.size} files)`,
      "",
      "next:",
      ...(cd === "" ? [] : [`  cd ${cd}`]),
      "  npm install",
      "  npm start       # run workflows/docs-report.ts",
      "  npm test        # its test",
      "  npm run lint    # weave lint: check the workflows without running them",
      "  npm run build   # weave compile: the workflows as JSON templates in templates/ (commit them)",
      "",
    ].join("\n"),
  );
  return EXIT.completed;
}

/** The relative path and content of every file to write. */
function projectFiles(name: string): Map<string, string> {
  const files = scaffoldFiles();
  files.set("package.json", `${JSON.stringify(projectPackage(name), null, 2)}\n`);
  return new Map([...files].sort(([a], [b]) => a.localeCompare(b)));
}

function projectPackage(name: string): object {
  const own = JSON.parse(readFileSync(path.join(packageRoot()!, "package.json"), "utf8")) as PackageJson;
  const pick = (from: Record<string, string>, names: string[]): Record<string, string> =>
    Object.fromEntries(names.map((n) => [n, from[n]!]));
  return {
    name,
    version: "0.1.0",
    private: true,
    type: "module",
    scripts: {
      start: "weave run workflows/docs-report.ts",
      test: "vitest run",
      lint: "weave lint",
      build: "weave compile workflows --out templates",
      typecheck: "tsc --noEmit",
    },
    dependencies: { toolweave: `^${own.version}`, ...pick(own.dependencies, ["zod"]) },
    devDependencies: pick(own.devDependencies, ["@types/node", "typescript", "vitest"]),
  };
}

/** npm package names are lowercase, without spaces. */
function packageName(text: string): string {
  const name = text
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^[._-]+|-+$/g, "");
  return name === "" ? "workflows" : name;
}

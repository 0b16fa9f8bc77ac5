/**
 * @module `weave compile [paths...] --out <dir>`: checks workflow files like `weave lint`, then writes each workflow
 * free of errors as `<dir>/<name>.workflow.json`, plus `<dir>/manifest.json`.
 */
import type { Command } from "commander";
import { addCheckOptions, guarded, runCheck, type CheckOptions } from "../lint/command.js";

const HELP_AFTER = `
Examples:
  $ weave compile workflows/ --out dist/workflows
  $ weave compile -p tsconfig.json --out dist/workflows --format github
  $ weave compile workflows/ --out dist/workflows --check      (in CI: exit 1 when the committed output is stale)

Each exported workflow with no error-level finding is written as <out>/<name>.workflow.json (the template,
with source positions); <out>/manifest.json lists them with a sha256 of each file. Files are written
atomically, the manifest last. JSON templates among the inputs are checked, not copied.
The output is reproducible: source paths in the templates and the manifest are relative to the project's root
(the nearest folder with a tsconfig.json or package.json), with / separators, so the same sources give the same
bytes from any directory and on any OS. The manifest is how compile owns its folder: a file an earlier compile
wrote that no workflow produces any more (a renamed or removed workflow) is removed; a *.workflow.json it did not
write is left alone, with a warning. --check writes nothing: it lists every file that is missing, stale or extra
against what a compile would write, and exits 1 if there is any.
Exit codes: 0 no errors (and warnings within --max-warnings; with --check, the folder is current), 1 errors found
(or, with --check, the folder is not what a compile would write), 2 bad usage or internal error.
`;

/** Adds the `compile` command; `onExit` receives its exit code. */
export function addCompileCommand(program: Command, onExit: (code: number) => void): void {
  addCheckOptions(program.command("compile").description("check workflow files and write them as JSON templates plus a manifest"))
    .requiredOption("--out <dir>", "output directory (created if missing)")
    .option("--check", "write nothing; exit 1 when the output directory is not what a compile would write")
    .addHelpText("after", HELP_AFTER)
    .action(async (paths: string[], options: CheckOptions) => onExit(await guarded(() => runCheck("compile", paths, options))));
}

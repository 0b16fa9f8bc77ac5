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

Each exported workflow with no error-level finding is written as <out>/<name>.workflow.json (the template,
with source positions); <out>/manifest.json lists them with a sha256 of each file. Files are written
atomically, the manifest last. JSON templates among the inputs are checked, not copied.
Exit codes: 0 no errors (and warnings within --max-warnings), 1 errors found, 2 bad usage or internal error.
`;

/** Adds the `compile` command; `onExit` receives its exit code. */
export function addCompileCommand(program: Command, onExit: (code: number) => void): void {
  addCheckOptions(program.command("compile").description("check workflow files and write them as JSON templates plus a manifest"))
    .requiredOption("--out <dir>", "output directory (created if missing)")
    .addHelpText("after", HELP_AFTER)
    .action(async (paths: string[], options: CheckOptions) => onExit(await guarded(() => runCheck("compile", paths, options))));
}

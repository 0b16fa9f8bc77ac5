/**
 * @module `weave library list|search|show|add|export`: the built-in workflows plus the custom ones of a library
 * file (`--library`, else $WEAVE_LIBRARY, else .weave/library.json), shared safely by concurrent processes.
 */
import type { Command } from "commander";
import { formatFileIssue, LibraryConflictError, LibraryFileError, LibraryLockError } from "../../src/library/errors.js";
import { WorkflowLibrary } from "../../src/library/workflow-library.js";
import type { WorkflowTemplate } from "../../src/model/template.js";
import { closest } from "../../src/util/closest-name.js";
import { palette, shouldUseColor } from "../shared/color.js";
import { readWorkflowsToAdd } from "./add.js";
import { renderShow, renderTable, summaryJson } from "./view.js";
import { writeOutputFile } from "../shared/write-output-file.js";
import { EXIT } from "../exit-codes.js";
import { UserError, UserErrorList } from "../../src/util/user-error.js";

/** Where the custom workflows live when neither --library nor $WEAVE_LIBRARY says. */
export const DEFAULT_LIBRARY_FILE = ".weave/library.json";

interface LibraryOption {
  library?: string;
}
interface ListOptions extends LibraryOption {
  category?: string;
  json?: boolean;
}
interface SearchOptions extends ListOptions {
  tool?: string;
}
interface ShowOptions extends LibraryOption {
  json?: boolean;
}
interface AddOptions extends LibraryOption {
  workflow?: string;
  replace?: boolean;
  shadowBuiltin?: boolean;
}
interface ExportOptions extends LibraryOption {
  out?: string;
}

const HELP_AFTER = `
Examples:
  $ weave library list --category deployment
  $ weave library search deploy kubernetes
  $ weave library search --tool kubectl --json
  $ weave library show deploy_to_staging
  $ weave library add workflows/release.ts --workflow release
  $ weave library add build/release.workflow.json --replace
  $ weave library export deploy_to_staging --out deploy.workflow.json

The library holds the built-in workflows and the custom ones of a library file: --library <file>, else
$WEAVE_LIBRARY, else ${DEFAULT_LIBRARY_FILE} in the current directory (created by the first add). Several
processes may add to one file at once: saves are locked and merged, never lost; a workflow changed by
another process since this one read it is reported as a conflict (exit 1) instead of overwritten.
add never replaces a custom workflow of the same name unless --replace is given (adding the same workflow
again is fine), and hides a built-in only with --shadow-builtin; otherwise nothing is added (exit 1).
Search: words in any order; prefixes and small typos match; --category and --tool narrow it (--tool kubectl
matches kubectl_apply). Exit codes: 0 ok, 1 nothing found / not added / conflict, 2 bad usage or input.
`;

/** Adds the `library` command and its subcommands; `onExit` receives the exit code. */
export function addLibraryCommand(program: Command, onExit: (code: number) => void): void {
  const library = program
    .command("library")
    .description("list, search, show, add and export reusable workflows (built-in and custom)")
    .addHelpText("after", HELP_AFTER);
  const withLibrary = (command: Command): Command =>
    command.option("--library <file>", `custom workflow file (default: $WEAVE_LIBRARY, else ${DEFAULT_LIBRARY_FILE})`);
  withLibrary(library.command("list").description("list the workflows: name, category, steps, tools, built-in or custom"))
    .option("--category <category>", "only this category")
    .option("--json", "print JSON")
    .action(async (options: ListOptions) => onExit(await listWorkflows(options)));
  withLibrary(library.command("search").description("find workflows by words (any order, prefixes, typos), category and tool"))
    .argument("[words...]", "words to look for in names, descriptions, tags and tool names")
    .option("--category <category>", "only this category")
    .option("--tool <tool>", "only workflows calling this tool (or a tool of this family: kubectl matches kubectl_apply)")
    .option("--json", "print JSON")
    .action(async (words: string[], options: SearchOptions) => onExit(await searchWorkflows(words, options)));
  withLibrary(library.command("show").description("show a workflow: description, inputs, steps and their dependencies, outputs"))
    .argument("<name>", "workflow name")
    .option("--json", "print JSON")
    .action(async (name: string, options: ShowOptions) => onExit(await showWorkflow(name, options)));
  withLibrary(library.command("add").description("add workflows of a file to the custom library (validated and linted first)"))
    .argument("<file>", "a JSON template (current or original format) or a TypeScript workflow file (read statically, never run)")
    .option("--workflow <name>", "only this workflow of the file (its name or its export's name); default: all it exports")
    .option("--replace", "replace custom workflows of the same names (default: refuse, adding nothing)")
    .option("--shadow-builtin", "let a custom workflow take the name of a built-in one, hiding it")
    .action(async (file: string, options: AddOptions) => onExit(await addWorkflows(file, options)));
  withLibrary(library.command("export").description("print a workflow's template JSON, or write it to a file"))
    .argument("<name>", "workflow name")
    .option("--out <file>", "write to this file (atomically; its directory is created if missing)")
    .action(async (name: string, options: ExportOptions) => onExit(await exportWorkflow(name, options)));
}

function libraryFile(options: LibraryOption): string {
  return options.library ?? (process.env.WEAVE_LIBRARY || DEFAULT_LIBRARY_FILE);
}

/** The built-ins plus the library file's workflows (none when the file does not exist yet). */
async function openLibrary(options: LibraryOption): Promise<{ library: WorkflowLibrary; file: string }> {
  const file = libraryFile(options);
  const library = new WorkflowLibrary();
  try {
    // a custom workflow named like a built-in got into the file only through add --shadow-builtin
    await library.loadFromDisk(file, { missingOk: true, shadowBuiltins: true });
  } catch (error) {
    if (error instanceof LibraryFileError) throw fileErrorList(error);
    throw error;
  }
  return { library, file };
}

function fileErrorList(error: LibraryFileError): UserErrorList {
  const n = error.issues.length;
  return new UserErrorList([
    `weave: cannot ${error.operation === "save" ? "save" : "read"} workflow library "${error.file}" (${n} problem${n === 1 ? "" : "s"}):`,
    ...error.issues.map((issue) => `  ${formatFileIssue(error.file, issue)}`),
    `  fix the file, or choose another one with --library <file> or $WEAVE_LIBRARY`,
  ]);
}

const print = (lines: readonly string[]): void => void process.stdout.write(`${lines.join("\n")}\n`);
const printJson = (value: unknown): void => void process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
const colors = () => palette(shouldUseColor(process.stdout, process.env));
const quoted = (xs: Iterable<string>): string => [...xs].map((x) => `"${x}"`).join(", ");

function categories(library: WorkflowLibrary): string[] {
  return [...new Set(library.listAll().map((w) => w.category))].sort();
}

async function listWorkflows(options: ListOptions): Promise<number> {
  const { library } = await openLibrary(options);
  const workflows = options.category === undefined ? library.listAll() : library.search({ category: options.category });
  if (options.json) printJson(summaryJson(library, workflows));
  if (workflows.length === 0) {
    process.stderr.write(`weave: no workflows in category "${options.category}". categories are ${quoted(categories(library))}\n`);
    return EXIT.failed;
  }
  if (!options.json) print(renderTable(library, workflows, colors()));
  return EXIT.completed;
}

async function searchWorkflows(words: string[], options: SearchOptions): Promise<number> {
  const query = words.join(" ").trim();
  if (query === "" && options.category === undefined && options.tool === undefined) {
    throw new UserError("library search needs words, --category or --tool", [
      "example: weave library search deploy kubernetes --category deployment",
    ]);
  }
  const { library } = await openLibrary(options);
  const found = library.search({
    ...(query ? { query } : {}),
    ...(options.category !== undefined ? { category: options.category } : {}),
    ...(options.tool !== undefined ? { toolName: options.tool } : {}),
  });
  if (options.json) printJson(summaryJson(library, found));
  if (found.length === 0) {
    const hint =
      options.category !== undefined && !categories(library).includes(options.category.toLowerCase())
        ? `. categories are ${quoted(categories(library))}`
        : "";
    process.stderr.write(`weave: no workflow matches${hint}\n`);
    return EXIT.failed;
  }
  if (!options.json) print(renderTable(library, found, colors()));
  return EXIT.completed;
}

/** The workflow of that name. @throws nothing: reports "not found" with a guess and returns undefined */
function find(library: WorkflowLibrary, name: string, file: string): WorkflowTemplate | undefined {
  const template = library.get(name);
  if (template) return template;
  const guess = closest(
    name,
    library.listAll().map((w) => w.name),
  );
  process.stderr.write(
    `weave: no workflow named "${name}" in the built-ins or ${file}${guess ? `. did you mean "${guess}"?` : ""}\n  weave library list shows them all\n`,
  );
  return undefined;
}

async function showWorkflow(name: string, options: ShowOptions): Promise<number> {
  const { library, file } = await openLibrary(options);
  const template = find(library, name, file);
  if (!template) return EXIT.failed;
  if (options.json) printJson({ origin: library.isBuiltin(name) ? "builtin" : "custom", workflow: template.toJSON() });
  else print(renderShow(library, template, colors()));
  return EXIT.completed;
}

async function exportWorkflow(name: string, options: ExportOptions): Promise<number> {
  const { library, file } = await openLibrary(options);
  const template = find(library, name, file);
  if (!template) return EXIT.failed;
  const text = `${JSON.stringify(template.toJSON(), null, 2)}\n`;
  if (options.out === undefined) process.stdout.write(text);
  else {
    await writeOutputFile(options.out, text);
    process.stderr.write(`wrote ${options.out}\n`);
  }
  return EXIT.completed;
}

async function addWorkflows(source: string, options: AddOptions): Promise<number> {
  const { templates, diagnostics, report } = await readWorkflowsToAdd(source, options.workflow);
  if (report) process.stderr.write(report.endsWith("\n") ? report : `${report}\n`);
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  if (errors > 0) {
    process.stderr.write(
      `weave: not added: ${source} has ${errors} lint error${errors === 1 ? "" : "s"}. fix ${errors === 1 ? "it" : "them"} (weave lint ${source}) and add again\n`,
    );
    return EXIT.failed;
  }
  const { library, file } = await openLibrary(options);
  const before = new Map(
    templates.flatMap((t) =>
      library.get(t.name) && !library.isBuiltin(t.name) ? [[t.name, JSON.stringify(library.get(t.name)!.toJSON())]] : [],
    ),
  );
  for (const template of templates) {
    if (library.isBuiltin(template.name) && !options.shadowBuiltin) {
      throw new UserError(`"${template.name}" is the name of a built-in workflow; nothing was added`, [
        "rename yours, or add it with --shadow-builtin to use it instead of the built-in",
      ]);
    }
  }
  // every clash is reported, and nothing is added, before the library changes
  const clashes = templates.filter((t) => before.has(t.name) && before.get(t.name) !== JSON.stringify(t.toJSON()));
  if (clashes.length > 0 && !options.replace) {
    const names = quoted(clashes.map((t) => t.name));
    process.stderr.write(
      `weave: not added: ${clashes.length === 1 ? "a different workflow named" : "different workflows named"} ${names} ${clashes.length === 1 ? "is" : "are"} already in ${file}; nothing was added\n` +
        `  add again with --replace to replace ${clashes.length === 1 ? "it" : "them"}, or rename yours (weave library show <name> shows what is there)\n`,
    );
    return EXIT.failed;
  }
  for (const template of templates) library.register(template, { shadowBuiltin: options.shadowBuiltin ?? false, replace: true });
  try {
    await library.saveToDisk(file);
  } catch (error) {
    if (error instanceof LibraryConflictError || error instanceof LibraryLockError) {
      process.stderr.write(`weave: ${error.message}\n`);
      if (error instanceof LibraryConflictError)
        process.stderr.write("  another process changed it meanwhile: check weave library show <name>, then add again\n");
      return EXIT.failed;
    }
    if (error instanceof LibraryFileError) throw fileErrorList(error);
    throw error;
  }
  for (const template of templates) {
    const was = before.get(template.name);
    const what = was === undefined ? "added" : was === JSON.stringify(template.toJSON()) ? "unchanged:" : "replaced";
    process.stderr.write(
      `${what} workflow "${template.name}" (${template.steps.length} step${template.steps.length === 1 ? "" : "s"}) in ${file}\n`,
    );
    const missing = template.steps.flatMap((s) =>
      s.toolName === "execute_workflow" && typeof s.parameters.workflow === "string" && !library.get(s.parameters.workflow)
        ? [s.parameters.workflow]
        : [],
    );
    if (missing.length > 0)
      process.stderr.write(
        `  note: it runs ${quoted(new Set(missing))}, not in the library yet: add ${missing.length === 1 ? "it" : "them"} too\n`,
      );
  }
  return EXIT.completed;
}

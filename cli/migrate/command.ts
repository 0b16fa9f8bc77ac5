/**
 * @module `weave migrate <file.json...>`: workflows of the original system (or toolweave templates) to the current
 * template format (`--emit json`) or to DSL source (`--emit ts`). Everything is read and checked before anything is
 * written; with `--out`, existing files are refused (nothing written) unless `--force`.
 */
import { stat } from "node:fs/promises";
import path from "node:path";
import { Option, type Command } from "commander";
import { formatFileIssue } from "../../src/library/errors.js";
import { parseLibraryFile } from "../../src/library/library-file.js";
import { ignoredLegacyKeys } from "../../src/model/legacy.js";
import type { WorkflowTemplate } from "../../src/model/template.js";
import { migrate, MigrationError, migrationModules, type Migration, type MigrationNote, type MigrationSource } from "./index.js";
import type { PathSegment } from "../../src/placeholder/path.js";
import { lineColumn } from "../../src/util/json-location.js";
import { readTextFile } from "../../src/util/text-file.js";
import { describeFsError } from "../shared/json-file.js";
import { writeOutputFile } from "../shared/write-output-file.js";
import { EXIT } from "../exit-codes.js";
import { UserError, UserErrorList } from "../../src/util/user-error.js";

export interface MigrateOptions {
  emit: "json" | "ts";
  out?: string;
  force?: boolean;
}

const HELP_AFTER = `
Examples:
  $ weave migrate old/deploy.json                          # the current template format, on stdout
  $ weave migrate old/*.json --out workflows/ --emit ts    # <name>.ts per workflow: DSL source
  $ weave migrate library.json --out build/ --force        # <name>.workflow.json per workflow, overwriting

A file holds one template, a list of them, { "workflows": [...] } or an object of workflows by name, in the
original snake_case format (step_id, tool_name, depends_on, retry_delay in seconds, ...) or the current one.
--emit json writes each workflow in the current format: steps ordered so that each follows what it waits for,
conditions as toolweave writes them ({{d.success}} == False → {{d.success}} == false), the variables the
placeholders read as "inputs". --emit ts writes DSL source: tools with schemas inferred from how the workflows
use them, references for placeholders, .after() for dependencies without data, conditions with eq/and/failed/...,
.retry(), .timeout(), .describe(), and .workflow() for a sub-workflow among the files migrated together.
A step that read another's result without depending on it (a hidden dependency) waits for it in the DSL
source; migrate says so on stderr. What the DSL cannot express is kept working, marked with a
// TODO(migrate): comment and reported on stderr.
Without --out, a single workflow is printed on stdout. With --out, files that exist are not overwritten
(nothing is written) unless --force.
Exit codes: 0 migrated, 2 bad usage or input (nothing written).
`;

/** Adds the `migrate` command; `onExit` receives its exit code. */
export function addMigrateCommand(program: Command, onExit: (code: number) => void): void {
  program
    .command("migrate")
    .description("convert workflows of the original system (snake_case JSON) to the current template format or to DSL source")
    .argument("<files...>", "workflow files (.json): a template, a list, { workflows: [...] } or workflows by name")
    .addOption(
      new Option("--emit <format>", "json: templates in the current format; ts: DSL source").choices(["json", "ts"]).default("json"),
    )
    .option("--out <dir>", "write one file per workflow into this directory: <name>.workflow.json or <name>.ts")
    .option("--force", "with --out: overwrite files that exist")
    .addHelpText("after", HELP_AFTER)
    .action(async (files: string[], options: MigrateOptions) => onExit(await runMigrate(files, options)));
}

interface Read {
  readonly source: MigrationSource;
  readonly text: string;
  readonly paths: readonly (readonly PathSegment[])[];
  /** What the reading dropped (the original format's `parallel_groups`): a note each, at the key's path. */
  readonly dropped: readonly (MigrationNote & { readonly at: readonly PathSegment[] })[];
}

/** `weave migrate`. @returns the exit code */
export async function runMigrate(files: readonly string[], options: MigrateOptions): Promise<number> {
  if (options.force && options.out === undefined) throw new UserError("--force applies only with --out <dir>");
  const reads = await readAll(files);
  jsonc ??= await import("jsonc-parser");
  let migration: Migration;
  try {
    migration = migrate(reads.map((r) => r.source));
  } catch (error) {
    if (error instanceof MigrationError) throw new UserErrorList(error.problems.map((p) => `${where(reads, p)}: error: ${describe(p)}`));
    throw error;
  }
  const outputs =
    options.emit === "json"
      ? migration.workflows.map((w) => ({
          name: w.name,
          fileName: `${fileBase(w.name)}.workflow.json`,
          content: `${JSON.stringify(w.template.toJSON(), null, 2)}\n`,
        }))
      : migrationModules(migration, (name) => `${fileBase(name)}.ts`).map((m) => ({
          name: m.workflow,
          fileName: m.fileName,
          content: m.source,
        }));

  if (options.out === undefined && outputs.length !== 1) {
    throw new UserError(
      `${files.length === 1 ? files[0] : "the files"} hold${files.length === 1 ? "s" : ""} ${outputs.length} workflows: write them with --out <dir>, one file each`,
      [`workflows: ${outputs.map((o) => o.name).join(", ")}`],
    );
  }
  const targets = options.out === undefined ? [] : await checkTargets(options.out, outputs, options.force === true);
  for (const read of reads)
    for (const note of read.dropped) process.stderr.write(`${at(read, note.at) ?? note.file}: info: ${describe(note)}\n`);
  for (const note of options.emit === "json" ? migration.notes.json : migration.notes.ts)
    process.stderr.write(`${where(reads, note)}: warning: ${describe(note)}\n`);
  if (options.out === undefined) {
    process.stdout.write(outputs[0]!.content);
    return EXIT.completed;
  }
  for (const [i, o] of outputs.entries()) await writeOutputFile(targets[i]!, o.content);
  for (const target of targets) process.stderr.write(`wrote ${target}\n`);
  return EXIT.completed;
}

async function readAll(files: readonly string[]): Promise<Read[]> {
  const problems: string[] = [];
  const reads: Read[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readTextFile(file);
    } catch (error) {
      problems.push(`${file}: error: cannot read it: ${describeFsError(error)}`);
      continue;
    }
    const parsed = await parseLibraryFile(text);
    if (!parsed.ok) {
      problems.push(...parsed.issues.map((issue) => formatFileIssue(file, issue).replace(/^([^:]*(?::\d+:\d+)?): /, "$1: error: ")));
      continue;
    }
    reads.push({
      source: { file, workflows: parsed.workflows },
      text,
      paths: parsed.paths,
      dropped: droppedKeys(file, text, parsed.workflows, parsed.paths),
    });
  }
  if (problems.length > 0)
    throw new UserErrorList([...problems, `weave: nothing was migrated (${problems.length} problem${problems.length === 1 ? "" : "s"})`]);
  return reads;
}

const PARALLEL_GROUPS_NOTE =
  '"parallel_groups" is dropped: toolweave runs each step as soon as its own dependencies finish, not group by group (a step that needs a whole earlier group done lists those steps in dependsOn)';

/** A note for each workflow of the file whose original JSON has a key the conversion dropped. */
function droppedKeys(
  file: string,
  text: string,
  workflows: readonly WorkflowTemplate[],
  paths: readonly (readonly PathSegment[])[],
): Read["dropped"] {
  const json: unknown = JSON.parse(text);
  return workflows.flatMap((w, i) => {
    let raw = json;
    for (const seg of paths[i]!) raw = raw !== null && typeof raw === "object" ? (raw as Record<string | number, unknown>)[seg] : undefined;
    return ignoredLegacyKeys(raw).map(({ key }) => ({ file, workflow: w.name, message: PARALLEL_GROUPS_NOTE, at: [...paths[i]!, key] }));
  });
}

/** `file:line:col` of the note's step (or workflow) in the file it was read from. */
function where(reads: readonly Read[], note: MigrationNote): string {
  const read = reads.find((r) => r.source.file === note.file);
  const index = read?.source.workflows.findIndex((w) => w.name === note.workflow) ?? -1;
  if (!read || index < 0) return note.file;
  const base = read.paths[index]!;
  return at(read, note.step ? [...base, "steps", note.step.index] : base) ?? note.file;
}

/** `file:line:col` of the value at `path` of a file read. */
function at(read: Read, path: readonly PathSegment[]): string | undefined {
  const offset = offsetOf(read.text, path);
  if (offset === undefined) return undefined;
  const { line, column } = lineColumn(read.text, offset);
  return `${read.source.file}:${line}:${column}`;
}

const describe = (note: MigrationNote): string => `workflow "${note.workflow}": ${note.message}`;

let jsonc: typeof import("jsonc-parser") | undefined;
const trees = new Map<string, ReturnType<typeof import("jsonc-parser").parseTree>>();

function offsetOf(text: string, at: readonly PathSegment[]): number | undefined {
  if (!jsonc) return undefined;
  let tree = trees.get(text);
  if (!trees.has(text)) trees.set(text, (tree = jsonc.parseTree(text)));
  const node = tree && jsonc.findNodeAtLocation(tree, [...at]);
  return node?.offset;
}

/** A workflow name as a file name: path separators and characters file systems refuse become "_". */
export function fileBase(name: string): string {
  const safe = name.replace(/[/\\:*?"<>|\u0000-\u001f]/g, "_").replace(/^\./, "_");
  return safe === "" ? "_" : safe;
}

/** The files to write; refuses two workflows with one file name, and (without `force`) files that exist. */
async function checkTargets(out: string, outputs: readonly { name: string; fileName: string }[], force: boolean): Promise<string[]> {
  const seen = new Map<string, string>();
  for (const o of outputs) {
    const key = o.fileName.toLowerCase();
    const other = seen.get(key);
    if (other !== undefined)
      throw new UserError(`workflows "${other}" and "${o.name}" would both be written to ${path.join(out, o.fileName)}: rename one`);
    seen.set(key, o.name);
  }
  const targets = outputs.map((o) => path.join(out, o.fileName));
  if (!force) {
    const existing: string[] = [];
    for (const t of targets) {
      try {
        await stat(t);
        existing.push(t);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw new UserError(`cannot write "${t}": ${describeFsError(error)}`);
      }
    }
    if (existing.length > 0) {
      throw new UserError(
        `${existing.length === 1 ? "a file" : `${existing.length} files`} to write already exist${existing.length === 1 ? "s" : ""}; nothing was written:`,
        [...existing, "pass --force to overwrite, or choose another --out directory"],
      );
    }
  }
  return targets;
}

/**
 * @module Loading a .ts/.js workflow file: bundled in memory, imported from a `data:` URL. Its workflow bodies run
 * while it loads, so a definition mistake or any other throw is reported here, as the user's error.
 */
import { readFile, realpath, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { bundleWorkflow } from "./bundle-workflow.js";
import { registerBundleSourceMap } from "./bundle-stack.js";
import { describeFsError, lineFrame } from "../shared/json-file.js";
import { ensureTsLoader } from "./ts-loader.js";
import { isWorkflowDefinitionError } from "./workflow-errors.js";
import { LOADING_FOR_CLI, RUN_WHILE_LOADING, type LoadingNote } from "../../dsl/run-guard.js";
import { UserError } from "../../src/util/user-error.js";

export interface LoadedModule {
  readonly exports: Readonly<Record<string, unknown>>;
  /** How long bundling and importing took. */
  readonly timing: { bundleMs: number; importMs: number };
}

/**
 * @param file the path as the user typed it, relative to `cwd`
 * @param beforeImport called after bundling and before importing, with the bundled files (`file:` URLs)
 * @throws UserError / UserErrorList for a missing file, a syntax error, an unresolvable import, or a throw
 */
export async function loadWorkflowModule(
  file: string,
  cwd = process.cwd(),
  beforeImport?: (sources: readonly string[]) => Promise<void>,
): Promise<LoadedModule> {
  const entry = resolve(cwd, file);
  try {
    if (!(await stat(entry)).isFile()) throw Object.assign(new Error("not a file"), { code: "EISDIR" });
  } catch (error) {
    throw new UserError(`cannot read workflow file "${file}": ${describeFsError(error)}`);
  }
  const started = performance.now();
  const bundle = await bundleWorkflow(file, cwd);
  const bundled = performance.now();
  registerBundleSourceMap(bundle.sourceURL, bundle.sourceMap);
  // e.g. the static preflight, given every project file the bundle holds: nothing of the file has run yet
  await beforeImport?.(bundle.sourceMap.sources);
  const importing = performance.now();
  let exports: Record<string, unknown> = {};
  await ensureTsLoader();
  const note: LoadingNote = { file, runs: [] };
  const global = globalThis as { [LOADING_FOR_CLI]?: LoadingNote };
  global[LOADING_FOR_CLI] = note;
  let failure: unknown;
  try {
    exports = await settledImport(
      file,
      () => import(`data:text/javascript;base64,${Buffer.from(bundle.code).toString("base64")}`) as Promise<Record<string, unknown>>,
    );
  } catch (error) {
    failure = error;
  } finally {
    delete global[LOADING_FOR_CLI];
  }
  // the file ran a workflow as it loaded: refused (run() rejected before any step), whether or not it awaited it
  if (note.runs.length > 0) throw await ranWhileLoading(file, entry, note, failure);
  if (failure !== undefined) {
    if (failure instanceof UserError) throw failure;
    throw await loadFailure(file, entry, failure);
  }
  return { exports, timing: { bundleMs: bundled - started, importMs: performance.now() - importing } };
}

/**
 * The import, or a UserError when it can never finish: a top-level `await` on a promise nothing will settle leaves
 * Node with nothing to do, and it would exit silently. Node says so by emitting `beforeExit` while the import is
 * still pending; waiting that is still going on (a timer, a socket) keeps the process alive and is not cut short.
 */
async function settledImport<T>(file: string, load: () => Promise<T>): Promise<T> {
  let onIdle!: () => void;
  const stalled = new Promise<never>((_resolve, reject) => {
    onIdle = () =>
      reject(
        new UserError(
          `${file} never finished loading: a top-level await in it (or in a module it imports) waits for a promise that nothing will settle`,
          ["move the waiting into a tool or the workflow's run, or make sure the awaited promise resolves"],
        ),
      );
  });
  process.on("beforeExit", onIdle);
  try {
    return await Promise.race([load(), stalled]);
  } finally {
    process.off("beforeExit", onIdle);
  }
}

/** A file that runs its workflow at its top level: say so, where, and how to keep definition and invocation apart. */
async function ranWhileLoading(file: string, entry: string, note: LoadingNote, failure: unknown): Promise<UserError> {
  const names = [...new Set(note.runs)].map((n) => `"${n}"`).join(", ");
  const real = await realpath(entry).catch(() => entry);
  const stack =
    (failure as { code?: unknown; stack?: unknown } | undefined)?.code === RUN_WHILE_LOADING ? String((failure as Error).stack ?? "") : "";
  const frame = frameIn(stack, [entry, real]);
  const where = frame === undefined ? [] : await describeFrame(frame, file, entry);
  return new UserError(
    `${file} runs workflow ${names} itself while it loads (a top-level .run(...)), and weave run runs the workflow the file exports: it would run twice. nothing was run`,
    [
      ...where.map((line) => line.replace(/^thrown at/, "called at")),
      "keep the definition and the invocation apart: export the workflow from this file, and either run it with weave run,",
      'or call .run(...) from another script that imports it (run-deploy.ts: import { deploy } from "./deploy.js"; await deploy.run({...}))',
    ],
  );
}

async function loadFailure(file: string, entry: string, error: unknown): Promise<UserError> {
  // the message names the workflow, the step and where they are declared
  if (isWorkflowDefinitionError(error)) return new UserError(error.message);
  const message = error instanceof Error ? error.message : String(error);
  // esbuild names files by their real path
  const real = await realpath(entry).catch(() => entry);
  const frame = error instanceof Error ? frameIn(error.stack ?? "", [entry, real]) : undefined;
  const hints = frame === undefined ? [] : await describeFrame(frame, file, entry);
  return new UserError(`${file} threw while loading: ${message}`, hints, { cause: error });
}

interface Frame {
  name: string | undefined;
  line: number;
  column: number;
}

/** The first frame of the stack in `entry` (mapped to its own lines by the bundle's source map). */
function frameIn(stack: string, paths: readonly string[]): Frame | undefined {
  for (const line of stack.split("\n")) {
    const match = /^\s+at (?:(.*?) \()?(.+):(\d+):(\d+)\)?$/.exec(line);
    if (match && paths.includes(match[2]!)) return { name: match[1], line: Number(match[3]), column: Number(match[4]) };
  }
  return undefined;
}

/** `thrown at deploy.ts:12:9 (in readConfig)` and that line with a caret: one place, not a stack trace. */
async function describeFrame(frame: Frame, file: string, entry: string): Promise<string[]> {
  const text = await readFile(entry, "utf8").catch(() => "");
  const code = lineFrame(text.split("\n")[frame.line - 1], frame.line, frame.column).map((l) => l.slice(2));
  return [`thrown at ${file}:${frame.line}:${frame.column}${frame.name ? ` (in ${frame.name})` : ""}`, ...code];
}

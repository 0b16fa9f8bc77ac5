/** @module `weave run --report <file.html>`: the report file checked before the run and written after it. */
import { packageVersion } from "../../src/util/package-info.js";
import { mkdir, stat } from "node:fs/promises";
import { dirname } from "node:path";
import type { ExecutionEvent, ExecutionResult } from "../../src/executor/types.js";
import type { WorkflowTemplate } from "../../src/model/template.js";
import { svgRenderer } from "../graph/render-svg.js";
import { renderRunReport } from "./run-report.js";
import { writeOutputFile } from "../shared/write-output-file.js";
import { UserError } from "../../src/util/user-error.js";

/**
 * Before the run: the path is not a directory and its directory exists (or is made), and the SVG renderer the
 * report draws its graph with is installed. @throws UserError, MissingPackageError
 */
export async function prepareReportFile(file: string): Promise<void> {
  let isDirectory = false;
  try {
    isDirectory = (await stat(file)).isDirectory();
  } catch {
    // a new file
  }
  if (isDirectory) throw new UserError(`cannot write report "${file}": it is a directory`, ["give a file name, e.g. --report run.html"]);
  try {
    await mkdir(dirname(file), { recursive: true });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const why =
      code === "EEXIST" || code === "ENOTDIR"
        ? "part of its path is a file, not a directory"
        : error instanceof Error
          ? error.message
          : String(error);
    throw new UserError(`cannot write report "${file}": ${why}`);
  }
  await svgRenderer();
}

/**
 * After the run. The run has happened either way, so a report that could not be built or written is a warning,
 * not a different exit code.
 */
export async function writeRunReport(
  file: string,
  template: WorkflowTemplate,
  events: readonly ExecutionEvent[],
  result: ExecutionResult,
): Promise<void> {
  try {
    const html = await renderRunReport({ template, events, result, generator: `toolweave ${packageVersion()}` });
    await writeOutputFile(file, html);
    process.stderr.write(`wrote report ${file}\n`);
  } catch (error) {
    const message = error instanceof Error ? error.message.replace(/^cannot write "[^"]*": /, "") : String(error);
    process.stderr.write(`weave: warning: cannot write report "${file}": ${message}\n`);
  }
}

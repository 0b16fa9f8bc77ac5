import { locateJsonError } from "../../src/util/json-location.js";
import { readTextFile } from "../../src/util/text-file.js";
import { UserError, UserErrorList } from "../../src/util/user-error.js";

/**
 * @param file the path as the user typed it, used in messages
 * @param what what the file is for, as in `cannot read template "x.json"`
 */
export async function readJsonFile(file: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readTextFile(file);
  } catch (error) {
    throw new UserError(`cannot read ${what} "${file}": ${describeFsError(error)}`);
  }
  return parseJsonText(text, file);
}

/**
 * @param text as {@link readTextFile} gives it (without a byte order mark)
 * @throws UserErrorList with `file:line:col: invalid JSON: ...` and the offending line with a caret
 */
export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    const at = locateJsonError(text, error);
    throw new UserErrorList([`${file}:${at.line}:${at.column}: invalid JSON: ${at.message}`, ...codeFrame(text, at.line, at.column)]);
  }
}

/** The offending line with a caret under the column, unless the line is too long to be readable. */
function codeFrame(text: string, line: number, column: number): string[] {
  return lineFrame(text.split("\n")[line - 1], line, column);
}

/** `  12 | the line` and a caret under `column` (1-based), or nothing for a missing or overlong line. */
export function lineFrame(lineText: string | undefined, line: number, column: number): string[] {
  const content = lineText?.replace(/\r$/, "");
  if (content === undefined || content.length > 160) return [];
  const gutter = String(line);
  const shown = content.replace(/\t/g, " ");
  return [`  ${gutter} | ${shown}`, `  ${" ".repeat(gutter.length)} | ${" ".repeat(Math.max(0, column - 1))}^`];
}

export function describeFsError(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (code === "ENOENT") return "no such file";
  if (code === "EISDIR") return "it is a directory";
  if (code === "EACCES") return "permission denied";
  return error instanceof Error ? error.message : String(error);
}

/**
 * @module Reading the text of a file the user wrote (templates, `--vars` files, library files, workflow sources):
 * UTF-8, with a leading byte order mark (`EF BB BF`, which some Windows editors write) removed. Every reader of such
 * files goes through here, so `weave lint`, `weave compile`, `weave run`, `weave migrate` and the library all accept
 * the same files, and every position reported in them counts from the first character after the mark (line 1,
 * column 1), as editors show it.
 */
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";

/** U+FEFF, the byte order mark as a character of a decoded text. */
const BOM = 0xfeff;

/** `text` without its leading byte order mark, if it has one (only the first: a second one is content). */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === BOM ? text.slice(1) : text;
}

/** The file's text, decoded as UTF-8, without a leading byte order mark. Errors are `fs.readFile`'s. */
export async function readTextFile(file: string): Promise<string> {
  return stripBom(await readFile(file, "utf8"));
}

/** {@link readTextFile}, synchronously. */
export function readTextFileSync(file: string): string {
  return stripBom(readFileSync(file, "utf8"));
}

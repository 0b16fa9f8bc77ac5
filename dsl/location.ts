/** @module Where in the user's code a DSL call was made, for errors that name both places. */
import { fileURLToPath } from "node:url";

const DSL_DIR = fileURLToPath(new URL(".", import.meta.url));

/** `file:line:col` of the first stack frame outside the DSL, or undefined when the stack has none. */
export function callSite(): string | undefined {
  const stack = new Error().stack?.split("\n").slice(1) ?? [];
  for (const line of stack) {
    const match = /\(?((?:file:\/\/)?[^\s()]+):(\d+):(\d+)\)?$/.exec(line.trim());
    if (!match) continue;
    const file = match[1]!.startsWith("file://") ? fileURLToPath(match[1]!) : match[1]!;
    if (file.startsWith(DSL_DIR) || file.startsWith("node:")) continue;
    return `${file}:${match[2]}:${match[3]}`;
  }
  return undefined;
}

export const at = (location: string | undefined): string => (location ? ` at ${location}` : "");

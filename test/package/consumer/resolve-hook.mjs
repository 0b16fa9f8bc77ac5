// A module.register() resolve hook: writes every resolved file: URL to stderr as a line "resolved <url>". The hooks
// run on a thread of their own: writeSync on fd 2 puts each line out at once, before the process can exit.
import { writeSync } from "node:fs";

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  if (resolved.url.startsWith("file:")) writeSync(2, `resolved ${resolved.url}\n`);
  return resolved;
}

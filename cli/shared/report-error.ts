/** @module How `weave` reports an error: user mistakes as plain messages (exit 2), anything else as an internal error. */
import { CommanderError } from "commander";
import { MissingPackageError } from "../../src/util/optional-package.js";
import { EXIT } from "../exit-codes.js";
import { UserError, UserErrorList } from "../../src/util/user-error.js";

/** Writes the error to stderr. @returns the exit code */
export function reportError(error: unknown, env: NodeJS.ProcessEnv = process.env): number {
  const debug = env.WEAVE_DEBUG === "1";
  const write = (text: string): void => void process.stderr.write(`${text}\n`);
  // commander has already printed its message (or the help / version)
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.completed : EXIT.usage;
  if (error instanceof UserErrorList) {
    for (const line of error.lines) write(line);
    return EXIT.usage;
  }
  if (error instanceof UserError) {
    write(`weave: ${error.message}`);
    for (const hint of error.hints) write(`  ${hint}`);
    if (error.cause instanceof Error && error.cause.stack)
      write(debug ? error.cause.stack : "  set WEAVE_DEBUG=1 to see where it was thrown");
    return EXIT.usage;
  }
  // an optional peer dependency the command needs: the user installs it
  if (error instanceof MissingPackageError) {
    write(`weave: ${error.feature} needs the package "${error.packageName}", which is not installed`);
    write(`  install it in your project: ${error.installCommand}`);
    return EXIT.usage;
  }
  const message = error instanceof Error ? error.message : String(error);
  write(`weave: internal error: ${message}`);
  if (debug && error instanceof Error && error.stack) write(error.stack);
  else write("  set WEAVE_DEBUG=1 to see the stack trace");
  return EXIT.failed;
}

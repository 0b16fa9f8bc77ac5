/** @module `--log <file>`: the tool-call monitor, after checking that the file can be written. */
import { mkdir, open } from "node:fs/promises";
import { dirname } from "node:path";
import { createMonitor, type Monitor } from "../monitor/index.js";
import { UserError } from "./errors.js";
import { describeFsError } from "./json-file.js";

/** Fails before the run, not after it, when the log cannot be written. */
export async function openToolCallLog(file: string): Promise<Monitor> {
  try {
    await mkdir(dirname(file), { recursive: true });
    await (await open(file, "a")).close();
  } catch (error) {
    throw new UserError(`cannot write tool-call log "${file}": ${describeFsError(error)}`);
  }
  return createMonitor({ logFile: file });
}

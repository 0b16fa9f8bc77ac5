/** @module `--log <file>`: the tool-call monitor, after checking that the file can be written. */
import { mkdir, open } from "node:fs/promises";
import { dirname } from "node:path";
import { createMonitor, type Monitor, type MonitorOptions } from "../../src/monitor/index.js";
import { describeFsError } from "../shared/json-file.js";
import { UserError } from "../../src/util/user-error.js";

/**
 * Fails before the run, not after it, when the log cannot be written.
 * @param options the monitor's other options (`maxInMemory: 0` for a process that only writes the file)
 */
export async function openToolCallLog(file: string, options: Omit<MonitorOptions, "logFile"> = {}): Promise<Monitor> {
  try {
    await mkdir(dirname(file), { recursive: true });
    await (await open(file, "a")).close();
  } catch (error) {
    throw new UserError(`cannot write tool-call log "${file}": ${describeFsError(error)}`);
  }
  return createMonitor({ ...options, logFile: file });
}

/**
 * @module How a run reports progress: a live display on a terminal, appended lines elsewhere, nothing with `--json`.
 */
import type { ExecutionEvent } from "../../../src/executor/types.js";
import type { Palette } from "../../shared/color.js";
import { LiveDisplay } from "./live-display.js";
import { plainProgress } from "./plain-progress.js";
import type { RunProgress } from "./run-progress.js";

export interface Reporter {
  onEvent(event: ExecutionEvent): void;
  /** A message for the user during the run (e.g. that Ctrl-C is cancelling it). */
  notice(text: string): void;
  stop(): void;
}

export type ReporterMode = "live" | "plain" | "silent";

const noticeToStderr = (text: string): void => void process.stderr.write(`weave: ${text}\n`);

export function createReporter(mode: ReporterMode, progress: RunProgress, palette: Palette): Reporter {
  if (mode === "live") {
    const display = new LiveDisplay(progress, process.stdout, palette);
    display.start();
    return {
      onEvent(event) {
        if (progress.apply(event)) display.update();
      },
      notice: (text) => display.notice(text),
      stop: () => display.stop(),
    };
  }
  if (mode === "plain") {
    return { onEvent: plainProgress(progress, (text) => process.stdout.write(text), palette), notice: noticeToStderr, stop() {} };
  }
  return { onEvent() {}, notice: noticeToStderr, stop() {} };
}

/**
 * @module Running a workflow with `weave run`'s reporting, whatever the workflow came from: live progress or plain
 * lines (or nothing with `--json`), Ctrl-C, the tool-call log, then the summary table or the JSON result.
 */
import { randomUUID } from "node:crypto";
import type { ExecutionEvent, ExecutionResult } from "../../src/executor/types.js";
import type { WorkflowTemplate } from "../../src/model/template.js";
import type { Monitor } from "../../src/monitor/index.js";
import type { SecretMask } from "../../src/secrets/mask.js";
import { thrownReason } from "../../src/util/safe-json.js";
import { palette as makePalette, shouldUseColor, type Palette } from "../shared/color.js";
import { cancelOnInterrupt } from "./interrupt.js";
import { openToolCallLog } from "./open-log.js";
import { printableResult } from "./printable-result.js";
import { createReporter, type Reporter, type ReporterMode } from "./display/reporter.js";
import { prepareReportFile, writeRunReport } from "../report/run-report-file.js";
import { RunProgress } from "./display/run-progress.js";
import { renderOutcome, renderOutputs, renderRetries, renderSummaryTable } from "./display/summary-table.js";
import { EXIT } from "../exit-codes.js";

export interface ReportOptions {
  json?: boolean;
  log?: string;
  /** An HTML report of the run, written after it. */
  report?: string;
  /** The run's id (a durable run's); else a random one. */
  runId?: string;
  /** The run's secret values: masked in what is printed and in the report. */
  mask?: SecretMask;
}

/** What the run must be given for the progress, cancellation and log to work. */
export interface RunHooks {
  readonly runId: string;
  readonly signal: AbortSignal;
  readonly onEvent: (event: ExecutionEvent) => void;
  readonly monitor?: Monitor;
}

/**
 * @param template the steps to show (the run's own: events of sub-workflow runs are ignored)
 * @param execute runs the workflow with the hooks
 * @returns the exit code
 */
export async function executeWithProgress(
  template: WorkflowTemplate,
  options: ReportOptions,
  execute: (hooks: RunHooks) => Promise<ExecutionResult>,
): Promise<number> {
  // a report that cannot be written should stop the run before it starts, not be found out after it
  if (options.report !== undefined) await prepareReportFile(options.report);
  const monitor = options.log === undefined ? undefined : await openToolCallLog(options.log);
  const runId = options.runId ?? randomUUID();
  const events: ExecutionEvent[] | undefined = options.report === undefined ? undefined : [];
  const progress = new RunProgress(template, runId);
  const json = options.json ?? false;
  const palette = makePalette(!json && shouldUseColor(process.stdout, process.env));
  const mode: ReporterMode = json ? "silent" : process.stdout.isTTY ? "live" : "plain";
  const reporter = createReporter(mode, progress, palette);
  const controller = new AbortController();
  const stopCancelling = cancelOnInterrupt(controller, (text) => reporter.notice(text));
  const stopWatching = exitIfStuck(progress, reporter);

  let result: ExecutionResult;
  try {
    const onEvent = (event: ExecutionEvent): void => {
      reporter.onEvent(event);
      if (event.runId === runId) events?.push(event);
    };
    result = await execute({ runId, signal: controller.signal, onEvent, ...(monitor ? { monitor } : {}) });
  } finally {
    stopCancelling();
    stopWatching();
    reporter.stop();
    await closeLog(monitor);
  }

  // printed from a copy that JSON can always write: outputs holding a BigInt, a cycle or a very deep value must
  // not turn a finished run into an internal error and lose its result
  const printable = printableResult(result, options.mask);
  if (options.report !== undefined) await writeRunReport(options.report, template, events!, printable.result);
  try {
    // on a terminal the live lines are gone: the retried attempts' errors go under the table (plain lines kept them)
    const retries = mode === "live" ? renderRetries(progress.steps, palette) : [];
    process.stdout.write(json ? `${printable.json}\n` : report(template, printable.result, palette, mode === "plain", retries, progress));
  } catch (error) {
    process.stderr.write(`weave: warning: cannot print the result: ${thrownReason(error)}\n`);
  }
  for (const line of printable.notes) process.stderr.write(`${line}\n`);
  if (result.status === "cancelled") return controller.signal.aborted ? EXIT.interrupted : EXIT.timedOut;
  return result.status === "completed" ? EXIT.completed : EXIT.failed;
}

/**
 * Node exits when nothing is left to wait for. A run still going then is held by a tool whose promise can never
 * settle: say which step instead of exiting with Node's "unsettled top-level await" (code 13).
 */
function exitIfStuck(progress: RunProgress, reporter: Reporter): () => void {
  const onBeforeExit = (): void => {
    reporter.stop();
    const stuck = progress.steps.filter((s) => s.status === "running").map((s) => `"${s.id}" (${s.toolName})`);
    process.stderr.write(
      `weave: the run cannot finish: ${stuck.join(", ") || "a step"} returned a promise that never settles, and nothing else is pending\n`,
    );
    process.exit(EXIT.failed);
  };
  process.once("beforeExit", onBeforeExit);
  return () => void process.removeListener("beforeExit", onBeforeExit);
}

function report(
  template: WorkflowTemplate,
  result: ExecutionResult,
  palette: Palette,
  gap: boolean,
  retries: readonly string[],
  progress: RunProgress,
): string {
  const lines = [
    ...(gap ? [""] : []),
    ...renderSummaryTable(template, result, palette, progress.steps),
    ...(retries.length > 0 ? ["", ...retries] : []),
    "",
    renderOutcome(result, palette),
    ...renderOutputs(result),
  ];
  return `${lines.join("\n")}\n`;
}

/** The run has happened either way, so a log that could not be written is a warning, not a different exit code. */
async function closeLog(monitor: { close(): Promise<void> } | undefined): Promise<void> {
  try {
    await monitor?.close();
  } catch (error) {
    process.stderr.write(`weave: warning: ${error instanceof Error ? error.message : String(error)}\n`);
  }
}

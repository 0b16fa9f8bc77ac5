/** @module `weave run <template.json> --tools <module>`: runs a workflow and reports its progress and outcome. */
import { randomUUID } from "node:crypto";
import type { Command } from "commander";
import { WorkflowContext } from "../../executor/context.js";
import { WorkflowExecutor } from "../../executor/executor.js";
import type { ExecutionResult } from "../../executor/types.js";
import { WorkflowValidationError } from "../../model/issues.js";
import type { WorkflowTemplate } from "../../model/template.js";
import { palette as makePalette, shouldUseColor, type Palette } from "../color.js";
import { EXIT, UserError } from "../errors.js";
import { cancelOnInterrupt } from "../interrupt.js";
import { loadTemplate, validationErrorList } from "../load-template.js";
import { loadTools } from "../load-tools.js";
import { openToolCallLog } from "../open-log.js";
import { mergeVars, parseVarAssignment, readVarsFile } from "../parse-vars.js";
import { createReporter, type Reporter, type ReporterMode } from "../reporter.js";
import { RunProgress } from "../run-progress.js";
import { renderOutcome, renderOutputs, renderSummaryTable } from "../summary-table.js";

export interface RunOptions {
  tools: string;
  var?: [string, unknown][];
  vars?: string;
  json?: boolean;
  concurrency?: number;
  failFast?: boolean;
  log?: string;
}

const HELP_AFTER = `
Examples:
  $ weave run deploy.json --tools ./tools.ts
  $ weave run deploy.json --tools ./tools.js --var env=prod --var replicas=3
  $ weave run deploy.json --tools ./tools.ts --vars vars.json --json > result.json
  $ weave run deploy.json --tools ./tools.ts --concurrency 4 --fail-fast --log calls.jsonl

The tools module default-exports an object of functions:
  export default {
    build: async (params, context) => ({ image: \`app:\${params.tag}\` }),
  };

--var values are parsed as JSON when they are valid JSON (replicas=3 is the number 3), else kept as text.
Exit codes: 0 the run completed, 1 it failed, 2 bad usage or input (template, variables, tools module).
`;

/** Adds the `run` command; `onExit` receives its exit code. */
export function addRunCommand(program: Command, onExit: (code: number) => void): void {
  program
    .command("run")
    .description("run a workflow template with the tools of a module")
    .argument("<template>", "workflow template (.json, current or original snake_case format)")
    .requiredOption("--tools <module>", "module whose default export maps tool names to functions (.js or .ts)")
    .option("--var <name=value>", "set a variable (repeatable); the value is JSON when it parses, else text", collectVar)
    .option("--vars <file>", "JSON object of variables; --var overrides it")
    .option("--json", "print only the execution result as JSON")
    .option("--concurrency <n>", "most steps running at once (default: unlimited)", parseConcurrency)
    .option("--fail-fast", "cancel everything on the first failed step")
    .option("--log <file>", "append one JSON line per tool call to this file")
    .addHelpText("after", HELP_AFTER)
    .action(async (file: string, options: RunOptions) => onExit(await runWorkflowFile(file, options)));
}

function collectVar(text: string, previous: [string, unknown][] | undefined): [string, unknown][] {
  return [...(previous ?? []), parseVarAssignment(text)];
}

function parseConcurrency(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UserError(`--concurrency must be a positive integer, got "${text}"`);
  return n;
}

/** @returns the exit code */
export async function runWorkflowFile(file: string, options: RunOptions): Promise<number> {
  const template = await loadTemplate(file);
  const variables = mergeVars(options.vars === undefined ? {} : await readVarsFile(options.vars), options.var ?? []);
  const tools = await loadTools(options.tools);
  const monitor = options.log === undefined ? undefined : await openToolCallLog(options.log);

  const executor = new WorkflowExecutor({ tools, concurrency: options.concurrency ?? Infinity, failFast: options.failFast ?? false, ...(monitor ? { monitor } : {}) });
  const runId = randomUUID();
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
    result = await executor.execute(template, new WorkflowContext(variables), undefined, {
      runId,
      signal: controller.signal,
      onEvent: (event) => reporter.onEvent(event),
    });
  } catch (error) {
    // a variable named like a step is only found here
    if (error instanceof WorkflowValidationError) throw validationErrorList(file, error);
    throw error;
  } finally {
    stopCancelling();
    stopWatching();
    reporter.stop();
    await closeLog(monitor);
  }

  process.stdout.write(json ? `${JSON.stringify(result, null, 2)}\n` : report(template, result, palette, mode === "plain"));
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
    process.stderr.write(`weave: the run cannot finish: ${stuck.join(", ") || "a step"} returned a promise that never settles, and nothing else is pending\n`);
    process.exit(EXIT.failed);
  };
  process.once("beforeExit", onBeforeExit);
  return () => void process.removeListener("beforeExit", onBeforeExit);
}

function report(template: WorkflowTemplate, result: ExecutionResult, palette: Palette, gap: boolean): string {
  const lines = [...(gap ? [""] : []), ...renderSummaryTable(template, result, palette), "", renderOutcome(result, palette), ...renderOutputs(result)];
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

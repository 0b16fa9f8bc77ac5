/**
 * @module `weave mine <log.jsonl>`: the tool sequences a tool-call log keeps repeating (a table, or JSON), and the
 * workflow suggested from one of them (`--emit json` for the template, `--emit ts` for DSL source). The log is
 * streamed: memory depends on the open sessions and distinct sequences, not on the file's length.
 */
import { stat } from "node:fs/promises";
import { Option, type Command } from "commander";
import { streamToolCallLogBatches, type LogProblem, type LogSource } from "../../src/monitor/read-log.js";
import { emitWorkflowSource, PatternMiner, planWorkflow, type ToolSequence } from "../../src/patterns/index.js";
import { formatDuration, plural } from "../shared/format.js";
import { describeFsError } from "../shared/json-file.js";
import { reportError } from "../shared/report-error.js";
import { EXIT } from "../exit-codes.js";
import { UserError } from "../../src/util/user-error.js";

export interface MineOptions {
  minFrequency: number;
  minSuccessRate: number;
  maxLength: number;
  closed?: boolean;
  all?: boolean;
  idleGap?: number;
  top: number;
  emit?: "json" | "ts";
  pattern?: number;
  name?: string;
  description?: string;
  parallel?: boolean;
  /** `--no-maps`: false; repeated calls of one tool stay separate steps. */
  maps?: boolean;
  json?: boolean;
  /** `--no-color`: accepted for uniformity with the other commands; mine prints no colours. */
  color?: boolean;
}

const HELP_AFTER = `
Examples:
  $ weave mine calls.jsonl
  $ weave mine calls.jsonl --min-frequency 5 --min-success-rate 90% --max-length 4 --all
  $ weave mine calls.jsonl --emit ts --pattern 2 --name deploy_service > deploy-service.ts
  $ weave mine calls.jsonl --emit json --parallel > deploy.workflow.json
  $ cat calls.jsonl | weave mine - --json

The log is JSON lines of tool calls: as \`weave run --log <file>\` and the monitor write them, as other
programs write toolweave's fields (an ISO-8601 timestamp, no stepId or attempt), or as the original system's
monitor wrote them (tool_name, latency in seconds, the ISO-8601 time the call ended). Calls of one
execution id form a session; calls with an empty execution id are split into sessions at idle gaps
(--idle-gap, default 300000 ms). Retries of a step count as one call. Every run of 2 to --max-length
consecutive calls in a session is counted; success rate is the share of its occurrences in which every call
succeeded. Patterns are ranked by frequency × success rate, then longer first, then by name. Only closed
patterns are shown: a sequence seen exactly as often as a longer one containing it is left out (--all shows it).
--emit prints the workflow suggested from a pattern, named after its tools (build__push__deploy): a parameter
equal to an earlier call's result in every sampled occurrence becomes a reference (and a dependency), unless
that call was given the value (it only echoed it); one that never changes a literal, any other a workflow
input. Steps keep the observed order: a step waits for the calls that ended before it started in every
sampled occurrence, so calls seen one after another stay a chain and calls seen overlapping stay parallel.
--parallel drops the orders that carried no data: steps then wait for their data sources only.
Repeated calls of one tool in a row become one map step over a list input (deploy_region_items), whose items
are what the calls were given differently; --no-maps keeps them as separate steps.
Lines that are not valid records are reported on stderr (file:line: message) and skipped.
Exit codes: 0 patterns found, 1 none met the thresholds, 2 bad usage or an unreadable log.
`;

/** Adds the `mine` command; `onExit` receives its exit code. */
export function addMineCommand(program: Command, onExit: (code: number) => void): void {
  program
    .command("mine")
    .description("find the tool sequences a tool-call log keeps repeating, and suggest workflows from them")
    .argument("<log>", "JSONL tool-call log (- for stdin)")
    .option("--min-frequency <n>", "report sequences seen at least n times", positiveInteger("--min-frequency", 1), 3)
    .option(
      "--min-success-rate <rate>",
      "report sequences that fully succeeded at least this often: 0 to 1, or a percentage (80%)",
      parseRate,
      0.7,
    )
    .option("--max-length <n>", "longest sequence, in calls (2 or more)", positiveInteger("--max-length", 2), 5)
    .option("--all", "show every sequence that meets the thresholds, also one seen exactly as often as a longer one containing it")
    .addOption(new Option("--closed", "closed patterns only (the default)").hideHelp())
    .option("--idle-gap <ms>", "split calls without an execution id at pauses longer than this (default 300000)", milliseconds)
    .option("--top <n>", "how many patterns to print", positiveInteger("--top", 1), 20)
    .addOption(
      new Option("--emit <format>", "print the workflow suggested from a pattern instead: its JSON template or DSL source").choices([
        "json",
        "ts",
      ]),
    )
    .option("--pattern <k>", "with --emit: the k-th pattern of the table (default 1)", positiveInteger("--pattern", 1))
    .option("--name <name>", "with --emit: the workflow's name")
    .option("--description <text>", "with --emit: the workflow's description")
    .option("--parallel", "with --emit: steps wait for their data sources only (default: also for the calls observed before them)")
    .option("--no-maps", "with --emit: repeated calls of one tool stay separate steps (default: one map step over a list input)")
    .option("--json", "print the patterns as JSON")
    .option("--no-color", "no colours (also NO_COLOR=1); mine prints none")
    .addHelpText("after", HELP_AFTER)
    .action(async (file: string, options: MineOptions) => {
      try {
        onExit(await runMine(file, options));
      } catch (error) {
        // a user error is exit 2, and so is an internal one: 1 means "no pattern found"
        reportError(error);
        onExit(EXIT.usage);
      }
    });
}

function positiveInteger(flag: string, min: number): (text: string) => number {
  return (text) => {
    const n = Number(text);
    if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(n) || n < min)
      throw new UserError(`${flag} must be a whole number of ${min} or more, got "${text}"`);
    return n;
  };
}

function parseRate(text: string): number {
  const percent = text.trim().endsWith("%");
  const n = Number(percent ? text.trim().slice(0, -1) : text);
  const rate = percent ? n / 100 : n;
  if (text.trim() === "" || !Number.isFinite(n) || rate < 0 || rate > 1)
    throw new UserError(`--min-success-rate must be from 0 to 1 (or 0% to 100%), got "${text}"`);
  return rate;
}

function milliseconds(text: string): number {
  const n = Number(text);
  if (text.trim() === "" || !(n >= 0)) throw new UserError(`--idle-gap must be a number of milliseconds (0 or more), got "${text}"`);
  return n;
}

/** `weave mine`. @returns the exit code */
export async function runMine(file: string, options: MineOptions): Promise<number> {
  if (options.emit === undefined) {
    const stray = [
      ...(["pattern", "name", "description", "parallel"] as const).filter((k) => options[k] !== undefined),
      ...(options.maps === false ? ["no-maps"] : []),
    ];
    if (stray.length > 0)
      throw new UserError(
        `${stray.map((k) => `--${k}`).join(", ")} ${stray.length === 1 ? "applies" : "apply"} only with --emit json or --emit ts`,
      );
  }
  if (options.all && options.closed)
    throw new UserError("--all and --closed contradict each other: --all shows every sequence, closed patterns are the default");
  const source = await openLog(file);
  const miner = new PatternMiner({
    minFrequency: options.minFrequency,
    minSuccessRate: options.minSuccessRate,
    maxSequenceLength: options.maxLength,
    closed: options.all !== true,
    ...(options.idleGap !== undefined ? { idleGapMs: options.idleGap } : {}),
    sampleSize: options.emit ? 20 : 0,
  });
  const problems = problemPrinter(file);
  const progress = source.size === undefined ? undefined : progressLine(file, source.size);
  try {
    for await (const batch of streamToolCallLogBatches(source.input, {
      onProblem: problems.report,
      ...(progress ? { onProgress: progress.update } : {}),
    })) {
      for (const record of batch) miner.add(record);
    }
  } catch (error) {
    if (typeof (error as { code?: unknown }).code !== "string") throw error;
    throw new UserError(`cannot read tool-call log "${file}": ${describeFsError(error)}`);
  } finally {
    progress?.done();
  }
  problems.finish();
  const patterns = miner.result();
  const { records, sessions } = miner.stats;
  const where = `${plural(records, "call")} in ${plural(sessions, "session")} of ${file === "-" ? "stdin" : file}`;

  if (patterns.length === 0) {
    const rate = formatRate(options.minSuccessRate);
    process.stderr.write(
      `weave: no tool sequence was seen ${options.minFrequency} or more times with ${rate} success or more, in ${where}\n`,
    );
    if (records > 0) process.stderr.write("  lower --min-frequency or --min-success-rate to see more\n");
    if (options.json && !options.emit) process.stdout.write(`${JSON.stringify(jsonReport(file, miner, problems.count, []), null, 2)}\n`);
    return EXIT.failed;
  }
  if (options.emit) {
    const k = options.pattern ?? 1;
    const pattern = patterns[k - 1];
    if (!pattern) throw new UserError(`--pattern ${k}, but only ${plural(patterns.length, "pattern")} met the thresholds`);
    const plan = planWorkflow(pattern, {
      ...(options.name !== undefined ? { name: options.name } : {}),
      ...(options.description !== undefined ? { description: options.description } : {}),
      ...(options.parallel ? { parallel: true } : {}),
      ...(options.maps === false ? { maps: false } : {}),
    });
    process.stdout.write(options.emit === "json" ? `${JSON.stringify(plan.template.toJSON(), null, 2)}\n` : emitWorkflowSource(plan));
    return EXIT.completed;
  }
  const shown = patterns.slice(0, options.top);
  if (options.json) {
    process.stdout.write(`${JSON.stringify(jsonReport(file, miner, problems.count, shown), null, 2)}\n`);
    return EXIT.completed;
  }
  process.stdout.write(`${renderTable(shown).join("\n")}\n`);
  const more = patterns.length > shown.length ? `, the top ${shown.length} shown` : "";
  process.stdout.write(`\n${plural(patterns.length, "pattern")}${more}, from ${where}.\n`);
  process.stdout.write(`turn one into a workflow: weave mine ${file} --emit ts --pattern <rank> > workflow.ts\n`);
  return EXIT.completed;
}

async function openLog(file: string): Promise<{ input: LogSource; size: number | undefined }> {
  if (file === "-") return { input: process.stdin, size: undefined };
  try {
    const info = await stat(file);
    if (info.isDirectory()) throw Object.assign(new Error("it is a directory"), { code: "EISDIR" });
    return { input: file, size: info.size };
  } catch (error) {
    throw new UserError(`cannot read tool-call log "${file}": ${describeFsError(error)}`, [
      "write one with `weave run <workflow> --log calls.jsonl`, or try examples/logs/tool-calls.jsonl",
    ]);
  }
}

const MAX_PROBLEMS = 50;

/** Bad lines on stderr as `file:line: message`, the first MAX_PROBLEMS of them, then a count. */
function problemPrinter(file: string): { report(p: LogProblem): void; finish(): void; readonly count: number } {
  let count = 0;
  return {
    report(p) {
      count++;
      if (count <= MAX_PROBLEMS) process.stderr.write(`${file === "-" ? "<stdin>" : file}:${p.line}: ${p.message}\n`);
    },
    finish() {
      if (count > MAX_PROBLEMS) process.stderr.write(`... and ${count - MAX_PROBLEMS} more bad lines (${count} in all, skipped)\n`);
    },
    get count() {
      return count;
    },
  };
}

/**
 * `reading calls.jsonl: 12.0 MB of 80.0 MB (15%)` on a terminal (nothing otherwise), from half a second in, redrawn
 * at most every 100 ms, erased when done.
 */
export function progressLine(
  file: string,
  total: number,
  stream: { isTTY?: boolean; write(text: string): unknown } = process.stderr,
  now: () => number = () => performance.now(),
): { update(bytes: number): void; done(): void } | undefined {
  if (!stream.isTTY) return undefined;
  const started = now();
  let last = -Infinity;
  let shown = false;
  const mb = (b: number): string => `${(b / 2 ** 20).toFixed(1)} MB`;
  return {
    update(bytes) {
      const t = now();
      if (t - started < 500 || t - last < 100) return;
      last = t;
      shown = true;
      stream.write(`\rreading ${file}: ${mb(bytes)} of ${mb(total)} (${total > 0 ? Math.floor((bytes / total) * 100) : 100}%)\x1b[K`);
    },
    done() {
      if (shown) stream.write("\r\x1b[K");
    },
  };
}

function formatRate(rate: number): string {
  const percent = rate * 100;
  return `${Number.isInteger(percent) ? percent : percent.toFixed(1)}%`;
}

const HEADER = ["rank", "pattern", "frequency", "success", "avg duration"];

/** Aligned columns: rank and numbers right-aligned, the tools joined with →. */
export function renderTable(patterns: readonly ToolSequence[]): string[] {
  const rows = patterns.map((p, i) => [
    String(i + 1),
    p.tools.join(" → "),
    String(p.frequency),
    formatRate(p.successRate),
    formatDuration(p.avgDurationMs),
  ]);
  const widths = HEADER.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]): string =>
    cells
      .map((cell, c) => (c === 1 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
      .join("  ")
      .trimEnd();
  return [line(HEADER), ...rows.map(line)];
}

function jsonReport(file: string, miner: PatternMiner, skippedLines: number, patterns: readonly ToolSequence[]) {
  const { minFrequency, minSuccessRate, maxSequenceLength, closed, idleGapMs } = miner.options;
  return {
    file,
    calls: miner.stats.records,
    sessions: miner.stats.sessions,
    skippedLines,
    options: { minFrequency, minSuccessRate, maxSequenceLength, closed, idleGapMs },
    patterns: patterns.map((p, i) => ({
      rank: i + 1,
      tools: p.tools,
      frequency: p.frequency,
      successCount: p.successCount,
      successRate: p.successRate,
      avgDurationMs: p.avgDurationMs,
    })),
  };
}

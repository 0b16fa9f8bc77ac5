/**
 * `npm run demo`: what a newcomer runs first. Lints and compiles every bundled example with the real `weave` CLI,
 * then runs each one (live progress on a terminal, plain lines elsewhere), and ends with a table of what happened
 * and where to look next. Exit 0 when every example ended as it is meant to (cleanup-on-failure fails on purpose).
 *
 * It writes under .weave/: demo/ (compiled templates, tool-call logs, run reports) and examples/ (the examples' work
 * directories).
 */
import { spawn } from "node:child_process";
import { rm } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { COLORS, NO_COLORS, shouldUseColor } from "../cli/shared/color.js";
import { formatDuration } from "../cli/shared/format.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const weave = fileURLToPath(new URL("../bin/weave.js", import.meta.url));
const out = ".weave/demo";
const c = shouldUseColor(process.stdout, process.env) ? COLORS : NO_COLORS;

interface Example {
  /** What it shows, in a few words. */
  readonly shows: string;
  readonly args: readonly string[];
  /** The exit code it is meant to end with. */
  readonly expectExit: 0 | 1;
}

const EXAMPLES: readonly Example[] = [
  { shows: "a typed chain: build → push → deploy", args: ["examples/deploy-to-staging.ts"], expectExit: 0 },
  { shows: "a map step: one deploy per region of a list, fan-in", args: ["examples/multi-region-deploy.ts"], expectExit: 0 },
  { shows: "a map step over the files another step found", args: ["examples/docs-index.ts"], expectExit: 0 },
  { shows: "GitHub issue → branch → PR → Slack (local servers)", args: ["examples/github-issue-to-pr.ts"], expectExit: 0 },
  { shows: "dump, compress, verify a database", args: ["examples/database-backup.ts"], expectExit: 0 },
  { shows: "conditions: only the jobs that are due", args: ["examples/nightly-maintenance.ts"], expectExit: 0 },
  { shows: "retries with backoff against a flaky API", args: ["examples/flaky-api.ts"], expectExit: 0 },
  { shows: "a failure handler cleans up (fails on purpose)", args: ["examples/cleanup-on-failure.ts"], expectExit: 1 },
  {
    shows: "the guide's error recovery: cleanup reads the failed deploy's partial result (fails on purpose)",
    args: ["examples/error-recovery.ts"],
    expectExit: 1,
  },
  {
    shows: "MCP servers as typed steps: filesystem + memory reference servers",
    args: ["examples/mcp/notes.ts", "--mcp", "examples/mcp/.mcp.json"],
    expectExit: 0,
  },
  {
    shows: "a JSON template with a tools module",
    args: ["examples/release.workflow.json", "--tools", "examples/release-tools.ts", "--vars", "examples/release.vars.json"],
    expectExit: 0,
  },
];

/** Runs `weave <args>` with this terminal, so its live display and colours are the ones a user sees. */
function runWeave(args: readonly string[]): Promise<{ code: number; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [weave, ...args], { cwd: root, stdio: "inherit" });
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), ms: performance.now() - started }));
  });
}

const heading = (step: string, command: string): void => console.log(`\n${c.bold(step)} ${c.cyan(`$ weave ${command}`)}\n`);

await rm(out, { recursive: true, force: true });

heading("1/3 Lint every example, without running it:", "lint examples");
const lint = await runWeave(["lint", "examples"]);

heading("2/3 Compile them to portable JSON templates:", `compile examples --out ${out}/compiled`);
const compile = await runWeave(["compile", "examples", "--out", `${out}/compiled`]);

heading("3/3 Run each example:", "run <example>");
const results: { example: Example; code: number; ms: number }[] = [];
for (const example of EXAMPLES) {
  const name = example.args[0]!.replace(/^examples\//, "").replace(/\.(ts|workflow\.json)$/, "");
  const args = ["run", ...example.args, "--log", `${out}/logs/${name}.jsonl`, "--report", `${out}/reports/${name}.html`];
  console.log(c.bold(`\n── ${example.args[0]}  ${c.dim(example.shows)}`));
  results.push({ example, ...(await runWeave(args)) });
}

const rows = [
  ["step", "result", "time"],
  ["weave lint examples", lint.code === 0 ? "clean" : `exit ${lint.code}`, formatDuration(lint.ms)],
  ["weave compile examples", compile.code === 0 ? `written to ${out}/compiled` : `exit ${compile.code}`, formatDuration(compile.ms)],
  ...results.map(({ example, code, ms }) => {
    const outcome = code === 0 ? "completed" : code === 1 ? "failed" : `error (exit ${code})`;
    const note = code === example.expectExit ? (code === 1 ? " (as designed)" : "") : " (UNEXPECTED)";
    return [`weave run ${example.args[0]}`, outcome + note, formatDuration(ms)];
  }),
];
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
const line = (r: string[]): string =>
  r
    .map((cell, i) => cell.padEnd(widths[i]!))
    .join("  ")
    .trimEnd();
console.log(`\n${c.bold("Demo summary")}\n`);
console.log(c.bold(line(rows[0]!)));
for (const r of rows.slice(1)) {
  const text = line(r);
  console.log(r[1]!.includes("UNEXPECTED") || r[1]!.startsWith("exit") || r[1]!.startsWith("error") ? c.red(text) : text);
}

const ok = lint.code === 0 && compile.code === 0 && results.every((r) => r.code === r.example.expectExit);
const next = [
  [`${out}/compiled/`, "the JSON templates weave compile wrote, with manifest.json"],
  [`${out}/logs/`, "one JSON line per tool call of each run (the monitor's log)"],
  ["npx weave mine examples/logs/tool-calls.jsonl", "tool sequences that keep coming back, as suggested workflows"],
  [`${out}/reports/`, "one page per run: its graph coloured by outcome, a timeline of every attempt (open flaky-api.html)"],
  ["npx weave library list", "the built-in workflows; weave library search deploy"],
  [".weave/examples/", "what the examples built: images, registries, backups, PR branches"],
  ["examples/*.ts", "the workflows you just ran: typed steps, references, conditions, retries"],
  ["npx weave --help", "every command; README.md has a five-minute tutorial"],
];
const pad = Math.max(...next.map(([what]) => what!.length)) + 2;
console.log(`\n${c.bold("Where to look next")}`);
for (const [what, why] of next) console.log(`  ${what!.padEnd(pad)}${c.dim(why!)}`);
console.log(ok ? "" : c.red("\nSomething did not end as designed: see the output above."));
process.exitCode = ok ? 0 : 1;

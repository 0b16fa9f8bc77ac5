/**
 * MCP benchmark: what an MCP tool costs a run, against a plain function doing the same work, in the same script.
 * - Per call: a chain of steps calling the test server's `sum` over stdio (startMcpServers' tools), against the same
 *   chain calling a local `sum` function; and the bare tool function called in a loop, without the executor.
 * - Start-up: startMcpServers for each reference server (filesystem, memory, everything) and the test server, each
 *   started and closed REPS times, against spawning `node -e ""` (the floor of any stdio server: one Node process).
 * Prints a Markdown report and writes it to bench/results/mcp.md. A report, not a test: no timing is asserted, but
 * every run must complete with the right outputs (or the benchmark throws).
 *
 * npm run bench:mcp
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startMcpServers } from "../adapters/mcp/index.js";
import { type ToolContext, WorkflowContext, WorkflowExecutor, WorkflowTemplate } from "../src/index.js";
import { median, num, spread, table } from "./lib/stats.js";

const CHAIN = 200;
const LOOP = 2_000;
const REPS = 5;
const require = createRequire(import.meta.url);
const TEST_SERVER = fileURLToPath(new URL("../test/adapters/mcp/fixtures/test-server.mjs", import.meta.url));
const server = (pkg: string) => require.resolve(`@modelcontextprotocol/${pkg}/dist/index.js`);

const started = performance.now();
const log = (msg: string): void => void process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(1)}s] ${msg}\n`);
const dir = mkdtempSync(path.join(os.tmpdir(), "weave-bench-mcp-"));

/** `CHAIN` steps, each adding 1 to the last one's sum: every call waits for the one before. */
function chain(tool: string): WorkflowTemplate {
  const steps = Array.from({ length: CHAIN }, (_, i) => ({
    id: `s${i}`,
    toolName: tool,
    parameters: { a: i === 0 ? 0 : `{{s${i - 1}.sum}}`, b: 1 },
    dependsOn: i === 0 ? [] : [`s${i - 1}`],
  }));
  return WorkflowTemplate.fromJSON({ name: "chain", steps, outputs: { last: `{{s${CHAIN - 1}.sum}}` } });
}

const localSum = async (p: Record<string, unknown>) => ({ sum: (p.a as number) + (p.b as number) });

async function runChain(executor: WorkflowExecutor, template: WorkflowTemplate): Promise<number> {
  const t0 = performance.now();
  const result = await executor.execute(template, new WorkflowContext());
  const ms = performance.now() - t0;
  if (result.status !== "completed" || result.outputs.last !== CHAIN) throw new Error(`chain did not complete: ${result.error}`);
  return ms;
}

const report: string[] = [];
const servers = await startMcpServers({ mcpServers: { test: { command: process.execPath, args: [TEST_SERVER] } } });
try {
  log("per call");
  const mcpExecutor = new WorkflowExecutor({ tools: servers.tools });
  const localExecutor = new WorkflowExecutor({ tools: { "local.sum": localSum } });
  const mcpChain = chain("test.sum");
  const localChain = chain("local.sum");
  await runChain(mcpExecutor, mcpChain); // warm-up
  await runChain(localExecutor, localChain);
  const mcpMs: number[] = [];
  const localMs: number[] = [];
  for (let r = 0; r < REPS; r++) {
    mcpMs.push(await runChain(mcpExecutor, mcpChain));
    localMs.push(await runChain(localExecutor, localChain));
  }
  const sum = servers.tools["test.sum"]!;
  const context = { signal: new AbortController().signal } as ToolContext;
  const loop = async (fn: (p: Record<string, unknown>, c: ToolContext) => unknown): Promise<number> => {
    const t0 = performance.now();
    for (let i = 0; i < LOOP; i++) await fn({ a: i, b: 1 }, context);
    return ((performance.now() - t0) / LOOP) * 1000;
  };
  const bareMcp: number[] = [];
  const bareLocal: number[] = [];
  for (let r = 0; r < REPS; r++) {
    bareMcp.push(await loop(sum));
    bareLocal.push(await loop(localSum));
  }
  const perStep = (xs: number[]) => xs.map((ms) => (ms / CHAIN) * 1000);
  report.push(
    "# MCP tools",
    "",
    `Node ${process.version}, ${os.cpus()[0]?.model.split(" ")[0] ?? "cpu"}, ${os.cpus().length} cores; load average ${num(os.loadavg()[0]!)} at start. Median of ${REPS} runs (min–max), interleaved.`,
    "",
    "## Per call",
    "",
    `A chain of ${CHAIN} steps, each waiting for the one before, calling the test server's \`sum\` over stdio against a local function returning the same; then the tool function alone, ${LOOP} awaited calls in a loop.`,
    "",
    table(
      ["", "MCP (stdio)", "local function", "added by MCP"],
      [
        [
          "per step of the chain (µs)",
          spread(perStep(mcpMs), 0),
          spread(perStep(localMs), 0),
          `${num(median(perStep(mcpMs)) - median(perStep(localMs)), 0)} (${num(median(mcpMs) / median(localMs), 1)}×)`,
        ],
        ["per bare call (µs)", spread(bareMcp, 0), spread(bareLocal, 1), `${num(median(bareMcp) - median(bareLocal), 0)}`],
      ],
    ),
    "",
  );
} finally {
  await servers.close();
}

log("start-up");
const configs: [string, Record<string, unknown>][] = [
  ["test server", { command: process.execPath, args: [TEST_SERVER] }],
  ["server-filesystem", { command: process.execPath, args: [server("server-filesystem"), dir] }],
  ["server-memory", { command: process.execPath, args: [server("server-memory")], env: { MEMORY_FILE_PATH: path.join(dir, "m.jsonl") } }],
  ["server-everything", { command: process.execPath, args: [server("server-everything")] }],
];
const spawnMs: number[] = [];
const startMs = new Map<string, number[]>(configs.map(([name]) => [name, []]));
for (let r = 0; r < REPS; r++) {
  const t0 = performance.now();
  spawnSync(process.execPath, ["-e", ""]);
  spawnMs.push(performance.now() - t0);
  for (const [name, config] of configs) {
    const t1 = performance.now();
    const started = await startMcpServers({ mcpServers: { s: config } });
    startMs.get(name)!.push(performance.now() - t1);
    if (started.list().length === 0) throw new Error(`${name} listed no tools`);
    await started.close();
  }
}
report.push(
  "## Start-up",
  "",
  'startMcpServers of one server: spawn, `initialize`, `tools/list` (what `weave run --mcp` waits for before the run; several servers start in parallel), against spawning `node -e ""` and waiting for it to exit.',
  "",
  table(
    ["server", "start (ms)", '÷ node -e ""'],
    [
      ['node -e "" (baseline)', spread(spawnMs, 0), "1"],
      ...configs.map(([name]) => [name, spread(startMs.get(name)!, 0), num(median(startMs.get(name)!) / median(spawnMs), 1)]),
    ],
  ),
  "",
  `Benchmark wall time: ${((performance.now() - started) / 1000).toFixed(1)} s.`,
  "",
);
rmSync(dir, { recursive: true, force: true });

const text = report.join("\n");
process.stdout.write(text);
const resultsDir = new URL("./results/", import.meta.url);
mkdirSync(resultsDir, { recursive: true });
writeFileSync(new URL("mcp.md", resultsDir), text);
log(`wrote ${fileURLToPath(new URL("mcp.md", resultsDir))}`);
process.exit(0);

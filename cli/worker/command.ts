/**
 * @module `weave worker --redis <url> --tools <module>`: a process that runs the steps of distributed runs (`weave run
 * <file> --redis <url>`): it takes step jobs from the Redis queue and calls the tools of a tools module, printing a
 * line per job. SIGINT/SIGTERM stop it gracefully: no new jobs, running ones finish (up to `--grace`), then the rest go
 * back to the queue for another worker; a second signal sends them back at once. While Redis is unreachable, a signal
 * stops it at once: its running jobs are abandoned (BullMQ finds them stalled once Redis is back). With
 * `WEAVE_PAYLOAD_KEY` set (as for the coordinator), it opens sealed jobs and seals their results.
 */
import type { Command } from "commander";
import { bindTools } from "../../dsl/bind-tools.js";
import type { AnyTool } from "../../dsl/tool.js";
import type { Tools } from "../../src/executor/types.js";
import { checkRedisUrl, DEFAULT_REDIS_TIMEOUT_MS, redactRedisUrl, RedisUnavailableError } from "../../adapters/redis/connection.js";
import { DEFAULT_PREFIX, DEFAULT_QUEUE } from "../../adapters/redis/job.js";
import { PAYLOAD_KEY_ENV } from "../../adapters/redis/payload-seal.js";
import { StepWorker, type WorkerJobEvent } from "../../adapters/redis/worker.js";
import { payloadKeyFromEnv, parseRedisTimeout, redisUnavailableHints } from "../run/distributed-run.js";
import { palette as makePalette, shouldUseColor, type Palette } from "../shared/color.js";
import { formatDuration, oneLine, truncate } from "../shared/format.js";
import { exportedWorkflows } from "../load/find-workflow.js";
import { loadTools } from "../load/load-tools.js";
import { loadWorkflowModule } from "../load/load-workflow-module.js";
import { EXIT } from "../exit-codes.js";
import { UserError } from "../../src/util/user-error.js";
import { startRunMcp, withRunMcp } from "../run/mcp-servers.js";

export interface WorkerOptions {
  redis: string;
  /** A tools module or workflow file; with `mcp`, optional. */
  tools?: string;
  /** `--mcp <.mcp.json>`: MCP servers started for the worker's jobs, their tools callable as `<server>.<tool>`. */
  mcp?: string;
  concurrency?: number;
  queue?: string;
  prefix?: string;
  grace?: number;
  lockDuration?: number;
  stalledInterval?: number;
  redisTimeout?: number;
  json?: boolean;
}

const HELP_AFTER = `
Examples:
  $ weave worker --redis redis://127.0.0.1:6379 --tools ./tools.ts --concurrency 4
  $ weave worker --redis redis://127.0.0.1:6379 --mcp .mcp.json          (the tools of MCP servers, <server>.<tool>)
  $ weave run deploy.json --tools ./tools.ts --redis redis://127.0.0.1:6379     (the coordinator)

Start as many workers as you like, on any machine that reaches Redis; each takes step jobs from the queue
(--queue, default "steps") and runs them with the functions of its tools module (the same kind of module as
weave run --tools: a default export mapping tool names to functions), or of a workflow file (its workflows' tools,
each call's input and result checked by the tool's schemas as weave run does). A worker prints a line per job:
  ✔ 12:00:01.234  deploy #1  kubectl_apply  52 ms  run 3f2a…
--json prints one JSON object per line instead.

A worker that dies (kill -9, a lost machine) loses nothing: its jobs are put back in the queue by another worker
once their lock lapses (--lock-duration, then within --stalled-interval) and run again, so a tool may run twice
for the same step: its context carries idempotencyKey for that. SIGINT or SIGTERM stops a worker gracefully: it
takes no new jobs and lets running ones finish for up to --grace ms, then gives the rest back to the queue
(another worker takes them at once; the step's attempt count is unchanged). A second signal gives them back at once.

Redis. A worker that cannot reach Redis when it starts exits with code 2, naming the URL, after --redis-timeout ms
(default 10 s). A running worker rides out an outage: it says so, reconnects when Redis is back and goes on. A signal
while Redis is unreachable stops it at once (code 1 if jobs were running: they are abandoned, and BullMQ finds
them stalled once Redis is back, as for a worker that died).

Secrets. A run with secret inputs (secret() / writeOnly, weave run --secret) goes through Redis only with the
environment variable WEAVE_PAYLOAD_KEY set to the same passphrase for the coordinator (weave run/resume --redis)
and every worker: each job's parameters, the run's secret values and the tool's result then travel encrypted
(AES-256-GCM), so Redis keeps none of them in clear, and the worker masks the secrets in the failures it reports
and the lines it prints. A worker without the key, or with another one, fails such jobs (not retried), saying so;
with a key, it still runs the jobs of coordinators without one. The key is never a flag: a command line is
visible to the other users of the machine.
  $ WEAVE_PAYLOAD_KEY="$(cat /run/secrets/weave-key)" weave worker --redis redis://10.0.0.5:6379 --tools ./tools.ts
`;

export function addWorkerCommand(program: Command, onExit: (code: number) => void): void {
  program
    .command("worker")
    .description("run the steps of distributed runs (weave run --redis): take step jobs from Redis and call the tools of a module")
    .requiredOption("--redis <url>", "Redis URL: redis://[user:password@]host:port[/db] (rediss:// for TLS)", parseRedisUrl)
    .option(
      "--tools <module>",
      "module whose default export maps tool names to functions (.js or .ts), as for weave run --tools; or a workflow file, whose workflows' tools run validated by their schemas",
    )
    .option(
      "--mcp <file>",
      "start the MCP servers of this .mcp.json and run the jobs of their tools (<server>.<tool>); they stop with the worker",
    )
    .option("--concurrency <n>", "jobs this worker runs at once (default: 1)", (text) => parseInteger(text, "--concurrency", 1))
    .option("--queue <name>", `queue of step jobs, as the coordinator's --queue (default: ${DEFAULT_QUEUE})`)
    .option("--prefix <prefix>", `Redis key prefix (default: ${DEFAULT_PREFIX})`)
    .option(
      "--grace <ms>",
      "on SIGINT/SIGTERM, how long running jobs may take to finish before going back to the queue (default: 10000)",
      (text) => parseInteger(text, "--grace", 0),
    )
    .option(
      "--lock-duration <ms>",
      "a job's lock without renewal: how soon a dead worker's job can be taken over (default: 30000)",
      (text) => parseInteger(text, "--lock-duration", 100),
    )
    .option("--stalled-interval <ms>", "how often this worker looks for jobs of dead workers (default: 30000)", (text) =>
      parseInteger(text, "--stalled-interval", 100),
    )
    .option(
      "--redis-timeout <ms>",
      `how long to keep trying to reach Redis at start before exiting with code 2 (default: ${DEFAULT_REDIS_TIMEOUT_MS})`,
      parseRedisTimeout,
    )
    .option("--json", "one JSON object per line per job event, instead of text")
    .addHelpText("after", HELP_AFTER)
    .action(async (options: WorkerOptions) => onExit(await runWorker(options)));
}

function parseRedisUrl(text: string): string {
  try {
    return checkRedisUrl(text);
  } catch (error) {
    throw new UserError(`--redis: ${(error as Error).message}`);
  }
}

function parseInteger(text: string, flag: string, min: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new UserError(`${flag} must be an integer of at least ${min}, got "${text}"`);
  return n;
}

/** Runs until SIGINT/SIGTERM. @returns the exit code */
export async function runWorker(options: WorkerOptions): Promise<number> {
  const payloadKey = payloadKeyFromEnv();
  if (options.tools === undefined && options.mcp === undefined)
    throw new UserError("a worker needs tools to run: --tools <module> (or a workflow file), --mcp <.mcp.json>, or both");
  const mcp = await startRunMcp(options.mcp, "weave worker", [], false);
  return withRunMcp(mcp, async () =>
    work(options, payloadKey, options.tools === undefined ? mcp!.tools : await loadWorkerTools(options.tools, mcp?.tools)),
  );
}

async function work(options: WorkerOptions, payloadKey: string | undefined, tools: Tools): Promise<number> {
  const json = options.json ?? false;
  const colors = makePalette(!json && shouldUseColor(process.stdout, process.env));
  const write = (text: string): void => void process.stdout.write(`${text}\n`);
  const grace = options.grace ?? 10_000;
  const worker = new StepWorker({
    redis: options.redis,
    tools,
    ...(options.queue === undefined ? {} : { queue: options.queue }),
    ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    ...(options.lockDuration === undefined ? {} : { lockDurationMs: options.lockDuration }),
    ...(options.stalledInterval === undefined ? {} : { stalledIntervalMs: options.stalledInterval }),
    ...(options.redisTimeout === undefined ? {} : { redisTimeoutMs: options.redisTimeout }),
    ...(payloadKey === undefined ? {} : { payloadKey }),
    onJob: (event) => {
      if (json) return write(JSON.stringify(jsonEvent(event)));
      const line = formatJobLine(event, colors);
      if (line !== undefined) write(line);
    },
    onError: warnOnce(),
    onConnection: ({ up, url, reason }) => {
      if (up) notice(json, `Redis at ${url} is back: taking jobs again`, { event: "reconnected", pid: process.pid });
      else {
        const running = worker.running;
        notice(
          json,
          `lost the connection to Redis at ${url} (${reason}): reconnecting${running > 0 ? `; ${running} running job${running === 1 ? "" : "s"} cannot report back until it is back` : ""}. SIGTERM/SIGINT stops at once`,
          {
            event: "disconnected",
            reason,
            pid: process.pid,
          },
        );
      }
    },
  });
  let ready = false;
  const stopped = new Promise<number>((resolve) => {
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals): void => {
      signals++;
      // still connecting (Redis unreachable?): nothing is running, nothing to give back
      if (!ready) process.exit(EXIT.interrupted);
      if (signals === 1) {
        const running = worker.running;
        if (!worker.redisReachable) notice(json, `${signal}: stopping at once: Redis at ${redactRedisUrl(options.redis)} is unreachable`);
        else
          notice(
            json,
            `${signal}: stopping. no new jobs${running > 0 ? `; ${running} running may finish within ${formatDuration(grace)}, then go back to the queue (${signal} again: at once)` : ""}`,
          );
        void worker.stop(grace).then(
          ({ abandoned }) => {
            if (abandoned === 0) return resolve(EXIT.completed);
            notice(
              json,
              `Redis at ${redactRedisUrl(options.redis)} is unreachable: abandoned ${abandoned} running job${abandoned === 1 ? "" : "s"}; once Redis is back, another worker takes ${abandoned === 1 ? "it" : "them"} over when ${abandoned === 1 ? "its" : "their"} lock lapses (stalled jobs)`,
            );
            resolve(EXIT.failed);
          },
          (error: unknown) => {
            notice(json, `could not stop cleanly: ${error instanceof Error ? error.message : String(error)}`);
            resolve(EXIT.failed);
          },
        );
      } else if (signals === 2) {
        notice(json, `${signal}: giving the running jobs back to the queue now`);
        worker.release(`the worker was stopped (${signal})`);
      } else {
        process.exit(EXIT.interrupted);
      }
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
  try {
    await worker.waitUntilReady();
  } catch (error) {
    if (error instanceof RedisUnavailableError) throw new UserError(error.message, redisUnavailableHints());
    throw error;
  }
  ready = true;
  const names = Object.keys(tools).sort();
  notice(
    json,
    `worker ${worker.name} taking jobs from queue "${worker.queueName}" on ${redactRedisUrl(options.redis)} (concurrency ${options.concurrency ?? 1}); tools: ${names.join(", ") || "none"}; ${payloadKey === undefined ? `no ${PAYLOAD_KEY_ENV}: encrypted jobs (runs with secret inputs) fail here` : `encrypted jobs opened with ${PAYLOAD_KEY_ENV}`}`,
    {
      event: "ready",
      worker: worker.name,
      queue: worker.queueName,
      tools: names,
      concurrency: options.concurrency ?? 1,
      payloadKey: payloadKey !== undefined,
      pid: process.pid,
    },
  );
  const code = await stopped;
  notice(json, "stopped", { event: "stopped", pid: process.pid });
  return code;
}

/**
 * The functions a worker runs: a tools module's default export; or, for a workflow file (a module without a default
 * export that exports workflows), the tools of its workflows with a `run`, checking input and result by their schemas.
 */
export async function loadWorkerTools(specifier: string, mcpTools?: Tools): Promise<Tools> {
  try {
    // a tool of the module replaces an MCP tool of the same name
    return { ...mcpTools, ...(await loadTools(specifier)) };
  } catch (error) {
    if (!(error instanceof UserError) || !error.message.endsWith("has no default export")) throw error;
    const workflows = exportedWorkflows((await loadWorkflowModule(specifier)).exports);
    if (workflows.length === 0) throw error;
    const tools = new Map<string, AnyTool>();
    for (const { workflow } of workflows) for (const [name, t] of workflow.tools) tools.set(name, t);
    // the MCP tools implement the workflows' <server>.<tool> tools (checked by their schemas), and run as they are
    return bindTools(tools, mcpTools);
  }
}

/** A line to stderr; with --json, also an event to stdout. */
function notice(json: boolean, text: string, event?: Record<string, unknown>): void {
  if (json && event) process.stdout.write(`${JSON.stringify(event)}\n`);
  process.stderr.write(`weave worker: ${text}\n`);
}

function warnOnce(): (error: Error) => void {
  const said = new Set<string>();
  return (error) => {
    if (said.has(error.message)) return;
    said.add(error.message);
    process.stderr.write(`weave worker: warning: ${error.message}\n`);
  };
}

function clock(time: number): string {
  const d = new Date(time);
  const pad = (n: number, w = 2): string => String(n).padStart(w, "0");
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

const shortRun = (runId: string): string => truncate(runId, 13);

/** One line per finished job (started jobs print nothing: the line comes when it is done). */
export function formatJobLine(event: WorkerJobEvent, colors: Palette): string | undefined {
  if (event.type === "started") return undefined;
  if (event.type === "stalled")
    return `${colors.yellow("⚠")} ${colors.dim(clock(event.time))}  job ${event.jobId}: its worker stopped answering; put back in the queue`;
  const { job } = event;
  const where = `${job.stepId} #${job.attempt}  ${colors.dim(job.toolName)}  ${formatDuration(event.durationMs)}  ${colors.dim(`run ${shortRun(job.runId)}`)}`;
  if (event.type === "completed") return `${colors.green("✔")} ${colors.dim(clock(event.time))}  ${where}`;
  if (event.type === "released")
    return `${colors.yellow("↩")} ${colors.dim(clock(event.time))}  ${where}  ${colors.yellow("given back to the queue")}`;
  if (event.type === "abandoned")
    return `${colors.yellow("⚠")} ${colors.dim(clock(event.time))}  ${where}  ${colors.yellow("abandoned: Redis is unreachable")}`;
  return `${colors.red("✖")} ${colors.dim(clock(event.time))}  ${where}  ${colors.red(truncate(oneLine(event.error), 200))}`;
}

function jsonEvent(event: WorkerJobEvent): Record<string, unknown> {
  if (event.type === "stalled") return { event: "stalled", jobId: event.jobId, time: event.time, pid: process.pid };
  const { job } = event;
  return {
    event: event.type,
    jobId: event.jobId,
    runId: job.runId,
    stepId: job.stepId,
    attempt: job.attempt,
    toolName: job.toolName,
    ...("durationMs" in event ? { durationMs: event.durationMs } : {}),
    ...(event.type === "failed" ? { error: event.error } : {}),
    time: event.time,
    pid: process.pid,
  };
}

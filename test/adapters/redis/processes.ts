/** Real `weave worker` processes for the multi-process tests, speaking --json on stdout. */
import { spawn, type ChildProcess } from "node:child_process";
import { cleanEnv, ROOT, WEAVE } from "../../cli/weave-process.js";

export interface JobEvent {
  event: string;
  jobId?: string;
  runId?: string;
  stepId?: string;
  attempt?: number;
  pid: number;
  [key: string]: unknown;
}

export interface WorkerProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Every JSON event it printed so far. */
  readonly events: JobEvent[];
  /** All it printed on stdout so far, as printed. */
  stdout(): string;
  stderr(): string;
  /** Resolves with the first event (past or future) that matches. */
  waitFor(match: (event: JobEvent) => boolean, timeoutMs?: number): Promise<JobEvent>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** @param env more environment variables (WEAVE_PAYLOAD_KEY) */
export function startWorker(args: readonly string[], cwd = ROOT, env: Record<string, string> = {}): WorkerProcess {
  const child = spawn(process.execPath, [WEAVE, "worker", "--json", ...args], {
    cwd,
    env: cleanEnv(env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  const events: JobEvent[] = [];
  const waiters: { match: (e: JobEvent) => boolean; resolve: (e: JobEvent) => void }[] = [];
  let buffer = "";
  let output = "";
  let errors = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    output += chunk.toString();
    buffer += chunk.toString();
    for (let nl = buffer.indexOf("\n"); nl >= 0; nl = buffer.indexOf("\n")) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (!line.trim()) continue;
      const event = JSON.parse(line) as JobEvent;
      events.push(event);
      for (const w of [...waiters]) {
        if (w.match(event)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(event);
        }
      }
    }
  });
  child.stderr!.on("data", (chunk: Buffer) => void (errors += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    pid: child.pid!,
    events,
    stdout: () => output,
    stderr: () => errors,
    exited,
    waitFor(match, timeoutMs = 15_000) {
      const found = events.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`worker ${child.pid}: no matching event within ${timeoutMs} ms. stderr: ${errors}`)),
          timeoutMs,
        );
        waiters.push({ match, resolve: (e) => (clearTimeout(timer), resolve(e)) });
      });
    },
  };
}

/** Stops a worker gracefully (SIGTERM) and waits for it; SIGKILL after `ms`. */
export async function stopWorker(worker: WorkerProcess, ms = 10_000): Promise<void> {
  if (worker.child.exitCode !== null || worker.child.signalCode !== null) return;
  worker.child.kill("SIGTERM");
  const timer = setTimeout(() => worker.child.kill("SIGKILL"), ms);
  await worker.exited;
  clearTimeout(timer);
}

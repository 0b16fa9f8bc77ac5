/**
 * An engine the runtime test suites (test/src/executor/suites) run on: how a test makes its executor, and the few ways in
 * which engines may legitimately differ. `inProcess` is here; the distributed engine (BullMQ workers on a real Redis)
 * is in test/adapters/redis/engines.ts, and test/adapters/redis/semantics.test.ts runs every suite on it.
 */
import { WorkflowExecutor, type WorkflowExecutorOptions } from "toolweave";

export interface Engine {
  readonly name: string;
  /** A `new WorkflowExecutor(options)` whose tool calls run where this engine runs them. */
  executor(options?: WorkflowExecutorOptions): WorkflowExecutor;
  /** Slack for wall-clock upper bounds: what a few hops through the queue may add. */
  readonly slackMs: number;
  /**
   * Checks what a tool saw of its signal's abort (a timeout, a cancellation, failFast) once the run has settled the
   * attempt. In-process the run aborts the tool's signal before it settles the attempt, so `check` must hold at once;
   * a tool running elsewhere learns of the abort a moment later (through Redis), so there it is awaited.
   */
  toolSawAbort(check: () => void): Promise<void>;
  /** Closes what `executor` opened (each suite calls it after each test). */
  cleanup(): Promise<void>;
}

export const inProcess: Engine = {
  name: "in-process",
  executor: (options = {}) => new WorkflowExecutor(options),
  slackMs: 0,
  toolSawAbort: async (check) => check(),
  cleanup: async () => undefined,
};

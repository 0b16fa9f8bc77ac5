/**
 * @module Errors a tool raises where nobody can catch them: a promise it rejects and never awaits, a timer callback
 * that throws. Node hands them to the process (`unhandledRejection`, `uncaughtException`), which in the CLI used to
 * end the whole run as an "internal error". A process that owns those handlers (the `weave` CLI) turns on tracking:
 * each tool call then runs in an AsyncLocalStorage scope that follows its async work, so the handler can ask which
 * attempt a stray error came from and fail that step alone. Off by default (a library does not own the process's
 * handlers, and the scope costs a little per call).
 */
import { AsyncLocalStorage } from "node:async_hooks";

/** The attempt a stray error belongs to. */
export interface RunningAttempt {
  readonly runId: string;
  readonly stepId: string;
  readonly attempt: number;
  /** Fails the attempt with `error`; false when it had already settled (the error came after it finished). */
  fail(error: unknown): boolean;
}

/**
 * One storage per process, kept on globalThis: the CLI's bundle and the toolweave a workflow file imports may be two
 * copies of this module (a checkout's sources, another installed version), and both must see the same scopes.
 */
const SCOPES = Symbol.for("toolweave.toolCallScopes");
const holder = globalThis as { [SCOPES]?: AsyncLocalStorage<RunningAttempt> };

/** Turns tracking on for this process (idempotent). */
export function trackToolCalls(): void {
  holder[SCOPES] ??= new AsyncLocalStorage();
}

/** Runs a tool call in its attempt's scope when tracking is on; `scope` is made only then. */
export function inAttempt<T>(scope: () => RunningAttempt, call: () => T): T {
  const scopes = holder[SCOPES];
  return scopes === undefined ? call() : scopes.run(scope(), call);
}

/** The attempt whose async work is running now (in a process error handler: the one that raised the error). */
export function currentAttempt(): RunningAttempt | undefined {
  return holder[SCOPES]?.getStore();
}

/** Whether tracking is on in this process. */
export function trackingToolCalls(): boolean {
  return holder[SCOPES] !== undefined;
}

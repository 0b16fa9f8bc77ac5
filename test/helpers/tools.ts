/** Test tools whose completion the test controls, and a recorder of what ran. */
import type { ExecutionEvent, ToolContext } from "toolweave";

export interface Gate {
  /** Resolves the call currently waiting for this step id. */
  release(stepId: string, value?: unknown): void;
  fail(stepId: string, error: Error): void;
  /** Step ids whose calls are waiting, in start order. */
  readonly waiting: string[];
  tool: (params: Record<string, unknown>, ctx: ToolContext) => Promise<unknown>;
  /** Waits until `stepId` has started (the scheduler runs in microtasks and timers). */
  started(stepId: string): Promise<void>;
}

export function gate(): Gate {
  const pending = new Map<string, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const listeners = new Map<string, () => void>();
  const waiting: string[] = [];
  return {
    waiting,
    release(stepId, value = { ok: stepId }) {
      const p = pending.get(stepId);
      if (!p) throw new Error(`step ${stepId} is not waiting (waiting: ${waiting.join(", ")})`);
      pending.delete(stepId);
      waiting.splice(waiting.indexOf(stepId), 1);
      p.resolve(value);
    },
    fail(stepId, error) {
      const p = pending.get(stepId);
      if (!p) throw new Error(`step ${stepId} is not waiting`);
      pending.delete(stepId);
      waiting.splice(waiting.indexOf(stepId), 1);
      p.reject(error);
    },
    tool: (_params, ctx) =>
      new Promise((resolve, reject) => {
        pending.set(ctx.stepId, { resolve, reject });
        waiting.push(ctx.stepId);
        listeners.get(ctx.stepId)?.();
      }),
    started(stepId) {
      if (pending.has(stepId)) return Promise.resolve();
      return new Promise((resolve) => listeners.set(stepId, resolve));
    },
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Collects events; `order(type)` lists the step ids of one event type in order. */
export function events() {
  const all: ExecutionEvent[] = [];
  return {
    all,
    onEvent: (e: ExecutionEvent) => void all.push(e),
    order: (type: ExecutionEvent["type"]) => all.filter((e) => e.type === type).map((e) => ("stepId" in e ? e.stepId : e.type)),
  };
}

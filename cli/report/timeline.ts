/**
 * @module What happened to each step of one run, rebuilt from the executor's events: every attempt with its start,
 * end and error, the waits between retries, skips and their reasons; for a map step, the same for each of its items
 * (item-timeline.ts). Times are milliseconds from the run's start.
 */
import type { ExecutionEvent } from "../../src/executor/types.js";
import type { StepOutcome } from "../graph/to-dot.js";
import type { WorkflowTemplate } from "../../src/model/template.js";
import { type AttemptSpan, closeAttempts, type ItemTimeline, ItemTimelines } from "./item-timeline.js";

export type { AttemptSpan, ItemTimeline } from "./item-timeline.js";

export interface StepTimeline {
  readonly id: string;
  readonly toolName: string;
  /** Position in the template. */
  readonly index: number;
  readonly dependsOn: readonly string[];
  readonly status: StepOutcome;
  /** Empty for a map step: its attempts are its items'. */
  readonly attempts: readonly AttemptSpan[];
  /**
   * Set for a map step (`forEach`): its items that started or settled, in index order (a run stopped early leaves
   * some out); its start is its first item's, its end when its last settled.
   */
  readonly items?: readonly ItemTimeline[];
  /** A map step's list length, once known (0 for an empty list). */
  readonly itemCount?: number;
  /** When the first attempt started (or the step failed before one could, or was skipped). Unset: not reached. */
  readonly start?: number;
  readonly end?: number;
  /** First attempt's start to the end, retries included (the executor's figure). */
  readonly durationMs?: number;
  readonly error?: string;
  /** Why it was skipped. */
  readonly reason?: string;
  /** Completed in an earlier session of a resumed run: its result came back from the journal, nothing ran now. */
  readonly restored?: boolean;
}

export interface RunTimeline {
  readonly runId: string;
  /** `performance.now()` of the run's start in the process that ran it: with `performance.timeOrigin`, a date. */
  readonly origin: number;
  readonly durationMs: number;
  /** In template order. */
  readonly steps: readonly StepTimeline[];
}

interface Building {
  status: StepOutcome;
  attempts: { attempt: number; start: number; end?: number; outcome?: "completed" | "failed"; error?: string; retryDelayMs?: number }[];
  start?: number;
  end?: number;
  durationMs?: number;
  error?: string;
  reason?: string;
  restored?: boolean;
}

/**
 * @param runId the run to follow (events of sub-workflow runs carry their own); default: the first `run_started`'s
 * @param durationMs the run's wall time, when the events do not include `run_finished`
 */
export function buildTimeline(
  template: WorkflowTemplate,
  events: readonly ExecutionEvent[],
  runId?: string,
  durationMs?: number,
): RunTimeline {
  const id = runId ?? events.find((e) => e.type === "run_started")?.runId ?? events[0]?.runId ?? "";
  const own = events.filter((e) => e.runId === id);
  const started = own.find((e) => e.type === "run_started");
  const origin = started?.time ?? Math.min(...own.map((e) => e.time), 0);
  const at = (time: number): number => time - origin;
  const steps = new Map<string, Building>(template.steps.map((s) => [s.id, { status: "not-reached", attempts: [] }]));
  const items = new Map(template.steps.flatMap((s) => (s.forEach === undefined ? [] : [[s.id, new ItemTimelines()] as const])));

  let lastTime = 0;
  let finishedIn: number | undefined;
  for (const event of own) {
    lastTime = Math.max(lastTime, at(event.time));
    if (event.type === "run_finished") finishedIn = event.durationMs;
    if (!("stepId" in event)) continue;
    const step = steps.get(event.stepId);
    if (!step) continue;
    if (event.type === "item_finished" || ((event.type === "step_started" || event.type === "step_retried") && event.item !== undefined)) {
      const map = items.get(event.stepId) ?? items.set(event.stepId, new ItemTimelines()).get(event.stepId)!;
      map.apply(event, at(event.time));
      if (event.type === "step_started") step.start ??= at(event.time);
      continue;
    }
    const open = step.attempts.at(-1)?.end === undefined ? step.attempts.at(-1) : undefined;
    switch (event.type) {
      case "step_started":
        step.attempts.push({ attempt: event.attempt, start: at(event.time) });
        step.start ??= at(event.time);
        break;
      case "step_retried":
        if (open) Object.assign(open, { end: at(event.time), outcome: "failed", error: event.error, retryDelayMs: event.delayMs });
        break;
      case "step_finished": {
        const end = at(event.time);
        // it ran in an earlier session: a mark where it was restored, not a bar reaching back before this run
        if (event.restored) {
          Object.assign(step, { status: event.status, start: end, end, durationMs: event.durationMs, restored: true });
          break;
        }
        if (open) Object.assign(open, { end, outcome: event.status, ...(event.error === undefined ? {} : { error: event.error }) });
        Object.assign(step, { status: event.status, end, durationMs: event.durationMs, start: step.start ?? end - event.durationMs });
        if (event.error !== undefined) step.error = event.error;
        break;
      }
      case "step_skipped":
        Object.assign(step, { status: "skipped", start: at(event.time), end: at(event.time), reason: event.reason });
        break;
    }
  }

  const total = finishedIn ?? durationMs ?? lastTime;
  return {
    runId: id,
    origin,
    durationMs: total,
    steps: template.steps.map((s, index): StepTimeline => {
      const b = steps.get(s.id)!;
      // an attempt still open when the events end (a run that never finished) is drawn up to the end
      const attempts = closeAttempts(b.attempts, total);
      const map = items.get(s.id);
      // an empty list sends no item event: the step completed with none
      const itemCount = map === undefined ? undefined : (map.count ?? (b.status === "completed" ? 0 : undefined));
      return {
        id: s.id,
        toolName: s.toolName,
        index,
        dependsOn: [...new Set(s.dependsOn)],
        status: b.status,
        attempts,
        ...(map === undefined ? {} : { items: map.build(b.end ?? total) }),
        ...(itemCount === undefined ? {} : { itemCount }),
        ...(b.start === undefined ? {} : { start: b.start }),
        ...(b.end === undefined ? {} : { end: b.end }),
        ...(b.durationMs === undefined ? {} : { durationMs: b.durationMs }),
        ...(b.error === undefined ? {} : { error: b.error }),
        ...(b.reason === undefined ? {} : { reason: b.reason }),
        ...(b.restored ? { restored: true } : {}),
      };
    }),
  };
}

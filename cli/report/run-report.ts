/**
 * @module A run report from what a run leaves behind: the template, the executor's events and the result. Rebuilds
 * the timeline, finds the critical path, draws the DAG coloured by outcome (Graphviz, WebAssembly) and builds the page.
 */
import type { ExecutionEvent, ExecutionResult } from "../../src/executor/types.js";
import { buildGraph, longestChain } from "../graph/model.js";
import { inlineSvg, renderSvg } from "../graph/render-svg.js";
import { toDot, type StepOutcome } from "../graph/to-dot.js";
import type { WorkflowTemplate } from "../../src/model/template.js";
import { criticalPath } from "./critical-path.js";
import { buildReportPage } from "./page.js";
import { buildTimeline } from "./timeline.js";

/** Most steps in a chain drawn left to right: about as many boxes as fit across the page at full size. */
const MAX_RANKS_ACROSS = 5;

export interface RunReportInput {
  readonly template: WorkflowTemplate;
  /** The events of the run, as `onEvent` received them (events of other runs are ignored). */
  readonly events: readonly ExecutionEvent[];
  readonly result: ExecutionResult;
  /** When the run started. @default from `performance.timeOrigin` and the run's first event (same process) */
  readonly startedAt?: Date;
  /** Named in the footer, e.g. `toolweave 0.1.0`. */
  readonly generator?: string;
}

/** @returns the HTML page */
export async function renderRunReport(input: RunReportInput): Promise<string> {
  const { template, events, result } = input;
  const timeline = buildTimeline(template, events, result.runId, result.durationMs);
  const path = criticalPath(
    timeline.steps.map((s) => ({
      id: s.id,
      dependsOn: s.dependsOn,
      ran: s.status === "completed" || s.status === "failed",
      ...(s.start === undefined ? {} : { start: s.start }),
      ...(s.end === undefined ? {} : { end: s.end }),
    })),
  );
  const outcomes = new Map<string, StepOutcome>(timeline.steps.map((s) => [s.id, s.status]));
  const graph = buildGraph(template);
  // a page is wide: short graphs read best left to right; long chains top to bottom, so their text stays legible
  const direction = longestChain(graph) <= MAX_RANKS_ACROSS ? "LR" : "TB";
  const dagSvg = inlineSvg(await renderSvg(toDot(graph, { outcomes, criticalPath: path, title: false, io: false, direction })));
  const startedAt = input.startedAt ?? (events.length > 0 ? new Date(performance.timeOrigin + timeline.origin) : undefined);
  return buildReportPage({
    workflow: template.name,
    description: template.description,
    status: result.status,
    ...(result.error === undefined ? {} : { error: result.error }),
    parallelSpeedup: result.parallelSpeedup,
    ...(startedAt ? { startedAt } : {}),
    timeline,
    criticalPath: path,
    dagSvg,
    outputs: result.outputs,
    ...(input.generator ? { generator: input.generator } : {}),
  });
}

/**
 * @module What the executor refuses before anything runs, each with an error that says what to pass instead: an
 * executor's `concurrency`, a run's `timeoutMs`, something `execute` cannot run, and a template that is invalid or
 * has a step named like one of the variables. A durable run is checked before its journal is created, so nothing is
 * journaled for a run that would not start.
 */
import { analyzeTemplate, type TemplateAnalysis } from "../model/analyze.js";
import { makeIssue, WorkflowValidationError } from "../model/issues.js";
import type { WorkflowTemplate } from "../model/template.js";
import type { WorkflowContext } from "./context.js";
import { isExecutable } from "./executable.js";

/** @throws TypeError unless `concurrency` is a positive integer or Infinity */
export function checkConcurrency(concurrency: number): void {
  if (!(concurrency === Infinity || (Number.isInteger(concurrency) && concurrency > 0))) {
    throw new TypeError(`WorkflowExecutor.concurrency must be a positive integer or Infinity, got ${String(concurrency)}`);
  }
}

/** @throws TypeError unless `timeoutMs` is absent, null or a positive finite number */
export function checkTimeout(timeoutMs: unknown, name: string): void {
  if (timeoutMs === undefined || timeoutMs === null || (typeof timeoutMs === "number" && timeoutMs > 0 && Number.isFinite(timeoutMs)))
    return;
  throw new TypeError(
    `${name} must be a positive number of milliseconds or null, got ${typeof timeoutMs === "number" ? timeoutMs : typeof timeoutMs}`,
  );
}

/** A WorkflowTemplate of another copy of toolweave (instanceof fails across copies): used as it is. */
export function looksLikeTemplate(value: unknown): boolean {
  if (value === null || typeof value !== "object" || isExecutable(value)) return false;
  const t = value as { name?: unknown; steps?: unknown; validate?: unknown };
  return typeof t.name === "string" && Array.isArray(t.steps) && typeof t.validate === "function";
}

/** What `execute` throws for a value that is neither a template nor a DSL workflow: what it got, and what to pass. */
export function notAWorkflow(value: unknown): TypeError {
  return new TypeError(
    `execute() takes a WorkflowTemplate or a workflow made with workflow(), got ${describeValue(value)}. for a template file, pass WorkflowTemplate.fromJSON(json)`,
  );
}

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value !== "object") return typeof value;
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === "string" && name !== "Object" ? `a ${name}` : "a plain object (a template's JSON?)";
}

/** @throws WorkflowValidationError for an invalid template, or a variable named like a step */
export function checkTemplate(workflow: WorkflowTemplate, context: WorkflowContext): TemplateAnalysis {
  const analysis = analyzeTemplate(workflow);
  if (analysis.issues.length > 0) throw new WorkflowValidationError(workflow.name, analysis.issues);
  const conflicts = Object.keys(context.variables).filter((name) => analysis.graph.indexOf.has(name));
  if (conflicts.length > 0) {
    const issues = conflicts.map((name) =>
      makeIssue({ code: "name_conflict", stepId: name, variable: name, path: ["steps", analysis.graph.indexOf.get(name)!, "id"] }),
    );
    throw new WorkflowValidationError(workflow.name, issues);
  }
  return analysis;
}

/**
 * @module How `executor.execute()` runs a workflow that is not a bare template: a workflow made with the DSL's
 * `workflow()` carries its template, its tools and its sub-workflows, and hands them over under {@link EXECUTABLE}
 * (src/ does not import the DSL; the DSL implements this).
 */
import type { WorkflowTemplate } from "../model/template.js";
import type { Tools, WorkflowResolver } from "./types.js";

/** The key of {@link ExecutableWorkflow}'s method; `Symbol.for`, so two copies of toolweave agree on it. */
export const EXECUTABLE: unique symbol = Symbol.for("toolweave.executable") as never;

/** What running an {@link ExecutableWorkflow} needs. */
export interface Executable {
  readonly template: WorkflowTemplate;
  /** Its tools, bound (the DSL's validate their input and output), with `overrides` in place of their own `run`. */
  readonly tools: Tools;
  /** Its sub-workflows, by name. */
  readonly library: WorkflowResolver;
  /** Checks variables against its input schema; returns them as the run takes them (defaults filled). */
  input(variables: Readonly<Record<string, unknown>>): Record<string, unknown>;
}

/** A workflow `execute()` accepts besides a template: what the DSL's `workflow()` returns. */
export interface ExecutableWorkflow {
  readonly name: string;
  /** @param overrides implementations by tool name (the executor's tools and the call's), validated like its own */
  [EXECUTABLE](overrides: Tools): Executable;
}

export function isExecutable(value: unknown): value is ExecutableWorkflow {
  return (
    value !== null && typeof value === "object" && typeof (value as Partial<Record<typeof EXECUTABLE, unknown>>)[EXECUTABLE] === "function"
  );
}

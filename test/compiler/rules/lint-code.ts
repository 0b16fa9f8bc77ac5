/** Lints JSON code the way the rule tests and the corpus do (no vitest here, so scripts can use it too). */
import type { Diagnostic } from "../../../compiler/diagnostic.js";
import { readJsonTarget } from "../../../compiler/json-target.js";
import { lintTarget } from "../../../compiler/lint-engine.js";
import type { LintTarget, ToolInfo } from "../../../compiler/lint-target.js";
import { WorkflowGraph } from "../../../compiler/workflow-calls.js";

export type Code =
  | string
  | {
      readonly code: string;
      readonly name?: string;
      readonly tools?: ReadonlyMap<string, ToolInfo>;
      readonly origin?: "ts" | "json";
      /** Other workflows of the lint run (JSON templates), which sub-workflow steps can name. */
      readonly workflows?: readonly string[];
    };

/** Reads JSON code; with `tools`, it stands for a TypeScript workflow whose tools are known. */
export function targetOf(code: Code): { target?: LintTarget; diagnostics: Diagnostic[] } {
  const c = typeof code === "string" ? { code } : code;
  const read = readJsonTarget("test.json", c.code);
  if (!read.target || (!c.tools && !c.origin)) return read;
  return { ...read, target: { ...read.target, origin: c.origin ?? "ts", ...(c.tools ? { tools: c.tools } : {}) } };
}

/** Every diagnostic for `code`: the reader's, then the engine's (with the run's other workflows, if any). */
export function lintCode(code: Code): Diagnostic[] {
  const { target, diagnostics } = targetOf(code);
  const others = typeof code === "string" ? undefined : code.workflows;
  const workflows =
    target && others ? WorkflowGraph.of([target.template, ...others.map((text) => JSON.parse(text) as unknown)]) : undefined;
  return [...diagnostics, ...(target ? lintTarget(target, workflows ? { workflows } : {}) : [])];
}

/**
 * @module One pass that finds every problem of a template and produces what the executor needs to run it:
 * the dependency graph and each step's compiled parameters and condition. Cached per (immutable) template.
 */
import type { z } from "zod";
import type { CompiledValue } from "../placeholder/placeholders.js";
import { compileChecked, compileStep, type CompiledStep } from "./compile-step.js";
import { analyzeDependencies, type StepDependencies } from "./dependencies.js";
import { makeIssue, type TemplateIssue, type TemplateIssueData } from "./issues.js";
import { checkValues } from "./check-values.js";
import type { WorkflowTemplate } from "./template.js";
import { formatMessage } from "./issue-catalogue.js";
import { SCHEMA_MESSAGES, schemaProblems } from "./schema-issues.js";

export interface TemplateAnalysis {
  readonly graph: StepDependencies;
  readonly steps: readonly CompiledStep[];
  readonly outputs: CompiledValue | null;
  readonly issues: readonly TemplateIssue[];
}

const cache = new WeakMap<WorkflowTemplate, TemplateAnalysis>();

export function analyzeTemplate(template: WorkflowTemplate): TemplateAnalysis {
  let analysis = cache.get(template);
  if (!analysis) {
    analysis = computeAnalysis(template);
    cache.set(template, analysis);
  }
  return analysis;
}

function computeAnalysis(template: WorkflowTemplate): TemplateAnalysis {
  const issues: TemplateIssueData[] = checkValues(template);
  const { graph, issues: graphIssues } = analyzeDependencies(template.steps);
  issues.push(...graphIssues);
  const steps = template.steps.map(compileStep);
  for (const s of steps) issues.push(...s.issues);
  const outputs = template.outputs ? compileChecked(template.outputs, ["outputs"], undefined, issues) : null;
  const inputNames = inputVariableNames(template.inputs);
  template.steps.forEach((step, i) => {
    if (inputNames.has(step.id)) issues.push({ code: "name_conflict", stepId: step.id, variable: step.id, path: ["steps", i, "id"] });
  });
  return { graph, steps, outputs, issues: issues.map(makeIssue) };
}

/** The problems of a template that does not fit the schema, worded as lint words them (./schema-issues.ts). */
export function zodIssues(error: z.ZodError, raw: unknown): TemplateIssueData[] {
  return error.issues.flatMap((issue) =>
    schemaProblems(issue, raw).map(({ path, messageId, data }) => {
      const detail = formatMessage(SCHEMA_MESSAGES[messageId], data);
      const stepId = path[0] === "steps" && typeof path[1] === "number" ? stepIdAt(raw, path[1]) : undefined;
      return stepId === undefined
        ? { code: "invalid_field" as const, path, detail }
        : { code: "invalid_field" as const, path, detail, stepId };
    }),
  );
}

function stepIdAt(raw: unknown, index: number): string | undefined {
  const steps = (raw as { steps?: unknown })?.steps;
  const step = Array.isArray(steps) ? (steps[index] as { id?: unknown } | undefined) : undefined;
  return typeof step?.id === "string" ? step.id : undefined;
}

function inputVariableNames(inputs: Record<string, unknown> | undefined): Set<string> {
  const props = inputs?.properties;
  return new Set(props && typeof props === "object" ? Object.keys(props) : []);
}

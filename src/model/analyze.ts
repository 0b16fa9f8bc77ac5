/**
 * @module One pass that finds every problem of a template and produces what the executor needs to run it:
 * the dependency graph and each step's compiled parameters and condition. Cached per (immutable) template.
 */
import type { z } from "zod";
import { referencesOf, type CompiledValue } from "../placeholder/placeholders.js";
import { compileChecked, compileStep, ITEM_INDEX, type CompiledStep } from "./compile-step.js";
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
  issues.push(...itemNameIssues(template, steps, graph, inputNames));
  return { graph, steps, outputs, issues: issues.map(makeIssue) };
}

/**
 * A map step's item must not share a name with a step or a declared variable; a step that is not a map step must not
 * read `{{item}}` or `{{index}}` when nothing else has that name (with the template's inputs declared, so variables
 * are known).
 */
function itemNameIssues(
  template: WorkflowTemplate,
  steps: readonly CompiledStep[],
  graph: StepDependencies,
  inputNames: ReadonlySet<string>,
): TemplateIssueData[] {
  const issues: TemplateIssueData[] = [];
  template.steps.forEach((step, i) => {
    const map = steps[i]!.map;
    if (map) {
      for (const name of [map.itemName, ITEM_INDEX]) {
        const shadows = graph.indexOf.has(name) ? "step" : inputNames.has(name) ? "variable" : undefined;
        if (shadows !== undefined)
          issues.push({
            code: "invalid_map_step",
            stepId: step.id,
            path: ["steps", i, name === ITEM_INDEX ? "forEach" : "as"],
            problem: "itemShadows",
            name,
            shadows,
          });
      }
      return;
    }
    if (step.forEach !== undefined || template.inputs === undefined) return;
    const refs = referencesOf(steps[i]!.parameters).concat(steps[i]!.condition?.references ?? []);
    const read = refs.find((r) => (r.root === "item" || r.root === ITEM_INDEX) && !graph.indexOf.has(r.root) && !inputNames.has(r.root));
    if (read)
      issues.push({
        code: "invalid_map_step",
        stepId: step.id,
        path: ["steps", i, "parameters"],
        problem: "itemOutsideMap",
        name: read.root,
      });
  });
  return issues;
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

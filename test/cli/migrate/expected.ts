// What the DSL source of a migrated workflow must compile to: its migrated template, but for exactly the
// dependencies migration made explicit and the conditions it left out of the source.
import type { StepData, TemplateData } from "../../../src/model/schema.js";
import type { MigratedWorkflow } from "../../../cli/migrate/index.js";

export const withoutSource = (t: TemplateData): TemplateData => ({
  ...t,
  steps: t.steps.map(({ source: _source, ...step }) => step as StepData),
});

export function expectedSourceTemplate(w: MigratedWorkflow): TemplateData {
  const json = withoutSource(w.template.toJSON());
  const position = new Map(json.steps.map((s, i) => [s.id, i]));
  return {
    ...json,
    steps: json.steps.map((s) => {
      const extra = w.explicitDependencies.filter((d) => d.step === s.id).map((d) => d.on);
      const dependsOn = [...new Set([...s.dependsOn, ...extra])].sort((a, b) => position.get(a)! - position.get(b)!);
      return { ...s, dependsOn, condition: w.droppedConditions.includes(s.id) ? null : s.condition };
    }),
  };
}

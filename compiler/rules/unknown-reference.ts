/**
 * @module Rule `unknown-reference`: a `{{placeholder}}` whose root is neither a step nor an input variable. Checked
 * fully when the input variables are known (a DSL input schema, or `inputs.properties` in a template file). Without
 * them an unknown root may be a variable given at run time, so only what cannot be one is reported: a root one or two
 * edits from a step id (`{{biuld.image}}` beside a step `build`: a typo), and a workflow output that reads a field of
 * a root that is not a step (`"outputs": { "url": "{{deploy.url}}" }` with no step `deploy`).
 */
import { closest, editDistance, quoteList } from "../../src/util/closest-name.js";
import { isItemName, outputReferences, referencesOf, type ReferenceSite } from "../step-facts.js";
import { defineRule } from "./rule.js";

/**
 * The step id `name` is probably a typo of: one edit away (two for names of six characters or more), case ignored.
 * A root without a field must have four characters or more (`{{ab}}` beside a step `db` may well be a variable).
 */
export function nearStep(name: string, readsField: boolean, stepIds: Iterable<string>): string | undefined {
  if (!readsField && name.length < 4) return undefined;
  const suggestion = closest(name, stepIds);
  if (suggestion === undefined) return undefined;
  return editDistance(name.toLowerCase(), suggestion.toLowerCase()) <= (name.length >= 6 ? 2 : 1) ? suggestion : undefined;
}

export default defineRule({
  id: "unknown-reference",
  severity: "error",
  docs: {
    description: "Disallow a placeholder that names neither a step nor an input variable",
    bad: `{
  "name": "deploy",
  "inputs": { "type": "object", "properties": { "image": { "type": "string" } } },
  "steps": [
    { "id": "build", "toolName": "docker_build", "parameters": { "image": "{{imgae}}" } }
  ]
}`,
    good: `{
  "name": "deploy",
  "inputs": { "type": "object", "properties": { "image": { "type": "string" } } },
  "steps": [
    { "id": "build", "toolName": "docker_build", "parameters": { "image": "{{image}}" } }
  ]
}`,
  },
  messages: {
    didYouMean:
      '"{{placeholder}}" {{where}} refers to "{{name}}", which is neither a step nor an input variable. did you mean "{{suggestion}}"?',
    unknown:
      '"{{placeholder}}" {{where}} refers to "{{name}}", which is neither a step nor an input variable. inputs are {{inputs}}; steps are {{steps}}',
    likelyStepTypo:
      '"{{placeholder}}" {{where}} refers to "{{name}}", which is not a step, and the template declares no inputs. did you mean step "{{suggestion}}"? (if "{{name}}" is a variable given at run time, declare it in "inputs")',
    unknownOutputStep:
      '"{{placeholder}}" {{where}} reads a field of "{{name}}", which is not a step. steps are {{steps}} (if "{{name}}" is a variable given at run time, declare it in "inputs")',
  },
  create(context) {
    const inputs = context.target.inputs;
    let names: string[] | undefined; // steps and inputs, made once, at the first unknown reference
    const check = (site: ReferenceSite, where: string, stepId?: string): void => {
      const name = site.ref.root;
      if (context.stepById.has(name)) return;
      const base = { path: site.path, range: site.range, ...(stepId !== undefined ? { stepId } : {}) };
      if (!inputs) return checkUndeclared(site, where, base);
      if (inputs.has(name)) return;
      // `{{item}}` outside a map step: invalid-template says what it is for
      if (stepId !== undefined && isItemName(name)) return;
      const suggestion = closest(name, (names ??= [...context.stepById.keys(), ...inputs]));
      if (suggestion)
        context.report({ ...base, messageId: "didYouMean", data: { placeholder: context.written(site), where, name, suggestion } });
      else
        context.report({
          ...base,
          messageId: "unknown",
          data: { placeholder: context.written(site), where, name, inputs: quoteList(inputs), steps: quoteList(context.stepById.keys()) },
        });
    };
    /** No inputs declared: any root may be a variable, except a near-miss of a step id, or a field read by an output. */
    const checkUndeclared = (
      site: ReferenceSite,
      where: string,
      base: { path: ReferenceSite["path"]; range: ReferenceSite["range"]; stepId?: string },
    ): void => {
      const name = site.ref.root;
      const suggestion = nearStep(name, site.ref.path.length > 0, context.stepById.keys());
      if (suggestion !== undefined) {
        context.report({ ...base, messageId: "likelyStepTypo", data: { placeholder: context.written(site), where, name, suggestion } });
      } else if (site.where === "outputs" && site.ref.path.length > 0) {
        context.report({
          ...base,
          messageId: "unknownOutputStep",
          data: { placeholder: context.written(site), where, name, steps: quoteList(context.stepById.keys()) },
        });
      }
    };
    return {
      step(step) {
        for (const site of referencesOf(step))
          check(site, site.where === "condition" ? `in the condition of step "${step.id}"` : `in step "${step.id}"`, step.id);
      },
      after() {
        for (const site of outputReferences(context.target.template)) check(site, `in output "${String(site.path[1])}"`);
      },
    };
  },
});

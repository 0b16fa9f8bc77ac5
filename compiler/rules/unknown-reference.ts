/**
 * @module Rule `unknown-reference`: a `{{placeholder}}` whose root is neither a step nor an input variable. Checked
 * fully when the input variables are known (a DSL input schema, or `inputs.properties` in a template file). Without
 * them any unknown root may be a variable given at run time, so only a likely typo is reported, as a warning: a
 * root one or two edits from a step id that reads a field (`{{biuld.image}}` beside a step `build`).
 */
import { closest, quoteList } from "../../src/util/closest-name.js";
import { outputReferences, referencesOf, type ReferenceSite } from "../step-facts.js";
import { defineRule } from "./rule.js";

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
    didYouMean: '"{{placeholder}}" {{where}} refers to "{{name}}", which is neither a step nor an input variable. did you mean "{{suggestion}}"?',
    unknown: '"{{placeholder}}" {{where}} refers to "{{name}}", which is neither a step nor an input variable. inputs are {{inputs}}; steps are {{steps}}',
    likelyStepTypo:
      '"{{placeholder}}" {{where}} reads a field of "{{name}}", which is not a step, and the template declares no inputs. did you mean step "{{suggestion}}"? (if "{{name}}" is a variable given at run time, declare it in "inputs")',
  },
  create(context) {
    const inputs = context.target.inputs;
    let names: string[] | undefined; // steps and inputs, made once, at the first unknown reference
    const check = (site: ReferenceSite, where: string, stepId?: string): void => {
      const name = site.ref.root;
      if (context.stepById.has(name)) return;
      if (!inputs) return checkLikelyTypo(site, where, stepId);
      if (inputs.has(name)) return;
      const suggestion = closest(name, (names ??= [...context.stepById.keys(), ...inputs]));
      const base = { path: site.path, range: site.range, ...(stepId !== undefined ? { stepId } : {}) };
      if (suggestion) context.report({ ...base, messageId: "didYouMean", data: { placeholder: site.placeholder, where, name, suggestion } });
      else context.report({ ...base, messageId: "unknown", data: { placeholder: site.placeholder, where, name, inputs: quoteList(inputs), steps: quoteList(context.stepById.keys()) } });
    };
    const checkLikelyTypo = (site: ReferenceSite, where: string, stepId?: string): void => {
      if (site.ref.path.length === 0) return;
      const suggestion = closest(site.ref.root, context.stepById.keys());
      if (suggestion === undefined) return;
      context.report({
        path: site.path,
        range: site.range,
        ...(stepId !== undefined ? { stepId } : {}),
        messageId: "likelyStepTypo",
        severity: "warning",
        data: { placeholder: site.placeholder, where, name: site.ref.root, suggestion },
      });
    };
    return {
      step(step) {
        for (const site of referencesOf(step)) check(site, site.where === "condition" ? `in the condition of step "${step.id}"` : `in step "${step.id}"`, step.id);
      },
      after() {
        for (const site of outputReferences(context.target.template)) check(site, `in output "${String(site.path[1])}"`);
      },
    };
  },
});

/**
 * @module Rule `invalid-template`: the template does not have the shape of the schema (wrong types, empty names,
 * unknown keys...), or a `{{placeholder}}` in its parameters or outputs does not parse. JSON syntax errors are
 * reported under the same id by the JSON reader. A key of the original system's format that is accepted and ignored
 * (`parallel_groups`) is noted at info level.
 */
import { ISSUE_KINDS } from "../../src/model/issue-catalogue.js";
import { templateSchema } from "../../src/model/schema.js";
import { fieldOf, SCHEMA_MESSAGES, schemaProblems } from "../../src/model/schema-issues.js";
import { PlaceholderSyntaxError, parseText } from "../../src/placeholder/placeholders.js";
import { ITEM_INDEX } from "../../src/model/compile-step.js";
import { isItemName, referencesOf, stringsIn } from "../step-facts.js";
import { defineRule, type StepView } from "./rule.js";

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** The path of the most deeply nested object or array of a value (the first of equals), found without recursion. */
function deepestPath(value: unknown): { path: (string | number)[]; depth: number } {
  interface Frame {
    readonly value: unknown;
    readonly key: string | number;
    readonly parent: Frame | undefined;
    readonly depth: number;
  }
  let deepest: Frame | undefined;
  const stack: Frame[] = [{ value, key: "", parent: undefined, depth: 0 }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const v = frame.value;
    if (!Array.isArray(v) && !isObject(v)) continue;
    if (!deepest || frame.depth > deepest.depth) deepest = frame;
    const entries: [string | number, unknown][] = Array.isArray(v) ? v.map((x, i) => [i, x]) : Object.entries(v);
    for (let k = entries.length - 1; k >= 0; k--)
      stack.push({ value: entries[k]![1], key: entries[k]![0], parent: frame, depth: frame.depth + 1 });
  }
  const path: (string | number)[] = [];
  for (let f = deepest; f?.parent; f = f.parent) path.push(f.key);
  return { path: path.reverse(), depth: deepest?.depth ?? 0 };
}

/** A map step's fields (`forEach`, `as`, `concurrency`), and `{{item}}` read outside one: what validate() finds. */
function checkMapSteps(
  template: unknown,
  steps: readonly StepView[],
  report: (problem: {
    path: readonly (string | number)[];
    messageId: keyof typeof ISSUE_KINDS.invalid_map_step.messages;
    data: Record<string, string>;
  }) => void,
): void {
  if (!isObject(template)) return;
  const ids = new Set(steps.map((s) => s.id));
  const properties = isObject(template.inputs) && isObject(template.inputs.properties) ? template.inputs.properties : undefined;
  const inputs = new Set(properties ? Object.keys(properties) : []);
  for (const step of steps) {
    const { forEach, as, concurrency } = step.raw;
    const at = (field: string): readonly (string | number)[] => ["steps", step.index, field];
    if (forEach === undefined) {
      const field = as !== undefined ? "as" : concurrency !== undefined ? "concurrency" : undefined;
      if (field) report({ path: at(field), messageId: "notMapStep", data: { step: step.id, field } });
      // with the inputs declared, `{{item}}` that names nothing is reported here rather than by unknown-reference
      if (!isObject(template.inputs)) continue;
      const read = referencesOf(step).find((s) => isItemName(s.ref.root) && !ids.has(s.ref.root) && !inputs.has(s.ref.root));
      if (read) report({ path: read.path, messageId: "itemOutsideMap", data: { step: step.id, placeholder: `{{${read.ref.root}}}` } });
      continue;
    }
    if (typeof forEach !== "string") continue;
    let parts: ReturnType<typeof parseText>;
    try {
      parts = parseText(forEach);
    } catch {
      continue; // reported as a malformed placeholder
    }
    if (parts.length !== 1 || typeof parts[0] === "string")
      report({ path: at("forEach"), messageId: "notOnePlaceholder", data: { step: step.id, value: JSON.stringify(forEach) } });
    for (const name of [typeof as === "string" ? as : "item", ITEM_INDEX]) {
      const shadows = ids.has(name) ? "step" : inputs.has(name) ? "variable" : undefined;
      if (shadows)
        report({ path: at(name === ITEM_INDEX ? "forEach" : "as"), messageId: "itemShadows", data: { step: step.id, name, shadows } });
    }
  }
}

export default defineRule({
  id: "invalid-template",
  severity: ISSUE_KINDS.invalid_placeholder.severity,
  docs: {
    description: "Require the template to match the workflow template schema and every placeholder to be well formed",
    bad: `{
  "name": "deploy",
  "steps": [
    { "id": "build", "toolName": "docker_build", "dependson": [], "maxRetries": -1, "parameters": { "image": "{{ image.}}" } }
  ]
}`,
    good: `{
  "name": "deploy",
  "steps": [
    { "id": "build", "toolName": "docker_build", "maxRetries": 1, "parameters": { "image": "{{image}}" } }
  ]
}`,
  },
  messages: {
    invalidJson: "invalid JSON: {{detail}}",
    ...SCHEMA_MESSAGES,
    invalidPlaceholder: ISSUE_KINDS.invalid_placeholder.messages.invalidPlaceholder,
    tooDeep: "{{field}} is nested {{depth}} levels deep here, deeper than a template can be checked or loaded. flatten the value",
    ...ISSUE_KINDS.invalid_map_step.messages,
    ignoredParallelGroups:
      '"parallel_groups" of the original format is ignored: toolweave runs each step as soon as its dependencies finish',
    ignoredParallelGroupsList:
      '"parallel_groups" of the original format is ignored: toolweave runs each step as soon as its own dependencies finish, not group by group. a step that needs a whole earlier group done must list those steps in depends_on',
  },
  create(context) {
    const template = context.target.template;

    const checkPlaceholders = (value: unknown, path: readonly (string | number)[]): void => {
      for (const s of stringsIn(value, path)) {
        try {
          parseText(s.text);
        } catch (error) {
          if (!(error instanceof PlaceholderSyntaxError)) throw error;
          const detail = error.message.replace(/ at column \d+/, "");
          const end = Math.min(error.offset + 1, s.text.length);
          context.report({
            path: s.path,
            range: { start: error.offset, end },
            messageId: "invalidPlaceholder",
            data: { field: fieldOf(template, s.path), detail },
          });
        }
      }
    };

    return {
      before() {
        let result: ReturnType<typeof templateSchema.safeParse> | undefined;
        try {
          result = templateSchema.safeParse(template);
        } catch (error) {
          // the schema's JSON values are checked recursively: thousands of levels exhaust the call stack
          if (!(error instanceof RangeError)) throw error;
          const { path, depth } = deepestPath(template);
          const field = fieldOf(template, path.slice(0, path[0] === "steps" ? 3 : 1));
          context.report({ path, messageId: "tooDeep", data: { field, depth } });
        }
        if (result && !result.success)
          for (const issue of result.error.issues) for (const problem of schemaProblems(issue, template)) context.report(problem);
        for (const { key, value } of context.target.ignoredKeys ?? []) {
          const listed = Array.isArray(value) && value.length > 0;
          if (key === "parallel_groups")
            context.report({ path: [key], messageId: listed ? "ignoredParallelGroupsList" : "ignoredParallelGroups", severity: "info" });
        }
        if (!isObject(template)) return;
        if (Array.isArray(template.steps))
          template.steps.forEach((step: unknown, i) => {
            if (!isObject(step)) return;
            checkPlaceholders(step.parameters, ["steps", i, "parameters"]);
            checkPlaceholders(step.forEach, ["steps", i, "forEach"]);
          });
        checkPlaceholders(template.outputs, ["outputs"]);
        checkMapSteps(template, context.steps, (problem) => context.report(problem));
      },
    };
  },
});

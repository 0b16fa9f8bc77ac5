/**
 * @module Rule `invalid-template`: the template does not have the shape of the schema (wrong types, empty names,
 * unknown keys...), or a `{{placeholder}}` in its parameters or outputs does not parse. JSON syntax errors are
 * reported under the same id by the JSON reader. A key of the original system's format that is accepted and ignored
 * (`parallel_groups`) is noted at info level.
 */
import type { z } from "zod";
import { fieldName, ISSUE_KINDS } from "../../src/model/issue-catalogue.js";
import { stepSchema, templateSchema } from "../../src/model/schema.js";
import { PlaceholderSyntaxError, parseText } from "../../src/template/placeholders.js";
import type { PathSegment } from "../../src/template/path.js";
import { closest, quoteList } from "../../src/util/closest-name.js";
import { stringsIn } from "../step-facts.js";
import { defineRule } from "./rule.js";

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** `3`, `"3"`, `null`, `an array`: a value as messages quote it. */
function describeValue(value: unknown): string {
  if (value === undefined) return "undefined";
  if (Array.isArray(value)) return "an array";
  if (isObject(value)) return "an object";
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}..."` : text;
}

const ARTICLE: Record<string, string> = {
  string: "a string",
  number: "a number",
  int: "an integer",
  boolean: "a boolean",
  array: "an array",
  object: "an object",
  record: "an object",
  null: "null",
};

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const seg of path) v = Array.isArray(v) || isObject(v) ? (v as Record<PropertyKey, unknown>)[seg as string] : undefined;
  return v;
}

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
    missingKey: "{{key}} is missing in {{owner}}. it is required",
    wrongType: "{{field}} must be {{expected}}, not {{actual}}",
    badValue: "{{field}} {{problem}}",
    unknownKey: "unknown key {{key}} in {{owner}}. allowed keys are {{allowed}}",
    unknownKeySuggest: "unknown key {{key}} in {{owner}}. did you mean {{suggestion}}?",
    invalidPlaceholder: ISSUE_KINDS.invalid_placeholder.messages.invalidPlaceholder,
    tooDeep: "{{field}} is nested {{depth}} levels deep here, deeper than a template can be checked or loaded. flatten the value",
    ignoredParallelGroups:
      '"parallel_groups" of the original format is ignored: toolweave runs each step as soon as its dependencies finish',
    ignoredParallelGroupsList:
      '"parallel_groups" of the original format is ignored: toolweave runs each step as soon as its own dependencies finish, not group by group. a step that needs a whole earlier group done must list those steps in depends_on',
  },
  create(context) {
    const template = context.target.template;

    /** Who owns a path: `step "build"`, `step #2` or `the template`, and the rest of the path. */
    const ownerOf = (path: readonly PropertyKey[]): { owner: string; rest: readonly PropertyKey[] } => {
      if (path[0] === "steps" && typeof path[1] === "number") {
        const step = valueAt(template, path.slice(0, 2));
        const id = isObject(step) && typeof step.id === "string" && step.id !== "" ? `step "${step.id}"` : `step #${path[1] + 1}`;
        return { owner: id, rest: path.slice(2) };
      }
      return { owner: "the template", rest: path };
    };
    const fieldOf = (path: readonly PropertyKey[]): string => {
      const { owner, rest } = ownerOf(path);
      return fieldName(rest as PathSegment[], owner === "the template" ? undefined : owner);
    };
    const jsonPath = (path: readonly PropertyKey[]) => path.filter((p): p is string | number => typeof p !== "symbol");

    const reportIssue = (issue: z.core.$ZodIssue): void => {
      const path = jsonPath(issue.path);
      const value = valueAt(template, path);
      const field = fieldOf(path);
      switch (issue.code) {
        case "unrecognized_keys": {
          const inStep = path[0] === "steps" && path.length === 2;
          const allowed = Object.keys(inStep ? stepSchema.shape : templateSchema.shape);
          for (const key of issue.keys) {
            const suggestion = closest(key, allowed);
            const { owner } = ownerOf(path);
            const at = [...path, key];
            if (suggestion)
              context.report({ path: at, messageId: "unknownKeySuggest", data: { key: `"${key}"`, owner, suggestion: `"${suggestion}"` } });
            else context.report({ path: at, messageId: "unknownKey", data: { key: `"${key}"`, owner, allowed: quoteList(allowed, 20) } });
          }
          return;
        }
        case "invalid_type": {
          if (value === undefined && path.length > 0) {
            const { owner } = ownerOf(path.slice(0, -1));
            context.report({ path, messageId: "missingKey", data: { key: `"${String(path[path.length - 1])}"`, owner } });
          } else {
            context.report({
              path,
              messageId: "wrongType",
              data: { field, expected: ARTICLE[issue.expected] ?? issue.expected, actual: describeValue(value) },
            });
          }
          return;
        }
        case "too_small":
        case "too_big": {
          let problem: string;
          if (issue.origin === "string" || issue.origin === "array")
            problem = `must not be empty${path.join(".") === "steps" ? ". a workflow needs at least one step" : ""}`;
          else {
            const bound = Number(issue.code === "too_small" ? issue.minimum : issue.maximum);
            const word =
              issue.code === "too_small" ? (issue.inclusive ? "at least" : "greater than") : issue.inclusive ? "at most" : "less than";
            problem = `must be ${word} ${bound}, not ${describeValue(value)}`;
          }
          context.report({ path, messageId: "badValue", data: { field, problem } });
          return;
        }
        case "invalid_value":
          context.report({
            path,
            messageId: "badValue",
            data: { field, problem: `must be ${issue.values.map((v) => JSON.stringify(v)).join(" or ")}, not ${describeValue(value)}` },
          });
          return;
        case "invalid_union":
          context.report({ path, messageId: "badValue", data: { field, problem: `must be a JSON value, not ${describeValue(value)}` } });
          return;
        default:
          context.report({
            path,
            messageId: "badValue",
            data: { field, problem: issue.message.charAt(0).toLowerCase() + issue.message.slice(1) },
          });
      }
    };

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
            data: { field: fieldOf(s.path), detail },
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
          const field = fieldOf(path.slice(0, path[0] === "steps" ? 3 : 1));
          context.report({ path, messageId: "tooDeep", data: { field, depth } });
        }
        if (result && !result.success) for (const issue of result.error.issues) reportIssue(issue);
        for (const { key, value } of context.target.ignoredKeys ?? []) {
          const listed = Array.isArray(value) && value.length > 0;
          if (key === "parallel_groups")
            context.report({ path: [key], messageId: listed ? "ignoredParallelGroupsList" : "ignoredParallelGroups", severity: "info" });
        }
        if (!isObject(template)) return;
        if (Array.isArray(template.steps))
          template.steps.forEach((step: unknown, i) => isObject(step) && checkPlaceholders(step.parameters, ["steps", i, "parameters"]));
        checkPlaceholders(template.outputs, ["outputs"]);
      },
    };
  },
});

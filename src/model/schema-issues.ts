/**
 * @module The words for a template that does not fit the schema (a wrong type, a missing or unknown key, a value out
 * of range), from zod's issues and the template's own values: `"maxRetries" of step "c" must be at least 0, not -1`.
 * `validate()` and the lint rule `invalid-template` both word schema problems here, so a mistake reads the same in a
 * thrown WorkflowValidationError and in `weave lint`; zod's own messages ("too small: expected number to be >=0")
 * name neither the field's owner nor the value that was wrong.
 */
import type { z } from "zod";
import type { PathSegment } from "../placeholder/path.js";
import { closest, quoteList } from "../util/closest-name.js";
import { fieldName } from "./issue-catalogue.js";
import { stepSchema, templateSchema } from "./schema.js";

/** The message templates of schema problems, by message id (the ids of the lint rule `invalid-template`). */
export const SCHEMA_MESSAGES = {
  missingKey: "{{key}} is missing in {{owner}}. it is required",
  wrongType: "{{field}} must be {{expected}}, not {{actual}}",
  badValue: "{{field}} {{problem}}",
  unknownKey: "unknown key {{key}} in {{owner}}. allowed keys are {{allowed}}",
  unknownKeySuggest: "unknown key {{key}} in {{owner}}. did you mean {{suggestion}}?",
} as const;

export type SchemaMessageId = keyof typeof SCHEMA_MESSAGES;

/** One schema problem, worded: where it is, which message, and the facts that fill it. */
export interface SchemaProblem {
  readonly path: (string | number)[];
  readonly messageId: SchemaMessageId;
  readonly data: Record<string, string>;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

const ARTICLE: Record<string, string> = {
  string: "a string",
  number: "a number",
  int: "an integer",
  boolean: "a boolean",
  object: "an object",
  array: "an array",
  record: "an object",
  null: "null",
};

/** `3`, `"3"`, `null`, `an array`: a value as messages quote it. */
function describeValue(value: unknown): string {
  if (value === undefined) return "undefined";
  if (Array.isArray(value)) return "an array";
  if (isObject(value)) return "an object";
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}..."` : text;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const seg of path) v = Array.isArray(v) || isObject(v) ? (v as Record<PropertyKey, unknown>)[seg as string] : undefined;
  return v;
}

/** Who owns a path: `step "build"`, `step #2` or `the template`, and the rest of the path. */
function ownerOf(template: unknown, path: readonly PropertyKey[]): { owner: string; rest: readonly PropertyKey[] } {
  if (path[0] === "steps" && typeof path[1] === "number") {
    const step = valueAt(template, path.slice(0, 2));
    const id = isObject(step) && typeof step.id === "string" && step.id !== "" ? `step "${step.id}"` : `step #${path[1] + 1}`;
    return { owner: id, rest: path.slice(2) };
  }
  return { owner: "the template", rest: path };
}

/** A field as messages name it: `"parameters.image" of step "build"`, `"name"`, `the template`. */
export function fieldOf(template: unknown, path: readonly PropertyKey[]): string {
  const { owner, rest } = ownerOf(template, path);
  return fieldName(rest as PathSegment[], owner === "the template" ? undefined : owner);
}

/** The problems one zod issue of `templateSchema` stands for (an unknown-keys issue is one problem per key). */
export function schemaProblems(issue: z.core.$ZodIssue, template: unknown): SchemaProblem[] {
  const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
  const value = valueAt(template, path);
  const field = fieldOf(template, path);
  const badValue = (problem: string): SchemaProblem[] => [{ path, messageId: "badValue", data: { field, problem } }];
  switch (issue.code) {
    case "unrecognized_keys": {
      const inStep = path[0] === "steps" && path.length === 2;
      const allowed = Object.keys(inStep ? stepSchema.shape : templateSchema.shape);
      const { owner } = ownerOf(template, path);
      return issue.keys.map((key): SchemaProblem => {
        const suggestion = closest(key, allowed);
        const at = [...path, key];
        return suggestion
          ? { path: at, messageId: "unknownKeySuggest", data: { key: `"${key}"`, owner, suggestion: `"${suggestion}"` } }
          : { path: at, messageId: "unknownKey", data: { key: `"${key}"`, owner, allowed: quoteList(allowed, 20) } };
      });
    }
    case "invalid_type": {
      if (value === undefined && path.length > 0) {
        const { owner } = ownerOf(template, path.slice(0, -1));
        return [{ path, messageId: "missingKey", data: { key: `"${String(path[path.length - 1])}"`, owner } }];
      }
      return [
        {
          path,
          messageId: "wrongType",
          data: { field, expected: ARTICLE[issue.expected] ?? issue.expected, actual: describeValue(value) },
        },
      ];
    }
    case "too_small":
    case "too_big": {
      if (issue.origin === "string" || issue.origin === "array")
        return badValue(`must not be empty${path.join(".") === "steps" ? ". a workflow needs at least one step" : ""}`);
      const bound = Number(issue.code === "too_small" ? issue.minimum : issue.maximum);
      const word = issue.code === "too_small" ? (issue.inclusive ? "at least" : "greater than") : issue.inclusive ? "at most" : "less than";
      return badValue(`must be ${word} ${bound}, not ${describeValue(value)}`);
    }
    case "invalid_value":
      return badValue(`must be ${issue.values.map((v) => JSON.stringify(v)).join(" or ")}, not ${describeValue(value)}`);
    case "invalid_union":
      return badValue(`must be a JSON value, not ${describeValue(value)}`);
    default:
      return badValue(issue.message.charAt(0).toLowerCase() + issue.message.slice(1));
  }
}

/**
 * @module What identifies a workflow across processes: the sha256 of its template's canonical JSON (keys sorted, no
 * whitespace, the compiler's `source` positions left out: moving a step in its file does not change the workflow),
 * and, when it differs, a description of what changed.
 */
import { canonicalJson } from "../util/canonical-json.js";
import { createHash } from "node:crypto";
import type { JsonValue } from "../model/schema.js";
import type { WorkflowTemplate } from "../model/template.js";

/** A template's JSON as hashed: `source` positions removed. */
export function hashedTemplateJson(template: WorkflowTemplate): Record<string, JsonValue> {
  const json = template.toJSON() as unknown as Record<string, JsonValue> & { steps: Record<string, JsonValue>[] };
  return { ...json, steps: json.steps.map(({ source: _source, ...step }) => step) };
}

const hashes = new WeakMap<WorkflowTemplate, string>();

/** `sha256:<hex>` of the template's canonical JSON; computed once per template object. */
export function templateHash(template: WorkflowTemplate): string {
  let hash = hashes.get(template);
  if (hash === undefined) {
    hash = hashJson(hashedTemplateJson(template));
    hashes.set(template, hash);
  }
  return hash;
}

export function hashJson(json: unknown): string {
  return `sha256:${createHash("sha256").update(canonicalJson(json)).digest("hex")}`;
}

const STEP_FIELDS = [
  "toolName",
  "parameters",
  "dependsOn",
  "condition",
  "maxRetries",
  "retryDelayMs",
  "backoff",
  "timeoutMs",
  "description",
] as const;
const TEMPLATE_FIELDS = ["outputs", "inputs", "description", "category", "tags"] as const;
const MAX_CHANGES = 6;

/**
 * What differs between two template JSONs, one item each (`step "push": parameters changed`, `step "notify" added`),
 * at most a handful and then `and N more`. Empty when they hash the same.
 */
export function describeTemplateChange(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const changes: string[] = [];
  if (before.name !== after.name) changes.push(`it is now workflow "${String(after.name)}", not "${String(before.name)}"`);
  const stepsOf = (t: Record<string, unknown>): Map<string, Record<string, unknown>> =>
    new Map((Array.isArray(t.steps) ? (t.steps as Record<string, unknown>[]) : []).map((s) => [String(s.id), s]));
  const old = stepsOf(before);
  const now = stepsOf(after);
  const removed = [...old.keys()].filter((id) => !now.has(id));
  const added = [...now.keys()].filter((id) => !old.has(id));
  if (removed.length > 0) changes.push(`${plural(removed, "step")} ${removed.map((id) => `"${id}"`).join(", ")} removed`);
  if (added.length > 0) changes.push(`${plural(added, "step")} ${added.map((id) => `"${id}"`).join(", ")} added`);
  for (const [id, step] of now) {
    const was = old.get(id);
    if (!was) continue;
    const fields = STEP_FIELDS.filter((f) => canonicalJson(was[f] ?? null) !== canonicalJson(step[f] ?? null));
    if (fields.length > 0) changes.push(`step "${id}": ${fields.join(", ")} changed`);
  }
  const oldOrder = [...old.keys()].filter((id) => now.has(id));
  const newOrder = [...now.keys()].filter((id) => old.has(id));
  if (oldOrder.join("\u0000") !== newOrder.join("\u0000")) changes.push("the steps are in another order");
  for (const field of TEMPLATE_FIELDS) {
    if (canonicalJson(before[field] ?? null) !== canonicalJson(after[field] ?? null)) changes.push(`the workflow's ${field} changed`);
  }
  if (changes.length === 0 && hashJson(stripSources(before)) !== hashJson(stripSources(after))) changes.push("its template differs");
  return changes.length > MAX_CHANGES
    ? [...changes.slice(0, MAX_CHANGES - 1), `and ${changes.length - MAX_CHANGES + 1} more changes`]
    : changes;
}

function stripSources(t: Record<string, unknown>): Record<string, unknown> {
  const steps = Array.isArray(t.steps) ? (t.steps as Record<string, unknown>[]).map(({ source: _s, ...rest }) => rest) : t.steps;
  return { ...t, steps };
}

const plural = (xs: readonly unknown[], word: string): string => (xs.length === 1 ? word : `${word}s`);

/**
 * @module Reads the original (Python) system's template files: snake_case keys, seconds instead of
 * milliseconds, `metadata.category`. Converts them to the current format before validation. Keys of the original
 * that have no meaning here (`parallel_groups`) are dropped; lint and migrate say so ({@link ignoredLegacyKeys}).
 */
import { setOwn } from "../util/proto-keys.js";

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => v !== null && typeof v === "object" && !Array.isArray(v);

const LEGACY_STEP_KEYS = ["step_id", "tool_name", "depends_on", "retry_count", "max_retries", "retry_delay", "timeout_seconds"];

/**
 * Template keys of the original system that are accepted and ignored. `parallel_groups` (`null`, or lists of step
 * ids) is what the original's level resolver computed: toolweave starts each step as soon as its own dependencies
 * finish, so the groups mean nothing here.
 */
export const IGNORED_LEGACY_KEYS: readonly string[] = ["parallel_groups"];

/** True when a raw template uses the original system's key names anywhere. */
export function isLegacyTemplate(raw: unknown): boolean {
  if (!isObject(raw)) return false;
  if ("metadata" in raw || "timeout_seconds" in raw || IGNORED_LEGACY_KEYS.some((k) => Object.hasOwn(raw, k))) return true;
  const steps = raw.steps;
  return Array.isArray(steps) && steps.some((s) => isObject(s) && LEGACY_STEP_KEYS.some((k) => k in s));
}

/** The field each original-format step key becomes (a current-format key stays itself). */
const FIELD_OF: Readonly<Record<string, string>> = {
  step_id: "id",
  tool_name: "toolName",
  depends_on: "dependsOn",
  dependencies: "dependsOn",
  retry_count: "maxRetries",
  max_retries: "maxRetries",
  retry_delay: "retryDelayMs",
  timeout_seconds: "timeoutMs",
  timeout: "timeoutMs",
};

/**
 * Steps that name one field twice (`step_id` and `id`, `retry_count` and `max_retries`): which value would win is a
 * guess, so each clash is reported (at the later key) instead of one value silently replacing the other.
 */
export function legacyKeyClashes(raw: Json): { path: (string | number)[]; stepId?: string; detail: string }[] {
  const clashes: { path: (string | number)[]; stepId?: string; detail: string }[] = [];
  if (Object.hasOwn(raw, "timeout_seconds") && Object.hasOwn(raw, "timeoutMs")) {
    clashes.push({ path: ["timeout_seconds"], detail: `"timeout_seconds" and "timeoutMs" both set the workflow's timeoutMs: keep one` });
  }
  const steps = raw.steps;
  if (!Array.isArray(steps)) return clashes;
  steps.forEach((step: unknown, i) => {
    if (!isObject(step)) return;
    const seen = new Map<string, string>();
    const id = typeof step.step_id === "string" ? step.step_id : typeof step.id === "string" ? step.id : undefined;
    for (const key of Object.keys(step)) {
      const field = FIELD_OF[key] ?? key;
      const first = seen.get(field);
      if (first === undefined) seen.set(field, key);
      else
        clashes.push({
          path: ["steps", i, key],
          ...(id === undefined ? {} : { stepId: id }),
          detail: `"${first}" and "${key}" both set the step's ${field}: keep one`,
        });
    }
  });
  return clashes;
}

/** Converts seconds to milliseconds, keeping a non-number as it is so validation can name it. */
const secondsToMs = (v: unknown): unknown => (typeof v === "number" ? Math.round(v * 1000) : v);

function convertStep(raw: unknown): unknown {
  if (!isObject(raw)) return raw;
  const out: Json = {};
  for (const [key, value] of Object.entries(raw)) {
    switch (key) {
      case "step_id":
        out.id = value;
        break;
      case "tool_name":
        out.toolName = value;
        break;
      case "depends_on":
      case "dependencies":
        out.dependsOn = value;
        break;
      case "retry_count":
      case "max_retries":
        out.maxRetries = value;
        break;
      case "retry_delay":
        out.retryDelayMs = secondsToMs(value);
        break;
      case "timeout_seconds":
      case "timeout":
        out.timeoutMs = value === null ? null : secondsToMs(value);
        break;
      default:
        setOwn(out, key, value);
    }
  }
  return out;
}

/** The keys of {@link IGNORED_LEGACY_KEYS} a raw template has, with their values, in file order. */
export function ignoredLegacyKeys(raw: unknown): { key: string; value: unknown }[] {
  if (!isObject(raw)) return [];
  return Object.keys(raw).flatMap((key) => (IGNORED_LEGACY_KEYS.includes(key) ? [{ key, value: raw[key] }] : []));
}

/**
 * Converts an original-format template to the current format; the {@link IGNORED_LEGACY_KEYS} are dropped, other
 * unknown keys are kept so validation reports them.
 */
export function convertLegacyTemplate(raw: Json): Json {
  const { metadata, steps, ...rest } = raw;
  const out: Json = {};
  for (const [key, value] of Object.entries(rest)) {
    if (IGNORED_LEGACY_KEYS.includes(key)) continue;
    // the whole run's bound, in seconds like a step's
    if (key === "timeout_seconds") setOwn(out, "timeoutMs", value === null ? null : secondsToMs(value));
    else setOwn(out, key, value);
  }
  if (isObject(metadata)) {
    if (out.category === undefined && typeof metadata.category === "string") out.category = metadata.category;
    if (out.tags === undefined && Array.isArray(metadata.tags)) out.tags = metadata.tags;
  }
  out.steps = Array.isArray(steps) ? steps.map(convertStep) : steps;
  return out;
}

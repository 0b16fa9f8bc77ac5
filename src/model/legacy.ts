/**
 * @module Reads the original (Python) system's template files: snake_case keys, seconds instead of
 * milliseconds, `metadata.category`. Converts them to the current format before validation.
 */
import { setOwn } from "../util/proto-keys.js";

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => v !== null && typeof v === "object" && !Array.isArray(v);

const LEGACY_STEP_KEYS = ["step_id", "tool_name", "depends_on", "retry_count", "max_retries", "retry_delay", "timeout_seconds"];

/** True when a raw template uses the original system's key names anywhere. */
export function isLegacyTemplate(raw: unknown): boolean {
  if (!isObject(raw)) return false;
  if ("metadata" in raw) return true;
  const steps = raw.steps;
  return Array.isArray(steps) && steps.some((s) => isObject(s) && LEGACY_STEP_KEYS.some((k) => k in s));
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

/** Converts an original-format template to the current format; unknown keys are kept so validation reports them. */
export function convertLegacyTemplate(raw: Json): Json {
  const { metadata, steps, ...rest } = raw;
  const out: Json = { ...rest };
  if (isObject(metadata)) {
    if (out.category === undefined && typeof metadata.category === "string") out.category = metadata.category;
    if (out.tags === undefined && Array.isArray(metadata.tags)) out.tags = metadata.tags;
  }
  out.steps = Array.isArray(steps) ? steps.map(convertStep) : steps;
  return out;
}

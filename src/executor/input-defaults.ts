import type { JsonValue } from "../model/schema.js";

/**
 * Default values of a template's top-level input variables, read from its `inputs` JSON Schema
 * (`properties.<name>.default`, which the DSL's zod `.default()` produces). Used where the runtime builds the
 * variables itself: a sub-workflow started by `execute_workflow` gets the defaults its caller left out.
 */
export function inputDefaults(inputs: Record<string, JsonValue> | undefined): Record<string, JsonValue> {
  const properties = inputs?.properties;
  if (properties === null || typeof properties !== "object" || Array.isArray(properties)) return {};
  const defaults: Record<string, JsonValue> = {};
  for (const [name, schema] of Object.entries(properties)) {
    if (schema !== null && typeof schema === "object" && !Array.isArray(schema) && "default" in schema)
      defaults[name] = structuredClone(schema.default!);
  }
  return defaults;
}

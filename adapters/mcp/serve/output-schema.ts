/**
 * @module The `outputSchema` of a workflow served as an MCP tool: a JSON Schema of the outputs a completed run
 * returns, claiming only what backs it.
 *
 * Every key the workflow declares is a property, and no other key can appear (`additionalProperties: false`). None is
 * `required`: an output that reads a step its condition skipped is left out of a completed run. A key's value is typed
 * where its plan says what it will be: text with placeholders is a string, a value without placeholders is that
 * value (`const`), and a placeholder that reads a DSL tool's result or a DSL input is the part of that zod schema it
 * reads (draft-07, which the SDK's client compiles, with `format` and `pattern` left out: a validator's formats and
 * regular expressions need not agree with zod's). Anything else (a template's tools, which declare no schema, a
 * union, a `$ref`, a secret input, whose value is masked) is `{}`: any value. The server checks every answer against
 * the schema before sending it, so what slips through this (a secret masked inside a tool's result) is reported, not
 * sent.
 */
import { z } from "zod";
import { type AnyTool, zodSchema } from "../../../dsl/tool.js";
import type { AnyWorkflow } from "../../../dsl/workflow-types.js";
import { EXECUTE_WORKFLOW } from "../../../src/model/compile-step.js";
import type { WorkflowStep } from "../../../src/model/step.js";
import type { WorkflowTemplate } from "../../../src/model/template.js";
import type { PathSegment, Reference } from "../../../src/placeholder/path.js";
import { type CompiledValue, compileValue } from "../../../src/placeholder/placeholders.js";
import { secretInputNames } from "../../../src/secrets/secret-inputs.js";

/** A JSON Schema, as a plain object. */
export type JsonSchema = Record<string, unknown>;

/** Any value. */
const ANY: JsonSchema = Object.freeze({});
/** Keywords after which a path cannot be followed honestly: the value may take any of several shapes. */
const BRANCHING = ["$ref", "anyOf", "oneOf", "allOf", "not", "if"];
/** Keywords whose meaning differs between zod and a JSON Schema validator. */
const DROPPED = new Set(["$schema", "format", "pattern"]);

/**
 * @param template the workflow's template (its `outputs`)
 * @param dsl the DSL workflow it comes from, whose tools and input have zod schemas; none for a JSON template
 * @returns undefined when the workflow declares no outputs
 */
export function outputSchemaOf(template: WorkflowTemplate, dsl?: AnyWorkflow): JsonSchema | undefined {
  return new OutputTypes(dsl).of(template, new Set([template.name]));
}

class OutputTypes {
  readonly #dsl: AnyWorkflow | undefined;
  readonly #toolSchemas = new Map<AnyTool, JsonSchema>();
  #inputSchema: JsonSchema | undefined;

  constructor(dsl: AnyWorkflow | undefined) {
    this.#dsl = dsl;
  }

  /** @param seen the workflows on the way here (a sub-workflow that calls its caller is not followed) */
  of(template: WorkflowTemplate, seen: ReadonlySet<string>, dsl = this.#dsl): JsonSchema | undefined {
    if (template.outputs === undefined) return undefined;
    let compiled: CompiledValue;
    try {
      compiled = compileValue(template.outputs);
    } catch {
      return undefined;
    }
    const properties: Record<string, JsonSchema> = {};
    if (compiled.kind === "constant" && isRecord(compiled.value)) {
      for (const [key, value] of Object.entries(compiled.value)) properties[key] = { const: value };
    } else if (compiled.kind === "object") {
      const types = dsl === this.#dsl ? this : new OutputTypes(dsl);
      for (const [key, plan] of compiled.entries) properties[key] = types.#value(plan, template, seen);
    }
    return { type: "object", properties, additionalProperties: false };
  }

  #value(plan: CompiledValue, template: WorkflowTemplate, seen: ReadonlySet<string>): JsonSchema {
    switch (plan.kind) {
      case "constant":
        return { const: plan.value };
      case "text":
        return { type: "string" };
      case "array":
        return { type: "array", minItems: plan.items.length, maxItems: plan.items.length };
      case "object": {
        const properties: Record<string, JsonSchema> = {};
        for (const [key, entry] of plan.entries) properties[key] = this.#value(entry, template, seen);
        return { type: "object", properties, additionalProperties: false };
      }
      case "reference":
        return this.#reference(plan.ref, template, seen);
    }
  }

  #reference(ref: Reference, template: WorkflowTemplate, seen: ReadonlySet<string>): JsonSchema {
    const step = template.steps.find((s) => s.id === ref.root);
    if (step !== undefined) return follow(this.#stepResult(step, seen), ref.path);
    // a secret input's value is masked in the outputs: a number becomes text
    if (this.#dsl === undefined || secretInputNames(template.inputs).includes(ref.root)) return ANY;
    this.#inputSchema ??= converted(this.#dsl.input);
    return follow(this.#inputSchema, [ref.root, ...ref.path]);
  }

  /** What a completed step's result is: its tool's output; a map step's, one per item (null for a skipped one). */
  #stepResult(step: WorkflowStep, seen: ReadonlySet<string>): JsonSchema {
    const dsl = this.#dsl;
    if (dsl === undefined) return ANY;
    let one: JsonSchema = ANY;
    if (step.toolName === EXECUTE_WORKFLOW) {
      const name = step.parameters.workflow;
      const sub = typeof name === "string" ? dsl.subWorkflows.get(name) : undefined;
      if (sub !== undefined && !seen.has(sub.name)) one = this.of(sub.template, new Set([...seen, sub.name]), sub) ?? ANY;
    } else {
      const tool = dsl.tools.get(step.toolName);
      if (tool !== undefined) {
        if (!this.#toolSchemas.has(tool)) this.#toolSchemas.set(tool, converted(tool.output));
        one = this.#toolSchemas.get(tool)!;
      }
    }
    if (step.forEach === undefined) return one;
    const item = step.condition === null || one === ANY ? one : { anyOf: [one, { type: "null" }] };
    return { type: "array", items: item };
  }
}

/** The part of `schema` at `path`, or any value where the schema does not say. */
function follow(schema: JsonSchema, path: readonly PathSegment[]): JsonSchema {
  let at = schema;
  for (const segment of path) {
    if (BRANCHING.some((k) => k in at)) return ANY;
    const next = typeof segment === "number" ? at.items : (ownValue(at.properties, segment) ?? at.additionalProperties);
    if (!isRecord(next)) return ANY;
    at = next;
  }
  // a $ref points into definitions this part was cut from
  return JSON.stringify(at).includes('"$ref"') ? ANY : at;
}

/** A zod schema as JSON Schema draft-07 of what it parses to; any value when it cannot be converted. */
function converted(schema: unknown): JsonSchema {
  try {
    const json = z.toJSONSchema(zodSchema(schema as never), { target: "draft-7", io: "output", unrepresentable: "any" });
    return withoutDropped(json) as JsonSchema;
  } catch {
    return ANY;
  }
}

function withoutDropped(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutDropped);
  if (!isRecord(value)) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    // under `properties` the keys are field names, not keywords
    if (DROPPED.has(key) && typeof inner !== "object") continue;
    copy[key] = withoutDropped(inner);
  }
  return copy;
}

function ownValue(record: unknown, key: string): unknown {
  return isRecord(record) && Object.hasOwn(record, key) ? record[key] : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

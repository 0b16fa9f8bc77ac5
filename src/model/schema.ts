/**
 * @module The one schema of a workflow template. Everything else (classes, JSON Schema, the DSL's output,
 * the compiler's output) derives from or is checked against this file.
 */
import { z } from "zod";

/** A JSON value: what parameters, variables, outputs and results are made of. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export const jsonValueSchema: z.ZodType<JsonValue> = z
  .lazy(() => z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonValueSchema), z.record(z.string(), jsonValueSchema)]))
  .meta({ id: "JsonValue", description: "Any JSON value" });

export const sourcePositionSchema = z
  .object({
    file: z.string().describe("Path of the source file, relative to the project root"),
    line: z.number().int().positive().describe("1-based line"),
    column: z.number().int().positive().describe("1-based column"),
  })
  .strict();

export const backoffSchema = z.enum(["fixed", "exponential"]);

/** Lint settings of a step or a workflow, read by `weave lint` and ignored when the workflow runs. */
export const lintSettingsSchema = z
  .object({
    ignore: z
      .record(z.string(), z.string())
      .optional()
      .describe(
        'Findings of these lint rules are suppressed here, each rule id with the reason why: { "unnecessary-serialization": "the smoke test gates the publish" }',
      ),
  })
  .strict()
  .describe("Lint settings (weave lint); ignored when the workflow runs");

export const stepSchema = z
  .object({
    id: z.string().min(1, "step id must not be empty").describe("Unique step id within the workflow"),
    toolName: z.string().min(1, "toolName must not be empty").describe("Name of the tool this step calls"),
    parameters: z.record(z.string(), jsonValueSchema).default({}).describe("Tool parameters; strings may hold {{placeholders}}"),
    dependsOn: z.array(z.string()).default([]).describe("Ids of steps that must finish before this one starts"),
    condition: z.string().nullable().default(null).describe("Run only when this expression is true"),
    maxRetries: z.number().int().min(0).default(0).describe("Attempts after the first"),
    retryDelayMs: z.number().min(0).default(1000).describe("Delay before a retry, in milliseconds"),
    backoff: backoffSchema.default("fixed").describe("fixed: the same delay each time; exponential: doubling, with jitter"),
    timeoutMs: z.number().positive().nullable().default(null).describe("Bound on each attempt, in milliseconds"),
    description: z.string().default(""),
    forEach: z
      .string()
      .optional()
      .describe(
        "Makes a map step: one placeholder that resolves to a list (\"{{list.files}}\"); the tool runs once per item, with {{item}}, {{item.field}} and {{index}} in its parameters and condition, and the step's result is the list of the items' results in item order",
      ),
    as: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, "must be a name: a letter or _, then letters, digits, _ or -")
      .optional()
      .describe('The name of a map step\'s item in its placeholders, instead of "item" ({{region}} with "as": "region")'),
    concurrency: z.number().int().positive().optional().describe("Most items of a map step running at once (default: no bound of its own)"),
    source: sourcePositionSchema.optional().describe("Where the step is defined; set by the compiler"),
    lint: lintSettingsSchema.optional(),
  })
  .strict();

export const templateSchema = z
  .object({
    $schema: z.string().optional(),
    version: z.literal(1).default(1).describe("Template format version"),
    name: z.string().min(1, "name must not be empty").describe("Unique name in a library"),
    description: z.string().default(""),
    category: z.string().default("general"),
    tags: z.array(z.string()).default([]),
    inputs: z.record(z.string(), jsonValueSchema).optional().describe("JSON Schema of the variables"),
    outputs: z.record(z.string(), jsonValueSchema).optional().describe("Workflow outputs; placeholders allowed"),
    timeoutMs: z
      .number()
      .positive()
      .nullable()
      .optional()
      .describe("Bound on the whole run, in milliseconds: past it, running steps are aborted and the run ends cancelled"),
    steps: z.array(stepSchema).min(1, "a workflow needs at least one step"),
    lint: lintSettingsSchema.optional(),
  })
  .strict();

export type StepData = z.output<typeof stepSchema>;
export type StepInput = z.input<typeof stepSchema>;
export type TemplateData = z.output<typeof templateSchema>;
export type TemplateInput = z.input<typeof templateSchema>;
export type SourcePosition = z.output<typeof sourcePositionSchema>;
export type Backoff = z.output<typeof backoffSchema>;

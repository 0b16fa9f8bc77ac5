/**
 * @module One workflow as one MCP tool: its definition (name, description, `inputSchema`, and `outputSchema` where
 * it can be known, see output-schema.ts), the executor that runs it, and the check of a call's arguments against
 * its inputs: a DSL workflow's own zod schema, or a template's `inputs` JSON Schema (with the SDK's validator).
 */
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { EXECUTABLE } from "../../../src/executor/executable.js";
import { WorkflowExecutor } from "../../../src/executor/executor.js";
import { inputDefaults } from "../../../src/executor/input-defaults.js";
import type { Tools } from "../../../src/executor/types.js";
import type { WorkflowTemplate } from "../../../src/model/template.js";
import type { Monitor } from "../../../src/monitor/index.js";
import { jsonSchemaValidator, schemaProblem } from "./json-schema-validator.js";
import { outputSchemaOf } from "./output-schema.js";
import { isDslWorkflow, type ServableWorkflow } from "./served-issues.js";

/** How the workflows' runs are made. */
export interface WorkflowRunSettings {
  /** Implementations by tool name: a template's tools; for a DSL workflow, replacements of its tools' `run`. */
  readonly tools?: Tools;
  /** Most steps running at once, per run. @default Infinity */
  readonly concurrency?: number;
  /** Stop a run on its first failed step. @default false */
  readonly failFast?: boolean;
  /** Records every tool call of every run. */
  readonly monitor?: Monitor;
}

/** The arguments of a call as the run's variables (defaults filled in), or one problem per bad field. */
export type ArgumentCheck =
  | { readonly ok: true; readonly variables: Record<string, unknown> }
  | { readonly ok: false; readonly problems: readonly string[] };

export interface WorkflowTool {
  /** What `tools/list` shows. */
  readonly definition: Tool;
  readonly template: WorkflowTemplate;
  readonly executor: WorkflowExecutor;
  arguments(args: Record<string, unknown>): ArgumentCheck;
  /** Why these outputs do not fit the declared `outputSchema`, or undefined when they do (or none is declared). */
  outputProblem(outputs: Record<string, unknown>): string | undefined;
}

/** @throws Error when a template's inputs cannot be compiled as a JSON Schema (`serveIssues` reports it first) */
export function workflowTool(workflow: ServableWorkflow, settings: WorkflowRunSettings = {}): WorkflowTool {
  const base = {
    ...(settings.concurrency === undefined ? {} : { concurrency: settings.concurrency }),
    ...(settings.failFast === undefined ? {} : { failFast: settings.failFast }),
    ...(settings.monitor === undefined ? {} : { monitor: settings.monitor }),
  };
  let template: WorkflowTemplate;
  let executor: WorkflowExecutor;
  let check: (args: Record<string, unknown>) => ArgumentCheck;
  if (isDslWorkflow(workflow)) {
    // as workflow.run() runs it: its tools bound (validating input and output), its sub-workflows as the library
    const executable = workflow[EXECUTABLE](settings.tools ?? {});
    template = executable.template;
    executor = new WorkflowExecutor({ ...base, tools: executable.tools, library: executable.library });
    check = (args) => {
      try {
        return { ok: true, variables: executable.input(args) };
      } catch (error) {
        const issues = inputIssues(error);
        if (issues === undefined) throw error;
        return {
          ok: false,
          problems: issues.map((i) => `${i.path.length > 0 ? i.path.map(String).join(".") : "(arguments)"}: ${i.message}`),
        };
      }
    };
  } else {
    template = workflow;
    executor = new WorkflowExecutor({ ...base, tools: settings.tools ?? {} });
    check = templateArguments(template);
  }
  // the schema is claimed only when the SDK's validator, the one its client uses, compiles it
  const derived = outputSchemaOf(template, isDslWorkflow(workflow) ? workflow : undefined);
  const outputSchema = derived === undefined || schemaProblem(derived) !== undefined ? undefined : derived;
  const validateOutputs = outputSchema === undefined ? undefined : jsonSchemaValidator(outputSchema);
  const definition: Tool = {
    name: workflow.name,
    ...(template.description === "" ? {} : { description: template.description }),
    inputSchema: inputSchemaOf(workflow, template),
    ...(outputSchema === undefined ? {} : { outputSchema: outputSchema as Tool["outputSchema"] & object }),
  };
  return {
    definition,
    template,
    executor,
    arguments: check,
    outputProblem: (outputs) => {
      const result = validateOutputs?.(outputs);
      return result === undefined || result.valid ? undefined : result.errorMessage;
    },
  };
}

/** A template's inputs, or what a DSL workflow takes: nothing when declared without input. */
function inputSchemaOf(workflow: ServableWorkflow, template: WorkflowTemplate): Tool["inputSchema"] {
  const inputs = template.inputs;
  if (inputs === undefined)
    return isDslWorkflow(workflow) ? { type: "object", properties: {}, additionalProperties: false } : { type: "object" };
  return { ...inputs, type: "object" } as Tool["inputSchema"];
}

/** The issues of the DSL's WorkflowInputError (told apart by name: the file may use its own copy of toolweave). */
function inputIssues(error: unknown): readonly { path: readonly PropertyKey[]; message: string }[] | undefined {
  const e = error as { name?: unknown; issues?: unknown } | null;
  return e?.name === "WorkflowInputError" && Array.isArray(e.issues) ? e.issues : undefined;
}

/**
 * A template's arguments: its inputs' defaults, then the arguments, checked against its `inputs` JSON Schema (see
 * json-schema-validator.ts). Without inputs, any arguments are taken.
 */
function templateArguments(template: WorkflowTemplate): (args: Record<string, unknown>) => ArgumentCheck {
  const inputs = template.inputs;
  if (inputs === undefined) return (args) => ({ ok: true, variables: { ...args } });
  const validate = jsonSchemaValidator(inputs);
  const schema: Readonly<Record<string, unknown>> = inputs;
  const declared = isRecord(schema.properties) ? Object.keys(schema.properties) : undefined;
  const closed = schema.additionalProperties === false && declared !== undefined;
  return (args) => {
    const variables = { ...inputDefaults(inputs), ...args };
    const result = validate(variables);
    if (result.valid) return { ok: true, variables };
    const problems = ajvProblems(result.errorMessage, closed);
    // the validator's "must NOT have additional properties" does not say which: these do
    if (closed) {
      const unknown = Object.keys(args).filter((key) => !declared.includes(key));
      for (const key of unknown)
        problems.push(`${key}: not an input of workflow "${template.name}". its inputs are ${declared.join(", ")}`);
    }
    return { ok: false, problems: problems.length > 0 ? problems : [result.errorMessage] };
  };
}

/**
 * `data/tag must be string, data must have required property 'env'` → `tag: must be string`, `env: is required`.
 * @param listsExtraKeys the caller names the arguments that are not inputs itself
 */
function ajvProblems(text: string, listsExtraKeys: boolean): string[] {
  const problems: string[] = [];
  for (const part of text.split(/, (?=data[/ ])/)) {
    const match = /^data(\S*) (.*)$/s.exec(part);
    if (match === null) {
      problems.push(part);
      continue;
    }
    const path = match[1]!
      .split("/")
      .filter((s) => s !== "")
      .map((s) => s.replaceAll("~1", "/").replaceAll("~0", "~"));
    const message = match[2]!;
    const required = /^must have required property '(.*)'$/.exec(message);
    if (required) problems.push(`${[...path, required[1]].join(".")}: is required`);
    else if (listsExtraKeys && message === "must NOT have additional properties" && path.length === 0) continue;
    else problems.push(`${path.length > 0 ? path.join(".") : "(arguments)"}: ${message}`);
  }
  return problems;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

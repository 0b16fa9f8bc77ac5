/**
 * @module What stops a set of workflows from being served as MCP tools, as data: a name MCP does not allow, two
 * workflows with one name, a tool no implementation was given for, inputs that are not the JSON Schema of an object.
 * One function turns an issue into its message.
 */
import type { AnyWorkflow } from "../../../dsl/workflow-types.js";
import type { Tools } from "../../../src/executor/types.js";
import { EXECUTE_WORKFLOW } from "../../../src/model/compile-step.js";
import type { WorkflowTemplate } from "../../../src/model/template.js";
import { schemaProblem } from "./json-schema-validator.js";

/** A workflow made with the DSL's `workflow()` (its tools run), or a template (run with the tools given). */
export type ServableWorkflow = AnyWorkflow | WorkflowTemplate;

/** MCP's tool names: 1 to 128 letters, digits, `_`, `.` or `-`. */
export const TOOL_NAME = /^[a-zA-Z0-9_.-]{1,128}$/;

/** A workflow to serve, and where it came from (a file), named in its issues. */
export interface ServedWorkflowSource {
  readonly workflow: ServableWorkflow;
  readonly source?: string;
}

export type ServeIssue =
  | { readonly code: "invalid_name"; readonly workflow: string; readonly source?: string }
  | { readonly code: "duplicate_name"; readonly workflow: string; readonly source?: string; readonly firstSource?: string }
  | { readonly code: "missing_tools"; readonly workflow: string; readonly tools: readonly string[]; readonly source?: string }
  | { readonly code: "invalid_inputs"; readonly workflow: string; readonly detail: string; readonly source?: string };

/** Thrown by `createWorkflowMcpServer` when the workflows cannot be served; `issues` lists every problem. */
export class WorkflowServeError extends Error {
  override readonly name = "WorkflowServeError";
  constructor(readonly issues: readonly ServeIssue[]) {
    super(issues.map(describeServeIssue).join("\n"));
  }
}

export function isDslWorkflow(workflow: ServableWorkflow): workflow is AnyWorkflow {
  return (workflow as { kind?: unknown }).kind === "toolweave.workflow";
}

/** The template a workflow runs. */
export const templateOf = (workflow: ServableWorkflow): WorkflowTemplate => (isDslWorkflow(workflow) ? workflow.template : workflow);

/**
 * Every problem of serving these workflows, in order.
 * @param tools implementations by tool name: a template's tools, or replacements for a DSL workflow's
 */
export function serveIssues(workflows: readonly ServedWorkflowSource[], tools: Tools = {}): ServeIssue[] {
  const issues: ServeIssue[] = [];
  const first = new Map<string, ServedWorkflowSource>();
  for (const entry of workflows) {
    const { workflow, source } = entry;
    const name = workflow.name;
    const at = source === undefined ? {} : { source };
    if (!TOOL_NAME.test(name)) issues.push({ code: "invalid_name", workflow: name, ...at });
    const earlier = first.get(name);
    if (earlier === undefined) first.set(name, entry);
    else
      issues.push({
        code: "duplicate_name",
        workflow: name,
        ...at,
        ...(earlier.source === undefined ? {} : { firstSource: earlier.source }),
      });
    const missing = missingTools(workflow, tools);
    if (missing.length > 0) issues.push({ code: "missing_tools", workflow: name, tools: missing, ...at });
    const detail = inputsProblem(workflow);
    if (detail !== undefined) issues.push({ code: "invalid_inputs", workflow: name, detail, ...at });
  }
  return issues;
}

/** The tools a run would not find: a DSL tool without `run` and not in `tools`; a template's step tool not in `tools`. */
function missingTools(workflow: ServableWorkflow, tools: Tools): string[] {
  const given = (name: string): boolean => Object.hasOwn(tools, name);
  const names = isDslWorkflow(workflow)
    ? [...workflow.tools.values()].filter((t) => typeof t.run !== "function").map((t) => t.name)
    : workflow.steps.map((s) => s.toolName).filter((name) => name !== EXECUTE_WORKFLOW);
  return [...new Set(names.filter((name) => !given(name)))];
}

/** What is wrong with a template's `inputs`: a DSL workflow's are zod's, checked by zod. */
function inputsProblem(workflow: ServableWorkflow): string | undefined {
  const inputs = templateOf(workflow).inputs;
  if (inputs === undefined || isDslWorkflow(workflow)) return undefined;
  if (inputs.type !== undefined && inputs.type !== "object")
    return `its inputs must be the JSON Schema of an object ("type": "object"), got "type": ${JSON.stringify(inputs.type)}`;
  const problem = schemaProblem(inputs);
  return problem === undefined ? undefined : `its inputs are not a JSON Schema the validator can compile: ${problem}`;
}

/** The message of an issue, without its source. */
export function describeServeIssue(issue: ServeIssue): string {
  switch (issue.code) {
    case "invalid_name":
      return `workflow "${issue.workflow}" cannot be served as an MCP tool: tool names are 1 to 128 letters, digits, "_", "." or "-". rename the workflow`;
    case "duplicate_name":
      return `workflow "${issue.workflow}" is served twice${issue.firstSource === undefined ? "" : `, also from ${issue.firstSource}`}. MCP tool names must be unique: rename one, or serve one of them`;
    case "missing_tools":
      return `workflow "${issue.workflow}" uses ${issue.tools.length === 1 ? "a tool" : "tools"} without an implementation: ${issue.tools.map((t) => `"${t}"`).join(", ")}. pass implementations by tool name (weave serve --tools <module>)`;
    case "invalid_inputs":
      return `workflow "${issue.workflow}": ${issue.detail}`;
  }
}

/** @module The typed workflow DSL: tools with zod schemas, and steps whose typed output references are the dependencies. */
export {
  tool,
  type Tool,
  type ToolDefinition,
  type ToolAnnotations,
  type ToolRunContext,
  type PartialResult,
  type AnyTool,
  type ObjectSchema,
  type SchemaTypes,
} from "./tool.js";
export { workflow } from "./workflow.js";
export { withOutput } from "./with-output.js";
export { secret } from "./secret.js";
export { eq, ne, gt, gte, lt, lte, and, or, not, isTrue, failed, succeeded, finished, type Condition, type Operand } from "./conditions.js";
export { WorkflowDefinitionError, WorkflowInputError } from "./errors.js";
export type { Ref, RefTo, Param, ParamObject, ValueOf } from "./ref.js";
export type {
  ToolStep,
  StepControls,
  StepNeedingParams,
  NewStep,
  StepStart,
  StepFactory,
  StepHandle,
  RetryPolicy,
  MapOptions,
  MapStart,
  MapStep,
  PerItem,
} from "./step-types.js";
export type {
  Workflow,
  AnyWorkflow,
  WorkflowOptions,
  WorkflowBodyContext,
  RunOptions,
  RunArgs,
  NoInput,
  ResumeRunOptions,
  WorkflowRunResult,
  OutputsOf,
} from "./workflow-types.js";

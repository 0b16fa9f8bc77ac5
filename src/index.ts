/**
 * @module toolweave: the runtime every workflow runs on. Templates, placeholders, conditions, the executor and
 * the tool-call monitor, and the workflow library.
 */
export { WorkflowStep, type WorkflowStepOptions } from "./model/step.js";
export { WorkflowTemplate, type WorkflowTemplateOptions } from "./model/template.js";
export { WorkflowValidationError, describeIssue, type TemplateIssue, type TemplateIssueCode } from "./model/issues.js";
export {
  templateSchema,
  stepSchema,
  type TemplateData,
  type StepData,
  type JsonValue,
  type SourcePosition,
  type Backoff,
} from "./model/schema.js";
export { templateJsonSchema } from "./model/json-schema.js";
export { WorkflowContext, UnresolvedReferenceError } from "./executor/context.js";
export { WorkflowExecutor } from "./executor/executor.js";
export { EXECUTABLE, type Executable, type ExecutableWorkflow } from "./executor/executable.js";
export { NonRetryableError, ToolError, type ToolErrorOptions } from "./executor/errors.js";
export { MissingPackageError } from "./util/optional-package.js";
export { HandlersRanError, RedoStepError, type HandlerThatRan } from "./executor/redo.js";
export type {
  ExecuteOptions,
  ExecutionEvent,
  ExecutionResult,
  ExecutionStatus,
  ItemCounts,
  ItemOf,
  ItemStatus,
  ResumeOptions,
  ToolCall,
  ToolContext,
  ToolFunction,
  ToolProgress,
  ToolInvoker,
  LineageStep,
  Tools,
  WorkflowExecutorOptions,
  WorkflowResolver,
} from "./executor/types.js";
export {
  FileJournalStore,
  JournalError,
  JournalNotFoundError,
  JournalExistsError,
  JournalCorruptError,
  JournalVersionError,
  JournalMismatchError,
  JournalEncodeError,
  JournalWriteError,
  RunLockedError,
  SecretsRequiredError,
  SecretMismatchError,
  templateHash,
  JOURNAL_FORMAT,
  type FileJournalStoreOptions,
  type JournalStore,
  type RunJournal,
  type JournalContents,
  type JournalHeader,
  type JournalRecord,
  type RunPath,
} from "./journal/index.js";
export { SecretMask, secretMarker, type SecretRef, type SecretSpot } from "./secrets/mask.js";
export { secretInputNames } from "./secrets/secret-inputs.js";
export {
  createMonitor,
  redact,
  readToolCallLog,
  streamToolCallLog,
  normaliseToolCall,
  type AnyToolCallRecord,
  type OriginalToolCallRecord,
  type Monitor,
  type MonitorOptions,
  type ToolCallMetric,
  type LogProblem,
  type StreamLogOptions,
} from "./monitor/index.js";
export {
  PatternDetector,
  PatternMiner,
  planWorkflow,
  suggestedName,
  emitWorkflowSource,
  type DetectorOptions,
  type AnalyzeOptions,
  type MinerOptions,
  type MinerStats,
  type ToolCallRecord,
  type ToolSequence,
  type PatternOccurrence,
  type OccurrenceCall,
  type SuggestOptions,
  type WorkflowPlan,
} from "./patterns/index.js";
export { parseCondition, evaluateCondition, ConditionSyntaxError, ConditionEvaluationError } from "./condition/index.js";
export { PlaceholderSyntaxError } from "./placeholder/placeholders.js";
export type { Reference, PathSegment } from "./placeholder/path.js";
export {
  WorkflowLibrary,
  BuiltinNameError,
  WorkflowExistsError,
  LibraryConflictError,
  LibraryFileError,
  LibraryLockError,
  type LibraryConflict,
  type LibraryFileIssue,
  type LibraryFileIssueCode,
  type LoadOptions,
  type LockOptions,
  type RegisterOptions,
  type SaveOptions,
  type SearchQuery,
  type ToolMatch,
  type WorkflowLibraryOptions,
} from "./library/index.js";

/** @module Pattern detection: frequent tool sequences in tool-call logs, and workflows (templates or DSL source) suggested from them. */
export { PatternDetector } from "./detector.js";
export { PatternMiner, compareSequences, type MinerStats } from "./miner.js";
export { suggestedName } from "./names.js";
export {
  planWorkflow,
  type SuggestOptions,
  type WorkflowPlan,
  type PlannedStep,
  type PlannedTool,
  type ParamNode,
} from "./suggest.js";
export { emitWorkflowSource } from "./source.js";
export type { DetectorOptions, AnalyzeOptions, MinerOptions } from "./options.js";
export type { ToolCallRecord, ToolSequence, PatternOccurrence, OccurrenceCall } from "./types.js";
export type { Shape, Field } from "../codegen/value-shape.js";

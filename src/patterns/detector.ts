/**
 * @module `PatternDetector` (DESIGN §5): frequent tool sequences in tool-call logs, and workflows suggested from them.
 */
import type { WorkflowTemplate } from "../model/template.js";
import type { AnyToolCallRecord } from "../monitor/log-record.js";
import { PatternMiner } from "./miner.js";
import { ANALYZE_KEYS, checkKeys, DETECTOR_KEYS, resolveOptions, type AnalyzeOptions, type DetectorOptions } from "./options.js";
import { emitWorkflowSource } from "./source.js";
import { planWorkflow, type SuggestOptions } from "./suggest.js";
import type { ToolCallRecord, ToolSequence } from "./types.js";

/**
 * Finds the tool sequences a log keeps repeating and turns one into a workflow.
 * @example
 * const detector = new PatternDetector({ minFrequency: 3, minSuccessRate: 0.8 });
 * const [top] = detector.analyzeLogs(monitor.toolCallLog, { maxSequenceLength: 5 });
 * if (top) console.log(detector.suggestWorkflow(top, { name: "auto_deploy" }).toJSON());
 */
export class PatternDetector {
  readonly minFrequency: number;
  readonly minSuccessRate: number;

  constructor(options: DetectorOptions = {}) {
    checkKeys(options, DETECTOR_KEYS, "new PatternDetector(options)");
    const resolved = resolveOptions(options);
    this.minFrequency = resolved.minFrequency;
    this.minSuccessRate = resolved.minSuccessRate;
  }

  /** A streaming miner with this detector's thresholds: `add` records one at a time, then `result()`. */
  createMiner(options: AnalyzeOptions = {}): PatternMiner {
    checkKeys(options, ANALYZE_KEYS, "the analyze options");
    return new PatternMiner({ ...options, minFrequency: this.minFrequency, minSuccessRate: this.minSuccessRate });
  }

  /**
   * The contiguous sequences of 2..`maxSequenceLength` calls seen at least `minFrequency` times with at least
   * `minSuccessRate` fully successful occurrences, best first (see `PatternMiner.result`).
   * @param logs tool-call records in any order: `monitor.toolCallLog`, records read back from a JSONL log, records of
   * other programs (ISO-8601 timestamps, no step ids) or of the original system (`tool_name`, `latency` in seconds)
   */
  analyzeLogs(logs: Iterable<ToolCallRecord | AnyToolCallRecord>, options: AnalyzeOptions = {}): ToolSequence[] {
    if (logs === null || typeof (logs as Partial<Iterable<unknown>>)[Symbol.iterator] !== "function") {
      throw new TypeError(
        `analyzeLogs(logs) takes an iterable of tool-call records (an array, a generator, ...), got ${logs === null ? "null" : typeof logs}`,
      );
    }
    return this.createMiner(options).addAll(logs).result();
  }

  /**
   * A workflow template for `pattern`: one step per call, ids from the tool names, named after the tools
   * (`build__push__deploy`, see `suggestedName`) unless `options.name`. Where the pattern's sampled occurrences carry
   * parameters and results, a parameter equal to an earlier call's result field in every occurrence becomes a
   * `{{step.field}}` reference and that step a dependency (a call that was given the value only echoed it and is
   * not its source); a parameter constant across occurrences is a literal; any other becomes a workflow input.
   * Steps keep the observed order (each also waits for the calls that ended before it started in every sample);
   * `options.parallel` makes them depend on their data sources only. Without samples the steps form a chain.
   */
  suggestWorkflow(pattern: Pick<ToolSequence, "tools"> & Partial<ToolSequence>, options: SuggestOptions = {}): WorkflowTemplate {
    return planWorkflow(pattern, options).template;
  }

  /**
   * The same workflow as TypeScript source for the DSL: the tools with zod schemas inferred from the observed
   * values, and the workflow. It type-checks and compiles back to `suggestWorkflow`'s template.
   */
  suggestWorkflowSource(pattern: Pick<ToolSequence, "tools"> & Partial<ToolSequence>, options: SuggestOptions = {}): string {
    return emitWorkflowSource(planWorkflow(pattern, options));
  }
}

import type { Backoff, JsonValue, SourcePosition, StepData } from "./schema.js";

/** What `new WorkflowStep(...)` accepts: only `id` and `toolName` are required. */
export interface WorkflowStepOptions {
  id: string;
  toolName: string;
  parameters?: Record<string, JsonValue>;
  dependsOn?: readonly string[];
  condition?: string | null;
  /** Attempts after the first. @default 0 */
  maxRetries?: number;
  /** Delay before a retry, in milliseconds; the base of the doubling with `backoff: "exponential"`. @default 1000 */
  retryDelayMs?: number;
  /** @default "fixed" */
  backoff?: Backoff;
  /** Bound on each attempt, in milliseconds; null for none. @default null */
  timeoutMs?: number | null;
  description?: string;
  /** Makes a map step: one placeholder that resolves to a list; the tool runs once per item. */
  forEach?: string;
  /** The item's name in placeholders. @default "item" */
  as?: string;
  /** Most items running at once; null for no bound of its own. @default null */
  concurrency?: number | null;
  source?: SourcePosition;
}

/** One step of a workflow: immutable plain data with defaults applied. */
export class WorkflowStep {
  readonly id: string;
  readonly toolName: string;
  readonly parameters: Readonly<Record<string, JsonValue>>;
  readonly dependsOn: readonly string[];
  readonly condition: string | null;
  readonly maxRetries: number;
  readonly retryDelayMs: number;
  readonly backoff: Backoff;
  readonly timeoutMs: number | null;
  readonly description: string;
  /** The list a map step runs its tool over (one placeholder); undefined for a step that runs once. */
  readonly forEach: string | undefined;
  /** The name of a map step's item in its placeholders. */
  readonly as: string;
  /** Most items of a map step running at once; null for no bound of its own. */
  readonly concurrency: number | null;
  readonly source: SourcePosition | undefined;

  constructor(options: WorkflowStepOptions) {
    this.id = options.id;
    this.toolName = options.toolName;
    this.parameters = options.parameters ?? {};
    this.dependsOn = Object.freeze([...(options.dependsOn ?? [])]);
    this.condition = options.condition ?? null;
    this.maxRetries = options.maxRetries ?? 0;
    this.retryDelayMs = options.retryDelayMs ?? 1000;
    this.backoff = options.backoff ?? "fixed";
    this.timeoutMs = options.timeoutMs ?? null;
    this.description = options.description ?? "";
    this.forEach = options.forEach;
    this.as = options.as ?? "item";
    this.concurrency = options.concurrency ?? null;
    this.source = options.source;
    Object.freeze(this);
  }

  /** The template-format form of this step (every field, defaults included; `source` only when set). */
  toJSON(): StepData {
    const data: StepData = {
      id: this.id,
      toolName: this.toolName,
      parameters: this.parameters as Record<string, JsonValue>,
      dependsOn: [...this.dependsOn],
      condition: this.condition,
      maxRetries: this.maxRetries,
      retryDelayMs: this.retryDelayMs,
      backoff: this.backoff,
      timeoutMs: this.timeoutMs,
      description: this.description,
    };
    // a map step's fields only when it is one, so the JSON of every other step stays as it was
    if (this.forEach !== undefined) {
      data.forEach = this.forEach;
      if (this.as !== "item") data.as = this.as;
      if (this.concurrency !== null) data.concurrency = this.concurrency;
    }
    if (this.source) data.source = this.source;
    return data;
  }
}

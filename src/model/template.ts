import { MAX_TEMPLATE_DEPTH, TOO_DEEP_DETAIL, tooDeepPath } from "../util/json-depth.js";
import { PROTO_KEY_DETAIL, protoKeyPaths } from "../util/proto-keys.js";
import { analyzeTemplate, zodIssues } from "./analyze.js";
import { analyzeDependencies, type DependencyInput } from "./dependencies.js";
import { makeIssue, WorkflowValidationError, type TemplateIssueData } from "./issues.js";
import { convertLegacyTemplate, isLegacyTemplate, legacyKeyClashes } from "./legacy.js";
import { templateSchema, type JsonValue, type TemplateData } from "./schema.js";
import { WorkflowStep, type WorkflowStepOptions } from "./step.js";

/** What `new WorkflowTemplate(...)` accepts. Steps may be `WorkflowStep`s or their options. */
export interface WorkflowTemplateOptions {
  name: string;
  description?: string;
  steps: readonly (WorkflowStep | WorkflowStepOptions)[];
  /** @default "general" */
  category?: string;
  tags?: readonly string[];
  /** JSON Schema of the variables. */
  inputs?: Record<string, JsonValue>;
  /** Values computed after the run; placeholders allowed (`{ url: "{{deploy.url}}" }`). */
  outputs?: Record<string, JsonValue>;
  /**
   * Bound on the whole run, in milliseconds: when it passes, running steps are aborted (through their signal), no
   * further step starts, and the run ends with status `"cancelled"`. `null` or absent: none.
   */
  timeoutMs?: number | null;
}

/** A workflow: named steps and their dependencies. Immutable; `validate()` reports every problem at once. */
export class WorkflowTemplate {
  readonly name: string;
  readonly description: string;
  readonly category: string;
  readonly tags: readonly string[];
  readonly inputs: Record<string, JsonValue> | undefined;
  readonly outputs: Record<string, JsonValue> | undefined;
  /** Bound on the whole run, in milliseconds (undefined: none). */
  readonly timeoutMs: number | undefined;
  readonly steps: readonly WorkflowStep[];

  constructor(options: WorkflowTemplateOptions) {
    this.name = options.name;
    this.description = options.description ?? "";
    this.category = options.category ?? "general";
    this.tags = Object.freeze([...(options.tags ?? [])]);
    this.inputs = options.inputs;
    this.outputs = options.outputs;
    this.timeoutMs = options.timeoutMs ?? undefined;
    this.steps = Object.freeze(options.steps.map((s) => (s instanceof WorkflowStep ? s : new WorkflowStep(s))));
    Object.freeze(this);
  }

  /**
   * Checks names, ids, dependencies, cycles, placeholders and conditions.
   * @throws WorkflowValidationError listing every problem, each with its step id and field path
   */
  validate(): void {
    const { issues } = analyzeTemplate(this);
    if (issues.length > 0) throw new WorkflowValidationError(this.name || undefined, issues);
  }

  getStep(id: string): WorkflowStep | undefined {
    const index = analyzeTemplate(this).graph.indexOf.get(id);
    return index === undefined ? undefined : this.steps[index];
  }

  /** The template format of DESIGN §2 (what `weave compile` writes). */
  toJSON(): TemplateData {
    const data: TemplateData = {
      version: 1,
      name: this.name,
      description: this.description,
      category: this.category,
      tags: [...this.tags],
      steps: this.steps.map((s) => s.toJSON()),
    };
    if (this.inputs) data.inputs = this.inputs;
    if (this.outputs) data.outputs = this.outputs;
    if (this.timeoutMs !== undefined) data.timeoutMs = this.timeoutMs;
    return data;
  }

  /**
   * Reads a template in the current format or the original system's (snake_case keys, seconds), and validates it.
   * @throws WorkflowValidationError listing every problem
   */
  static fromJSON(json: unknown): WorkflowTemplate {
    if (json === null || typeof json !== "object" || Array.isArray(json)) {
      const got = json === null ? "null" : Array.isArray(json) ? "an array" : typeof json;
      throw new WorkflowValidationError(undefined, [
        makeIssue({ code: "invalid_field", path: [], detail: `a workflow template must be a JSON object, got ${got}` }),
      ]);
    }
    // before any recursive walk (zod, compiling placeholders, ...), which a value nested deep enough would overflow
    const deep = tooDeepPath(json, MAX_TEMPLATE_DEPTH);
    if (deep !== undefined) {
      const name = (json as { name?: unknown }).name;
      throw new WorkflowValidationError(typeof name === "string" ? name : undefined, [
        makeIssue({ code: "invalid_field", path: deep, detail: TOO_DEEP_DETAIL }),
      ]);
    }
    // before anything copies the object (the legacy conversion, zod), which would turn the key into a prototype
    const protoKeys = protoKeyPaths(json);
    if (protoKeys.length > 0) {
      const name = (json as { name?: unknown }).name;
      throw new WorkflowValidationError(
        typeof name === "string" ? name : undefined,
        protoKeys.map((path) => makeIssue(protoKeyIssue(json, path))),
      );
    }
    if (isLegacyTemplate(json)) {
      const clashes = legacyKeyClashes(json as Record<string, unknown>);
      if (clashes.length > 0) {
        const name = (json as { name?: unknown }).name;
        throw new WorkflowValidationError(
          typeof name === "string" ? name : undefined,
          clashes.map((c) => makeIssue({ code: "invalid_field", ...c })),
        );
      }
    }
    const raw = isLegacyTemplate(json) ? convertLegacyTemplate(json as Record<string, unknown>) : json;
    const parsed = templateSchema.safeParse(raw);
    if (!parsed.success) {
      const name = (raw as { name?: unknown }).name;
      const issues = [...zodIssues(parsed.error, raw), ...analyzeDependencies(bestEffortSteps(raw)).issues];
      throw new WorkflowValidationError(typeof name === "string" ? name : undefined, issues.map(makeIssue));
    }
    const { version: _version, $schema: _schema, ...options } = parsed.data;
    const template = new WorkflowTemplate(options);
    template.validate();
    return template;
  }
}

/** Ids and dependencies read from a template that failed its shape check, so graph problems are reported too. */
function bestEffortSteps(raw: object): DependencyInput[] {
  const steps = (raw as { steps?: unknown }).steps;
  if (!Array.isArray(steps)) return [];
  return steps.map((s: unknown, i) => {
    const step = (s ?? {}) as { id?: unknown; dependsOn?: unknown };
    const id = typeof step.id === "string" && step.id !== "" ? step.id : `#${i}`;
    const dependsOn = Array.isArray(step.dependsOn) ? step.dependsOn.filter((d): d is string => typeof d === "string") : [];
    return { id, dependsOn };
  });
}

/** The issue of an own `__proto__` key at `path` of a raw template (legacy step ids are `step_id`). */
function protoKeyIssue(raw: object, path: (string | number)[]): TemplateIssueData {
  const steps = (raw as { steps?: unknown }).steps;
  const step =
    path[0] === "steps" && typeof path[1] === "number" && Array.isArray(steps)
      ? (steps[path[1]] as { id?: unknown; step_id?: unknown } | null)
      : undefined;
  const stepId = typeof step?.id === "string" ? step.id : typeof step?.step_id === "string" ? step.step_id : undefined;
  return stepId === undefined
    ? { code: "invalid_field", path, detail: PROTO_KEY_DETAIL }
    : { code: "invalid_field", path, detail: PROTO_KEY_DETAIL, stepId };
}

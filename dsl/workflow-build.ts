/**
 * @module The state of one workflow while its body runs: the declared steps, and the conversion of parameter
 * values (which may hold references) into template JSON plus the dependencies those references imply.
 */
import { PROTO_KEY } from "../src/util/proto-keys.js";
import type { Backoff, JsonValue } from "../src/model/schema.js";
import { formatPath, referenceableName, unreferenceableReason, type PathSegment } from "../src/placeholder/path.js";
import { MAX_TEMPLATE_DEPTH, TOO_DEEP_DETAIL } from "../src/util/json-depth.js";
import type { AnyTool } from "./tool.js";
import type { AnyWorkflow } from "./workflow-types.js";
import { WorkflowDefinitionError } from "./errors.js";
import { at } from "./location.js";
import { placeholderOf, refInfo, TOKEN_END, TOKEN_START, type RefInfo } from "./ref.js";

export interface ConditionData {
  readonly source: string;
  readonly refs: readonly RefInfo[];
}

/** One declared step. Builders are handles to this record; the template is produced from it after the body. */
export interface StepState {
  readonly id: string;
  readonly index: number;
  readonly scope: WorkflowBuild;
  readonly location: string | undefined;
  tool?: AnyTool;
  subWorkflow?: AnyWorkflow;
  params: unknown;
  readonly after: StepState[];
  condition?: ConditionData;
  maxRetries?: number;
  retryDelayMs?: number;
  backoff?: Backoff;
  timeoutMs?: number;
  description?: string;
  /** A map step's list, the name of its item, and how many items run at once. */
  forEach?: { readonly list: RefInfo; readonly as: string; readonly concurrency: number | undefined };
}

/**
 * The level, in the template, of the value `toJson` converts for each use (template 1, steps 2, a step 3, its
 * parameters 4; the outputs 2), so `.with()` refuses a value nested past {@link MAX_TEMPLATE_DEPTH} at the same level
 * as the template's validation, before a walk over it can overflow the call stack.
 */
const LEVEL_OF: Readonly<Record<string, number>> = { parameters: 4, outputs: 2 };

/** Where `toJson` is in the value it converts: the template level, the path from the value, the containers open on it. */
interface Walk {
  level: number;
  readonly path: PathSegment[];
  /** Each container being converted, and the length of the path where it was entered. */
  readonly open: Map<object, number>;
}

let nextScopeId = 1;
/** Names of workflows by scope id, so a token from another workflow's body can be named in the error. */
const scopeNames = new Map<number, string>();

export class WorkflowBuild {
  readonly id = nextScopeId++;
  readonly steps: StepState[] = [];
  readonly #byId = new Map<string, StepState>();
  readonly #tokens: RefInfo[] = [];

  constructor(readonly workflowName: string) {
    scopeNames.set(this.id, workflowName);
  }

  fail(detail: string): never {
    throw new WorkflowDefinitionError(this.workflowName, detail);
  }

  declare(id: string, location: string | undefined): StepState {
    if (typeof id !== "string" || id === "") this.fail(`a step id must be a non-empty string${at(location)}`);
    const first = this.#byId.get(id);
    if (first) this.fail(`step id "${id}" is declared twice: first${at(first.location)}, again${at(location)}. step ids must be unique`);
    const state: StepState = { id, index: this.steps.length, scope: this, location, params: {}, after: [] };
    this.#byId.set(id, state);
    this.steps.push(state);
    return state;
  }

  tokenFor(info: RefInfo): number {
    this.#tokens.push(info);
    return this.#tokens.length - 1;
  }

  /**
   * Checks that a reference belongs to this workflow, naming both places when it does not, and that its step can be
   * named in a placeholder.
   */
  own(info: RefInfo, usedBy: StepState | undefined, what: string): RefInfo {
    if (info.itemOf !== undefined && info.itemOf !== usedBy) {
      const user = usedBy ? `step "${usedBy.id}"${at(usedBy.location)}` : "the workflow outputs";
      return this.fail(
        `${user} uses ${placeholderOf(info)} in its ${what}, but that is an item of map step "${info.itemOf.id}"${at(info.itemOf.location)}, bound only while that step runs. read the map step's result instead (${info.itemOf.id}.out, an array in item order)`,
      );
    }
    if (info.scope === this) return this.#nameable(info, usedBy, what);
    const where = info.step
      ? `step "${info.step.id}" of workflow "${info.scope.workflowName}"${at(info.step.location)}`
      : `an input of workflow "${info.scope.workflowName}"`;
    const user = usedBy ? `step "${usedBy.id}"${at(usedBy.location)}` : "the workflow outputs";
    return this.fail(
      `${user} uses ${placeholderOf(info)} in its ${what}, but that is ${where}. a workflow can only reference its own steps and inputs; pass the value as an input instead`,
    );
  }

  /**
   * A reference to a step whose id a placeholder cannot name (`"my step"`, `"1build"`, `"a.b"`: lint's
   * `unreferenceable-step-id`) would make a placeholder that does not parse, or (`"a.b"`) reads something else.
   */
  #nameable(info: RefInfo, usedBy: StepState | undefined, what: string): RefInfo {
    const reason = info.step ? unreferenceableReason(info.step.id) : undefined;
    if (!info.step || reason === undefined) return info;
    const id = info.step.id;
    const GRAMMAR = 'placeholder names have only ASCII letters, digits, "_", "$" and "-", not starting with a digit or "-"';
    const why =
      reason.kind === "forbidden"
        ? `placeholders refuse "${id}", which would reach an object's prototype`
        : reason.kind === "path"
          ? `"{{${id}}}" would read into "${reason.root}"`
          : reason.kind === "start"
            ? `it starts with "${reason.character}", and ${GRAMMAR}`
            : `it contains ${reason.kind === "character" ? JSON.stringify(reason.character) : "nothing"}, and ${GRAMMAR}`;
    const user = usedBy ? `step "${usedBy.id}"${at(usedBy.location)}` : "the workflow outputs";
    return this.fail(
      `${user} reads the result of step "${id}"${at(info.step.location)} in its ${what}, but no placeholder can name "${id}": ${why}. rename the step, e.g. to "${referenceableName(id)}"`,
    );
  }

  /**
   * Converts a DSL value to template JSON: references become placeholders and their steps are added to `deps`.
   * Recursive, but never past {@link MAX_TEMPLATE_DEPTH} levels of the template: a deeper value, or one that contains
   * itself, is a {@link WorkflowDefinitionError} naming the step and the path.
   */
  toJson(value: unknown, usedBy: StepState | undefined, what: string, deps: Set<StepState>): JsonValue {
    return this.#toJson(value, usedBy, what, deps, { level: LEVEL_OF[what] ?? 1, path: [], open: new Map() });
  }

  #toJson(value: unknown, usedBy: StepState | undefined, what: string, deps: Set<StepState>, walk: Walk): JsonValue {
    const info = refInfo(value);
    if (info) {
      this.own(info, usedBy, what);
      if (info.step) deps.add(info.step);
      return placeholderOf(info);
    }
    if (typeof value === "string") return value.includes(TOKEN_START) ? this.#untoken(value, usedBy, what, deps) : value;
    if (value === null || typeof value === "number" || typeof value === "boolean") return value;
    const user = usedBy ? `step "${usedBy.id}"${at(usedBy.location)}` : "the workflow outputs";
    const isArray = Array.isArray(value);
    if (isArray || (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype)) {
      const { path, open } = walk;
      const first = open.get(value);
      if (first !== undefined) {
        return this.fail(
          `${user} has, in its ${what}, a value that contains itself: ${formatPath([what, ...path])} is ${formatPath([what, ...path.slice(0, first)])} again. template values are JSON, which cannot hold a cycle; pass a copy without it`,
        );
      }
      if (walk.level > MAX_TEMPLATE_DEPTH)
        return this.fail(`${user} has, in its ${what}, a value at ${formatPath([what, ...path])} ${TOO_DEEP_DETAIL}`);
      open.set(value, path.length);
      walk.level++;
      let out: JsonValue;
      if (isArray) {
        out = [];
        for (let i = 0; i < value.length; i++) {
          path.push(i);
          out.push(this.#toJson(value[i], usedBy, what, deps, walk));
          path.pop();
        }
      } else {
        const record: Record<string, JsonValue> = {};
        for (const [k, v] of Object.entries(value)) {
          if (k === PROTO_KEY)
            return this.fail(
              `${user} has the key "${PROTO_KEY}" in its ${what} (from JSON.parse?): JavaScript would read it as the prototype, so the tool would see fields the template does not show. rename the key`,
            );
          if (v === undefined) continue;
          path.push(k);
          record[k] = this.#toJson(v, usedBy, what, deps, walk);
          path.pop();
        }
        out = record;
      }
      walk.level--;
      open.delete(value);
      return out;
    }
    return this.fail(
      `${user} has a ${typeof value === "object" ? (value.constructor?.name ?? "non-plain object") : typeof value} in its ${what}; parameters must be JSON values or references`,
    );
  }

  /** Replaces reference tokens (from `${ref}` in template strings) with placeholders. */
  #untoken(text: string, usedBy: StepState | undefined, what: string, deps: Set<StepState>): string {
    return text.replace(new RegExp(`${TOKEN_START}(\\d+):(\\d+)${TOKEN_END}`, "g"), (_m, scopeId: string, index: string) => {
      if (Number(scopeId) !== this.id) {
        const user = usedBy ? `step "${usedBy.id}"${at(usedBy.location)}` : "the workflow outputs";
        return this.fail(
          `${user} uses, in a template string in its ${what}, a reference from workflow "${scopeNames.get(Number(scopeId)) ?? "?"}". a workflow can only reference its own steps and inputs`,
        );
      }
      const info = this.#nameable(this.#tokens[Number(index)]!, usedBy, what);
      if (info.step) deps.add(info.step);
      return placeholderOf(info);
    });
  }
}

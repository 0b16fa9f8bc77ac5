/**
 * @module The step builder. A builder is a handle to one step's declaration: its methods record on it and return
 * the same handle. (Kysely returns a new builder per call so a chain can be branched; a step id is a single
 * declaration, so branching would only make it ambiguous which chain is "the" step.)
 */
import { createRef, placeholderOf, refInfo } from "./ref.js";
import type { WorkflowBuild, StepState } from "./workflow-build.js";
import { attachState, stateOf } from "./step-state.js";
import type { RetryPolicy, StepFactory, StepStart } from "./step-types.js";
import type { AnyTool } from "./tool.js";
import type { AnyWorkflow } from "./workflow-types.js";
import type { Condition } from "./conditions.js";
import { callSite } from "./location.js";

class StepBuilder {
  readonly #state: StepState;

  constructor(state: StepState) {
    this.#state = state;
    attachState(this, state);
  }

  get id(): string {
    return this.#state.id;
  }

  get out(): unknown {
    return createRef({ scope: this.#state.scope, step: this.#state, root: this.#state.id, path: [] });
  }

  get error(): unknown {
    return createRef({ scope: this.#state.scope, step: this.#state, root: this.#state.id, path: ["error"] });
  }

  with(params: unknown): this {
    if (params === null || typeof params !== "object" || Array.isArray(params)) this.#fail(`.with() takes an object of parameters`);
    this.#state.params = params;
    return this;
  }

  /**
   * Orders `next` after this step. Named `then` for reading order, which makes a builder look like a promise:
   * `await step` calls it with two functions, and gets a clear rejection instead of hanging.
   */
  then(next: unknown, reject?: unknown): unknown {
    if (typeof next === "function") {
      const error = new TypeError(`step "${this.#state.id}" is a step builder, not a promise: remove the await`);
      if (typeof reject === "function") (reject as (e: unknown) => void)(error);
      return undefined;
    }
    this.#own(next, "then").after.push(this.#state);
    return next;
  }

  after(...steps: unknown[]): this {
    for (const s of steps) this.#state.after.push(this.#own(s, "after"));
    return this;
  }

  when(condition: Condition | object): this {
    const info = refInfo(condition);
    const data = info ? { source: placeholderOf(info), refs: [info] } : (condition as Condition);
    if (typeof data?.source !== "string") this.#fail(`.when() takes a condition (eq, gt, and, failed(...), ...) or a boolean reference`);
    for (const r of data.refs) this.#state.scope.own(r, this.#state, "condition");
    this.#state.condition = { source: data.source, refs: data.refs };
    return this;
  }

  retry({ max, delayMs, backoff }: RetryPolicy): this {
    if (!Number.isInteger(max) || max < 0) this.#fail(`.retry({ max }) must be a whole number of 0 or more, got ${String(max)}`);
    if (delayMs !== undefined && !(delayMs >= 0)) this.#fail(`.retry({ delayMs }) must be 0 or more, got ${String(delayMs)}`);
    this.#state.maxRetries = max;
    if (delayMs !== undefined) this.#state.retryDelayMs = delayMs;
    if (backoff !== undefined) this.#state.backoff = backoff;
    return this;
  }

  timeout(ms: number): this {
    if (!(ms > 0)) this.#fail(`.timeout(ms) must be more than 0, got ${String(ms)}`);
    this.#state.timeoutMs = ms;
    return this;
  }

  describe(text: string): this {
    this.#state.description = text;
    return this;
  }

  #own(other: unknown, method: string): StepState {
    const state = stateOf(other);
    if (state.scope !== this.#state.scope) {
      this.#fail(
        `.${method}() names step "${state.id}" of workflow "${state.scope.workflowName}"${state.location ? ` (at ${state.location})` : ""}. a workflow can only order its own steps`,
      );
    }
    return state;
  }

  #fail(detail: string): never {
    return this.#state.scope.fail(`step "${this.#state.id}"${this.#state.location ? ` at ${this.#state.location}` : ""}: ${detail}`);
  }
}

/** The `step` function a workflow body receives. */
export function stepFactory<W>(scope: WorkflowBuild): StepFactory<W> {
  return (id: string) => {
    const location = callSite();
    const start: StepStart<W> = {
      tool: ((t: AnyTool) => {
        if (t?.kind !== "toolweave.tool") scope.fail(`step "${id}": .tool() takes a tool made with tool(name, { input, output })`);
        const state = scope.declare(id, location);
        state.tool = t;
        return new StepBuilder(state);
      }) as unknown as StepStart<W>["tool"],
      workflow: ((w: AnyWorkflow) => {
        if (w?.kind !== "toolweave.workflow") scope.fail(`step "${id}": .workflow() takes a workflow made with workflow(name, ...)`);
        const state = scope.declare(id, location);
        state.subWorkflow = w;
        return new StepBuilder(state);
      }) as unknown as StepStart<W>["workflow"],
    };
    return start;
  };
}

/**
 * @module The step builder. A builder is a handle to one step's declaration: its methods record on it and return
 * the same handle. (Kysely returns a new builder per call so a chain can be branched; a step id is a single
 * declaration, so branching would only make it ambiguous which chain is "the" step.)
 */
import { createRef, placeholderOf, refInfo } from "./ref.js";
import type { WorkflowBuild, StepState } from "./workflow-build.js";
import { attachState, stateOf } from "./step-state.js";
import type { MapOptions, RetryPolicy, StepFactory, StepStart } from "./step-types.js";
import { ITEM_INDEX } from "../src/model/compile-step.js";
import { at } from "./location.js";
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
    const value = this.#perItem(params, ".with()");
    if (value === null || typeof value !== "object" || Array.isArray(value)) this.#fail(`.with() takes an object of parameters`);
    this.#state.params = value;
    return this;
  }

  /**
   * A map step's `.with()` and `.when()` take a function of its item and index: called once, now, with references to
   * them (placeholders the run binds per item). Other steps take the value itself.
   */
  #perItem(value: unknown, method: string): unknown {
    if (typeof value !== "function") return value;
    const map = this.#state.forEach;
    if (!map)
      this.#fail(`${method} takes a function of the item only on a map step (step(id).forEach(list).tool(t)); pass the value itself`);
    const { scope } = this.#state;
    const item = createRef({ scope, step: undefined, root: map.as, path: [], itemOf: this.#state });
    const index = createRef({ scope, step: undefined, root: ITEM_INDEX, path: [], itemOf: this.#state });
    return (value as (item: unknown, index: unknown) => unknown)(item, index);
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

  when(given: Condition | object): this {
    const condition = this.#perItem(given, ".when()") as Condition | object;
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

type MapSettings = NonNullable<StepState["forEach"]>;

/** `.tool(t)` / `.workflow(w)` of `step(id)`, or of `step(id).forEach(list)` (then `map` is set). */
function starts(scope: WorkflowBuild, id: string, location: string | undefined, map?: MapSettings) {
  const declare = (): StepState => {
    const state = scope.declare(id, location);
    if (map) state.forEach = map;
    return state;
  };
  return {
    tool: (t: AnyTool) => {
      if (t?.kind !== "toolweave.tool") scope.fail(`step "${id}": .tool() takes a tool made with tool(name, { input, output })`);
      const state = declare();
      state.tool = t;
      return new StepBuilder(state);
    },
    workflow: (w: AnyWorkflow) => {
      if (w?.kind !== "toolweave.workflow") scope.fail(`step "${id}": .workflow() takes a workflow made with workflow(name, ...)`);
      const state = declare();
      state.subWorkflow = w;
      return new StepBuilder(state);
    },
  };
}

const ITEM_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Checks `forEach(list, { as, concurrency })` as the template's validation would, but at the call. */
function mapSettings(scope: WorkflowBuild, id: string, location: string | undefined, list: unknown, options: MapOptions = {}): MapSettings {
  const where = `step "${id}"${at(location)}`;
  const info = refInfo(list);
  if (!info) scope.fail(`${where}: .forEach() takes a reference to a list (a step's output or an input), e.g. .forEach(files.out.paths)`);
  const { as = "item", concurrency } = options;
  if (typeof as !== "string" || !ITEM_NAME.test(as) || as === ITEM_INDEX)
    scope.fail(`${where}: .forEach(list, { as }) must be a name (letters, digits, _ or -, not "index"), got ${JSON.stringify(as)}`);
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency > 0))
    scope.fail(`${where}: .forEach(list, { concurrency }) must be a whole number of 1 or more, got ${String(concurrency)}`);
  return { list: info, as, concurrency };
}

/** The `step` function a workflow body receives. */
export function stepFactory<W>(scope: WorkflowBuild): StepFactory<W> {
  return (id: string) => {
    const location = callSite();
    return {
      ...starts(scope, id, location),
      forEach: (list: unknown, options?: MapOptions) => starts(scope, id, location, mapSettings(scope, id, location, list, options)),
    } as unknown as StepStart<W>;
  };
}

/**
 * @module The state of one run: variables, each step's result or error, and strict reference resolution.
 */
import { compileValue, substitute } from "../placeholder/placeholders.js";
import { formatPath, lookupPath, parseFieldPath, type Reference } from "../placeholder/path.js";

/** A `{{...}}` that cannot be resolved: names the placeholder and why. */
export class UnresolvedReferenceError extends Error {
  override readonly name = "UnresolvedReferenceError";
  constructor(
    readonly placeholder: string,
    readonly reason: string,
  ) {
    super(`cannot resolve "{{${placeholder}}}": ${reason}`);
  }
}

/** Outcome facts every step has, even when its result does not carry them. */
const FACTS = new Set(["success", "error"]);

type StepIds = ReadonlySet<string> | ReadonlyMap<string, unknown>;

const quoteList = (xs: Iterable<string>): string => [...xs].map((x) => `"${x}"`).join(", ") || "none";

export class WorkflowContext {
  readonly variables: Readonly<Record<string, unknown>>;
  readonly #results = new Map<string, unknown>();
  readonly #errors = new Map<string, string>();
  /** Partial results of failed steps (a tool's `ToolError` result). */
  readonly #failureResults = new Map<string, unknown>();
  readonly #skipped = new Map<string, string>();
  /** Steps of the running workflow, so a reference to one that has not finished is told apart from a typo. */
  #stepIds: StepIds = new Set<string>();

  constructor(variables: Record<string, unknown> = {}) {
    this.variables = variables;
  }

  setResult(stepId: string, result: unknown): void {
    this.#results.set(stepId, result);
  }

  /**
   * A step's result, or a field of it (`"status.config.replicas"`, `"items[0]"`); undefined when absent. For a failed
   * step, the partial result its tool failed with (a `ToolError`'s), if any.
   */
  getResult(stepId: string, field?: string): unknown {
    const result = this.#results.has(stepId) ? this.#results.get(stepId) : this.#failureResults.get(stepId);
    if (field === undefined || result === undefined) return result;
    const found = lookupPath(result, parseFieldPath(field));
    return found.found ? found.value : undefined;
  }

  hasResult(stepId: string): boolean {
    return this.#results.has(stepId);
  }

  /**
   * Records that a step failed. `options.result` is the partial result its tool failed with (a `ToolError`'s): what
   * its failure handlers read. Without it, reading a field of the failed step is an error.
   */
  setError(stepId: string, error: string, options: { readonly result?: unknown } = {}): void {
    this.#errors.set(stepId, error);
    if (options.result === undefined) this.#failureResults.delete(stepId);
    else this.#failureResults.set(stepId, options.result);
  }

  getError(stepId: string): string | undefined {
    return this.#errors.get(stepId);
  }

  /** Records why a step did not run. */
  setSkipped(stepId: string, reason: string): void {
    this.#skipped.set(stepId, reason);
  }

  getSkipped(stepId: string): string | undefined {
    return this.#skipped.get(stepId);
  }

  /** Tells the context which ids are steps of the workflow being run (a set, or a map keyed by id). */
  declareSteps(stepIds: StepIds): void {
    this.#stepIds = stepIds;
  }

  /** Replaces every `{{...}}` in a JSON value. Strict: an unresolvable reference throws. */
  substitute<T>(template: T): unknown {
    return substitute(compileValue(template), this.resolve);
  }

  /** Resolves one reference: a step's result (or its success/error facts) first, then a variable. */
  readonly resolve = (ref: Reference): unknown => {
    const { root, path } = ref;
    if (this.#results.has(root)) {
      const result = this.#results.get(root);
      const found = lookupPath(result, path);
      if (found.found) return found.value;
      if (path.length === 1 && FACTS.has(path[0] as string)) return path[0] === "success" ? true : null;
      throw new UnresolvedReferenceError(
        ref.text,
        `step "${root}" completed, but its result at "${formatPath(path.slice(0, found.at + 1))}": ${found.reason}`,
      );
    }
    const error = this.#errors.get(root) ?? this.#skipped.get(root);
    if (error !== undefined) {
      // the engine's facts win over fields of a partial result: a failed step did not succeed
      if (path.length === 1 && path[0] === "success") return false;
      if (path.length === 1 && path[0] === "error") return error;
      if (this.#failureResults.has(root)) {
        const found = lookupPath(this.#failureResults.get(root), path);
        if (found.found) return found.value;
        throw new UnresolvedReferenceError(
          ref.text,
          `step "${root}" failed (${error}), and the partial result it failed with has nothing at "${formatPath(path.slice(0, found.at + 1))}": ${found.reason}`,
        );
      }
      const how = this.#errors.has(root) ? `failed (${error})` : `was skipped (${error})`;
      const hint =
        this.#errors.has(root) && path.length > 0
          ? `. a failure handler can read the step's error instead ({{${root}.error}}; ${root}.error in the DSL), or the tool can fail with partial results: throw ToolError(message, { result }) (context.fail(message, { result }) in a DSL tool's run)`
          : "";
      throw new UnresolvedReferenceError(ref.text, `step "${root}" ${how}, so it has no result${hint}`);
    }
    if (this.#stepIds.has(root)) {
      throw new UnresolvedReferenceError(ref.text, `step "${root}" has not finished yet. add "${root}" to dependsOn`);
    }
    if (Object.hasOwn(this.variables, root)) {
      const found = lookupPath(this.variables[root], path);
      if (found.found) return found.value;
      throw new UnresolvedReferenceError(ref.text, `variable "${root}" at "${formatPath(path.slice(0, found.at + 1))}": ${found.reason}`);
    }
    throw new UnresolvedReferenceError(
      ref.text,
      `no variable or step named "${root}". variables are ${quoteList(Object.keys(this.variables))}; steps are ${quoteList(this.#stepIds.keys())}`,
    );
  };
}

/**
 * @module `WorkflowLibrary`: the built-in workflows plus custom ones, found by name (it is the executor's
 * `WorkflowResolver`), by words (full-text search), by category and tool, or by the tools a caller uses; custom
 * workflows persist to a JSON file that several processes may share.
 */
import { resolve } from "node:path";
import SearchableMap from "minisearch/SearchableMap";
import type { WorkflowResolver } from "../executor/types.js";
import { WorkflowTemplate } from "../model/template.js";
import { readTextFile } from "../util/text-file.js";
import { builtinWorkflows } from "./builtins.js";
import { closest } from "../util/closest-name.js";
import { BuiltinNameError, LibraryFileError, WorkflowExistsError } from "./errors.js";
import { fsIssue } from "./fs-issue.js";
import { contentHash, parseLibraryFile } from "./library-file.js";
import { saveLibraryFile, type Hashed, type SaveOptions } from "./save.js";
import { SearchIndex, toolsOf } from "./search-index.js";
import { rankForTools, type ToolMatch } from "./suggest.js";

export interface WorkflowLibraryOptions {
  /** Start with the built-in workflows. @default true */
  builtins?: boolean;
}

export interface RegisterOptions {
  /** Register as a built-in: never saved to disk. @default false */
  builtin?: boolean;
  /**
   * Replace the workflow of the same name: a custom one (or, registering a built-in, a built-in). Without it such a
   * clash throws `WorkflowExistsError`. It never replaces a built-in by a custom workflow: that is `shadowBuiltin`.
   * @default false
   */
  replace?: boolean;
  /** Let a custom workflow take the name of a built-in one, hiding it. @default false */
  shadowBuiltin?: boolean;
}

const REGISTER_KEYS = ["builtin", "replace", "shadowBuiltin"] as const;
const SEARCH_KEYS = ["query", "category", "toolName"] as const;

export interface SearchQuery {
  /** Words in any order; prefixes and small typos match. Ranked by relevance. */
  query?: string;
  /** Exact category (case-insensitive). */
  category?: string;
  /** A tool the workflow calls: its exact name, or a family prefix (`kubectl` matches `kubectl_apply`). */
  toolName?: string;
}

export interface LoadOptions {
  /** Let workflows of the file take built-ins' names (hiding the built-ins). @default false: such a file is refused */
  shadowBuiltins?: boolean;
  /** A missing file loads nothing instead of throwing. @default false */
  missingOk?: boolean;
}

interface Entry {
  readonly template: WorkflowTemplate;
  readonly builtin: boolean;
  readonly tools: readonly string[];
  /** Content hash, computed when first needed (saving). */
  hash?: string;
}

/**
 * @throws TypeError when `options` is not an object or has a key not in `allowed` (a misspelt filter would otherwise be
 * ignored and match everything), naming the key, the nearest allowed one and every allowed one
 */
function checkOptions(options: unknown, allowed: readonly string[], what: string): void {
  if (options === null || typeof options !== "object" || Array.isArray(options))
    throw new TypeError(`${what} takes an object, got ${options === null ? "null" : Array.isArray(options) ? "an array" : typeof options}`);
  for (const key of Object.keys(options)) {
    if (allowed.includes(key)) continue;
    const guess = closest(key, allowed) ?? allowed.find((k) => k.toLowerCase() === key.replace(/_/g, "").toLowerCase());
    throw new TypeError(
      `unknown option "${key}" in ${what}${guess ? `: did you mean "${guess}"?` : "."} options are ${allowed.map((k) => `"${k}"`).join(", ")}`,
    );
  }
}

/** Removes `name` from `set`, calling `emptied` when nothing is left. */
function removeFrom(set: Set<string> | undefined, name: string, emptied: () => void): void {
  if (set?.delete(name) && set.size === 0) emptied();
}

/**
 * Workflows by name: the built-ins (see library/builtins/) and custom ones.
 * @example
 * const library = new WorkflowLibrary();
 * library.search({ query: "deploy kubernetes", category: "deployment" });   // ranked, best first
 * library.register(myWorkflow);                                             // custom
 * await library.saveToDisk(".weave/library.json");                          // custom workflows only
 * new WorkflowExecutor({ library });                                        // execute_workflow steps find them by name
 */
export class WorkflowLibrary implements WorkflowResolver {
  readonly #entries = new Map<string, Entry>();
  readonly #builtinNames = new Set<string>();
  readonly #index = new SearchIndex();
  /** Workflow names by tool name (a radix tree: the tool filter matches by family prefix). */
  readonly #byTool = new SearchableMap<Set<string>>();
  /** Workflow names by lowercase category. */
  readonly #byCategory = new Map<string, Set<string>>();
  /** Per library file (absolute path): hash of each workflow as last read from or written to it. */
  readonly #base = new Map<string, Map<string, string>>();

  constructor(options: WorkflowLibraryOptions = {}) {
    if (options.builtins ?? true) for (const template of builtinWorkflows()) this.#set(template, true);
  }

  /**
   * Adds a workflow (a template, or a DSL workflow's `.template`). Validates it. A custom workflow of the same name
   * is replaced only with `replace: true`; a built-in is hidden by a custom workflow only with `shadowBuiltin: true`
   * (`replace` does not do that). On any error the library is unchanged.
   * @throws WorkflowValidationError; WorkflowExistsError for a name taken by a custom workflow (or, registering a
   * built-in, by a built-in) without `replace`; BuiltinNameError for a custom workflow named like a built-in without
   * `shadowBuiltin`, or a built-in named like a custom workflow; TypeError for unknown options
   */
  register(workflow: WorkflowTemplate | { readonly template: WorkflowTemplate }, options: RegisterOptions = {}): WorkflowTemplate {
    checkOptions(options, REGISTER_KEYS, "register(workflow, options)");
    for (const key of REGISTER_KEYS) {
      if (options[key] !== undefined && typeof options[key] !== "boolean")
        throw new TypeError(`register(workflow, options): ${key} must be true or false, got ${typeof options[key]}`);
    }
    const template = workflow instanceof WorkflowTemplate ? workflow : workflow?.template;
    if (!(template instanceof WorkflowTemplate))
      throw new TypeError("register() takes a WorkflowTemplate or a workflow made with workflow()");
    template.validate();
    const builtin = options.builtin ?? false;
    const existing = this.#entries.get(template.name);
    if (builtin ? existing !== undefined && !existing.builtin : this.#builtinNames.has(template.name) && !options.shadowBuiltin)
      throw new BuiltinNameError(template.name);
    // a custom workflow in the way (it may itself shadow a built-in), or a built-in when registering a built-in
    if (existing !== undefined && existing.builtin === builtin && !options.replace) throw new WorkflowExistsError(template.name);
    this.#set(template, builtin);
    return template;
  }

  get(name: string): WorkflowTemplate | undefined {
    return this.#entries.get(name)?.template;
  }

  /** Whether the workflow of that name is a built-in (`undefined` when there is none). */
  isBuiltin(name: string): boolean | undefined {
    return this.#entries.get(name)?.builtin;
  }

  /** Every workflow, sorted by name. */
  listAll(): WorkflowTemplate[] {
    return this.#index.inNameOrder();
  }

  /**
   * Workflows matching every given filter. With `query`, ranked: more query words matched first, then relevance
   * (name ×3, tags and tools ×2, category ×1.5, description ×1), then name. Without, sorted by name.
   */
  search(query: SearchQuery = {}): WorkflowTemplate[] {
    checkOptions(query, SEARCH_KEYS, "search(query)");
    for (const key of SEARCH_KEYS) {
      if (query[key] !== undefined && typeof query[key] !== "string")
        throw new TypeError(`search(query): ${key} must be a string, got ${query[key] === null ? "null" : typeof query[key]}`);
    }
    const allowed = this.#filter(query);
    const words = query.query?.trim() ?? "";
    if (words === "") {
      return this.#index.inNameOrder(allowed);
    }
    if (allowed?.size === 0) return [];
    return this.#index.search(words, allowed).map((hit) => hit.template);
  }

  /**
   * Workflows that call at least one of `toolNames`, best fit first: most of the given tools matched, then the
   * largest share of the workflow's own tools among them (fewest tools you do not use), then name.
   */
  suggestForTools(toolNames: readonly string[]): WorkflowTemplate[] {
    return this.rankForTools(toolNames).map((m) => m.workflow);
  }

  /** {@link suggestForTools} with the score of each workflow. */
  rankForTools(toolNames: readonly string[]): ToolMatch[] {
    return rankForTools(
      toolNames,
      (tool) => this.#byTool.get(tool),
      (name) => this.#entries.get(name)!,
    );
  }

  /**
   * Reads a library file (see library-file.ts for the layouts, including the original system's) and adds its
   * workflows as custom ones, replacing those of the same names. All or nothing: every workflow is validated
   * before the library changes. @returns the workflows loaded
   * @throws LibraryFileError naming the file, and each problem's workflow, field path, line and column
   */
  async loadFromDisk(path: string, options: LoadOptions = {}): Promise<WorkflowTemplate[]> {
    const file = resolve(path);
    let text: string;
    try {
      text = await readTextFile(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT" && options.missingOk) return [];
      const issue =
        code === "ENOENT" ? { code: "unreadable" as const, path: [], message: "no such file" } : await fsIssue(path, error, "read");
      throw new LibraryFileError(path, [issue], { cause: error });
    }
    const parsed = await parseLibraryFile(text, options.shadowBuiltins ? {} : { reserved: this.#builtinNames });
    if (!parsed.ok) throw new LibraryFileError(path, parsed.issues);
    const base = new Map<string, string>();
    for (const template of parsed.workflows) {
      const entry = this.#set(template, false);
      base.set(template.name, (entry.hash = contentHash(template)));
    }
    this.#base.set(file, base);
    return parsed.workflows;
  }

  /**
   * Writes the custom workflows to `path`, merged with what the file holds now: workflows only the file has are
   * kept (and added to this library); a workflow changed only in the file since this library last read or wrote
   * it is taken from the file; one changed on both sides is a conflict (see `options.onConflict`). Locked against
   * other processes and written atomically. Built-ins are never written.
   * @throws LibraryConflictError (nothing written), LibraryFileError (the file is not a valid library), LibraryLockError
   */
  async saveToDisk(path: string, options: SaveOptions = {}): Promise<void> {
    const file = resolve(path);
    const ours = new Map<string, Hashed>();
    for (const entry of this.#entries.values()) {
      if (!entry.builtin) ours.set(entry.template.name, { template: entry.template, hash: (entry.hash ??= contentHash(entry.template)) });
    }
    const { written, taken } = await saveLibraryFile({ file, ours, base: this.#base.get(file) ?? new Map(), options });
    for (const template of taken) {
      // a workflow of the file named like a built-in stays in the file; this library keeps its built-in
      if (this.#builtinNames.has(template.name) && this.#entries.get(template.name)?.builtin) continue;
      this.#set(template, false).hash = written.get(template.name)?.hash;
    }
    this.#base.set(file, new Map([...written].map(([name, h]) => [name, h.hash])));
  }

  /** Names allowed by the category and tool filters; `undefined` when there are none. */
  #filter(query: SearchQuery): Set<string> | undefined {
    const category = query.category === undefined ? undefined : (this.#byCategory.get(query.category.toLowerCase()) ?? new Set<string>());
    if (query.toolName === undefined) return category;
    const tool = query.toolName;
    const sets = [this.#byTool.get(tool), ...this.#byTool.atPrefix(`${tool}_`).values()].filter((names) => names !== undefined);
    const allowed = new Set<string>();
    for (const names of sets) for (const name of names) if (!category || category.has(name)) allowed.add(name);
    return allowed;
  }

  #set(template: WorkflowTemplate, builtin: boolean): Entry {
    const previous = this.#entries.get(template.name);
    if (previous) {
      for (const tool of previous.tools) removeFrom(this.#byTool.get(tool), template.name, () => this.#byTool.delete(tool));
      const category = previous.template.category.toLowerCase();
      removeFrom(this.#byCategory.get(category), template.name, () => this.#byCategory.delete(category));
    }
    const entry: Entry = { template, builtin, tools: toolsOf(template) };
    this.#entries.set(template.name, entry);
    if (builtin) this.#builtinNames.add(template.name);
    for (const tool of entry.tools) this.#byTool.fetch(tool, () => new Set()).add(template.name);
    const category = template.category.toLowerCase();
    let inCategory = this.#byCategory.get(category);
    if (!inCategory) this.#byCategory.set(category, (inCategory = new Set()));
    inCategory.add(template.name);
    this.#index.set(template);
    return entry;
  }
}

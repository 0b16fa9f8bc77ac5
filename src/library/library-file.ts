/**
 * @module The library file: reading every accepted layout into validated templates (all or nothing, every problem
 * located), writing the current layout, and the content hash the 3-way merge compares.
 *
 * Accepted layouts (each workflow in the current or the original snake_case template format):
 * - `{ "version": 1, "workflows": [ ... ] }` (what `saveToDisk` writes; `workflows` may also be a name → workflow object)
 * - `[ ... ]`, a list of workflows
 * - `{ "<name>": { ... }, ... }`, workflows by name (a workflow without `name` takes its key)
 * - a single workflow template (an object with `steps`)
 */
import { createHash } from "node:crypto";
import { canonicalJson } from "../util/canonical-json.js";
import { lineColumn, locateJsonError } from "../util/json-location.js";
import { offsetOfPath } from "../util/json-path-offset.js";
import { WorkflowValidationError } from "../model/issues.js";
import { WorkflowTemplate } from "../model/template.js";
import type { PathSegment } from "../placeholder/path.js";
import type { LibraryFileIssue } from "./errors.js";

export const LIBRARY_FILE_VERSION = 1;

/** Top-level keys of the current layout; any other key makes an object a name → workflow map. */
const LAYOUT_KEYS = new Set(["version", "workflows", "$comment", "$schema"]);

type Issue = Omit<LibraryFileIssue, "line" | "column">;

interface Entry {
  readonly path: readonly PathSegment[];
  readonly value: unknown;
  /** The key of a name → workflow map. */
  readonly key?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
const kindOf = (v: unknown): string =>
  v === null ? "null" : Array.isArray(v) ? "an array" : typeof v === "object" ? "an object" : `a ${typeof v}`;

export interface ParseOptions {
  /** Names a workflow of the file may not have (the built-ins), unless `allowed`. */
  readonly reserved?: ReadonlySet<string>;
}

/** `paths[i]`: where `workflows[i]` is in the file (`[]` for a single template, `["workflows", 2]`, `["deploy"]`). */
export type ParseResult =
  | { ok: true; workflows: WorkflowTemplate[]; paths: (readonly PathSegment[])[] }
  | { ok: false; issues: LibraryFileIssue[] };

/**
 * Parses and validates a whole library file, its `text` as `readTextFile` gives it (without a byte order mark, so
 * lines and columns count from the first character after one). Never throws for a bad file: every problem is an issue.
 */
export async function parseLibraryFile(text: string, options: ParseOptions = {}): Promise<ParseResult> {
  const source = text;
  let json: unknown;
  try {
    json = JSON.parse(source);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    const at = locateJsonError(source, error);
    return {
      ok: false,
      issues: [{ code: "invalid_json", path: [], line: at.line, column: at.column, message: `invalid JSON: ${at.message}` }],
    };
  }
  const issues: Issue[] = [];
  const workflows: WorkflowTemplate[] = [];
  const paths: (readonly PathSegment[])[] = [];
  const seen = new Map<string, readonly PathSegment[]>();
  for (const entry of entriesOf(json, issues)) {
    const template = readWorkflow(entry, issues);
    if (!template) continue;
    const first = seen.get(template.name);
    if (first) {
      issues.push({
        code: "duplicate_name",
        path: [...entry.path, "name"],
        workflow: template.name,
        message: `workflow name "${template.name}" is used twice; it is first used at ${pathText(first)}. names must be unique`,
      });
      continue;
    }
    seen.set(template.name, entry.path);
    if (options.reserved?.has(template.name)) {
      issues.push({
        code: "builtin_name",
        path: [...entry.path, "name"],
        workflow: template.name,
        message: `"${template.name}" is the name of a built-in workflow. rename it, or load with { shadowBuiltins: true } to use it instead of the built-in`,
      });
      continue;
    }
    workflows.push(template);
    paths.push(entry.path);
  }
  if (issues.length === 0) return { ok: true, workflows, paths };
  return { ok: false, issues: await locateIssues(source, issues) };
}

const pathText = (path: readonly PathSegment[]): string =>
  path.length === 0
    ? "the top level"
    : path
        .map((s) => (typeof s === "number" ? `[${s}]` : `.${s}`))
        .join("")
        .replace(/^\./, "");

/** The workflows of the file with their paths, by layout. */
function entriesOf(json: unknown, issues: Issue[]): Entry[] {
  if (Array.isArray(json)) return json.map((value, i) => ({ path: [i], value }));
  if (!isObject(json)) {
    issues.push({
      code: "invalid_format",
      path: [],
      message: `a workflow library must be a JSON object or array, got ${kindOf(json)}. expecting { "version": 1, "workflows": [...] }`,
    });
    return [];
  }
  if (Array.isArray(json.steps)) return [{ path: [], value: json }];
  const keys = Object.keys(json);
  const namedWorkflows = isObject(json.workflows) && Array.isArray(json.workflows.steps); // { "workflows": <a workflow named so> }
  if ("workflows" in json && !namedWorkflows && keys.every((k) => LAYOUT_KEYS.has(k))) {
    if (json.version !== undefined && json.version !== LIBRARY_FILE_VERSION) {
      issues.push({
        code: "unsupported_version",
        path: ["version"],
        message: `unsupported library file version ${JSON.stringify(json.version)}. this toolweave reads version ${LIBRARY_FILE_VERSION}`,
      });
      return [];
    }
    const list = json.workflows;
    if (Array.isArray(list)) return list.map((value, i) => ({ path: ["workflows", i], value }));
    if (isObject(list)) return Object.entries(list).map(([key, value]) => ({ path: ["workflows", key], value, key }));
    issues.push({
      code: "invalid_format",
      path: ["workflows"],
      message: `"workflows" must be an array of workflows (or an object of workflows by name), got ${kindOf(list)}`,
    });
    return [];
  }
  return Object.entries(json).map(([key, value]) => ({ path: [key], value, key }));
}

function readWorkflow(entry: Entry, issues: Issue[]): WorkflowTemplate | undefined {
  const { path, key } = entry;
  let value = entry.value;
  const label = key ?? (isObject(value) && typeof value.name === "string" ? value.name : undefined);
  if (!isObject(value)) {
    issues.push({
      code: "invalid_format",
      path,
      ...(label !== undefined ? { workflow: label } : {}),
      message: `a workflow must be a JSON object, got ${kindOf(value)}`,
    });
    return undefined;
  }
  if (key !== undefined) {
    if (value.name === undefined) value = { name: key, ...value };
    else if (value.name !== key) {
      issues.push({
        code: "name_mismatch",
        path: [...path, "name"],
        workflow: key,
        message: `the workflow stored under "${key}" is named ${JSON.stringify(value.name)}. the key and the name must be the same`,
      });
      return undefined;
    }
  }
  try {
    return WorkflowTemplate.fromJSON(value);
  } catch (error) {
    if (!(error instanceof WorkflowValidationError)) throw error;
    const workflow = error.workflowName ?? label;
    for (const issue of error.issues) {
      issues.push({
        code: "invalid_workflow",
        path: [...path, ...issue.path],
        ...(workflow !== undefined ? { workflow } : {}),
        message: issue.message,
        templateIssue: issue,
      });
    }
    return undefined;
  }
}

/** Adds the line and column of each issue's value, or of its nearest enclosing value (a converted legacy key). */
async function locateIssues(text: string, issues: readonly Issue[]): Promise<LibraryFileIssue[]> {
  const { findNodeAtLocation, parseTree } = await import("jsonc-parser");
  let root: ReturnType<typeof parseTree>;
  try {
    root = parseTree(text);
  } catch {
    // jsonc-parser builds its tree recursively: a file nested thousands of levels deep overflows it
    return issues.map((issue) => locateIteratively(text, issue));
  }
  return issues.map((issue) => {
    if (!root) return issue;
    for (let n = issue.path.length; n >= 0; n--) {
      const node = findNodeAtLocation(root, issue.path.slice(0, n) as PathSegment[]);
      if (node) return { ...issue, ...lineColumn(text, node.parent?.type === "property" && n > 0 ? node.parent.offset : node.offset) };
    }
    return issue;
  });
}

/** The same place, found by an iterative scan of the text (slower: one scan per issue). */
function locateIteratively(text: string, issue: Issue): LibraryFileIssue {
  for (let n = issue.path.length; n >= 0; n--) {
    const offset = offsetOfPath(text, issue.path.slice(0, n));
    if (offset !== undefined) return { ...issue, ...lineColumn(text, offset) };
  }
  return issue;
}

/** What `saveToDisk` writes: the current layout, workflows sorted by name, two-space indented. */
export function serializeLibrary(workflows: readonly WorkflowTemplate[]): string {
  const sorted = [...workflows].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return `${JSON.stringify({ version: LIBRARY_FILE_VERSION, workflows: sorted.map((w) => w.toJSON()) }, null, 2)}\n`;
}

/** `sha256:<hex>` of the template's JSON with sorted keys: equal for equal content, whatever the key order or format read. */
export function contentHash(template: WorkflowTemplate): string {
  return `sha256:${createHash("sha256").update(canonicalJson(template.toJSON())).digest("hex")}`;
}

/**
 * @module What the static interpreter computes: the values a DSL program handles (literals, references, step
 * handles, conditions, tools, workflows), each remembering the node it came from, and the `non-static` failure.
 */
import type { FieldTree, ToolInfo } from "../lint-target.js";
import type { ToolAnnotations } from "../../dsl/tool.js";
import type { Span } from "../diagnostic.js";
import type { Backoff, TemplateData } from "../../src/model/schema.js";
import type { PathSegment } from "../../src/placeholder/path.js";
import { snippet, type Module, type Node } from "./syntax.js";

/**
 * Part of a string value with the source it came from: literal text (`exact` when it maps character for
 * character onto the source) or a reference's placeholder (`step` set when it reads a step).
 */
export interface Piece {
  readonly text: string;
  readonly node: Node;
  readonly exact: boolean;
  readonly ref?: { readonly step: StepRec | undefined };
}

export interface ToolDef {
  readonly name: string;
  readonly output: FieldTree;
  readonly span: Span;
  readonly annotations?: ToolAnnotations;
}

/**
 * A workflow as a step that runs it sees it. Made when its extraction starts and completed when it ends, so a
 * workflow that runs itself (directly or through others) gets the one being extracted: its template and sub-workflows
 * are there once the outermost extraction is done, when the lint rules read them.
 */
export interface WorkflowDef {
  name: string;
  readonly tools: Map<string, ToolInfo>;
  /** The workflows its steps run, by name. */
  readonly subWorkflows: Map<string, WorkflowDef>;
  /** Set when its extraction succeeded. */
  template?: TemplateData;
}

export interface StepRec {
  readonly id: string;
  readonly index: number;
  readonly call: Node;
  readonly idNode: Node;
  readonly targetNode: Node;
  readonly tool?: ToolDef;
  readonly sub?: WorkflowDef;
  params?: Value;
  readonly after: { step: StepRec; node: Node }[];
  condition?: Extract<Value, { t: "cond" }>;
  maxRetries?: { value: number; node: Node };
  retryDelayMs?: { value: number; node: Node };
  backoff?: { value: Backoff; node: Node };
  timeoutMs?: { value: number; node: Node };
  description?: { value: string; node: Node };
  /** A map step's list, item name and concurrency (`step(id).forEach(list, { as, concurrency })`). */
  readonly forEach?: MapRec;
}

export interface MapRec {
  readonly list: Extract<Value, { t: "ref" }>;
  readonly as: string;
  readonly concurrency?: { value: number; node: Node };
  readonly node: Node;
}

export type Value =
  | { readonly t: "json"; readonly v: string | number | boolean | null; readonly node: Node; readonly exact?: boolean }
  | { readonly t: "undefined"; readonly node: Node }
  | { readonly t: "text"; readonly pieces: readonly Piece[]; readonly node: Node }
  | { readonly t: "object"; readonly props: ReadonlyMap<string, Value>; readonly node: Node }
  | { readonly t: "array"; readonly items: readonly Value[]; readonly node: Node }
  | {
      readonly t: "ref";
      readonly root: string;
      readonly path: readonly PathSegment[];
      readonly step: StepRec | undefined;
      readonly node: Node;
    }
  | { readonly t: "step"; readonly step: StepRec; readonly node: Node }
  /** `step("id")` before `.tool()` / `.workflow()`. */
  | {
      readonly t: "start";
      readonly id: string;
      readonly idNode: Node;
      readonly node: Node;
      readonly scope: BodySteps;
      /** After `.forEach(list)`: the step is a map step. */
      readonly forEach?: MapRec;
    }
  | { readonly t: "tool"; readonly tool: ToolDef; readonly node: Node }
  | { readonly t: "workflow"; readonly wf: WorkflowDef; readonly node: Node }
  | { readonly t: "cond"; readonly pieces: readonly Piece[]; readonly node: Node }
  /** A DSL function (`step`, `eq`, `tool`, ...) or `z`. */
  | { readonly t: "builtin"; readonly name: string; readonly node: Node; readonly scope?: BodySteps }
  /** The body's context object. */
  | { readonly t: "ctx"; readonly node: Node; readonly scope: BodySteps }
  /** The body's `input`, or a namespace import of the DSL. */
  | { readonly t: "input" | "dsl-ns"; readonly node: Node }
  /** A namespace import of a project file (`import * as t from "./tools.js"`): its exports are `t.name`. */
  | { readonly t: "module-ns"; readonly module: Module; readonly node: Node };

/** The steps declared so far by one workflow body. */
export interface BodySteps {
  readonly workflowName: string;
  readonly steps: StepRec[];
}

/** A value that cannot be determined without running code. */
export class NonStatic extends Error {
  constructor(
    readonly module: Module,
    readonly node: Node,
    message: string,
  ) {
    super(message);
  }
}

/** `cannot determine <what> without running code: "<code>" is <is>. <hint>` */
export function nonStatic(module: Module, node: Node, what: string, is: string, hint: string): NonStatic {
  return new NonStatic(module, node, `cannot determine ${what} without running code: "${snippet(module.text, node)}" is ${is}. ${hint}`);
}

export const HINT_VALUE = "write the value inline as a literal, a reference (x.out.field, input.name) or a const";
export const HINT_CALL = "write the object literal inline, or reference a const";

/**
 * Sets `node` of a value (and of everything in it) to `at`: for values read from another file. Containers are copied
 * from an explicit stack, so nesting depth cannot overflow the call stack.
 */
export function relocate(value: Value, at: Node): Value {
  const stack: { from: Value; put: (copy: Value) => void }[] = [];
  const copy = (v: Value, put: (copy: Value) => void): void => {
    switch (v.t) {
      case "text":
      case "cond":
        return put({ ...v, node: at, pieces: v.pieces.map((p) => ({ ...p, node: at, exact: false })) });
      case "json":
        return put({ ...v, node: at, exact: false });
      case "object":
      case "array":
        stack.push({ from: v, put });
        return;
      default:
        return put({ ...v, node: at });
    }
  };
  let result: Value = value;
  copy(value, (c) => (result = c));
  while (stack.length > 0) {
    const { from, put } = stack.pop()!;
    if (from.t === "object") {
      const props = new Map<string, Value>();
      put({ ...from, node: at, props });
      // keys are set now, in order; each value once its copy is made
      for (const [k, v] of from.props) {
        props.set(k, v);
        copy(v, (c) => props.set(k, c));
      }
    } else if (from.t === "array") {
      const items: Value[] = [...from.items];
      put({ ...from, node: at, items });
      from.items.forEach((v, i) => copy(v, (c) => (items[i] = c)));
    }
  }
  return result;
}

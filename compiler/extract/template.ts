/**
 * @module The template JSON of an interpreted workflow (the shape `WorkflowTemplate.toJSON()` has, each step with
 * its `source`), and where each of its values was written, for `LintTarget.locate`.
 */
import type { JsonValue, StepData, TemplateData } from "../../src/model/schema.js";
import { positionFinder } from "../diagnostic.js";
import type { Expr, Module, Node } from "./syntax.js";
import type { Session } from "./session.js";
import { describe, placeholder } from "./evaluate.js";
import { nonStatic, type Piece, type StepRec, type Value } from "./values.js";

/** Where a value of the template was written: its node, and for strings, the source of each piece. */
export interface Location {
  readonly node: Node;
  readonly pieces?: readonly Piece[];
}
/** By `pathKey(path)`. */
export type Locations = ReadonlyMap<string, Location>;

export interface TemplateInput {
  name: string;
  nameNode: Node;
  description: string;
  category: string;
  tags: string[];
  /** Absent when the workflow declares no input. */
  inputs: Record<string, JsonValue> | undefined;
  inputsNode: Expr | undefined;
  timeoutMs: number | undefined;
  timeoutNode: Expr | undefined;
  steps: readonly StepRec[];
  outputs: Value | undefined;
  call: Node;
}

export function buildTemplate(s: Session, m: Module, w: TemplateInput): { template: TemplateData; locations: Locations } {
  const locations = new Map<string, Location>();
  // Only offsets are kept (a node holds its whole subtree, which a target must not keep alive). Keys are built
  // by appending to the parent's key (`childKey`), never from a whole path, since every value of every step has one.
  const at: At = (key, node, pieces) => {
    const offsets = { start: node.start, end: node.end } as Node;
    const compact = pieces?.map((p) => ({ text: p.text, exact: p.exact, node: { start: p.node.start, end: p.node.end } as Node }));
    locations.set(key, compact ? { node: offsets, pieces: compact } : { node: offsets });
  };
  at("", w.call);
  at(".name", w.nameNode);
  if (w.inputsNode) at(".inputs", w.inputsNode);
  if (w.timeoutNode) at(".timeoutMs", w.timeoutNode);
  const file = s.file(m.path);
  const positionOf = positionFinder(m.text);
  const steps = w.steps.map((step, i): StepData => {
    const base = `.steps[${i}]`;
    at(base, step.idNode);
    at(
      `${base}.id`,
      step.idNode,
      stringPieces({ t: "json", v: step.id, node: step.idNode, exact: step.idNode.end - step.idNode.start === step.id.length + 2 }),
    );
    at(`${base}.toolName`, step.targetNode);
    const what = `the parameters of step "${step.id}"`;
    const deps = new Map<StepRec, Node>();
    for (const a of step.after) if (!deps.has(a.step)) deps.set(a.step, a.node);
    const paramsKey = step.sub ? `${base}.parameters.context` : `${base}.parameters`;
    const params = step.params ? (toJson(m, step.params, paramsKey, deps, at, what) as Record<string, JsonValue>) : {};
    if (!step.params) at(paramsKey, step.call);
    if (step.sub) {
      at(`${base}.parameters`, step.params?.node ?? step.call);
      at(`${base}.parameters.workflow`, step.targetNode);
    }
    if (step.forEach) {
      const list = step.forEach.list;
      at(`${base}.forEach`, list.node, [
        { text: placeholder(list.root, list.path), node: list.node, exact: false, ref: { step: list.step } },
      ]);
      if (list.step && !deps.has(list.step)) deps.set(list.step, list.node);
      if (step.forEach.concurrency) at(`${base}.concurrency`, step.forEach.concurrency.node);
    }
    let condition: string | null = null;
    if (step.condition) {
      condition = step.condition.pieces.map((p) => p.text).join("");
      at(`${base}.condition`, step.condition.node, step.condition.pieces);
      for (const p of step.condition.pieces) if (p.ref?.step && !deps.has(p.ref.step)) deps.set(p.ref.step, p.node);
    }
    const dependsOn = [...deps].sort(([a], [b]) => a.index - b.index);
    dependsOn.forEach(([, node], k) => at(`${base}.dependsOn[${k}]`, node));
    for (const [key, field] of [
      ["maxRetries", step.maxRetries],
      ["retryDelayMs", step.retryDelayMs],
      ["backoff", step.backoff],
      ["timeoutMs", step.timeoutMs],
      ["description", step.description],
    ] as const) {
      if (field) at(`${base}.${key}`, field.node);
    }
    const pos = positionOf(step.call.start);
    const map = step.forEach && {
      forEach: placeholder(step.forEach.list.root, step.forEach.list.path),
      ...(step.forEach.as !== "item" ? { as: step.forEach.as } : {}),
      ...(step.forEach.concurrency ? { concurrency: step.forEach.concurrency.value } : {}),
    };
    return {
      id: step.id,
      toolName: step.sub ? "execute_workflow" : step.tool!.name,
      parameters: step.sub ? { workflow: step.sub.name, context: params } : params,
      dependsOn: dependsOn.map(([d]) => d.id),
      condition,
      maxRetries: step.maxRetries?.value ?? 0,
      retryDelayMs: step.retryDelayMs?.value ?? 1000,
      backoff: step.backoff?.value ?? "fixed",
      timeoutMs: step.timeoutMs?.value ?? null,
      description: step.description?.value ?? "",
      ...map,
      source: { file, line: pos.line, column: pos.column },
    };
  });
  const template: TemplateData = { version: 1, name: w.name, description: w.description, category: w.category, tags: w.tags, steps };
  if (w.inputs !== undefined) template.inputs = w.inputs;
  if (w.outputs && w.outputs.t !== "undefined") {
    if (w.outputs.t !== "object")
      throw nonStatic(m, w.outputs.node, `the outputs of workflow "${w.name}"`, describe(w.outputs), "return an object literal");
    const outputs = toJson(m, w.outputs, ".outputs", new Map(), at, `the outputs of workflow "${w.name}"`) as Record<string, JsonValue>;
    if (Object.keys(outputs).length > 0) template.outputs = outputs;
  }
  if (w.timeoutMs !== undefined) template.timeoutMs = w.timeoutMs;
  return { template, locations };
}

function stringPieces(v: Value): readonly Piece[] | undefined {
  if (v.t === "text") return v.pieces;
  if (v.t === "json" && typeof v.v === "string") {
    const node = v.exact ? { start: v.node.start + 1, end: v.node.end - 1 } : v.node;
    return [{ text: v.v, node, exact: v.exact === true }];
  }
  return undefined;
}

/** Records where the value at a location key (`pathKey`) was written. */
type At = (key: string, node: Node, pieces?: readonly Piece[]) => void;

/**
 * Template JSON of a DSL value, as `WorkflowBuild.toJson` makes it: references become placeholders and dependencies.
 * Depth first in document order (the first reference to a step is where its dependency is located), with an explicit
 * stack: each container is made when reached and its items are put in as they are reached.
 */
function toJson(m: Module, root: Value, rootKey: string, deps: Map<StepRec, Node>, at: At, what: string): JsonValue {
  let result: JsonValue = null;
  const stack: { value: Value; key: string; put: (json: JsonValue) => void }[] = [
    { value: root, key: rootKey, put: (json) => (result = json) },
  ];
  while (stack.length > 0) {
    const { value: v, key, put } = stack.pop()!;
    at(key, v.node, stringPieces(v));
    switch (v.t) {
      case "json":
        put(v.v);
        break;
      case "ref": {
        if (v.step && !deps.has(v.step)) deps.set(v.step, v.node);
        put(placeholder(v.root, v.path));
        break;
      }
      case "text":
        for (const p of v.pieces) if (p.ref?.step && !deps.has(p.ref.step)) deps.set(p.ref.step, p.node);
        put(v.pieces.map((p) => p.text).join(""));
        break;
      case "array": {
        const out: JsonValue[] = [];
        put(out);
        for (let i = v.items.length - 1; i >= 0; i--)
          stack.push({ value: v.items[i]!, key: `${key}[${i}]`, put: (json) => void out.push(json) });
        break;
      }
      case "object": {
        const out: Record<string, JsonValue> = {};
        put(out);
        const props = [...v.props].filter(([, x]) => x.t !== "undefined");
        for (let i = props.length - 1; i >= 0; i--) {
          const [k, x] = props[i]!;
          stack.push({ value: x, key: `${key}.${k}`, put: (json) => void (out[k] = json) });
        }
        break;
      }
      default:
        throw nonStatic(
          m,
          v.node,
          what,
          `${describe(v)}, not a JSON value or a reference`,
          "pass a literal or a reference such as x.out.field",
        );
    }
  }
  return result;
}

/** The map key of the first `n` segments of a path: numbers and names told apart, cheaper than JSON.stringify. */
function pathKey(path: readonly (string | number)[], n: number): string {
  let key = "";
  for (let i = 0; i < n; i++) {
    const seg = path[i]!;
    key += typeof seg === "number" ? `[${seg}]` : `.${seg}`;
  }
  return key;
}

/** The span of `path` (or its nearest recorded ancestor), narrowed to `range` of a string's characters when exact. */
export function locateIn(locations: Locations, path: readonly (string | number)[], range?: { start: number; end: number }): Node {
  for (let n = path.length; n >= 0; n--) {
    const loc = locations.get(pathKey(path, n));
    if (!loc) continue;
    if (n !== path.length || !range || !loc.pieces) return loc.node;
    let offset = 0;
    const hit: { piece: Piece; offset: number }[] = [];
    for (const piece of loc.pieces) {
      const end = offset + piece.text.length;
      if (range.start < end && range.end > offset) hit.push({ piece, offset });
      else if (range.start === range.end && range.start === offset) hit.push({ piece, offset });
      offset = end;
    }
    if (hit.length === 0) return loc.node;
    const [first] = hit;
    if (hit.length === 1 && first!.piece.exact) {
      const base = first!.piece.node.start - first!.offset;
      return { start: base + range.start, end: base + Math.min(range.end, first!.offset + first!.piece.text.length) };
    }
    return { start: Math.min(...hit.map((h) => h.piece.node.start)), end: Math.max(...hit.map((h) => h.piece.node.end)) };
  }
  return { start: 0, end: 0 };
}

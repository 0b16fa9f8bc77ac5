/**
 * @module The description of a workflow that both its template and its DSL source are made from: steps whose
 * parameters are trees of literals, references and inputs, conditions written with the DSL's condition helpers, and
 * the tools with their schemas as shapes. The pattern detector (`suggest.ts`) and `weave migrate` (`cli/migrate`)
 * make plans; `emit-source.ts` writes them as TypeScript. `paramJson` and `conditionText` give the template JSON
 * the DSL builds from the same plan, so the two cannot drift apart.
 */
import type { ComparisonOperator, LiteralValue } from "../condition/ast.js";
import {
  printComparison,
  printFinished,
  printLiteral,
  printLogical,
  printNot,
  printOutcome,
  printPlaceholder,
} from "../condition/print.js";
import type { Backoff, JsonValue } from "../model/schema.js";
import type { WorkflowTemplate } from "../model/template.js";
import type { PathSegment } from "../placeholder/path.js";
import type { Shape } from "./value-shape.js";

export type ParamNode =
  | { readonly kind: "literal"; readonly value: JsonValue }
  /** A step's result (or a field of it): `steps[step].out.path`. */
  | { readonly kind: "ref"; readonly step: number; readonly path: readonly PathSegment[] }
  /** A workflow input (or a field of it): `input.name.path`. */
  | { readonly kind: "input"; readonly name: string; readonly path?: readonly PathSegment[] }
  /** A template string: text and references (`ref` or `input` nodes), rendered as text. */
  | { readonly kind: "text"; readonly parts: readonly (string | ParamNode)[] }
  | { readonly kind: "object"; readonly entries: readonly (readonly [string, ParamNode])[] }
  | { readonly kind: "array"; readonly items: readonly ParamNode[] }
  /** A map step's item (or a field of it): `item.path`, `{{item.path}}`. */
  | { readonly kind: "item"; readonly path: readonly PathSegment[] };

/** A condition operand: a `ref` or `input` node, or a literal string, number, boolean or null. */
export type ConditionOperand = Extract<ParamNode, { kind: "ref" | "input" | "literal" }>;

/** A step condition as the DSL writes it: `eq(a, b)`, `isTrue(ref)`, `failed(step)`, `and(...)`, ... */
export type ConditionPlan =
  | { readonly kind: "compare"; readonly op: ComparisonOperator; readonly left: ConditionOperand; readonly right: ConditionOperand }
  | { readonly kind: "isTrue"; readonly value: Extract<ParamNode, { kind: "ref" | "input" }> }
  /** `failed(step)` / `succeeded(step)`. */
  | { readonly kind: "outcome"; readonly outcome: "failed" | "succeeded"; readonly step: number }
  /** `finished(...steps)`. */
  | { readonly kind: "finished"; readonly steps: readonly number[] }
  | { readonly kind: "logical"; readonly op: "and" | "or"; readonly operands: readonly ConditionPlan[] }
  | { readonly kind: "not"; readonly operand: ConditionPlan };

export interface PlannedStep {
  readonly id: string;
  readonly toolName: string;
  /** The tool's parameters; for a sub-workflow step, the sub-workflow's variables (its `context`). */
  readonly params: Extract<ParamNode, { kind: "object" }>;
  /** Indexes of the steps this one depends on, ascending: every step it references, and those of `after`. */
  readonly dependsOn: readonly number[];
  /** Steps it waits for without using their results (`.after(...)`), ascending. */
  readonly after?: readonly number[];
  /** Runs this workflow (by name) as a sub-workflow, `.workflow(w)`, instead of the tool. */
  readonly workflow?: string;
  readonly condition?: ConditionPlan;
  readonly retry?: { readonly max: number; readonly delayMs?: number; readonly backoff?: Backoff };
  readonly timeoutMs?: number;
  readonly description?: string;
  /** Written above the step as `// TODO(migrate): <note>` comments: what could not be expressed faithfully. */
  readonly notes?: readonly string[];
  /** Makes it a map step over this list (`.forEach(input.items)`): its parameters may read the `item`. */
  readonly forEach?: Extract<ParamNode, { kind: "input" | "ref" }>;
}

export interface PlannedTool {
  readonly name: string;
  /** Always an object shape. */
  readonly input: Shape;
  readonly output: Shape;
}

/** What the source of one workflow is written from. */
export interface SourcePlan {
  readonly template: WorkflowTemplate;
  /** In declaration order: a step comes after every step it references or waits for. */
  readonly steps: readonly PlannedStep[];
  /** In order of first use. */
  readonly tools: readonly PlannedTool[];
  readonly inputs: readonly (readonly [string, Shape])[];
  /** The source of the input schema, when it is not the one `inputs` describe (a template's own, kept). */
  readonly inputSource?: string;
  /** What the body returns (the workflow's outputs). */
  readonly outputs?: Extract<ParamNode, { kind: "object" }>;
  /** Written above the workflow as `// TODO(migrate): <note>` comments. */
  readonly notes?: readonly string[];
}

/** The steps a parameter tree reads (its `ref` nodes, text included), added to `out`. */
export function stepsReadBy(node: ParamNode, out = new Set<number>()): Set<number> {
  if (node.kind === "ref") out.add(node.step);
  else if (node.kind === "text") for (const p of node.parts) typeof p !== "string" && stepsReadBy(p, out);
  else if (node.kind === "object") for (const [, v] of node.entries) stepsReadBy(v, out);
  else if (node.kind === "array") for (const v of node.items) stepsReadBy(v, out);
  return out;
}

/** The template JSON of a parameter, as the DSL makes it: references become placeholders, text is joined. */
export function paramJson(node: ParamNode, ids: readonly string[]): JsonValue {
  switch (node.kind) {
    case "literal":
      return node.value;
    case "ref":
    case "input":
    case "item":
      return placeholderText(node, ids);
    case "text":
      return node.parts.map((p) => (typeof p === "string" ? p : placeholderText(p, ids))).join("");
    case "object":
      return Object.fromEntries(node.entries.map(([k, v]) => [k, paramJson(v, ids)]));
    case "array":
      return node.items.map((v) => paramJson(v, ids));
  }
}

function placeholderText(node: ParamNode, ids: readonly string[]): string {
  if (node.kind === "ref") return printPlaceholder(ids[node.step]!, node.path);
  if (node.kind === "input") return printPlaceholder(node.name, node.path ?? []);
  if (node.kind === "item") return printPlaceholder("item", node.path);
  throw new TypeError(`a ${node.kind} node inside a template string`);
}

/** The condition text the DSL's helpers produce for `condition` (dsl/conditions.ts; the compiler produces the same). */
export function conditionText(condition: ConditionPlan, ids: readonly string[]): string {
  switch (condition.kind) {
    case "compare":
      return printComparison(operandText(condition.left, ids), condition.op, operandText(condition.right, ids));
    case "isTrue":
      return placeholderText(condition.value, ids);
    case "outcome":
      return printOutcome(ids[condition.step]!, condition.outcome === "succeeded");
    case "finished":
      return printFinished(condition.steps.map((s) => ids[s]!));
    case "logical":
      return printLogical(
        condition.op,
        condition.operands.map((c) => conditionText(c, ids)),
      );
    case "not":
      return printNot(conditionText(condition.operand, ids));
  }
}

function operandText(operand: ConditionOperand, ids: readonly string[]): string {
  if (operand.kind !== "literal") return placeholderText(operand, ids);
  // a condition literal is a string, number, boolean or null (the plan's makers hold to that)
  return printLiteral(operand.value as LiteralValue);
}

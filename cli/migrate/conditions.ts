/**
 * @module A step condition, from the condition language's syntax tree to the DSL's condition helpers:
 * `{{deploy.success}} == False` → `failed(deploy)`, `{{n}} >= 3` → `gte(input.n, 3)`, `and`/`or`/`not`, a bare
 * reference → `isTrue(ref)`, `{{a.success}} != null and ...` → `finished(a, ...)`. What the helpers cannot say (a
 * string with placeholders, a constant, a comparison of comparisons) is reported with the reason.
 */
import type { ComparisonOperator, ConditionNode, LiteralValue } from "../../src/condition/ast.js";
import type { Reference } from "../../src/placeholder/path.js";

export type OperandDraft = { readonly kind: "ref"; readonly ref: Reference } | { readonly kind: "literal"; readonly value: LiteralValue };

export type ConditionDraft =
  | { readonly kind: "compare"; readonly op: ComparisonOperator; readonly left: OperandDraft; readonly right: OperandDraft }
  | { readonly kind: "isTrue"; readonly ref: Reference }
  /** `refs`: the `{{s.success}}` placeholders it stands for (they ask about the outcome, not the result). */
  | { readonly kind: "outcome"; readonly outcome: "failed" | "succeeded"; readonly step: string; readonly refs: readonly Reference[] }
  | { readonly kind: "finished"; readonly steps: readonly string[]; readonly refs: readonly Reference[] }
  | { readonly kind: "logical"; readonly op: "and" | "or"; readonly operands: readonly ConditionDraft[] }
  | { readonly kind: "not"; readonly operand: ConditionDraft };

export type DraftResult = { readonly ok: true; readonly draft: ConditionDraft } | { readonly ok: false; readonly why: string };

/** Drafts a condition; `isStep` tells a step id from a variable. */
export function draftCondition(node: ConditionNode, isStep: (root: string) => boolean): DraftResult {
  try {
    return { ok: true, draft: draft(node, isStep) };
  } catch (error) {
    if (error instanceof Inexpressible) return { ok: false, why: error.message };
    throw error;
  }
}

class Inexpressible extends Error {}

/** `{{s.success}}` of a step `s`: its reference, else undefined. */
function successOf(node: ConditionNode, isStep: (root: string) => boolean): Reference | undefined {
  return node.kind === "reference" && node.ref.path.length === 1 && node.ref.path[0] === "success" && isStep(node.ref.root)
    ? node.ref
    : undefined;
}

/** `{{s.success}} != null` (either way round): its reference, else undefined. */
function finishedOf(node: ConditionNode, isStep: (root: string) => boolean): Reference | undefined {
  if (node.kind !== "comparison" || node.op !== "!=") return undefined;
  const isNull = (n: ConditionNode) => n.kind === "literal" && n.value === null;
  if (isNull(node.right)) return successOf(node.left, isStep);
  if (isNull(node.left)) return successOf(node.right, isStep);
  return undefined;
}

function draft(node: ConditionNode, isStep: (root: string) => boolean): ConditionDraft {
  switch (node.kind) {
    case "reference":
      return { kind: "isTrue", ref: node.ref };
    case "literal":
      throw new Inexpressible(`it is the constant ${JSON.stringify(node.value)}`);
    case "interpolation":
      throw new Inexpressible("it tests a string with placeholders");
    case "not":
      return { kind: "not", operand: draft(node.operand, isStep) };
    case "logical": {
      if (node.op === "and") {
        const refs = node.operands.map((o) => finishedOf(o, isStep));
        if (refs.every((r) => r !== undefined)) return { kind: "finished", steps: refs.map((r) => r!.root), refs: refs as Reference[] };
      }
      return { kind: "logical", op: node.op, operands: node.operands.map((o) => draft(o, isStep)) };
    }
    case "comparison": {
      const finished = finishedOf(node, isStep);
      if (finished !== undefined) return { kind: "finished", steps: [finished.root], refs: [finished] };
      if (node.op === "==") {
        for (const [a, b] of [
          [node.left, node.right],
          [node.right, node.left],
        ] as const) {
          const ref = successOf(a, isStep);
          if (ref !== undefined && b.kind === "literal" && typeof b.value === "boolean")
            return { kind: "outcome", outcome: b.value ? "succeeded" : "failed", step: ref.root, refs: [ref] };
        }
      }
      const left = operand(node.left);
      const right = operand(node.right);
      if (node.op !== "==" && node.op !== "!=") {
        for (const o of [left, right]) {
          if (o.kind === "literal" && (o.value === null || typeof o.value === "boolean"))
            throw new Inexpressible(`it orders ${JSON.stringify(o.value)} with "${node.op}", which takes numbers or strings`);
        }
      }
      if (
        left.kind === "literal" &&
        right.kind === "literal" &&
        (left.value === null ? "null" : typeof left.value) !== (right.value === null ? "null" : typeof right.value)
      ) {
        throw new Inexpressible(`it compares the constants ${JSON.stringify(left.value)} and ${JSON.stringify(right.value)}`);
      }
      return { kind: "compare", op: node.op, left, right };
    }
  }
}

function operand(node: ConditionNode): OperandDraft {
  if (node.kind === "reference") return { kind: "ref", ref: node.ref };
  if (node.kind === "literal") return { kind: "literal", value: node.value };
  if (node.kind === "interpolation") throw new Inexpressible("it compares a string with placeholders");
  throw new Inexpressible("it compares the result of a comparison or of and/or/not");
}

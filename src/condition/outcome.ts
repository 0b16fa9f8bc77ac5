/**
 * @module What a condition asks about a dependency's outcome (success, failure, either), read from its syntax tree:
 * the graph draws outcome edges with it, and lint knows which steps handle a failure.
 */
import type { ConditionNode } from "./ast.js";

/** "always": any outcome (`finished(d)`); "outcome": something else about it, or several things. */
export type OutcomeKind = "failure" | "success" | "always" | "outcome";

/**
 * What a condition asks about dependency `dep`'s outcome. `{{d.success}} == false`, `not {{d.success}}` and
 * `{{d.error}} != null` ask for failure; `{{d.success}} != null` (the DSL's `finished(d)`) for any outcome.
 */
export function classifyOutcome(ast: ConditionNode, dep: string): OutcomeKind {
  const kinds = new Set<OutcomeKind>();
  visit(ast, false);
  if (kinds.size === 1) return [...kinds][0]!;
  return "outcome";

  function visit(node: ConditionNode, negated: boolean): void {
    switch (node.kind) {
      case "not":
        return visit(node.operand, !negated);
      case "logical":
        for (const operand of node.operands) visit(operand, negated);
        return;
      case "reference": {
        // used as a truth value: `{{d.success}}` is true on success, `{{d.error}}` is set on failure
        const fact = outcomeFact(node, dep);
        if (fact) add(fact === "success" ? "success" : "failure", negated);
        return;
      }
      case "comparison": {
        const leftFact = outcomeFact(node.left, dep);
        const rightFact = outcomeFact(node.right, dep);
        const fact = leftFact ?? rightFact;
        if (!fact) return;
        const other = leftFact ? node.right : node.left;
        if (other.kind !== "literal" || (node.op !== "==" && node.op !== "!=")) return void kinds.add("outcome");
        add(compare(fact, node.op, other.value), negated);
        return;
      }
      default:
        return;
    }
  }

  function add(kind: OutcomeKind, negated: boolean): void {
    kinds.add(negated ? negate(kind) : kind);
  }
}

/** What `fact op value` asks for. On success `success` is true and `error` null; on failure false and the message. */
function compare(fact: "success" | "error", op: "==" | "!=", value: unknown): OutcomeKind {
  if (fact === "success" && value === null) return op === "!=" ? "always" : "outcome";
  let kind: OutcomeKind;
  if (fact === "success") kind = value === true ? "success" : value === false ? "failure" : "outcome";
  else kind = value === null ? "success" : "outcome";
  return op === "!=" ? negate(kind) : kind;
}

function negate(kind: OutcomeKind): OutcomeKind {
  return kind === "success" ? "failure" : kind === "failure" ? "success" : kind;
}

function outcomeFact(node: ConditionNode, dep: string): "success" | "error" | undefined {
  if (node.kind !== "reference" || node.ref.root !== dep || node.ref.path.length !== 1) return undefined;
  const field = node.ref.path[0];
  return field === "success" || field === "error" ? field : undefined;
}

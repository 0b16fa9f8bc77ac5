/**
 * @module Drafts to plan nodes, once types are known: parameters (a reference the DSL cannot read kept as text, with
 * a note), conditions in the DSL's helpers (or why they cannot be), and the workflow's inputs.
 */
import type { ComparisonOperator } from "../../src/condition/ast.js";
import { printPlaceholder } from "../../src/condition/print.js";
import type { ConditionOperand, ConditionPlan, ParamNode } from "../../src/codegen/plan.js";
import type { Shape } from "../../src/codegen/value-shape.js";
import type { Reference } from "../../src/placeholder/path.js";
import type { ConditionDraft, OperandDraft } from "./conditions.js";
import type { Draft, Occ, Step, Wf } from "./model.js";
import { kindOf, shapeOfSlot } from "./slots.js";
import { literalKind } from "./typing.js";

/** The parameter node of a draft; records the steps its references read (data) and those kept as text (after). */
export function toNode(d: Draft, wf: Wf, data: Set<number>, after: Set<number>, notes: string[]): ParamNode {
  switch (d.kind) {
    case "literal":
      return { kind: "literal", value: d.value };
    case "ref":
      return occNode(d.occ, wf, data, after, notes);
    case "text": {
      const parts: (string | ParamNode)[] = [];
      for (const p of d.parts) {
        const n = typeof p === "string" ? p : occNode(p, wf, data, after, notes);
        const piece = typeof n !== "string" && n.kind === "literal" ? (n.value as string) : n;
        if (typeof piece === "string" && typeof parts.at(-1) === "string") parts[parts.length - 1] += piece;
        else parts.push(piece);
      }
      if (parts.every((p) => typeof p === "string")) return { kind: "literal", value: parts.join("") };
      return { kind: "text", parts };
    }
    case "object":
      return { kind: "object", entries: d.entries.map(([k, v]) => [k, toNode(v, wf, data, after, notes)] as const) };
    case "array":
      return { kind: "array", items: d.items.map((v) => toNode(v, wf, data, after, notes)) };
  }
}

export const placeholder = (ref: Reference) => printPlaceholder(ref.root, ref.path);

function occNode(o: Occ, wf: Wf, data: Set<number>, after: Set<number>, notes: string[]): ParamNode {
  const stepTarget = o.target.kind === "step" ? o.target.index : undefined;
  if (o.raw) {
    const from = o.from === undefined ? undefined : wf.steps[o.from];
    const waits = stepTarget !== undefined && o.from !== undefined && !from!.back.has(stepTarget);
    if (waits) after.add(stepTarget);
    const note = `${placeholder(o.ref)} is kept as text: ${o.raw}${waits ? `. the step waits for "${wf.steps[stepTarget]!.step.id}" with .after()` : ""}`;
    if (!notes.includes(note)) notes.push(note);
    return { kind: "literal", value: placeholder(o.ref) };
  }
  if (stepTarget !== undefined) {
    if (o.from !== undefined) data.add(stepTarget);
    return { kind: "ref", step: wf.position[stepTarget]!, path: o.ref.path };
  }
  return o.ref.path.length > 0 ? { kind: "input", name: o.ref.root, path: o.ref.path } : { kind: "input", name: o.ref.root };
}

type Planned = { ok: true; plan: ConditionPlan; steps: number[] } | { ok: false; why: string };

/** The DSL form of a drafted condition, once types are known; the steps it reads. */
export function planCondition(draft: ConditionDraft, occs: readonly Occ[], wf: Wf, s: Step): Planned {
  const steps: number[] = [];
  const stepOf = (id: string): number => {
    const i = wf.byId.get(id)!;
    if (s.back.has(i))
      throw new Inexpressible(i === s.index ? "it reads this step's own outcome" : `it reads "${id}", which waits for this step`);
    steps.push(i);
    return wf.position[i]!;
  };
  const occOf = (ref: Reference): Occ => occs.find((o) => o.ref === ref)!;
  const refNode = (ref: Reference): Extract<ParamNode, { kind: "ref" | "input" }> => {
    const o = occOf(ref);
    if (o.raw) throw new Inexpressible(`${placeholder(ref)} cannot be read in the DSL (${o.raw})`);
    if (o.target.kind === "step") return { kind: "ref", step: stepOf(o.ref.root), path: o.ref.path };
    return o.ref.path.length > 0 ? { kind: "input", name: o.ref.root, path: o.ref.path } : { kind: "input", name: o.ref.root };
  };
  const operand = (d: OperandDraft): ConditionOperand => (d.kind === "literal" ? { kind: "literal", value: d.value } : refNode(d.ref));
  const typed = (d: OperandDraft, other: OperandDraft, op: ComparisonOperator): void => {
    if (d.kind !== "ref") return;
    const o = occOf(d.ref);
    if (o.along.length === 0) throw new Inexpressible(`${placeholder(d.ref)} has no type a comparison can use`);
    const k = kindOf(o.along.at(-1)!);
    const facts =
      o.target.kind === "step" &&
      o.along.length === 2 &&
      (o.ref.path[0] === "success" || o.ref.path[0] === "error") &&
      wf.steps[o.target.index]!.role !== "sub";
    if (k.kind === "any" || facts) return;
    if (k.kind !== "prim") throw new Inexpressible(`${placeholder(d.ref)} is not a string, number or boolean`);
    if (other.kind === "literal") {
      const want = literalKind(op, other.value);
      if (want !== k.prim) throw new Inexpressible(`${placeholder(d.ref)} is compared with values of different types`);
    }
  };
  const plan = (d: ConditionDraft): ConditionPlan => {
    switch (d.kind) {
      case "compare":
        typed(d.left, d.right, d.op);
        typed(d.right, d.left, d.op);
        return { kind: "compare", op: d.op, left: operand(d.left), right: operand(d.right) };
      case "isTrue":
        return { kind: "isTrue", value: refNode(d.ref) };
      case "outcome":
        return { kind: "outcome", outcome: d.outcome, step: stepOf(d.step) };
      case "finished":
        return { kind: "finished", steps: d.steps.map(stepOf) };
      case "logical":
        return { kind: "logical", op: d.op, operands: d.operands.map(plan) };
      case "not":
        return { kind: "not", operand: plan(d.operand) };
    }
  };
  try {
    return { ok: true, plan: plan(draft), steps };
  } catch (error) {
    if (error instanceof Inexpressible) return { ok: false, why: error.message };
    throw error;
  }
}

class Inexpressible extends Error {}

/** The workflow's variables and their shapes, in order of first use. */
export function inputShapes(wf: Wf): [string, Shape][] {
  const root = wf.inputRoot.find();
  return [...root.fields].map(([name, slot]) => [name, shapeOfSlot(slot, false)]);
}

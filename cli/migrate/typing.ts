/**
 * @module Migration's third phase: types. Every reference's slots (what it reads), unified across comparisons,
 * sub-workflow calls and declared inputs; what the DSL cannot read is kept as text, with the reason.
 */
import type { ComparisonOperator } from "../../src/condition/ast.js";
import type { JsonValue } from "../../src/model/schema.js";
import { isPlainObject } from "../../src/codegen/value-shape.js";
import type { PathSegment } from "../../src/placeholder/path.js";
import type { ConditionDraft, OperandDraft } from "./conditions.js";
import type { Declared } from "./input-schema.js";
import { allOccs, UNREADABLE, type Draft, type Occ, type Step, type Wf } from "./model.js";
import { comparable, constrain, kindOf, Slot, slotAt, unify, type PrimKind } from "./slots.js";

export interface Typing {
  /** Each tool's output slot. */
  readonly outputs: Map<string, Slot>;
  /** Sub-workflow steps whose variables the sub-workflow's inputs cannot take, with why. */
  readonly misfits: Map<Step, string>;
  /** Workflows whose declared inputs do not describe how their variables are used, with why. */
  readonly inputMisfits: Map<Wf, string>;
}

export function typeAll(order: readonly Wf[], byName: ReadonlyMap<string, Wf>): Typing {
  const outputs = new Map<string, Slot>();
  const outputOf = (tool: string) => {
    let s = outputs.get(tool);
    if (!s) outputs.set(tool, (s = new Slot()));
    return s;
  };
  for (const wf of order) {
    // a fresh start: slots from an earlier round are dropped
    (wf as { inputRoot: Slot }).inputRoot = new Slot();
    for (const o of allOccs(wf)) {
      delete o.raw;
      o.along = [];
    }
  }
  for (const wf of order) if (wf.declared) for (const [k, d] of wf.declared) impose(slotAt(wf.inputRoot, [k]), d);
  const deferred: { step: Step; check: () => string | undefined }[] = [];
  for (const wf of order) {
    for (const o of allOccs(wf)) resolve(o, byName, outputOf);
    for (const s of wf.steps) if (s.role === "sub") bindContext(s, byName.get(s.sub!)!, deferred);
  }
  // literal comparisons first, so that two references compared keep a literal's type when one has it
  const conditions = order.flatMap((wf) => wf.steps.flatMap((s) => (s.condition?.ok ? [s.condition] : [])));
  const compares = conditions.flatMap((c) => comparisons(c.draft).map((cmp) => ({ cmp, occs: c.occs })));
  const slotOf = (d: OperandDraft, occs: readonly Occ[]) => (d.kind === "ref" ? occs.find((o) => o.ref === d.ref) : undefined);
  for (const { cmp, occs } of compares) {
    for (const [a, b] of [
      [cmp.left, cmp.right],
      [cmp.right, cmp.left],
    ] as const) {
      const o = slotOf(a, occs);
      if (o && !o.raw && o.along.length > 0 && b.kind === "literal") constrain(o.along.at(-1)!, literalKind(cmp.op, b.value));
    }
  }
  for (const { cmp, occs } of compares) {
    const l = slotOf(cmp.left, occs);
    const r = slotOf(cmp.right, occs);
    if (l && r && !l.raw && !r.raw && l.along.length > 0 && r.along.length > 0) unify(l.along.at(-1)!, r.along.at(-1)!);
  }
  for (const { cmp, occs } of compares) {
    for (const d of [cmp.left, cmp.right]) {
      const o = slotOf(d, occs);
      if (o && !o.raw && o.along.length > 0) {
        const s = o.along.at(-1)!;
        comparable(s);
        if (cmp.op !== "==" && cmp.op !== "!=" && kindOf(s).kind === "prim" && kindOf(s).prim === "boolean") constrain(s, "any");
      }
    }
  }
  for (const wf of order) {
    for (const o of allOccs(wf)) {
      if (!o.raw && o.along.some((s) => s.find().kind === "conflict"))
        o.raw = `"${o.ref.root}" is read in ways no one type allows (as an object, an array or a compared value)`;
    }
  }
  const misfits = new Map<Step, string>();
  for (const { step, check } of deferred) {
    if (misfits.has(step)) continue;
    const why = check();
    if (why !== undefined) misfits.set(step, why);
  }
  const inputMisfits = new Map<Wf, string>();
  for (const wf of order) {
    if (!wf.declared) continue;
    const why = declaredMisfit(wf.inputRoot, wf.declared);
    if (why !== undefined) inputMisfits.set(wf, why);
  }
  return { outputs, misfits, inputMisfits };
}

/** A variable's declared type, as a constraint on how the workflow (and the workflows that run it) use it. */
function impose(slot: Slot, d: Declared): void {
  switch (d.kind) {
    case "string":
    case "number":
    case "boolean":
      constrain(slot, d.kind);
      break;
    case "array":
      impose(slotAt(slot, [0]), d.items);
      break;
    case "object": {
      const r = slot.find();
      if (r.kind === "free") r.kind = "object";
      for (const [k, f] of d.fields) impose(slotAt(slot, [k]), f);
      break;
    }
  }
}

/** Why the declared types do not describe how the variables are used (a DSL reference of that type would not type-check). */
function declaredMisfit(root: Slot, fields: ReadonlyMap<string, Declared>, where = ""): string | undefined {
  const r = root.find();
  for (const k of r.fields.keys()) if (!fields.has(k)) return `"${where}${k}" is read but not declared`;
  for (const [k, d] of fields) {
    const slot = r.fields.get(k);
    const why = slot && misfit(slot, d, `${where}${k}`);
    if (why) return why;
  }
  return undefined;
}

function misfit(slot: Slot, d: Declared, where: string): string | undefined {
  const r = slot.find();
  if (d.optional && r.kind !== "free") return `"${where}" is optional, and it is compared or read by field`;
  switch (d.kind) {
    case "unknown":
      return r.kind === "free" ? undefined : `"${where}" is declared without a type, and it is compared or read by field`;
    case "string":
    case "number":
    case "boolean":
      return r.kind === "prim" && r.prim === d.kind ? undefined : `"${where}" is declared a ${d.kind}, and used as another type`;
    case "array":
      if (r.kind !== "array" && r.kind !== "free") return `"${where}" is declared an array, and used as another type`;
      return r.item ? misfit(r.item, d.items, `${where}[0]`) : undefined;
    case "object":
      return r.kind === "object" ? declaredMisfit(r, d.fields, `${where}.`) : `"${where}" is declared an object, and used as another type`;
  }
}

/** Stops keeping the declared inputs of workflows that use them otherwise. @returns whether any */
export function rejectInputs(order: readonly Wf[], typing: Typing): boolean {
  let any = false;
  for (const wf of order) {
    const why = typing.inputMisfits.get(wf);
    if (!wf.declared || why === undefined) continue;
    wf.declared = undefined;
    wf.inputsWhy = why;
    any = true;
  }
  return any;
}

/** The kind a slot compared with `value` takes: `<` and friends need numbers or strings. */
export function literalKind(op: ComparisonOperator, value: unknown): PrimKind | "any" {
  const ordering = op !== "==" && op !== "!=";
  if (typeof value === "number" || typeof value === "string") return typeof value as PrimKind;
  if (typeof value === "boolean" && !ordering) return "boolean";
  return "any";
}

function comparisons(d: ConditionDraft): Extract<ConditionDraft, { kind: "compare" }>[] {
  switch (d.kind) {
    case "compare":
      return [d];
    case "logical":
      return d.operands.flatMap(comparisons);
    case "not":
      return comparisons(d.operand);
    default:
      return [];
  }
}

/** Finds what a reference reads (its slots), or why the DSL cannot read it. */
function resolve(o: Occ, byName: ReadonlyMap<string, Wf>, outputOf: (tool: string) => Slot): void {
  const { ref, wf } = o;
  if (o.outcome) return;
  if (o.target.kind === "input") {
    const full = [ref.root, ...ref.path];
    const bad = full.findIndex((seg) => typeof seg === "string" && UNREADABLE.has(seg));
    if (bad >= 0) {
      o.raw = `the DSL cannot read a field named "${String(full[bad])}"`;
      // still a variable of the workflow (read at run time)
      if (bad > 0) walk(wf.inputRoot, full.slice(0, bad));
      return;
    }
    o.along = walk(wf.inputRoot, [ref.root, ...ref.path]);
    return;
  }
  const from = o.from === undefined ? undefined : wf.steps[o.from]!;
  const target = wf.steps[o.target.index]!;
  // a reference kept as text still reads the field at run time: the output schema keeps it
  const keep = () => target.role !== "sub" && walk(outputOf(target.step.toolName), ref.path);
  if (from?.back.has(target.index)) {
    o.raw =
      target.index === from.index
        ? "a step cannot read its own result"
        : `"${target.step.id}" waits for this step, so its result cannot be read here`;
    keep();
    return;
  }
  const bad = ref.path.find((seg) => typeof seg === "string" && UNREADABLE.has(seg));
  if (bad !== undefined) {
    o.raw = `the DSL cannot read a field named "${bad}"`;
    keep();
    return;
  }
  if (target.role !== "sub") {
    o.along = walk(outputOf(target.step.toolName), ref.path);
    return;
  }
  const sub = byName.get(target.sub!)!;
  if (ref.path.length === 0) return; // the whole result: typed by the sub-workflow's outputs
  const key = ref.path[0]!;
  const output = sub.outputs?.entries.find(([k]) => k === key)?.[1];
  if (!output) {
    if (!sub.outputs) {
      o.raw = `sub-workflow "${sub.template.name}" declares no outputs, so its results have no type (declare outputs in it and read those)`;
      // its steps' results are what the step yields: keep the field in that step's output schema
      const inner = typeof key === "string" ? sub.byId.get(key) : undefined;
      if (inner !== undefined && sub.steps[inner]!.role !== "sub") walk(outputOf(sub.steps[inner]!.step.toolName), ref.path.slice(1));
    } else o.raw = `sub-workflow "${sub.template.name}" has no output named "${String(key)}"`;
    return;
  }
  if (output.kind === "ref" && !output.occ.raw && output.occ.along.length > 0) {
    o.along = [...output.occ.along, ...walk(output.occ.along.at(-1)!, ref.path.slice(1)).slice(1)];
    return;
  }
  if (ref.path.length > 1)
    o.raw = `output "${String(key)}" of sub-workflow "${sub.template.name}" is not a reference, so its fields have no type`;
}

/** The slots from `root` along `path` (the root included), marking the last as read whole. */
function walk(root: Slot, path: readonly PathSegment[]): Slot[] {
  const along = [root];
  let s = root;
  for (const seg of path) along.push((s = slotAt(s, [seg])));
  s.find().whole = true;
  return along;
}

/** Unifies the variables a step passes with the sub-workflow's inputs; what cannot be checked yet is deferred. */
function bindContext(s: Step, sub: Wf, deferred: { step: Step; check: () => string | undefined }[]): void {
  const passed = new Set<string>();
  for (const [key, value] of s.context!.entries) {
    passed.add(key);
    bind(value, slotAt(sub.inputRoot, [key]), key);
  }
  deferred.push({
    step: s,
    check: () => {
      const root = sub.inputRoot.find();
      // every input of a DSL workflow is required (z.unknown() too): the sub-workflow reads each one
      for (const k of root.fields.keys()) {
        const declared = sub.declared?.get(k);
        if (!passed.has(k) && !(declared && (declared.optional || declared.default !== undefined)))
          return `it does not pass "${k}", which sub-workflow "${sub.template.name}" reads`;
      }
      return undefined;
    },
  });
  function bind(d: Draft, target: Slot, where: string): void {
    switch (d.kind) {
      case "ref":
        if (!d.occ.raw && d.occ.along.length > 0) unify(d.occ.along.at(-1)!, target);
        // checked once types are known: a reference may yet be kept as text (a string), or have no slot of its own
        deferred.push({
          step: s,
          check: () => (d.occ.raw ? fits(target, "string", where) : d.occ.along.length === 0 ? fits(target, "unknown", where) : undefined),
        });
        break;
      case "text":
        deferred.push({ step: s, check: () => fits(target, "string", where) });
        break;
      case "literal":
        bindLiteral(d.value, target, where);
        break;
      case "object":
        for (const [k, v] of d.entries) bind(v, slotAt(target, [k]), `${where}.${k}`);
        deferred.push({
          step: s,
          check: () =>
            fitsObject(
              target,
              d.entries.map(([k]) => k),
              where,
            ),
        });
        break;
      case "array":
        d.items.forEach((v, i) => bind(v, slotAt(target, [0]), `${where}[${i}]`));
        deferred.push({ step: s, check: () => fitsArray(target, where) });
        break;
    }
  }
  function bindLiteral(value: JsonValue, target: Slot, where: string): void {
    if (isPlainObject(value)) {
      for (const [k, v] of Object.entries(value)) bindLiteral(v as JsonValue, slotAt(target, [k]), `${where}.${k}`);
      deferred.push({ step: s, check: () => fitsObject(target, Object.keys(value), where) });
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => bindLiteral(v, slotAt(target, [0]), `${where}[${i}]`));
      deferred.push({ step: s, check: () => fitsArray(target, where) });
    } else {
      // a DSL input typed unknown does not take a null literal: any does
      if (value === null) constrain(target, "any");
      deferred.push({ step: s, check: () => fits(target, value === null ? "null" : (typeof value as PrimKind), where) });
    }
  }
  /** An object the step passes: the sub-workflow's input there must be an object with no field the step leaves out. */
  function fitsObject(target: Slot, keys: readonly string[], where: string): string | undefined {
    const r = target.find();
    if (r.kind === "free" || r.kind === "any") return undefined;
    if (r.kind !== "object")
      return `sub-workflow "${sub.template.name}" reads "${where}" as ${r.kind === "prim" ? `a ${r.prim}` : r.kind === "array" ? "an array" : "a value no one type describes"}, and this step passes an object`;
    const missing = [...r.fields.keys()].find((k) => !keys.includes(k));
    return missing === undefined
      ? undefined
      : `sub-workflow "${sub.template.name}" reads "${where}.${missing}", which the object this step passes does not have`;
  }
  function fitsArray(target: Slot, where: string): string | undefined {
    const r = target.find();
    if (r.kind === "free" || r.kind === "any" || r.kind === "array") return undefined;
    return `sub-workflow "${sub.template.name}" reads "${where}" as ${r.kind === "prim" ? `a ${r.prim}` : r.kind === "object" ? "an object" : "a value no one type describes"}, and this step passes an array`;
  }
  function fits(target: Slot, kind: PrimKind | "null" | "unknown", where: string): string | undefined {
    const t = kindOf(target);
    if (t.kind === "free" || t.kind === "any" || (t.kind === "prim" && t.prim === kind)) return undefined;
    const expected = t.kind === "prim" ? `a ${t.prim}` : t.kind === "conflict" ? "a value no one type describes" : `an ${t.kind}`;
    return `sub-workflow "${sub.template.name}" reads "${where}" as ${expected}, and this step passes ${kind === "unknown" ? "a value of unknown type" : kind === "null" ? "null" : `a ${kind}`}`;
  }
}

/** Turns sub-workflow steps that do not fit back into tool steps. @returns whether any did */
export function demote(order: readonly Wf[], typing: Typing): boolean {
  let any = false;
  for (const wf of order) {
    for (const s of wf.steps) {
      const why = typing.misfits.get(s);
      if (s.role !== "sub" || why === undefined) continue;
      s.role = "exec";
      s.execWhy = `${why}: it stays a step of the execute_workflow tool`;
      any = true;
    }
  }
  return any;
}

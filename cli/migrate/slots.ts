/**
 * @module The types `weave migrate` gives the values a workflow reads, found from how they are used (unification):
 * a slot is a tool's output (or a field of it) or a workflow's input. Reading `{{build.meta.tags[0]}}` makes
 * `meta` an object and `tags` an array; comparing with a literal types a slot (`{{replicas}} >= 3`: a number);
 * two slots that meet (compared with each other, or a value passed to a sub-workflow's input) become one.
 * A slot used in incompatible ways is a `conflict`: references through it cannot be typed.
 */
import type { PathSegment } from "../../src/placeholder/path.js";
import type { Field, Shape } from "../../src/codegen/value-shape.js";

export type PrimKind = "number" | "string" | "boolean";
type Kind = "free" | "object" | "array" | "prim" | "any" | "conflict";

export class Slot {
  parent: Slot | undefined;
  kind: Kind = "free";
  prim: PrimKind | undefined;
  readonly fields = new Map<string, Slot>();
  item: Slot | undefined;
  /** Read as a whole value (not only field by field): an output schema must then keep fields it does not list. */
  whole = false;

  /** The representative of the slots unified with this one. */
  find(): Slot {
    let s: Slot = this;
    while (s.parent) s = s.parent;
    let c: Slot = this;
    while (c.parent) {
      const next: Slot = c.parent;
      c.parent = s;
      c = next;
    }
    return s;
  }
}

/** The slot of `path` under `slot`, created as needed (making its parents objects or arrays). */
export function slotAt(slot: Slot, path: readonly PathSegment[]): Slot {
  let s = slot;
  for (const seg of path) s = child(s, seg);
  return s;
}

function child(slot: Slot, seg: PathSegment): Slot {
  const r = slot.find();
  if (typeof seg === "number") {
    if (r.kind === "free") r.kind = "array";
    else if (r.kind !== "array") r.kind = "conflict";
    return (r.item ??= new Slot());
  }
  if (r.kind === "free") r.kind = "object";
  else if (r.kind !== "object") r.kind = "conflict";
  let f = r.fields.get(seg);
  if (!f) r.fields.set(seg, (f = new Slot()));
  return f;
}

/** Whether every slot along `path` (and the one at its end) is usable: no conflict. */
export function pathTypable(slot: Slot, path: readonly PathSegment[]): boolean {
  let s: Slot | undefined = slot.find();
  for (const seg of path) {
    if (s.kind === "conflict") return false;
    s = typeof seg === "number" ? s.item?.find() : s.fields.get(seg)?.find();
    if (!s) return false;
  }
  return s.kind !== "conflict";
}

/** Makes `a` and `b` one slot. */
export function unify(a: Slot, b: Slot): void {
  const ra = a.find();
  const rb = b.find();
  if (ra === rb) return;
  // a value that would contain itself (`x` is `x.f`): no finite type, so a conflict
  if (contains(ra, rb, new Set()) || contains(rb, ra, new Set())) {
    ra.kind = rb.kind = "conflict";
    return;
  }
  rb.parent = ra;
  ra.whole ||= rb.whole;
  const kind = mergeKind(ra, rb);
  ra.prim = kind.prim;
  ra.kind = kind.kind;
  for (const [k, f] of rb.fields) {
    const mine = ra.fields.get(k);
    if (mine) unify(mine, f);
    else ra.fields.set(k, f);
  }
  if (rb.item) {
    if (ra.item) unify(ra.item, rb.item);
    else ra.item = rb.item;
  }
}

/** Whether `target` is a slot below `root` (each compared as its representative). */
function contains(root: Slot, target: Slot, seen: Set<Slot>): boolean {
  for (const c of [...root.fields.values(), ...(root.item ? [root.item] : [])]) {
    const r = c.find();
    if (r === target) return true;
    if (seen.has(r)) continue;
    seen.add(r);
    if (contains(r, target, seen)) return true;
  }
  return false;
}

function mergeKind(a: Slot, b: Slot): { kind: Kind; prim: PrimKind | undefined } {
  if (a.kind === "conflict" || b.kind === "conflict") return { kind: "conflict", prim: undefined };
  if (a.kind === "free") return { kind: b.kind, prim: b.prim };
  if (b.kind === "free") return { kind: a.kind, prim: a.prim };
  if (a.kind === "prim" && b.kind === "prim") return a.prim === b.prim ? { kind: "prim", prim: a.prim } : { kind: "any", prim: undefined };
  if ((a.kind === "any" || a.kind === "prim") && (b.kind === "any" || b.kind === "prim")) return { kind: "any", prim: undefined };
  if (a.kind === b.kind) return { kind: a.kind, prim: undefined };
  return { kind: "conflict", prim: undefined };
}

/** The slot is compared with a literal of this kind ("any": with null, or in a way no one type allows). */
export function constrain(slot: Slot, kind: PrimKind | "any"): void {
  const r = slot.find();
  if (r.kind === "free") {
    if (kind === "any") r.kind = "any";
    else Object.assign(r, { kind: "prim", prim: kind });
  } else if (r.kind === "prim") {
    if (r.prim !== kind) Object.assign(r, { kind: "any", prim: undefined });
  } else if (r.kind === "object" || r.kind === "array") r.kind = "conflict";
}

/** The slot is compared with another: it must be a string, number or boolean, or `any`. */
export function comparable(slot: Slot): void {
  const r = slot.find();
  if (r.kind === "free") r.kind = "any";
  else if (r.kind === "object" || r.kind === "array") r.kind = "conflict";
}

export function kindOf(slot: Slot): { kind: Kind; prim: PrimKind | undefined } {
  const r = slot.find();
  return { kind: r.kind, prim: r.prim };
}

/** Fields the engine provides when a result lacks them (`{{s.success}}`, `{{s.error}}`): optional in an output schema. */
const FACTS = new Set(["success", "error"]);

/**
 * The shape of a slot, as the emitted zod schema. `output`: the slot is a tool's output, whose `success` and `error`
 * fields the engine fills in when the result lacks them (so the schema accepts them missing), and whose objects
 * read whole keep the fields they do not list.
 */
export function shapeOfSlot(slot: Slot, output: boolean, depth = 0, visiting = new Set<Slot>()): Shape {
  const facts = output && depth === 0;
  const r = slot.find();
  if (depth > 64 || visiting.has(r)) return { kind: "unknown" };
  switch (r.kind) {
    case "free":
    case "conflict":
      return { kind: "unknown" };
    case "any":
      return { kind: "any" };
    case "prim":
      return { kind: r.prim! };
    case "array": {
      visiting.add(r);
      const items: Shape = r.item ? shapeOfSlot(r.item, output, depth + 1, visiting) : { kind: "unknown" };
      visiting.delete(r);
      return { kind: "array", items };
    }
    case "object": {
      const fields = new Map<string, Field>();
      visiting.add(r);
      for (const [k, f] of r.fields) {
        let shape = shapeOfSlot(f, output, depth + 1, visiting);
        let optional = false;
        if (facts && FACTS.has(k)) {
          if (shape.kind === "string" || shape.kind === "number" || shape.kind === "boolean") shape = { kind: "any" };
          else if (shape.kind === "object" || shape.kind === "array") optional = true;
        }
        fields.set(k, { shape, optional });
      }
      visiting.delete(r);
      return output && r.whole ? { kind: "object", fields, open: true } : { kind: "object", fields };
    }
  }
}

/**
 * @module `weave migrate`: workflows of the original system (or of toolweave's own template format) to the current
 * template format and to DSL plans (`SourcePlan`, written as TypeScript by `modules.ts`).
 *
 * Both outputs describe the same workflow. The template is the input in canonical form: steps in an order in which
 * each comes after what it waits for, `dependsOn` in step order, conditions written as the DSL writes them
 * (`{{d.success}} == False` → `{{d.success}} == false`), placeholders without inner spaces, the variables' JSON
 * Schema as `inputs`. The DSL source compiles to that template except for the dependencies the references make
 * explicit: a step that read another's result without depending on it (a hidden dependency: a race) now waits
 * for it, and so does one that waited for it only through other steps. Whatever the DSL cannot express stays
 * working (a reference kept as text, with `.after()` to keep the order) and is reported as a note, written into
 * the source as a `// TODO(migrate):` comment.
 */
import { z } from "zod";
import { parseCondition } from "../condition/index.js";
import type { ComparisonOperator } from "../condition/ast.js";
import { classifyOutcome } from "../graph/model.js";
import { EXECUTE_WORKFLOW } from "../model/compile-step.js";
import type { JsonValue } from "../model/schema.js";
import { WorkflowStep } from "../model/step.js";
import { WorkflowTemplate } from "../model/template.js";
import { conditionText, paramJson, type ConditionOperand, type ConditionPlan, type ParamNode, type PlannedStep, type PlannedTool, type SourcePlan } from "../patterns/plan.js";
import { isPlainObject, merge, shapeOf, zodOf, type Shape } from "../patterns/value-shape.js";
import { parseText } from "../template/placeholders.js";
import { formatPath, type PathSegment, type Reference } from "../template/path.js";
import { draftCondition, type ConditionDraft, type OperandDraft } from "./conditions.js";
import { declaredSource, readDeclaredInputs, type Declared } from "./input-schema.js";
import { comparable, constrain, kindOf, shapeOfSlot, Slot, slotAt, unify, type PrimKind } from "./slots.js";

/** The workflows of one input file. */
export interface MigrationSource {
  readonly file: string;
  readonly workflows: readonly WorkflowTemplate[];
}

/** Something migration changed or could not carry over, for the user to read. */
export interface MigrationNote {
  readonly file: string;
  readonly workflow: string;
  /** The step concerned: its index among the workflow's steps as read, and its id. */
  readonly step?: { readonly index: number; readonly id: string };
  readonly message: string;
}

/** A dependency the DSL source declares and the template does not: the step read the other's result. */
export interface ExplicitDependency {
  readonly step: string;
  readonly on: string;
  /** It already waited for it through other steps (the dependency was implicit, not hidden). */
  readonly transitive: boolean;
}

export interface MigratedWorkflow {
  readonly name: string;
  readonly file: string;
  /** The workflow in the current template format (what `--emit json` writes). */
  readonly template: WorkflowTemplate;
  /** What its DSL source is written from; the source builds `template` plus `explicitDependencies`. */
  readonly plan: SourcePlan;
  readonly explicitDependencies: readonly ExplicitDependency[];
  /** Steps whose condition the source leaves out (the DSL cannot express it; a note says why). */
  readonly droppedConditions: readonly string[];
  /** Workflows it runs as `.workflow(...)` steps. */
  readonly subWorkflows: readonly string[];
  /** Tools its steps call, in order of first use. */
  readonly tools: readonly string[];
}

export interface Migration {
  /** In input order. */
  readonly workflows: readonly MigratedWorkflow[];
  /** Every tool, with the schemas inferred from all its uses. */
  readonly tools: ReadonlyMap<string, PlannedTool>;
  /** What to tell the user, for each output format. */
  readonly notes: { readonly json: readonly MigrationNote[]; readonly ts: readonly MigrationNote[] };
}

/** Input migration cannot take (two workflows of one name, a parameter key TypeScript cannot write). */
export class MigrationError extends Error {
  override readonly name = "MigrationError";
  constructor(readonly problems: readonly MigrationNote[]) {
    super(problems.map((p) => `${p.file}: workflow "${p.workflow}": ${p.step ? `steps[${p.step.index}] "${p.step.id}": ` : ""}${p.message}`).join("\n"));
  }
}

/** Path segments a DSL reference cannot read: the run-time reference treats them as methods (or as a promise's). */
const UNREADABLE = new Set(["then", "toString", "valueOf", "toJSON"]);
const EMPTY_OBJECT: Shape = { kind: "object", fields: new Map() };

type Target = { readonly kind: "step"; readonly index: number } | { readonly kind: "input" };

/** One `{{...}}` of a workflow (in a parameter, a condition or an output). */
interface Occ {
  readonly ref: Reference;
  readonly wf: Wf;
  /** The step that holds it; undefined in the outputs. */
  readonly from: number | undefined;
  readonly target: Target;
  /** Why it stays text in the source (set when the DSL cannot read it). */
  raw?: string;
  /** Slots from the root of what it reads to the value it reads (empty: typed by the source itself). */
  along: Slot[];
  /** A `{{s.success}}` that a condition helper (failed, succeeded, finished) stands for: it reads no result. */
  outcome?: true;
  /** In the step's condition (a condition left out of the source keeps its references among the parameters'). */
  inCondition?: true;
}

type Draft =
  | { readonly kind: "literal"; readonly value: JsonValue }
  | { readonly kind: "ref"; readonly occ: Occ }
  | { readonly kind: "text"; readonly parts: readonly (string | Occ)[] }
  | { readonly kind: "object"; readonly entries: readonly (readonly [string, Draft])[] }
  | { readonly kind: "array"; readonly items: readonly Draft[] };
type ObjectDraft = Extract<Draft, { kind: "object" }>;

interface Step {
  readonly index: number;
  readonly step: WorkflowStep;
  /** "sub": runs a migrated workflow with `.workflow()`; "exec": execute_workflow kept as a tool step. */
  role: "tool" | "sub" | "exec";
  /** For execute_workflow steps that name a migrated workflow. */
  readonly sub: string | undefined;
  /** Why an execute_workflow step stays a tool step. */
  execWhy: string | undefined;
  /** All the parameters; the sub-workflow's variables (`context`) for a sub step. */
  readonly params: ObjectDraft;
  readonly context: ObjectDraft | undefined;
  readonly condition: { ok: true; draft: ConditionDraft; occs: Occ[] } | { ok: false; why: string } | null;
  readonly paramOccs: Occ[];
  /** Steps it reads (params and condition), in order, original indexes. */
  readonly reads: number[];
  /** Steps it reads that wait for it: cannot be dependencies. */
  readonly back: Set<number>;
}

interface Wf {
  readonly file: string;
  readonly template: WorkflowTemplate;
  readonly steps: Step[];
  readonly byId: ReadonlyMap<string, number>;
  readonly outputs: ObjectDraft | undefined;
  readonly outputOccs: Occ[];
  readonly inputRoot: Slot;
  /** The template's own `inputs`, when they can be written as zod and kept (`inputsWhy`: why not). */
  declared: ReadonlyMap<string, Declared> | undefined;
  inputsWhy: string | undefined;
  /** Original indexes in declaration order. */
  order: number[];
  /** Original index → declaration index. */
  position: number[];
}

/**
 * Migrates every workflow of `sources` together (sub-workflows are found among them).
 * @throws MigrationError for two workflows with one name, or a parameter key `__proto__`
 */
export function migrate(sources: readonly MigrationSource[]): Migration {
  const wfs: Wf[] = [];
  const problems: MigrationNote[] = [];
  const byName = new Map<string, Wf>();
  for (const source of sources) {
    for (const template of source.workflows) {
      const first = byName.get(template.name);
      if (first) {
        problems.push({ file: source.file, workflow: template.name, message: `a workflow of this name is also in ${first.file}: names must be unique` });
        continue;
      }
      const wf = readWorkflow(source.file, template, problems);
      byName.set(template.name, wf);
      wfs.push(wf);
    }
  }
  if (problems.length > 0) throw new MigrationError(problems);

  for (const wf of wfs) for (const s of wf.steps) decideRole(s, byName);
  breakCallCycles(wfs, byName);
  for (const wf of wfs) orderSteps(wf);
  const order = callOrder(wfs, byName);

  for (const wf of wfs) {
    const enums = wf.declared && [...wf.declared.values()].some(function hasEnum(d: Declared): boolean {
      return (d.kind === "string" && d.enum !== undefined) || (d.kind === "array" && hasEnum(d.items)) || (d.kind === "object" && [...d.fields.values()].some(hasEnum));
    });
    if (enums && wfs.some((w) => w.steps.some((st) => st.role === "sub" && st.sub === wf.template.name))) {
      wf.declared = undefined;
      wf.inputsWhy = "it declares an enum and runs as a sub-workflow (a caller's value would need that type)";
    }
  }
  // Typing can turn a sub-workflow step back into a tool step (variables its inputs cannot take), or show that a
  // workflow uses its variables against their declared types; then type again.
  let typing = typeAll(order, byName);
  while (demote(order, typing) || rejectInputs(order, typing)) typing = typeAll(order, byName);

  const jsonNotes: MigrationNote[] = [];
  const tsNotes: MigrationNote[] = [];
  const workflows = new Map<Wf, MigratedWorkflow>();
  for (const wf of order) workflows.set(wf, buildWorkflow(wf, jsonNotes, tsNotes));
  const tools = toolPlans(order, typing);
  const rank = new Map(wfs.map((w, i) => [w, i]));
  const byPlace = (a: MigrationNote, b: MigrationNote) =>
    rank.get(byName.get(a.workflow)!)! - rank.get(byName.get(b.workflow)!)! || (a.step?.index ?? -1) - (b.step?.index ?? -1);
  return { workflows: wfs.map((w) => workflows.get(w)!), tools, notes: { json: jsonNotes.sort(byPlace), ts: tsNotes.sort(byPlace) } };
}

// ---------------------------------------------------------------------------------------------------------------
// Reading

function readWorkflow(file: string, template: WorkflowTemplate, problems: MigrationNote[]): Wf {
  const byId = new Map(template.steps.map((s, i) => [s.id, i]));
  const declared = template.inputs ? readDeclaredInputs(template.inputs) : undefined;
  const wf: Wf = {
    file, template, steps: [], byId, outputs: undefined, outputOccs: [], inputRoot: new Slot(), order: [], position: [],
    declared, inputsWhy: template.inputs && !declared ? "it uses JSON Schema the migration does not convert" : undefined,
  };
  const isStep = (root: string) => byId.has(root);
  template.steps.forEach((step, index) => {
    const paramOccs: Occ[] = [];
    const problem = (message: string) => problems.push({ file, workflow: template.name, step: { index, id: step.id }, message });
    const occ = (ref: Reference): Occ => {
      const o: Occ = { ref, wf, from: index, target: isStep(ref.root) ? { kind: "step", index: byId.get(ref.root)! } : { kind: "input" }, along: [] };
      paramOccs.push(o);
      return o;
    };
    const isExec = step.toolName === EXECUTE_WORKFLOW;
    const { workflow: subName, context, ...extra } = step.parameters;
    // an inline sub-workflow template has placeholders of its own: it is a constant of this step
    const params = draftValue(step.parameters, occ, isExec && typeof subName !== "string" ? ["workflow"] : [], problem) as ObjectDraft;
    const isSub = isExec && typeof subName === "string" && !subName.includes("{{") && Object.keys(extra).length === 0 && (context === undefined || isPlainObject(context));
    const contextDraft = isSub ? (context === undefined ? EMPTY : (params.entries.find(([k]) => k === "context")![1] as ObjectDraft)) : undefined;
    let condition: Step["condition"] = null;
    if (step.condition !== null) {
      const compiled = parseCondition(step.condition);
      const drafted = draftCondition(compiled.ast, isStep);
      if (drafted.ok) condition = { ok: true, draft: drafted.draft, occs: [] };
      else condition = { ok: false, why: drafted.why };
      // every step the condition reads is read by the step (the DSL makes it a dependency)
      const occs = compiled.references.map((ref): Occ => ({ ref, wf, from: index, target: isStep(ref.root) ? { kind: "step", index: byId.get(ref.root)! } : { kind: "input" }, along: [], inCondition: true }));
      if (condition.ok) {
        condition.occs = occs;
        const outcomes = new Set(outcomeRefs(drafted.ok ? drafted.draft : undefined));
        for (const o of occs) if (outcomes.has(o.ref)) o.outcome = true;
      } else paramOccs.push(...occs); // kept for the dependencies and the inputs, though the condition is left out
    }
    const reads: number[] = [];
    for (const o of [...paramOccs, ...(condition?.ok ? condition.occs : [])]) if (o.target.kind === "step" && !reads.includes(o.target.index)) reads.push(o.target.index);
    wf.steps.push({
      index, step, role: isSub ? "sub" : isExec ? "exec" : "tool", sub: isSub ? subName : undefined, execWhy: undefined,
      params, context: contextDraft, condition, paramOccs, reads, back: new Set(),
    });
  });
  if (template.outputs && Object.keys(template.outputs).length > 0) {
    const occs: Occ[] = [];
    const outputs = draftValue(template.outputs, (ref) => {
      const o: Occ = { ref, wf, from: undefined, target: isStep(ref.root) ? { kind: "step", index: byId.get(ref.root)! } : { kind: "input" }, along: [] };
      occs.push(o);
      return o;
    }, [], (message) => problems.push({ file, workflow: template.name, message: `outputs: ${message}` })) as ObjectDraft;
    (wf as { outputs: ObjectDraft | undefined }).outputs = outputs;
    wf.outputOccs.push(...occs);
  }
  return wf;
}

const EMPTY: ObjectDraft = { kind: "object", entries: [] };

/** A parameter value as a draft: strings with placeholders become references or text. `constants`: top-level keys kept as they are. */
function draftValue(value: JsonValue, occ: (ref: Reference) => Occ, constants: readonly string[], problem: (message: string) => void, top = true): Draft {
  if (typeof value === "string") {
    if (!value.includes("{{")) return { kind: "literal", value };
    const parts = parseText(value);
    if (parts.length === 1 && typeof parts[0] !== "string") return { kind: "ref", occ: occ(parts[0]!) };
    return { kind: "text", parts: parts.map((p) => (typeof p === "string" ? p : occ(p))) };
  }
  if (Array.isArray(value)) return { kind: "array", items: value.map((v) => draftValue(v, occ, [], problem, false)) };
  if (value !== null && typeof value === "object") {
    const entries: [string, Draft][] = [];
    for (const [k, v] of Object.entries(value)) {
      if (k === "__proto__") problem(`the key "__proto__" cannot be written in TypeScript (an object literal would set its prototype): rename it`);
      entries.push([k, top && constants.includes(k) ? { kind: "literal", value: v } : draftValue(v, occ, [], problem, false)]);
    }
    return { kind: "object", entries };
  }
  return { kind: "literal", value };
}

// ---------------------------------------------------------------------------------------------------------------
// Sub-workflows

function decideRole(s: Step, byName: ReadonlyMap<string, Wf>): void {
  if (s.step.toolName !== EXECUTE_WORKFLOW) return;
  const { workflow: name, context, ...extra } = s.step.parameters;
  if (s.role === "sub" && byName.has(s.sub!)) return;
  s.role = "exec";
  if (typeof name === "string" && !byName.has(name)) {
    s.execWhy = `it runs workflow "${name}", which is not among the migrated files: migrate it with this one to make this a .workflow() step, or run with a library that has it`;
  } else if (typeof name !== "string") {
    s.execWhy = "it runs a sub-workflow written inline: save it as a workflow of its own and migrate the two together to make this a .workflow() step";
  } else if (Object.keys(extra).length > 0) {
    s.execWhy = `it passes parameters other than workflow and context (${Object.keys(extra).map((k) => `"${k}"`).join(", ")}), which a .workflow() step cannot`;
  } else if (!isPlainObject(context)) {
    s.execWhy = "its context is not an object of variables, as a .workflow() step needs";
  } else {
    s.execWhy = "it names the workflow with a placeholder";
  }
}

/** Sub-workflow calls that close a cycle (a workflow that runs itself, directly or not) stay tool steps. */
function breakCallCycles(wfs: readonly Wf[], byName: ReadonlyMap<string, Wf>): void {
  const state = new Map<Wf, "active" | "done">();
  const visit = (wf: Wf): void => {
    state.set(wf, "active");
    for (const s of wf.steps) {
      if (s.role !== "sub") continue;
      const sub = byName.get(s.sub!)!;
      if (state.get(sub) === "active") {
        s.role = "exec";
        s.execWhy = `it runs workflow "${sub.template.name}", which ${sub === wf ? "is this workflow" : "runs this one"}: the DSL cannot declare a workflow that runs itself`;
      } else if (!state.has(sub)) visit(sub);
    }
    state.set(wf, "done");
  };
  for (const wf of wfs) if (!state.has(wf)) visit(wf);
}

/** The workflows with each sub-workflow before the workflows that run it, otherwise in input order. */
function callOrder(wfs: readonly Wf[], byName: ReadonlyMap<string, Wf>): Wf[] {
  const out: Wf[] = [];
  const seen = new Set<Wf>();
  const visit = (wf: Wf): void => {
    if (seen.has(wf)) return;
    seen.add(wf);
    for (const s of wf.steps) if (s.role === "sub") visit(byName.get(s.sub!)!);
    out.push(wf);
  };
  for (const wf of wfs) visit(wf);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Order

/**
 * Finds the reads that cannot become dependencies (of a step that waits for the reader: a cycle), and an order
 * in which every step comes after what it waits for and reads, otherwise the original order.
 */
function orderSteps(wf: Wf): void {
  const n = wf.steps.length;
  const succ: Set<number>[] = wf.steps.map(() => new Set());
  for (const s of wf.steps) for (const d of s.step.dependsOn) succ[wf.byId.get(d)!]!.add(s.index);
  const reaches = (from: number, to: number): boolean => {
    const seen = new Set([from]);
    const stack = [from];
    while (stack.length > 0) {
      const x = stack.pop()!;
      if (x === to) return true;
      for (const y of succ[x]!) if (!seen.has(y)) seen.add(y), stack.push(y);
    }
    return false;
  };
  for (const s of wf.steps) {
    for (const r of s.reads) {
      if (r === s.index || reaches(s.index, r)) s.back.add(r);
      else succ[r]!.add(s.index);
    }
  }
  const indegree = new Array<number>(n).fill(0);
  for (const set of succ) for (const y of set) indegree[y]!++;
  const ready = wf.steps.filter((s) => indegree[s.index] === 0).map((s) => s.index);
  const order: number[] = [];
  while (ready.length > 0) {
    ready.sort((a, b) => a - b);
    const x = ready.shift()!;
    order.push(x);
    for (const y of succ[x]!) if (--indegree[y]! === 0) ready.push(y);
  }
  wf.order = order;
  wf.position = new Array<number>(n);
  order.forEach((x, i) => (wf.position[x] = i));
}

// ---------------------------------------------------------------------------------------------------------------
// Types

interface Typing {
  /** Each tool's output slot. */
  readonly outputs: Map<string, Slot>;
  /** Sub-workflow steps whose variables the sub-workflow's inputs cannot take, with why. */
  readonly misfits: Map<Step, string>;
  /** Workflows whose declared inputs do not describe how their variables are used, with why. */
  readonly inputMisfits: Map<Wf, string>;
}

function typeAll(order: readonly Wf[], byName: ReadonlyMap<string, Wf>): Typing {
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
    for (const [a, b] of [[cmp.left, cmp.right], [cmp.right, cmp.left]] as const) {
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
        if ((cmp.op !== "==" && cmp.op !== "!=") && kindOf(s).kind === "prim" && kindOf(s).prim === "boolean") constrain(s, "any");
      }
    }
  }
  for (const wf of order) {
    for (const o of allOccs(wf)) {
      if (!o.raw && o.along.some((s) => s.find().kind === "conflict")) o.raw = `"${o.ref.root}" is read in ways no one type allows (as an object, an array or a compared value)`;
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
function rejectInputs(order: readonly Wf[], typing: Typing): boolean {
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

function allOccs(wf: Wf): Occ[] {
  return [...wf.steps.flatMap((s) => [...s.paramOccs, ...(s.condition?.ok ? s.condition.occs : [])]), ...wf.outputOccs];
}

/** The kind a slot compared with `value` takes: `<` and friends need numbers or strings. */
function literalKind(op: ComparisonOperator, value: unknown): PrimKind | "any" {
  const ordering = op !== "==" && op !== "!=";
  if (typeof value === "number" || typeof value === "string") return typeof value as PrimKind;
  if (typeof value === "boolean" && !ordering) return "boolean";
  return "any";
}

/** The `{{s.success}}` references that outcome helpers stand for. */
function outcomeRefs(d: ConditionDraft | undefined): Reference[] {
  if (!d) return [];
  switch (d.kind) {
    case "outcome":
    case "finished":
      return [...d.refs];
    case "logical":
      return d.operands.flatMap(outcomeRefs);
    case "not":
      return outcomeRefs(d.operand);
    default:
      return [];
  }
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
    o.raw = target.index === from.index ? "a step cannot read its own result" : `"${target.step.id}" waits for this step, so its result cannot be read here`;
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
  if (ref.path.length > 1) o.raw = `output "${String(key)}" of sub-workflow "${sub.template.name}" is not a reference, so its fields have no type`;
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
        if (!passed.has(k) && !(declared && (declared.optional || declared.default !== undefined))) return `it does not pass "${k}", which sub-workflow "${sub.template.name}" reads`;
      }
      return undefined;
    },
  });
  function bind(d: Draft, target: Slot, where: string): void {
    switch (d.kind) {
      case "ref":
        if (!d.occ.raw && d.occ.along.length > 0) unify(d.occ.along.at(-1)!, target);
        // checked once types are known: a reference may yet be kept as text (a string), or have no slot of its own
        deferred.push({ step: s, check: () => (d.occ.raw ? fits(target, "string", where) : d.occ.along.length === 0 ? fits(target, "unknown", where) : undefined) });
        break;
      case "text":
        deferred.push({ step: s, check: () => fits(target, "string", where) });
        break;
      case "literal":
        bindLiteral(d.value, target, where);
        break;
      case "object":
        for (const [k, v] of d.entries) bind(v, slotAt(target, [k]), `${where}.${k}`);
        deferred.push({ step: s, check: () => fitsObject(target, d.entries.map(([k]) => k), where) });
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
    if (r.kind !== "object") return `sub-workflow "${sub.template.name}" reads "${where}" as ${r.kind === "prim" ? `a ${r.prim}` : r.kind === "array" ? "an array" : "a value no one type describes"}, and this step passes an object`;
    const missing = [...r.fields.keys()].find((k) => !keys.includes(k));
    return missing === undefined ? undefined : `sub-workflow "${sub.template.name}" reads "${where}.${missing}", which the object this step passes does not have`;
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
function demote(order: readonly Wf[], typing: Typing): boolean {
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

// ---------------------------------------------------------------------------------------------------------------
// Plans

function buildWorkflow(wf: Wf, jsonNotes: MigrationNote[], tsNotes: MigrationNote[]): MigratedWorkflow {
  const { template } = wf;
  const ids = wf.order.map((i) => wf.steps[i]!.step.id);
  const note = (list: MigrationNote[], s: Step | undefined, message: string) =>
    list.push({ file: wf.file, workflow: template.name, ...(s ? { step: { index: s.index, id: s.step.id } } : {}), message });
  const at = (s: Step) => `steps[${s.index}] "${s.step.id}"`;
  const declared = wf.steps.map((s) => new Set(s.step.dependsOn.map((d) => wf.byId.get(d)!)));
  const ancestors = ancestorSets(wf, declared);

  const steps: PlannedStep[] = [];
  const jsonSteps: WorkflowStep[] = [];
  const explicit: ExplicitDependency[] = [];
  const dropped: string[] = [];
  const subWorkflows: string[] = [];
  const tools: string[] = [];
  for (const index of wf.order) {
    const s = wf.steps[index]!;
    const notes: string[] = [];
    const dataDeps = new Set<number>();
    const afterDeps = new Set<number>();
    const node = (d: Draft): ParamNode => toNode(d, wf, dataDeps, afterDeps, notes);
    const params = node(s.role === "sub" ? s.context! : s.params) as Extract<ParamNode, { kind: "object" }>;
    let condition: ConditionPlan | undefined;
    let conditionJson = template.steps[index]!.condition;
    if (s.condition) {
      const planned = s.condition.ok ? planCondition(s.condition.draft, s.condition.occs, wf, s) : { ok: false as const, why: s.condition.why };
      if (planned.ok) {
        condition = planned.plan;
        for (const d of planned.steps) dataDeps.add(d);
        conditionJson = conditionText(planned.plan, ids);
      } else {
        notes.push(`the condition ${JSON.stringify(s.step.condition)} is left out: ${planned.why}, which the DSL's condition helpers cannot express. without it the step runs whenever its dependencies complete: rewrite it with eq, gt, and, failed(step), ...`);
        for (const r of s.reads) if (!s.back.has(r)) afterDeps.add(r);
        dropped.push(s.step.id);
      }
    }
    for (const d of declared[index]!) afterDeps.add(d);
    for (const d of dataDeps) afterDeps.delete(d);
    const after = [...afterDeps].map((d) => wf.position[d]!).sort((a, b) => a - b);
    const dependsOn = [...new Set([...dataDeps].map((d) => wf.position[d]!).concat(after))].sort((a, b) => a - b);
    if (s.role === "exec" && s.execWhy) notes.push(s.execWhy);
    if (s.role === "sub") {
      if (!subWorkflows.includes(s.sub!)) subWorkflows.push(s.sub!);
    } else if (!tools.includes(s.step.toolName)) tools.push(s.step.toolName);

    // what the source declares beyond the template: the reads that now wait
    for (const d of dependsOn.map((p) => wf.order[p]!)) {
      if (declared[index]!.has(d)) continue;
      const other = wf.steps[d]!;
      const transitive = ancestors[index]!.has(d);
      explicit.push({ step: s.step.id, on: other.step.id, transitive });
      if (transitive) {
        const through = [...declared[index]!].map((x) => wf.steps[x]!).find((x) => ancestors[x.index]!.has(d));
        note(tsNotes, s, `${at(s)} read "${other.step.id}" without depending on it directly (it waited for it through "${through?.step.id}"): the dependency is now declared`);
      } else {
        note(tsNotes, s, `${at(s)} read "${other.step.id}" without depending on it: it now waits for it`);
        const inParams = s.paramOccs.some((o) => o.target.kind === "step" && o.target.index === d && !o.inCondition);
        note(jsonNotes, s, `${at(s)} reads "${other.step.id}" without depending on it: a race (weave lint: ${inParams ? "hidden-dependency" : "condition-scope"}); --emit ts makes it a dependency`);
      }
    }
    for (const b of s.back) {
      const other = wf.steps[b]!;
      const message =
        b === index
          ? `${at(s)} reads its own result: the reference cannot resolve (the original read "")`
          : `${at(s)} reads "${other.step.id}", which waits for it: the reference cannot resolve (the original read "")`;
      note(jsonNotes, s, message);
      note(tsNotes, s, message);
    }
    for (const r of failedResultReads(wf, s)) {
      const id = r.source.step.id;
      const json = r.fields.map((f) => `"${placeholder({ text: "", root: id, path: f })}"`).join(", ");
      note(jsonNotes, s, `${at(s)} runs only when "${id}" failed, but reads ${json} from its result: a failed step has a result only when its tool throws ToolError(message, { result }), otherwise the reference cannot resolve and this step fails too (weave lint: failed-step-result). read "{{${id}.error}}" (the failure's message) instead, or have the tool throw a ToolError whose result has ${r.fields.length === 1 ? "that field" : "those fields"}`);
      const fields = r.fields.map((f) => (f.length === 0 ? "the whole result" : formatPath(f))).join(", ");
      notes.push(`this step runs only when "${id}" failed, but reads ${fields} of its result: a failed step has a result only when its tool's run throws fail(message, { result }) (a ToolError); otherwise the reference cannot resolve and this step fails too. read .error of "${id}" (the failure's message) instead, or make the tool fail with a result that has ${r.fields.length === 1 ? "that field" : "those fields"}`);
    }
    for (const n of notes) note(tsNotes, s, `${at(s)}: ${n}`);

    const retry =
      s.step.maxRetries !== 0 || s.step.retryDelayMs !== 1000 || s.step.backoff !== "fixed"
        ? { max: s.step.maxRetries, ...(s.step.retryDelayMs !== 1000 ? { delayMs: s.step.retryDelayMs } : {}), ...(s.step.backoff !== "fixed" ? { backoff: s.step.backoff } : {}) }
        : undefined;
    steps.push({
      id: s.step.id,
      toolName: s.role === "sub" ? EXECUTE_WORKFLOW : s.step.toolName,
      params,
      dependsOn,
      ...(after.length > 0 ? { after } : {}),
      ...(s.role === "sub" ? { workflow: s.sub! } : {}),
      ...(condition ? { condition } : {}),
      ...(retry ? { retry } : {}),
      ...(s.step.timeoutMs !== null ? { timeoutMs: s.step.timeoutMs } : {}),
      ...(s.step.description !== "" ? { description: s.step.description } : {}),
      ...(notes.length > 0 ? { notes } : {}),
    });
    const parameters = s.role === "sub" ? { workflow: s.sub!, context: paramJson(params, ids) } : (paramJson(params, ids) as Record<string, JsonValue>);
    jsonSteps.push(
      new WorkflowStep({
        ...s.step.toJSON(),
        parameters,
        dependsOn: [...declared[index]!].map((d) => wf.position[d]!).sort((a, b) => a - b).map((p) => ids[p]!),
        condition: conditionJson,
      }),
    );
  }

  const outputNotes: string[] = [];
  const outputs = wf.outputs ? (toNode(wf.outputs, wf, new Set(), new Set(), outputNotes) as Extract<ParamNode, { kind: "object" }>) : undefined;
  for (const n of outputNotes) note(tsNotes, undefined, `outputs: ${n}`);
  const inputs = inputShapes(wf);
  const derived = z.toJSONSchema(z.object(Object.fromEntries(inputs.map(([n, s]) => [n, zodOf(s)]))), { io: "input", unrepresentable: "any" }) as Record<string, JsonValue>;
  const workflowNotes: string[] = [];
  if (template.inputs && !wf.declared && !sameJson(template.inputs, derived)) {
    workflowNotes.push(`its inputs JSON Schema is not carried over (${wf.inputsWhy}): the input below is inferred from the placeholders. add the defaults, descriptions and types it had`);
    note(tsNotes, undefined, `${workflowNotes[0]}`);
  }
  const migrated = new WorkflowTemplate({
    name: template.name,
    description: template.description,
    category: template.category,
    tags: template.tags,
    inputs: template.inputs ?? derived,
    ...(outputs && outputs.entries.length > 0 ? { outputs: paramJson(outputs, ids) as Record<string, JsonValue> } : {}),
    ...(template.timeoutMs === undefined ? {} : { timeoutMs: template.timeoutMs }),
    steps: jsonSteps,
  });
  migrated.validate();
  const plan: SourcePlan = {
    template: migrated,
    steps,
    tools: [],
    inputs,
    ...(wf.declared ? { inputSource: declaredSource(wf.declared) } : {}),
    ...(outputs && outputs.entries.length > 0 ? { outputs } : {}),
    ...(workflowNotes.length > 0 ? { notes: workflowNotes } : {}),
  };
  return { name: template.name, file: wf.file, template: migrated, plan, explicitDependencies: explicit, droppedConditions: dropped, subWorkflows, tools };
}

/**
 * What a failure handler reads of the steps it handles: for each step `d` whose failure alone runs `s` (its condition
 * is `{{d.success}} == False`, `not {{d.success}}`, ...), the paths of `d`'s result `s` reads besides the facts
 * `success` and `error`. A failed step has such a result only when its tool threw a ToolError with one (DESIGN §9).
 */
function failedResultReads(wf: Wf, s: Step): { source: Step; fields: (readonly PathSegment[])[] }[] {
  if (s.step.condition === null) return [];
  const ast = parseCondition(s.step.condition).ast;
  const refs = [...s.paramOccs, ...(s.condition?.ok ? s.condition.occs : [])].map((o) => o.ref);
  const found = new Map<number, { source: Step; fields: (readonly PathSegment[])[] }>();
  const handled = new Map<number, boolean>();
  for (const ref of refs) {
    const index = wf.byId.get(ref.root);
    const first = ref.path[0];
    if (index === undefined || index === s.index || first === "success" || first === "error") continue;
    if (!handled.has(index)) handled.set(index, classifyOutcome(ast, ref.root) === "failure");
    if (!handled.get(index)) continue;
    const entry = found.get(index) ?? found.set(index, { source: wf.steps[index]!, fields: [] }).get(index)!;
    if (!entry.fields.some((f) => formatPath(f) === formatPath(ref.path))) entry.fields.push(ref.path);
  }
  return [...found.values()];
}

/** Each step's ancestors through declared dependencies (original indexes). */
function ancestorSets(wf: Wf, declared: readonly Set<number>[]): Set<number>[] {
  const memo: (Set<number> | undefined)[] = [];
  const of = (i: number): Set<number> => {
    const known = memo[i];
    if (known) return known;
    const set = new Set<number>();
    memo[i] = set;
    for (const d of declared[i]!) {
      set.add(d);
      for (const x of of(d)) set.add(x);
    }
    return set;
  };
  return wf.steps.map((s) => of(s.index));
}

/** The parameter node of a draft; records the steps its references read (data) and those kept as text (after). */
function toNode(d: Draft, wf: Wf, data: Set<number>, after: Set<number>, notes: string[]): ParamNode {
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

const placeholder = (ref: Reference) => `{{${formatPath([ref.root, ...ref.path])}}}`;

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
function planCondition(draft: ConditionDraft, occs: readonly Occ[], wf: Wf, s: Step): Planned {
  const steps: number[] = [];
  const stepOf = (id: string): number => {
    const i = wf.byId.get(id)!;
    if (s.back.has(i)) throw new Inexpressible(i === s.index ? "it reads this step's own outcome" : `it reads "${id}", which waits for this step`);
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
    const facts = o.target.kind === "step" && o.along.length === 2 && (o.ref.path[0] === "success" || o.ref.path[0] === "error") && wf.steps[o.target.index]!.role !== "sub";
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
function inputShapes(wf: Wf): [string, Shape][] {
  const root = wf.inputRoot.find();
  return [...root.fields].map(([name, slot]) => [name, shapeOfSlot(slot, false)]);
}

/** Tools with their schemas: inputs from the parameters passed (literal types), outputs from what is read. */
function toolPlans(order: readonly Wf[], typing: Typing): Map<string, PlannedTool> {
  const inputs = new Map<string, Shape | undefined>();
  for (const wf of order) {
    for (const index of wf.order) {
      const s = wf.steps[index]!;
      if (s.role === "sub") continue;
      const shape = paramShape(s.params, s.role === "exec" && typeof s.step.parameters.workflow !== "string");
      inputs.set(s.step.toolName, merge(inputs.get(s.step.toolName), shape));
    }
  }
  const tools = new Map<string, PlannedTool>();
  for (const [name, input] of inputs) {
    const slot = typing.outputs.get(name);
    const root = slot?.find();
    const output = !root || (root.kind === "free" && !root.whole) ? EMPTY_OBJECT : shapeOfSlot(root, true);
    tools.set(name, { name, input: input ?? EMPTY_OBJECT, output });
  }
  return tools;
}

/** The shape of a parameter: a literal's type, `unknown` for a reference, `string` for text. */
function paramShape(d: Draft, inlineWorkflow = false): Shape {
  switch (d.kind) {
    case "literal":
      return shapeOf(d.value);
    case "ref":
      return { kind: "unknown" };
    case "text":
      return { kind: "string" };
    case "object":
      return {
        kind: "object",
        fields: new Map(d.entries.map(([k, v]) => [k, { shape: inlineWorkflow && k === "workflow" ? { kind: "unknown" } : paramShape(v), optional: false }])),
      };
    case "array":
      return { kind: "array", items: d.items.reduce<Shape | undefined>((acc, v) => merge(acc, paramShape(v)), undefined) };
  }
}

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && sameJson(a[k], b[k]));
  }
  return false;
}

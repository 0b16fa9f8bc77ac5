/** @module Migration's first phase: each workflow read into the working model (parameters and conditions drafted). */
import { parseCondition } from "../../src/condition/index.js";
import { EXECUTE_WORKFLOW } from "../../src/model/compile-step.js";
import type { JsonValue } from "../../src/model/schema.js";
import type { WorkflowTemplate } from "../../src/model/template.js";
import { isPlainObject } from "../../src/codegen/value-shape.js";
import { parseText } from "../../src/placeholder/placeholders.js";
import type { Reference } from "../../src/placeholder/path.js";
import { draftCondition, type ConditionDraft } from "./conditions.js";
import { readDeclaredInputs } from "./input-schema.js";
import { EMPTY, type Draft, type ObjectDraft, type Occ, type Step, type Wf } from "./model.js";
import { Slot } from "./slots.js";
import type { MigrationNote } from "./types.js";

export function readWorkflow(file: string, template: WorkflowTemplate, problems: MigrationNote[]): Wf {
  const byId = new Map(template.steps.map((s, i) => [s.id, i]));
  const declared = template.inputs ? readDeclaredInputs(template.inputs) : undefined;
  const wf: Wf = {
    file,
    template,
    steps: [],
    byId,
    outputs: undefined,
    outputOccs: [],
    inputRoot: new Slot(),
    order: [],
    position: [],
    declared,
    inputsWhy: template.inputs && !declared ? "it uses JSON Schema the migration does not convert" : undefined,
  };
  const isStep = (root: string) => byId.has(root);
  template.steps.forEach((step, index) => {
    const paramOccs: Occ[] = [];
    const problem = (message: string) => problems.push({ file, workflow: template.name, step: { index, id: step.id }, message });
    const occ = (ref: Reference): Occ => {
      const o: Occ = {
        ref,
        wf,
        from: index,
        target: isStep(ref.root) ? { kind: "step", index: byId.get(ref.root)! } : { kind: "input" },
        along: [],
      };
      paramOccs.push(o);
      return o;
    };
    const isExec = step.toolName === EXECUTE_WORKFLOW;
    const { workflow: subName, context, ...extra } = step.parameters;
    // an inline sub-workflow template has placeholders of its own: it is a constant of this step
    const params = draftValue(step.parameters, occ, isExec && typeof subName !== "string" ? ["workflow"] : [], problem) as ObjectDraft;
    const isSub =
      isExec &&
      typeof subName === "string" &&
      !subName.includes("{{") &&
      Object.keys(extra).length === 0 &&
      (context === undefined || isPlainObject(context));
    const contextDraft = isSub
      ? context === undefined
        ? EMPTY
        : (params.entries.find(([k]) => k === "context")![1] as ObjectDraft)
      : undefined;
    let condition: Step["condition"] = null;
    if (step.condition !== null) {
      const compiled = parseCondition(step.condition);
      const drafted = draftCondition(compiled.ast, isStep);
      if (drafted.ok) condition = { ok: true, draft: drafted.draft, occs: [] };
      else condition = { ok: false, why: drafted.why };
      // every step the condition reads is read by the step (the DSL makes it a dependency)
      const occs = compiled.references.map(
        (ref): Occ => ({
          ref,
          wf,
          from: index,
          target: isStep(ref.root) ? { kind: "step", index: byId.get(ref.root)! } : { kind: "input" },
          along: [],
          inCondition: true,
        }),
      );
      if (condition.ok) {
        condition.occs = occs;
        const outcomes = new Set(outcomeRefs(drafted.ok ? drafted.draft : undefined));
        for (const o of occs) if (outcomes.has(o.ref)) o.outcome = true;
      } else paramOccs.push(...occs); // kept for the dependencies and the inputs, though the condition is left out
    }
    const reads: number[] = [];
    for (const o of [...paramOccs, ...(condition?.ok ? condition.occs : [])])
      if (o.target.kind === "step" && !reads.includes(o.target.index)) reads.push(o.target.index);
    wf.steps.push({
      index,
      step,
      role: isSub ? "sub" : isExec ? "exec" : "tool",
      sub: isSub ? subName : undefined,
      execWhy: undefined,
      params,
      context: contextDraft,
      condition,
      paramOccs,
      reads,
      back: new Set(),
    });
  });
  if (template.outputs && Object.keys(template.outputs).length > 0) {
    const occs: Occ[] = [];
    const outputs = draftValue(
      template.outputs,
      (ref) => {
        const o: Occ = {
          ref,
          wf,
          from: undefined,
          target: isStep(ref.root) ? { kind: "step", index: byId.get(ref.root)! } : { kind: "input" },
          along: [],
        };
        occs.push(o);
        return o;
      },
      [],
      (message) => problems.push({ file, workflow: template.name, message: `outputs: ${message}` }),
    ) as ObjectDraft;
    (wf as { outputs: ObjectDraft | undefined }).outputs = outputs;
    wf.outputOccs.push(...occs);
  }
  return wf;
}

/** A parameter value as a draft: strings with placeholders become references or text. `constants`: top-level keys kept as they are. */
function draftValue(
  value: JsonValue,
  occ: (ref: Reference) => Occ,
  constants: readonly string[],
  problem: (message: string) => void,
  top = true,
): Draft {
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
      if (k === "__proto__")
        problem(`the key "__proto__" cannot be written in TypeScript (an object literal would set its prototype): rename it`);
      entries.push([k, top && constants.includes(k) ? { kind: "literal", value: v } : draftValue(v, occ, [], problem, false)]);
    }
    return { kind: "object", entries };
  }
  return { kind: "literal", value };
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

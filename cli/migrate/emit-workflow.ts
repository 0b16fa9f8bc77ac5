/**
 * @module Migration's fourth phase: each workflow written out, as its template (`--emit json`) and as the plan its
 * DSL source is written from (`--emit ts`), with the notes each output needs.
 */
import { z } from "zod";
import { parseCondition } from "../../src/condition/index.js";
import { classifyOutcome } from "../../src/condition/outcome.js";
import { EXECUTE_WORKFLOW } from "../../src/model/compile-step.js";
import type { JsonValue } from "../../src/model/schema.js";
import { WorkflowStep } from "../../src/model/step.js";
import { WorkflowTemplate } from "../../src/model/template.js";
import { conditionText, paramJson, type ConditionPlan, type ParamNode, type PlannedStep, type SourcePlan } from "../../src/codegen/plan.js";
import { zodOf } from "../../src/codegen/value-shape.js";
import { formatPath, type PathSegment } from "../../src/placeholder/path.js";
import { declaredSource } from "./input-schema.js";
import type { Draft, Step, Wf } from "./model.js";
import { inputShapes, placeholder, planCondition, toNode } from "./plan-nodes.js";
import type { ExplicitDependency, MigratedWorkflow, MigrationNote } from "./types.js";
import { jsonEqual } from "../../src/condition/values.js";

export function buildWorkflow(wf: Wf, jsonNotes: MigrationNote[], tsNotes: MigrationNote[]): MigratedWorkflow {
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
      const planned = s.condition.ok
        ? planCondition(s.condition.draft, s.condition.occs, wf, s)
        : { ok: false as const, why: s.condition.why };
      if (planned.ok) {
        condition = planned.plan;
        for (const d of planned.steps) dataDeps.add(d);
        conditionJson = conditionText(planned.plan, ids);
      } else {
        notes.push(
          `the condition ${JSON.stringify(s.step.condition)} is left out: ${planned.why}, which the DSL's condition helpers cannot express. without it the step runs whenever its dependencies complete: rewrite it with eq, gt, and, failed(step), ...`,
        );
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
        note(
          tsNotes,
          s,
          `${at(s)} read "${other.step.id}" without depending on it directly (it waited for it through "${through?.step.id}"): the dependency is now declared`,
        );
      } else {
        note(tsNotes, s, `${at(s)} read "${other.step.id}" without depending on it: it now waits for it`);
        const inParams = s.paramOccs.some((o) => o.target.kind === "step" && o.target.index === d && !o.inCondition);
        note(
          jsonNotes,
          s,
          `${at(s)} reads "${other.step.id}" without depending on it: a race (weave lint: ${inParams ? "hidden-dependency" : "condition-scope"}); --emit ts makes it a dependency`,
        );
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
      note(
        jsonNotes,
        s,
        `${at(s)} runs only when "${id}" failed, but reads ${json} from its result: a failed step has a result only when its tool throws ToolError(message, { result }), otherwise the reference cannot resolve and this step fails too (weave lint: failed-step-result). read "{{${id}.error}}" (the failure's message) instead, or have the tool throw a ToolError whose result has ${r.fields.length === 1 ? "that field" : "those fields"}`,
      );
      const fields = r.fields.map((f) => (f.length === 0 ? "the whole result" : formatPath(f))).join(", ");
      notes.push(
        `this step runs only when "${id}" failed, but reads ${fields} of its result: a failed step has a result only when its tool's run throws fail(message, { result }) (a ToolError); otherwise the reference cannot resolve and this step fails too. read .error of "${id}" (the failure's message) instead, or make the tool fail with a result that has ${r.fields.length === 1 ? "that field" : "those fields"}`,
      );
    }
    for (const n of notes) note(tsNotes, s, `${at(s)}: ${n}`);

    const retry =
      s.step.maxRetries !== 0 || s.step.retryDelayMs !== 1000 || s.step.backoff !== "fixed"
        ? {
            max: s.step.maxRetries,
            ...(s.step.retryDelayMs !== 1000 ? { delayMs: s.step.retryDelayMs } : {}),
            ...(s.step.backoff !== "fixed" ? { backoff: s.step.backoff } : {}),
          }
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
    const parameters =
      s.role === "sub" ? { workflow: s.sub!, context: paramJson(params, ids) } : (paramJson(params, ids) as Record<string, JsonValue>);
    jsonSteps.push(
      new WorkflowStep({
        ...s.step.toJSON(),
        parameters,
        dependsOn: [...declared[index]!]
          .map((d) => wf.position[d]!)
          .sort((a, b) => a - b)
          .map((p) => ids[p]!),
        condition: conditionJson,
      }),
    );
  }

  const outputNotes: string[] = [];
  const outputs = wf.outputs
    ? (toNode(wf.outputs, wf, new Set(), new Set(), outputNotes) as Extract<ParamNode, { kind: "object" }>)
    : undefined;
  for (const n of outputNotes) note(tsNotes, undefined, `outputs: ${n}`);
  const inputs = inputShapes(wf);
  const derived = z.toJSONSchema(z.object(Object.fromEntries(inputs.map(([n, s]) => [n, zodOf(s)]))), {
    io: "input",
    unrepresentable: "any",
  }) as Record<string, JsonValue>;
  const workflowNotes: string[] = [];
  if (template.inputs && !wf.declared && !jsonEqual(template.inputs, derived)) {
    workflowNotes.push(
      `its inputs JSON Schema is not carried over (${wf.inputsWhy}): the input below is inferred from the placeholders. add the defaults, descriptions and types it had`,
    );
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
  return {
    name: template.name,
    file: wf.file,
    template: migrated,
    plan,
    explicitDependencies: explicit,
    droppedConditions: dropped,
    subWorkflows,
    tools,
  };
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

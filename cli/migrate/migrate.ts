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
 *
 * The phases, each a module over the working model of `model.ts`: `read.ts` (templates to drafts), `analyse.ts`
 * (sub-workflow steps, workflow and step order), `typing.ts` (what each reference reads), `plan-nodes.ts` and
 * `emit-workflow.ts` (the template and the DSL plan, with the notes), `tools.ts` (the tools' schemas).
 */
import { callOrder, breakCallCycles, decideRole, orderSteps } from "./analyse.js";
import { buildWorkflow } from "./emit-workflow.js";
import type { Declared } from "./input-schema.js";
import type { Wf } from "./model.js";
import { readWorkflow } from "./read.js";
import { toolPlans } from "./tools.js";
import { MigrationError, type MigratedWorkflow, type Migration, type MigrationNote, type MigrationSource } from "./types.js";
import { demote, rejectInputs, typeAll } from "./typing.js";

export {
  MigrationError,
  type ExplicitDependency,
  type MigratedWorkflow,
  type Migration,
  type MigrationNote,
  type MigrationSource,
} from "./types.js";

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
        problems.push({
          file: source.file,
          workflow: template.name,
          message: `a workflow of this name is also in ${first.file}: names must be unique`,
        });
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
    const enums =
      wf.declared &&
      [...wf.declared.values()].some(function hasEnum(d: Declared): boolean {
        return (
          (d.kind === "string" && d.enum !== undefined) ||
          (d.kind === "array" && hasEnum(d.items)) ||
          (d.kind === "object" && [...d.fields.values()].some(hasEnum))
        );
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

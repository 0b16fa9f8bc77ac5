/**
 * @module Which workflow of a loaded file to run: its exports (named and default) made with `workflow()`, told
 * apart by their `kind` (not `instanceof`: the file may use its own copy of toolweave).
 */
import type { AnyWorkflow } from "../../dsl/workflow-types.js";
import { closest } from "../../src/util/closest-name.js";
import { UserError } from "../../src/util/user-error.js";

export interface ExportedWorkflow {
  /** The export's name: `deploy` in `export const deploy = workflow("deploy_to_staging", ...)`, or `default`. */
  readonly exportName: string;
  readonly workflow: AnyWorkflow;
}

const EXAMPLE = [
  'export const deploy = workflow("deploy", { description: "Deploy", input: z.object({ env: z.string() }) }, ({ input, step }) => {',
  '  const built = step("build").tool(build).with({ env: input.env });',
  "  return { image: built.out.image };",
  "});",
];

export function isWorkflow(value: unknown): value is AnyWorkflow {
  return typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "toolweave.workflow";
}

/** Named exports in order, then the default export; a workflow exported twice is listed once. */
export function exportedWorkflows(exports: Readonly<Record<string, unknown>>): ExportedWorkflow[] {
  const found: ExportedWorkflow[] = [];
  const entries = Object.entries(exports).sort(([a], [b]) => Number(a === "default") - Number(b === "default"));
  for (const [exportName, value] of entries) {
    if (isWorkflow(value) && !found.some((f) => f.workflow === value)) found.push({ exportName, workflow: value });
  }
  return found;
}

/** `deploy_to_staging`, or `deploy_to_staging (export deploy)` when the export is named otherwise. */
const label = (w: ExportedWorkflow): string =>
  w.exportName === w.workflow.name || w.exportName === "default" ? w.workflow.name : `${w.workflow.name} (export ${w.exportName})`;

/**
 * The one workflow to run: the one `wanted` names (its workflow name or its export name), else the only one, or the
 * only one that no other exported workflow calls as a sub-workflow.
 * @throws UserError when there is none, several and no choice, or no such name
 */
export function chooseWorkflow(file: string, exports: Readonly<Record<string, unknown>>, wanted: string | undefined): AnyWorkflow {
  const workflows = exportedWorkflows(exports);
  if (workflows.length === 0) {
    const names = Object.keys(exports);
    const exported = names.length === 0 ? "it exports nothing" : `its exports: ${names.join(", ")}`;
    throw new UserError(`${file} exports no workflow (${exported})`, [
      "export one made with workflow() from toolweave, for example:",
      ...EXAMPLE.map((l) => `  ${l}`),
    ]);
  }
  if (wanted === undefined) {
    if (workflows.length === 1) return workflows[0]!.workflow;
    // A file that exports a workflow together with the sub-workflows it calls has one obvious entry point.
    const topLevel = workflows.filter((w) => !workflows.some((other) => other.workflow.subWorkflows.has(w.workflow.name)));
    if (topLevel.length === 1) return topLevel[0]!.workflow;
    throw new UserError(`${file} exports ${workflows.length} workflows; choose one with --workflow <name>:`, workflows.map(label));
  }
  const match = workflows.find((w) => w.workflow.name === wanted) ?? workflows.find((w) => w.exportName === wanted);
  if (match) return match.workflow;
  // either name works with --workflow, so either may be the one that was mistyped
  const guess = closest(
    wanted,
    workflows.flatMap((w) => [w.workflow.name, w.exportName]).filter((n) => n !== "default"),
  );
  const suggestion = guess === undefined ? "" : `. did you mean "${guess}"?`;
  throw new UserError(`${file} has no workflow named "${wanted}"${suggestion}`, [`its workflows: ${workflows.map(label).join(", ")}`]);
}

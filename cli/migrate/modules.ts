/**
 * @module The TypeScript modules `weave migrate --emit ts` writes: one per workflow. A sub-workflow is imported from
 * its module, and a tool that a workflow and the workflows it runs (directly or not) share is declared once, in
 * the first of their modules, and imported by the others (two tools of one name in one run are an error).
 */
import { allocateNames, emitModuleSource } from "../../src/codegen/emit-source.js";
import type { PlannedTool } from "../../src/codegen/plan.js";
import type { Migration, MigratedWorkflow } from "./migrate.js";

export interface MigratedModule {
  readonly workflow: string;
  /** As `fileName` named it. */
  readonly fileName: string;
  readonly source: string;
}

/**
 * The module of each workflow, in input order.
 * @param fileName the module's file name for a workflow (`deploy.ts`); imports name the others by it
 */
export function migrationModules(migration: Migration, fileName: (workflow: string) => string): MigratedModule[] {
  const byName = new Map(migration.workflows.map((w) => [w.name, w]));
  const names = allocateNames(migration.tools.keys(), byName.keys());
  // workflows that run one another (directly or not) share their tools
  const component = new Map<string, string>();
  const find = (n: string): string => {
    const p = component.get(n) ?? n;
    if (p === n) return n;
    const root = find(p);
    component.set(n, root);
    return root;
  };
  for (const w of migration.workflows) for (const sub of w.subWorkflows) component.set(find(w.name), find(sub));

  const order: MigratedWorkflow[] = [];
  const seen = new Set<string>();
  const visit = (w: MigratedWorkflow): void => {
    if (seen.has(w.name)) return;
    seen.add(w.name);
    for (const sub of w.subWorkflows) visit(byName.get(sub)!);
    order.push(w);
  };
  for (const w of migration.workflows) visit(w);

  const declaredIn = new Map<string, string>(); // `${component}\0${tool}` → workflow whose module declares it
  const modules = new Map<string, MigratedModule>();
  for (const w of order) {
    const comp = find(w.name);
    const own: PlannedTool[] = [];
    const imports = new Map<string, string[]>(); // module specifier → names
    const importFrom = (workflow: string, name: string) => {
      const from = `./${fileName(workflow).replace(/\.(m|c)?ts$/, ".js")}`;
      const list = imports.get(from) ?? [];
      if (!list.includes(name)) list.push(name);
      imports.set(from, list);
    };
    for (const sub of w.subWorkflows) importFrom(sub, names.workflows.get(sub)!);
    for (const tool of w.tools) {
      const key = `${comp}\0${tool}`;
      const home = declaredIn.get(key);
      if (home === undefined) {
        declaredIn.set(key, w.name);
        own.push(migration.tools.get(tool)!);
      } else importFrom(home, names.tools.get(tool)!);
    }
    const todo = (w.plan.notes?.length ?? 0) > 0 || w.plan.steps.some((s) => (s.notes?.length ?? 0) > 0);
    const header = [
      `${w.name}: migrated by \`weave migrate\` from ${w.file}.`,
      "",
      "The tools have no implementation: add a `run` to each, or pass them at run time (`run(vars, { tools })`,",
      "`weave run <file> --tools <module>`). Their schemas come from how the workflows use them: an output lists the",
      "fields other steps read (z.unknown() unless a comparison tells the type; validation keeps only the fields listed),",
      "an input the parameters passed (typed where the value is a literal). Tighten them.",
      ...(todo ? ["", "TODO(migrate) comments mark what could not be carried over as it was."] : []),
    ];
    const source = emitModuleSource({
      header,
      imports: [...imports].map(([from, list]) => ({ from, names: list })),
      tools: own,
      workflows: [w.plan],
      names,
    });
    modules.set(w.name, { workflow: w.name, fileName: fileName(w.name), source });
  }
  return migration.workflows.map((w) => modules.get(w.name)!);
}

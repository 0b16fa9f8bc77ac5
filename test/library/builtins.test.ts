/** The built-in workflows: valid, lint-clean, and the committed JSON is what the DSL builds at run time. */
import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { lint } from "../../compiler/api.js";
import { WorkflowTemplate } from "../../src/model/template.js";
import { builtinWorkflows } from "../../src/library/builtins.js";
import { BUILTIN_TEMPLATES } from "../../src/library/builtins.generated.js";
import type { TemplateData } from "../../src/model/schema.js";

const ROOT = resolve(import.meta.dirname, "../..");
const SOURCES = "library/builtins";
const generated = { workflows: BUILTIN_TEMPLATES as TemplateData[] };

/** Every workflow the DSL files export, built at run time. */
async function runtimeTemplates(): Promise<Map<string, WorkflowTemplate>> {
  const out = new Map<string, WorkflowTemplate>();
  for (const file of readdirSync(join(ROOT, SOURCES)).filter((f) => f.endsWith(".ts"))) {
    const module = (await import(pathToFileURL(join(ROOT, SOURCES, file)).href)) as Record<string, unknown>;
    for (const value of Object.values(module)) {
      const wf = value as { kind?: unknown; template?: WorkflowTemplate };
      if (wf?.kind === "toolweave.workflow" && wf.template) out.set(wf.template.name, wf.template);
    }
  }
  return out;
}

describe("built-in workflows", () => {
  it("include the guide's workflows and five more, sorted by name", () => {
    const names = generated.workflows.map((w) => w.name);
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(
      expect.arrayContaining([
        "github_pr_workflow",
        "slack_notification_chain",
        "deploy_to_staging",
        "deploy_multi_region",
        "database_backup",
      ]),
    );
    expect(names).toHaveLength(10);
  });

  it("each validates and has a description, a category and tags", () => {
    for (const data of generated.workflows) {
      const template = WorkflowTemplate.fromJSON(data);
      expect(() => template.validate()).not.toThrow();
      expect(template.description.length, template.name).toBeGreaterThan(20);
      expect(template.category, template.name).not.toBe("general");
      expect(template.tags.length, template.name).toBeGreaterThanOrEqual(3);
    }
  });

  it("lint clean: zero diagnostics of any severity", async () => {
    const result = await lint({ cwd: ROOT, paths: [SOURCES] });
    expect(result.diagnostics).toEqual([]);
    expect(result.workflows.map((w) => w.name).sort()).toEqual(generated.workflows.map((w) => w.name));
  });

  it("the committed JSON equals what the DSL builds at run time (apart from source positions)", async () => {
    const runtime = await runtimeTemplates();
    expect([...runtime.keys()].sort()).toEqual(generated.workflows.map((w) => w.name));
    for (const data of generated.workflows) {
      const { steps, ...rest } = data;
      expect({ ...rest, steps: steps.map(({ source: _source, ...step }) => step) }, data.name).toEqual(runtime.get(data.name)!.toJSON());
      for (const step of steps) expect(step.source?.file).toMatch(/^library\/builtins\/[a-z-]+\.ts$/);
    }
  });

  it("are loaded once per process and shared", () => {
    expect(builtinWorkflows()).toBe(builtinWorkflows());
    expect(builtinWorkflows().map((w) => w.toJSON())).toEqual(generated.workflows.map((w) => WorkflowTemplate.fromJSON(w).toJSON()));
  });
});

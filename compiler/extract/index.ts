/**
 * @module Static extraction of DSL workflows from TypeScript files, without running them: every exported
 * `workflow(...)` (the DSL's, found by resolving the import) becomes its template JSON plus a `LintTarget`.
 * What cannot be determined without running code is a `non-static` error at its node; that workflow is not emitted.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { compareDiagnostics, spanAt, spanFinder, type Diagnostic } from "../diagnostic.js";
import type { LintTarget } from "../lint-target.js";
import type { TemplateData } from "../../src/model/schema.js";
import { createParser, tsconfigFiles } from "./ts.js";
import { Session } from "./session.js";
import { NonStatic, type WorkflowDef } from "./values.js";
import type { WorkflowModel } from "./body.js";
import { locateIn } from "./template.js";
import type { Expr, Module } from "./syntax.js";

export interface ExtractedWorkflow {
  name: string;
  exportName: string;
  file: string;
  /** The `toJSON()` shape; each step has `source` at its `step("…")` call. */
  template: TemplateData;
  target: LintTarget;
}

export interface ExtractResult {
  workflows: ExtractedWorkflow[];
  diagnostics: Diagnostic[];
  /** Each input file (absolute) → the project files its extraction read (absolute): what to watch to extract it again. */
  imports?: Map<string, string[]>;
}

export interface Extractor {
  extract(): ExtractResult;
  /** Re-reads these files (and re-extracts the files importing them); returns the full current result. */
  update(changedFiles: readonly string[]): ExtractResult;
}

export interface ExtractorOptions {
  cwd: string;
  /** Files to read (relative to cwd or absolute); by default those of the tsconfig. */
  files?: readonly string[];
  tsconfig?: string;
}

export function createExtractor(options: ExtractorOptions): Extractor {
  const cwd = resolve(options.cwd);
  const parser = createParser();
  const files = options.files
    ? options.files.map((f) => resolve(cwd, f))
    : (() => {
        const tsconfig = resolve(cwd, options.tsconfig ?? "tsconfig.json");
        return existsSync(tsconfig) ? tsconfigFiles(tsconfig) : [];
      })();
  const results = new Map<string, { result: ExtractResult; imports: Set<string> }>();

  // One session per pass: tools, schemas and sub-workflows shared by many files are evaluated once.
  let session = new Session(parser, cwd);
  const extractFile = (path: string) => {
    const result: ExtractResult = { workflows: [], diagnostics: [] };
    let module: Module | undefined;
    try {
      module = parser.module(path);
    } catch (error) {
      // TypeScript's parser descends recursively: brackets nested about a thousand deep exhaust the call stack
      if (!(error instanceof RangeError)) throw error;
      const message =
        "cannot read this file: its expressions are nested more deeply than the TypeScript parser can follow. build deeply nested values from consts";
      result.diagnostics.push({ ruleId: "non-static", severity: "error", message, span: spanAt(session.file(path), "", 0, 0) });
    }
    if (module) extractModule(session, module, result);
    // every project file it imports, directly or not (a walk with an explicit stack: import chains can be long)
    const imports = new Set<string>();
    const pending = [path];
    while (pending.length > 0) {
      for (const dep of session.imports.get(pending.pop()!) ?? []) {
        if (imports.has(dep)) continue;
        imports.add(dep);
        pending.push(dep);
      }
    }
    results.set(path, { result, imports });
    // A file no other file imports (a workflow entry file) is not needed again: let its tree go. Targets keep only
    // offsets and the text; an importer found later re-reads the file.
    if (![...session.imports.values()].some((deps) => deps.has(path))) {
      session.forget(path);
      parser.refresh([path]);
    }
  };

  const collect = (): ExtractResult => {
    const workflows: ExtractedWorkflow[] = [];
    const diagnostics: Diagnostic[] = [];
    const imports = new Map<string, string[]>();
    for (const path of files) {
      const entry = results.get(path);
      if (!entry) continue;
      workflows.push(...entry.result.workflows);
      diagnostics.push(...entry.result.diagnostics);
      imports.set(path, [...entry.imports].sort());
    }
    return { workflows, diagnostics: diagnostics.sort(compareDiagnostics), imports };
  };

  return {
    extract() {
      for (const path of files) if (!results.has(path)) extractFile(path);
      return collect();
    },
    update(changedFiles) {
      const changed = new Set(changedFiles.map((f) => resolve(cwd, f)));
      // A file created since the extractor started is read from now on; a deleted one is forgotten.
      for (const path of changed) {
        if (!/\.(m|c)?tsx?$/.test(path) || /\.d\.(m|c)?ts$/.test(path)) continue;
        const listed = files.indexOf(path);
        if (existsSync(path)) {
          if (listed < 0) files.push(path);
        } else if (listed >= 0) {
          files.splice(listed, 1);
          results.delete(path);
        }
      }
      parser.refresh([...changed]);
      session = new Session(parser, cwd);
      for (const path of files) {
        const entry = results.get(path);
        if (!entry || changed.has(path) || [...entry.imports].some((i) => changed.has(i))) extractFile(path);
      }
      return collect();
    },
  };
}

function extractModule(s: Session, module: Module, out: ExtractResult): void {
  for (const ex of module.exports) {
    if (ex.from) continue;
    const expr: Expr | undefined = ex.expr ?? (ex.local ? module.consts.get(ex.local) : undefined);
    if (expr?.kind !== "call" || !s.isWorkflowFunction(module, expr.callee)) continue;
    try {
      const model = s.workflowModel(module, expr, ex.exportName);
      out.workflows.push({
        name: model.template.name,
        exportName: ex.exportName,
        file: s.file(module.path),
        template: model.template,
        target: lintTarget(s, module, model),
      });
    } catch (error) {
      const nameArg = expr.args[0];
      const name = nameArg?.kind === "string" ? nameArg.value : undefined;
      if (error instanceof RangeError) {
        // a value or a chain of sub-workflows deeper than the call stack (its consts are evaluated deepest first)
        const message = `cannot read workflow ${name === undefined ? `"${ex.exportName}"` : JSON.stringify(name)}: its values or sub-workflows are nested more deeply than the compiler can follow. nest fewer levels`;
        out.diagnostics.push({
          ruleId: "non-static",
          severity: "error",
          message,
          span: s.span(module, expr),
          ...(name ? { workflow: name } : {}),
        });
        continue;
      }
      if (!(error instanceof NonStatic)) throw error;
      out.diagnostics.push({
        ruleId: "non-static",
        severity: "error",
        message: error.message,
        span: s.span(error.module, error.node),
        ...(name ? { workflow: name } : {}),
      });
    }
  }
}

function lintTarget(s: Session, module: Module, model: WorkflowModel): LintTarget {
  // the target keeps what it needs, not the model: that holds the module's syntax tree
  const { template, locations, tools, inputs, def } = model;
  const file = s.file(module.path);
  const text = module.text;
  const span = spanFinder(file, text);
  return {
    file,
    text,
    origin: "ts",
    template,
    locate: (path, range) => {
      const node = locateIn(locations, path, range);
      return span(node.start, node.end);
    },
    tools,
    inputs,
    subWorkflows: () => subWorkflowTemplates(def),
  };
}

/** The templates of the workflows `def` runs, directly or through others (each once), found without recursion. */
function subWorkflowTemplates(def: WorkflowDef): TemplateData[] {
  const templates: TemplateData[] = [];
  const seen = new Set<WorkflowDef>([def]);
  const pending = [...def.subWorkflows.values()];
  while (pending.length > 0) {
    const sub = pending.pop()!;
    if (seen.has(sub)) continue;
    seen.add(sub);
    if (sub.template) templates.push(sub.template);
    pending.push(...sub.subWorkflows.values());
  }
  return templates;
}

/**
 * @module The project of the compiler benchmark: `tools.ts` (ten tools, shared) and N workflow files of M steps
 * each under `workflows/`, written with the typed DSL by the type-check benchmark's generator (references between
 * steps, nested fields, conditions, retries), plus a `tsconfig.json` over all of them. `node_modules` links this
 * repository as `toolweave`, and zod (see typecheck-project.ts).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { dslSource, planWorkflow, toolsSource, TOOLS } from "./typecheck-gen.js";
import { COMPILER_OPTIONS, createProject, type Project } from "./typecheck-project.js";

export interface CompilerProject extends Project {
  /** Workflow files, relative to `dir`. */
  readonly files: readonly string[];
}

/** The workflow input schema `tools.ts` exports as `pipelineInput`, as source text. */
const INPUT_SCHEMA = /export const pipelineInput = (.*);/.exec(toolsSource())?.[1] ?? "";

/**
 * One workflow file: a distinct plan per index (seeded), named `pipeline_<i>`, its tools from `../tools.js`. The
 * tools are imported by name and the input schema is written inline. (The extractor also reads namespace imports,
 * `t.fetchRepo`; the files keep this form so the figures stay comparable with earlier runs.)
 */
export function workflowSource(index: number, steps: number): string {
  if (!INPUT_SCHEMA) throw new Error("tools.ts no longer exports pipelineInput: update bench/lib/compiler-project.ts");
  return dslSource(planWorkflow(steps, 1000 + index), { header: ['import { z } from "zod";'] })
    .replace(`workflow("pipeline_${steps}"`, `workflow("pipeline_${index}"`)
    .replace('import * as t from "./tools.js";', `import { ${TOOLS.map((x) => x.ident).join(", ")} } from "../tools.js";`)
    .replace("input: t.pipelineInput", `input: ${INPUT_SCHEMA}`)
    .replace(/(?<![\w.$])t\.(\w+)/g, "$1");
}

export function createCompilerProject(repoRoot: string, count: number, steps: number): CompilerProject {
  const project = createProject(repoRoot, toolsSource());
  mkdirSync(path.join(project.dir, "workflows"));
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const file = path.join("workflows", `flow-${String(i).padStart(4, "0")}.ts`);
    writeFileSync(path.join(project.dir, file), workflowSource(i, steps));
    files.push(file);
  }
  writeFileSync(
    path.join(project.dir, "tsconfig.json"),
    JSON.stringify({ compilerOptions: COMPILER_OPTIONS, include: ["tools.ts", "workflows"] }, null, 2),
  );
  return { ...project, files };
}

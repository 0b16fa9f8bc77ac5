/**
 * @module `weave graph <file>`: draws a workflow's steps and dependencies from its template (a JSON template, or a
 * TypeScript workflow file read statically, never run) as Mermaid text, Graphviz DOT, or SVG.
 */
import type { Command } from "commander";
import { buildGraph } from "./model.js";
import { renderSvg } from "./render-svg.js";
import { toDot } from "./to-dot.js";
import { toMermaid } from "./to-mermaid.js";
import { loadStaticTemplate } from "../load/static-template.js";
import { writeOutputFile } from "../shared/write-output-file.js";
import { EXIT } from "../exit-codes.js";
import { UserError } from "../../src/util/user-error.js";

const FORMATS = ["mermaid", "dot", "svg"] as const;
type GraphFormat = (typeof FORMATS)[number];

export interface GraphOptions {
  workflow?: string;
  format: GraphFormat;
  out?: string;
}

const HELP_AFTER = `
Examples:
  $ weave graph examples/multi-region-deploy.ts                 # Mermaid, for a README or a PR comment
  $ weave graph deploy.workflow.json --format dot | dot -Tpng > deploy.png
  $ weave graph examples/cleanup-on-failure.ts --format svg --out cleanup.svg
  $ weave graph workflows.ts --workflow release

The picture is drawn from the workflow's template, the same one that runs; a TypeScript file is read without
running it (as weave lint reads it). Solid arrows: the step reads the other's results. Dotted: it only waits
for it (dependsOn). Dashed and labelled: its condition asks how the other ended ("on failure": a failure
handler; "always": it runs whatever happened). Dashed boxes have a condition. Stacked boxes (hexagons in
Mermaid) are map steps: they run once per item of a list (forEach).
Exit codes: 0 drawn, 2 bad usage or input.
`;

/** Adds the `graph` command; `onExit` receives its exit code. */
export function addGraphCommand(program: Command, onExit: (code: number) => void): void {
  program
    .command("graph")
    .description("draw a workflow's steps and dependencies (Mermaid, Graphviz DOT or SVG), without running it")
    .argument("<file>", "workflow file (.ts .mts .cts) or template (.json)")
    .option("--workflow <name>", "the workflow to draw, when the file exports several (its name or its export's name)")
    .option("--format <format>", `output format: ${FORMATS.join(", ")}`, parseFormat, "mermaid")
    .option("--out <file>", "write to this file instead of stdout (atomically; its directory is created if missing)")
    .addHelpText("after", HELP_AFTER)
    .action(async (file: string, options: GraphOptions) => onExit(await drawGraph(file, options)));
}

function parseFormat(text: string): GraphFormat {
  const format = text.toLowerCase();
  if ((FORMATS as readonly string[]).includes(format)) return format as GraphFormat;
  const hint =
    format === "png" || format === "pdf"
      ? ` (for ${format}, pipe --format dot into Graphviz: weave graph <file> --format dot | dot -T${format})`
      : "";
  throw new UserError(`--format must be one of ${FORMATS.join(", ")}, got "${text}"${hint}`);
}

/** @returns the exit code */
export async function drawGraph(file: string, options: GraphOptions): Promise<number> {
  const { template, errors } = await loadStaticTemplate(file, options.workflow);
  if (errors > 0) {
    process.stderr.write(
      `weave: warning: workflow "${template.name}" has ${errors} lint error${errors === 1 ? "" : "s"}; the picture shows it as written. run weave lint ${file}\n`,
    );
  }
  const graph = buildGraph(template);
  const text = options.format === "mermaid" ? toMermaid(graph) : options.format === "dot" ? toDot(graph) : await renderSvg(toDot(graph));
  if (options.out === undefined) {
    process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
    return EXIT.completed;
  }
  await writeOutputFile(options.out, text);
  process.stderr.write(`wrote ${options.out}\n`);
  return EXIT.completed;
}

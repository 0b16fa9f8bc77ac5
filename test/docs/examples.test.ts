/**
 * Every TypeScript example of the docs (```ts blocks of README.md and docs/**.md) type-checks against the package, as
 * a reader would write it: each block is written to a module of its own in a temporary folder and checked by tsc with
 * the repository's compiler options, `toolweave`, `toolweave/compiler` and `toolweave/distributed` resolved to the
 * sources through tsconfig.json's paths.
 *
 * How a block is written in the docs:
 * - ```ts                 checked as a module of its own;
 * - ```ts file=tools.ts   checked under that name (in a folder per page), so a later block of the page can import it;
 *   a `.d.ts` name (`file=template-imports.d.ts`) is a declaration script: its ambient declarations hold for every example;
 * - ```ts nocheck         not checked: a fragment, or an example of an error (keep these few);
 * - `<!-- ts-check ... -->` right before the block: hidden context (imports, the tools it uses), which GitHub does not
 *   show. A line `// @@example` in it is where the example goes (inside a workflow's body, say); without one the
 *   example follows it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import { type CodeBlock, ROOT, codeBlocks, docFiles, read } from "./markdown.js";

interface Example {
  block: CodeBlock;
  /** Absolute path of the module it is written to. */
  module: string;
  /** The module's line (0-based) of the example's first line. */
  offset: number;
}

// under the repository (tmp/ is ignored by git), so the examples resolve zod and the other packages as the docs do
mkdirSync(path.join(ROOT, "tmp"), { recursive: true });
const temp = mkdtempSync(path.join(ROOT, "tmp", "doc-examples-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

function typescriptBlocks(): CodeBlock[] {
  return docFiles().flatMap((file) => codeBlocks(file, read(file)).filter((block) => block.lang === "ts" || block.lang === "typescript"));
}

function write(blocks: CodeBlock[]): Example[] {
  return blocks.map((block) => {
    const dir = path.join(temp, block.file.replace(/\.md$/, "").replace(/[/\\]/g, "__"));
    const name = block.flags.find((flag) => flag.startsWith("file="))?.slice("file=".length) ?? `line-${block.line}.ts`;
    const module = path.join(dir, name);
    mkdirSync(path.dirname(module), { recursive: true });
    const context = block.context?.code ?? "";
    const marker = context.split("\n").findIndex((line) => line.trim() === "// @@example");
    const contextLines = context === "" ? [] : context.replace(/\n$/, "").split("\n");
    let lines: string[];
    let offset: number;
    if (marker >= 0) {
      lines = [...contextLines.slice(0, marker), ...block.code.split("\n"), ...contextLines.slice(marker + 1)];
      offset = marker;
    } else {
      lines = [...contextLines, ...block.code.split("\n")];
      offset = contextLines.length;
    }
    // a module even when the example neither imports nor exports, so examples do not share a global scope; but a
    // declaration file stays a script, whose `declare module "*?x"` a module could not write
    writeFileSync(module, name.endsWith(".d.ts") ? `${lines.join("\n")}\n` : `${lines.join("\n")}\nexport {};\n`);
    return { block, module, offset };
  });
}

/** Where a module's line (0-based) is in the docs: `file:line`. */
function place(example: Example, line: number): string {
  const { block } = example;
  const exampleLines = block.code.split("\n").length;
  if (line >= example.offset && line < example.offset + exampleLines) return `${block.file}:${block.line + line - example.offset}`;
  if (block.context) {
    const contextLine = line < example.offset ? line : line - exampleLines + 1;
    return `${block.file}:${block.context.line + contextLine} (the ts-check context of the block at line ${block.line})`;
  }
  return `${block.file}:${block.line} (the block, line ${line + 1} of its module)`;
}

describe("the docs' TypeScript examples", () => {
  const blocks = typescriptBlocks();
  const checked = blocks.filter((block) => !block.flags.includes("nocheck"));

  it("are found, and the unchecked ones are few", () => {
    expect(checked.length).toBeGreaterThan(10);
    expect(blocks.length - checked.length, "```ts nocheck blocks").toBeLessThanOrEqual(5);
  });

  it("type-check against the package", () => {
    const examples = write(checked);
    const config = ts.readConfigFile(path.join(ROOT, "tsconfig.json"), ts.sys.readFile);
    if (config.error) throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, "\n"));
    const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
    const program = ts.createProgram(
      examples.map((example) => example.module),
      { ...options, noEmit: true },
    );
    const byModule = new Map(examples.map((example) => [path.resolve(example.module), example]));
    const problems: string[] = [];
    for (const diagnostic of program.getOptionsDiagnostics()) problems.push(ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));
    for (const example of examples) {
      const source = program.getSourceFile(example.module);
      if (!source) {
        problems.push(`${example.block.file}:${example.block.line}: not in the program`);
        continue;
      }
      for (const diagnostic of [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]) {
        const owner = diagnostic.file ? byModule.get(path.resolve(diagnostic.file.fileName)) : example;
        const line =
          diagnostic.file && diagnostic.start !== undefined ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line : 0;
        problems.push(
          `${place(owner ?? example, line)}: TS${diagnostic.code}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n  ")}`,
        );
      }
    }
    expect(problems, `examples that do not type-check:\n${problems.join("\n")}\n`).toEqual([]);
  }, 180_000);
});

/**
 * What an editor shows for a DSL workflow, asked of the TypeScript language service as an editor asks it: completions
 * at `step.out.`, the hover over a reference, and the errors of the file, in that order. A completion request first,
 * in a body that returns no outputs yet (as while it is being written), used to leave false "W is not assignable
 * to W" errors behind on every reference, until the next edit.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");

const TOOLS = `import { z } from "zod";
import { tool } from "toolweave";
export const build = tool("build", {
  input: z.object({ image: z.string() }),
  output: z.object({ imageId: z.string(), sizeMb: z.number(), layers: z.array(z.object({ id: z.string() })) }),
});
export const apply = tool("apply", { input: z.object({ manifest: z.string(), replicas: z.number() }), output: z.object({ url: z.string() }) });
`;

const CLEAN = `import { z } from "zod";
import { workflow } from "toolweave";
import { apply, build } from "./tools.js";
export const deploy = workflow("deploy", { input: z.object({ image: z.string() }) }, ({ input, step }) => {
  const b = step("b").tool(build).with({ image: input.image });
  step("a").tool(apply).with({ manifest: b.out.imageId, replicas: b.out.sizeMb }).retry({ max: 1 });
  return {};
});
`;

const WRONG = `import { workflow } from "toolweave";
import { apply, build } from "./tools.js";
export const deploy = workflow("deploy", {}, ({ step }) => {
  const b = step("b").tool(build).with({ image: "app" });
  step("a").tool(apply).with({ manifest: "m", replicas: b.out.imageId });
  workflow("inner", {}, ({ step: inner }) => {
    inner("x").tool(apply).with({ manifest: b.out.imageId, replicas: 1 });
    return {};
  });
  return {};
});
`;

let dir: string;
let service: ts.LanguageService;
const files = new Map<string, string>();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "weave-ls-"));
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(join(ROOT, "node_modules", "zod"), join(dir, "node_modules", "zod"), "dir");
  symlinkSync(join(ROOT, "node_modules", "@types"), join(dir, "node_modules", "@types"), "dir");
  writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }));
  for (const [name, text] of [
    ["tools.ts", TOOLS],
    ["clean.ts", CLEAN],
    ["wrong.ts", WRONG],
  ] as const) {
    files.set(join(dir, name), text);
  }
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noUncheckedIndexedAccess: true,
    skipLibCheck: true,
    noEmit: true,
    types: ["node"],
    // toolweave's sources, as this repository's tsconfig resolves them: no build needed
    paths: { toolweave: [join(ROOT, "index.ts")] },
  };
  service = ts.createLanguageService(
    {
      getCompilationSettings: () => options,
      getScriptFileNames: () => [...files.keys()],
      getScriptVersion: () => "1",
      getScriptSnapshot: (f) => {
        const text = files.get(f) ?? ts.sys.readFile(f);
        return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
      },
      getCurrentDirectory: () => dir,
      getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
      fileExists: (f) => files.has(f) || ts.sys.fileExists(f),
      readFile: (f) => files.get(f) ?? ts.sys.readFile(f),
      directoryExists: ts.sys.directoryExists,
      getDirectories: ts.sys.getDirectories,
      realpath: ts.sys.realpath,
    },
    ts.createDocumentRegistry(),
  );
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Position just after the last occurrence of `marker` in `file`. */
function positionAfter(file: string, marker: string): number {
  const text = files.get(join(dir, file))!;
  const at = text.lastIndexOf(marker);
  if (at < 0) throw new Error(`${marker} not in ${file}`);
  return at + marker.length;
}

const messages = (file: string): string[] =>
  service.getSemanticDiagnostics(join(dir, file)).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));

describe("the language service on a DSL workflow", () => {
  it("completes a step's output fields, then reports no errors in a correct file", () => {
    const completions = service.getCompletionsAtPosition(join(dir, "clean.ts"), positionAfter("clean.ts", "replicas: b.out."), {
      triggerCharacter: ".",
    });
    expect(completions?.entries.map((e) => e.name).sort()).toEqual(["imageId", "layers", "sizeMb"]);
    expect(messages("clean.ts")).toEqual([]);
  }, 60_000);

  it("shows a reference as Ref<type, workflow name>", () => {
    const info = service.getQuickInfoAtPosition(join(dir, "clean.ts"), positionAfter("clean.ts", "manifest: b.out.imageI"));
    expect(ts.displayPartsToString(info?.displayParts)).toBe('(property) imageId: Ref<string, "deploy">');
  });

  it("says what a parameter expects, and which workflow a foreign reference belongs to", () => {
    const [wrongType, foreign, ...rest] = messages("wrong.ts");
    expect(rest).toEqual([]);
    expect(wrongType).toContain(`Type 'Ref<string, "deploy">' is not assignable to type 'number | RefTo<number, "deploy">'.`);
    expect(wrongType).toContain("The types of '[reference].value' are incompatible between these types.");
    expect(wrongType).toContain("Type 'string' is not assignable to type 'number'.");
    expect(foreign).toContain(`Type 'Ref<string, "deploy">' is not assignable to type 'string | RefTo<string, "inner">'.`);
    expect(foreign).toContain(`Type '"deploy"' is not assignable to type '"inner"'.`);
  });
});

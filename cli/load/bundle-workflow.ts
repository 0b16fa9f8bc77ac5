/**
 * @module Bundling a workflow file in memory with esbuild: the file and the files it imports by relative path
 * become one ES module (its text, never written anywhere); packages stay external. Syntax errors come back as
 * located user errors.
 */
import { resolve } from "node:path";
import type { SourceMapPayload } from "node:module";
import { pathToFileURL } from "node:url";
import type { Message } from "esbuild";
import { lineFrame } from "../shared/json-file.js";
import { externalPackages, fileScopedImportMeta, IMPORT_META_DEFINE } from "./bundle-plugins.js";
import { UserErrorList } from "../../src/util/user-error.js";

export interface WorkflowBundle {
  /** The module's text, ending with its inline source map and a `//# sourceURL` of {@link sourceURL}. */
  readonly code: string;
  /** The name its stack frames get: `file:///…/workflow.ts.weave-bundle.js`. */
  readonly sourceURL: string;
  /** With absolute `file:` URLs as sources. */
  readonly sourceMap: SourceMapPayload;
}

const MAP_COMMENT = "//# sourceMappingURL=data:application/json;base64,";

/**
 * @param file the path as the user typed it, relative to `cwd`
 * @throws UserErrorList with `file:line:col: message` and the line, for each error esbuild reports
 */
export async function bundleWorkflow(file: string, cwd = process.cwd()): Promise<WorkflowBundle> {
  const { build } = await import("esbuild");
  const entry = resolve(cwd, file);
  const sourceRoot = pathToFileURL(`${cwd}/`).href;
  const prefixes = new Map<string, { line: number; length: number }>();
  let code: string;
  try {
    const result = await build({
      entryPoints: [entry],
      absWorkingDir: cwd,
      bundle: true,
      write: false,
      format: "esm",
      platform: "node",
      target: "node20",
      sourcemap: "inline",
      sourceRoot,
      // Node's conditions: esbuild's extra "module" condition can pick another file than `import` would
      conditions: [],
      define: IMPORT_META_DEFINE,
      logLevel: "silent",
      plugins: [externalPackages(), fileScopedImportMeta(prefixes)],
    });
    code = result.outputFiles[0]!.text;
  } catch (error) {
    const errors = (error as { errors?: Message[] }).errors;
    if (!Array.isArray(errors) || errors.length === 0) throw error;
    throw new UserErrorList(errors.flatMap((e) => describeMessage(e, cwd, prefixes)));
  }
  const sourceMap = readInlineMap(code, sourceRoot);
  const sourceURL = `${pathToFileURL(entry).href}.weave-bundle.js`;
  return { code: `${code}//# sourceURL=${sourceURL}\n`, sourceURL, sourceMap };
}

function readInlineMap(code: string, sourceRoot: string): SourceMapPayload {
  const at = code.lastIndexOf(MAP_COMMENT);
  const payload = JSON.parse(Buffer.from(code.slice(at + MAP_COMMENT.length).trim(), "base64").toString("utf8")) as SourceMapPayload;
  return { ...payload, sources: payload.sources.map((s) => new URL(s, sourceRoot).href), sourceRoot: "" };
}

/** `file:line:col: message`, the line with a caret, and the notes (such as `npm install x`) indented. */
function describeMessage(message: Message, cwd: string, prefixes: ReadonlyMap<string, { line: number; length: number }>): string[] {
  const notes = message.notes.map((n) => `  ${n.text}`);
  const at = message.location;
  if (!at) return [`weave: ${message.text}`, ...notes];
  // the declaration fileScopedImportMeta put at the start of a line is not the user's
  const prefix = prefixes.get(resolve(cwd, at.file));
  const shift = prefix && prefix.line === at.line ? prefix.length : 0;
  const column = Math.max(0, at.column - shift) + 1;
  const lineText = shift > 0 ? at.lineText.slice(shift) : at.lineText;
  return [`${at.file}:${at.line}:${column}: ${message.text}`, ...lineFrame(lineText, at.line, column), ...notes];
}

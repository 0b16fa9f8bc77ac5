/**
 * @module Stack traces that point into the user's .ts files for code loaded from an in-memory bundle.
 *
 * `process.setSourceMapsEnabled(true)` is not enough for a module imported from a `data:` URL: Node 20 caches its
 * source map under the data URL but looks it up as a file path (a `data:` URL has no `//`), so the frames keep the
 * bundle's lines. The DSL's `callSite()` reads `new Error().stack` to name where steps were declared, so the frames
 * of the bundle are mapped here, through a `prepareStackTrace` that sees the bundle's `//# sourceURL` name.
 */
import { findSourceMap, SourceMap, type SourceMapPayload } from "node:module";
import { fileURLToPath } from "node:url";

type PrepareStackTrace = (error: Error, frames: NodeJS.CallSite[]) => unknown;

/** Source maps of the loaded bundles, by their `//# sourceURL` name. */
const bundles = new Map<string, SourceMap>();
let installed = false;

/** Maps the frames of the bundle named `sourceURL` from now on. */
export function registerBundleSourceMap(sourceURL: string, payload: SourceMapPayload): void {
  process.setSourceMapsEnabled(true);
  bundles.set(sourceURL, new SourceMap(payload));
  if (installed) return;
  installed = true;
  const previous = Error.prepareStackTrace as PrepareStackTrace | undefined;
  Error.prepareStackTrace = (error: Error, frames: NodeJS.CallSite[]): unknown => {
    // stacks without bundle frames keep Node's own formatting (which maps the files tsx compiled)
    if (previous && !frames.some((frame) => bundleMapOf(frame))) return previous(error, frames);
    return `${header(error)}${frames.map((frame) => `\n    at ${formatFrame(frame)}`).join("")}`;
  };
}

function bundleMapOf(frame: NodeJS.CallSite): SourceMap | undefined {
  if (bundles.size === 0 || !frame.getFileName()?.startsWith("data:")) return undefined;
  const name = frame.getScriptNameOrSourceURL();
  return name === null ? undefined : bundles.get(name);
}

function header(error: unknown): string {
  try {
    return Error.prototype.toString.call(error);
  } catch {
    return "Error";
  }
}

/** Like V8's `at name (file:line:col)`, with the position mapped through the bundle's or Node's source map. */
function formatFrame(frame: NodeJS.CallSite): string {
  const line = frame.getLineNumber();
  const column = frame.getColumnNumber();
  const file = frame.getFileName();
  const map = bundleMapOf(frame) ?? (file === null || file.startsWith("data:") ? undefined : safeFindSourceMap(file));
  if (!map || line === null || column === null) return String(frame);
  const entry = map.findEntry(line - 1, column - 1) as Partial<{ originalSource: string; originalLine: number; originalColumn: number }>;
  if (entry.originalSource === undefined || entry.originalLine === undefined || entry.originalColumn === undefined) return String(frame);
  const source = entry.originalSource.startsWith("file://") ? fileURLToPath(entry.originalSource) : entry.originalSource;
  const where = `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  const name = frameName(frame);
  return name === undefined ? where : `${name} (${where})`;
}

function frameName(frame: NodeJS.CallSite): string | undefined {
  const fn = frame.getFunctionName() ?? frame.getMethodName();
  const type = frame.getTypeName();
  const prefix = frame.isAsync() ? "async " : frame.isConstructor() ? "new " : "";
  if (!fn && (type === null || type === "global" || frame.isToplevel())) return prefix ? `${prefix}<anonymous>` : undefined;
  return `${prefix}${type && type !== "global" && !frame.isConstructor() ? `${type}.` : ""}${fn || "<anonymous>"}`;
}

function safeFindSourceMap(file: string): SourceMap | undefined {
  try {
    return findSourceMap(file);
  } catch {
    return undefined;
  }
}

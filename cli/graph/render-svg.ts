/**
 * @module DOT to SVG with Graphviz compiled to WebAssembly (@viz-js/viz): no binary to install. The module
 * (~1 MB) is an optional peer dependency, imported on first use only, so commands that draw nothing do not load it.
 */
import type { Viz } from "@viz-js/viz";
import { importOptional } from "../../src/util/optional-package.js";
import { FONT } from "./to-dot.js";

const VIZ = {
  name: "@viz-js/viz",
  feature: "drawing SVG (weave graph --format svg, weave run --report)",
  installCommand: "npm install @viz-js/viz",
};

/** The DOT's font first (its metrics sized the boxes), then fonts of similar width, then any sans-serif. */
const FONT_STACK = `'${FONT}', Verdana, 'Bitstream Vera Sans', Helvetica, Arial, sans-serif`;

let viz: Promise<Viz> | undefined;

/** @throws MissingPackageError when @viz-js/viz is not installed */
export function svgRenderer(): Promise<Viz> {
  viz ??= importOptional(VIZ, () => import("@viz-js/viz")).then((m) => m.instance());
  return viz;
}

/** A standalone SVG document (XML declaration included). @throws Error with Graphviz's messages when the DOT is invalid */
export async function renderSvg(dot: string): Promise<string> {
  const result = (await svgRenderer()).render(dot, { format: "svg" });
  if (result.status !== "success") {
    const messages = result.errors.filter((e) => e.level !== "warning").map((e) => e.message.trim());
    throw new Error(`Graphviz could not render the graph: ${messages.join("; ") || "unknown error"}`);
  }
  return result.output.replaceAll(`font-family="${FONT}"`, `font-family="${FONT_STACK}"`);
}

/** The `<svg>` element alone, without the XML declaration, doctype and comments: for inlining in HTML. */
export function inlineSvg(svg: string): string {
  const start = svg.indexOf("<svg");
  return (start < 0 ? svg : svg.slice(start)).replace(/<!--[\s\S]*?-->\n?/g, "").trim();
}

/** Small builders of {@link FieldTree}s and {@link ToolInfo}s for rule tests where the tools are known. */
import type { FieldTree, ToolInfo } from "../../../compiler/lint-target.js";

type Shape = { readonly [field: string]: Shape | "leaf" | FieldTree };

const isTree = (v: Shape | FieldTree): v is FieldTree => typeof (v as { kind?: unknown }).kind === "string";

export function objectTree(shape: Shape, open = false): FieldTree {
  const fields = new Map<string, FieldTree>();
  for (const [k, v] of Object.entries(shape)) fields.set(k, v === "leaf" ? { kind: "leaf" } : isTree(v) ? v : objectTree(v));
  return { kind: "object", fields, open };
}

export function tool(name: string, output: FieldTree = { kind: "unknown" }): [string, ToolInfo] {
  return [name, { name, output }];
}

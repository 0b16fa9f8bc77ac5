/** @module The tools of a migration, with schemas: inputs from the parameters passed, outputs from what is read. */
import type { PlannedTool } from "../../src/codegen/plan.js";
import { merge, shapeOf, type Shape } from "../../src/codegen/value-shape.js";
import { EMPTY_OBJECT, type Draft, type Wf } from "./model.js";
import { shapeOfSlot } from "./slots.js";
import type { Typing } from "./typing.js";

/** Tools with their schemas: inputs from the parameters passed (literal types), outputs from what is read. */
export function toolPlans(order: readonly Wf[], typing: Typing): Map<string, PlannedTool> {
  const inputs = new Map<string, Shape | undefined>();
  for (const wf of order) {
    for (const index of wf.order) {
      const s = wf.steps[index]!;
      if (s.role === "sub") continue;
      const shape = paramShape(s.params, s.role === "exec" && typeof s.step.parameters.workflow !== "string");
      inputs.set(s.step.toolName, merge(inputs.get(s.step.toolName), shape));
    }
  }
  const tools = new Map<string, PlannedTool>();
  for (const [name, input] of inputs) {
    const slot = typing.outputs.get(name);
    const root = slot?.find();
    const output = !root || (root.kind === "free" && !root.whole) ? EMPTY_OBJECT : shapeOfSlot(root, true);
    tools.set(name, { name, input: input ?? EMPTY_OBJECT, output });
  }
  return tools;
}

/** The shape of a parameter: a literal's type, `unknown` for a reference, `string` for text. */
function paramShape(d: Draft, inlineWorkflow = false): Shape {
  switch (d.kind) {
    case "literal":
      return shapeOf(d.value);
    case "ref":
      return { kind: "unknown" };
    case "text":
      return { kind: "string" };
    case "object":
      return {
        kind: "object",
        fields: new Map(
          d.entries.map(([k, v]) => [
            k,
            { shape: inlineWorkflow && k === "workflow" ? { kind: "unknown" } : paramShape(v), optional: false },
          ]),
        ),
      };
    case "array":
      return { kind: "array", items: d.items.reduce<Shape | undefined>((acc, v) => merge(acc, paramShape(v)), undefined) };
  }
}

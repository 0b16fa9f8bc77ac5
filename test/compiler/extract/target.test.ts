/** The LintTarget of an extracted workflow: locate() spans, tools with their output fields and annotations, input names. */
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { createExtractor } from "../../../compiler/extract/index.js";
import type { JsonPath } from "../../../compiler/lint-target.js";

const ROOT = resolve(import.meta.dirname, "../../..");
const FILE = "test/compiler/fixtures/extract/subset.ts";
const { workflows } = createExtractor({ cwd: ROOT, files: [FILE] }).extract();
const target = workflows.find((w) => w.name === "subset")!.target;
const at = (path: JsonPath, range?: { start: number; end: number }) => {
  const span = target.locate(path, range);
  expect(span.file).toBe(FILE);
  return target.text.slice(span.start.offset, span.end.offset);
};

describe("LintTarget of a TypeScript workflow", () => {
  it("has the file, text, origin and input names", () => {
    expect([target.file, target.origin, target.text.startsWith("// The DSL subset")]).toEqual([FILE, "ts", true]);
    expect([...target.inputs!]).toEqual(["id", "count", "mode", "names", "exact", "ratio", "dir", "enabled", "token", "key", "pin"]);
  });

  it("locates ids, tools, parameters, conditions and dependencies", () => {
    expect(at(["steps", 0])).toBe('"first"');
    expect(at(["steps", 0, "id"])).toBe('"first"');
    expect(at(["steps", 0, "id"], { start: 1, end: 3 })).toBe("ir");
    expect(at(["steps", 0, "toolName"])).toBe("fetchItem");
    expect(at(["steps", 0, "parameters", "id"])).toBe("vars.id");
    expect(at(["steps", 1, "parameters", "id"])).toBe("`${first.out.item.id}-2`");
    // "{{first.item.id}}-2": the placeholder maps to the reference, the text after it character for character
    expect(at(["steps", 1, "parameters", "id"], { start: 0, end: 17 })).toBe("first.out.item.id");
    expect(at(["steps", 1, "parameters", "id"], { start: 17, end: 19 })).toBe("-2");
    expect(at(["steps", 1, "dependsOn", 0])).toBe("first");
    expect(at(["steps", 2, "parameters", "value", 0])).toBe("first.out.item.tags[0]");
    expect(at(["steps", 2, "condition"]).startsWith("and(eq(first.out.item.id")).toBe(true);
    expect(at(["steps", 2, "condition"], { start: 1, end: 18 })).toBe("first.out.item.id");
    expect(at(["steps", 2, "timeoutMs"])).toBe("1_000");
    expect(at(["steps", 3, "toolName"])).toBe("buildWorkflow");
    expect(at(["steps", 3, "parameters", "workflow"])).toBe("buildWorkflow");
    expect(at(["steps", 3, "parameters", "context", "dir"])).toBe("vars.dir");
    expect(at(["steps", 3, "dependsOn", 0])).toBe("first");
    expect(at(["steps", 3, "dependsOn", 1])).toBe("third");
    expect(at(["outputs", "image"])).toBe("sub.out.imagePath");
    expect(at(["steps", 0, "parameters", "nope", 3])).toBe(at(["steps", 0, "parameters"]));
    expect(at(["steps", 99])).toMatch(/^wf\(NAME/);
  });

  it("knows each tool's output fields, including a sub-workflow's tools", () => {
    expect([...target.tools!.keys()].sort()).toEqual(["fetch_item", "mark", "sink"]);
    const out = target.tools!.get("fetch_item")!.output;
    expect(out.kind).toBe("object");
    if (out.kind !== "object") return;
    expect(out.open).toBe(false);
    expect(out.fields.get("item")).toEqual({
      kind: "object",
      open: false,
      fields: new Map([
        ["id", { kind: "leaf" }],
        ["tags", { kind: "array", items: { kind: "leaf" } }],
      ]),
    });
    expect(out.fields.get("score")).toEqual({ kind: "leaf" });
    expect(out.fields.get("extra")).toEqual({ kind: "unknown" });
    expect(out.fields.get("loose")).toMatchObject({ kind: "object", open: true });
    expect(target.tools!.get("fetch_item")!.span!.file).toBe("test/compiler/fixtures/extract/tools.ts");
  });

  it("knows the hints of each tool's annotations written as boolean literals, and nothing of a tool without", () => {
    expect(target.tools!.get("fetch_item")!.annotations).toEqual({ readOnlyHint: true, idempotentHint: true });
    expect(target.tools!.get("sink")!.annotations).toBeUndefined();
  });
});

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { templateJsonSchema } from "toolweave";

describe("the shipped JSON Schema", () => {
  it("is what the zod schema generates (run `npm run generate:schema` after changing src/model/schema.ts)", () => {
    const shipped = JSON.parse(readFileSync(new URL("../../../schema/template.schema.json", import.meta.url), "utf8"));
    expect(shipped).toEqual(templateJsonSchema());
  });

  it("describes the template format: required fields and step properties", () => {
    const schema = templateJsonSchema() as {
      required: string[];
      properties: { steps: { items: { required: string[]; properties: Record<string, unknown> } } };
    };
    expect(schema.required).toEqual(["name", "steps"]);
    expect(schema.properties.steps.items.required).toEqual(["id", "toolName"]);
    expect(Object.keys(schema.properties.steps.items.properties)).toEqual(
      expect.arrayContaining([
        "id",
        "toolName",
        "parameters",
        "dependsOn",
        "condition",
        "maxRetries",
        "retryDelayMs",
        "backoff",
        "timeoutMs",
        "description",
        "source",
      ]),
    );
  });
});

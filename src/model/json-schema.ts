import { z } from "zod";
import { templateSchema } from "./schema.js";

/** The JSON Schema (draft 2020-12) of a template file, as a person writes it: defaults are optional. */
export function templateJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(templateSchema, { io: "input", target: "draft-2020-12" }) as Record<string, unknown>;
  return {
    ...generated,
    $id: "https://toolweave.dev/schema/template.schema.json",
    title: "toolweave workflow template",
  };
}

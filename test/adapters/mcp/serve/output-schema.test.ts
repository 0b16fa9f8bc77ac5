// The outputSchema a served workflow declares: typed where the workflow's own zod schemas say, `{}` elsewhere.
import { secret, tool, workflow } from "toolweave";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { outputSchemaOf } from "../../../../adapters/mcp/serve/output-schema.js";
import { WorkflowTemplate } from "../../../../src/model/template.js";

const build = tool("build", {
  input: z.object({ tag: z.string() }),
  output: z.object({
    image: z.string(),
    owner: z.string().email(),
    size: z.union([z.number(), z.string()]),
    target: z.union([z.object({ kind: z.literal("url"), at: z.string() }), z.object({ kind: z.literal("port"), at: z.number() })]),
    registry: z.object({ host: z.string(), port: z.number().int() }),
  }),
  run: async ({ tag }) => ({
    image: `app:${tag}`,
    owner: "ops@example.com",
    size: 3,
    registry: { host: "r", port: 1 },
    target: { kind: "url" as const, at: "x" },
  }),
});

const deployRegion = tool("deploy_region", {
  input: z.object({ region: z.string() }),
  output: z.object({ url: z.string() }),
  run: async ({ region }) => ({ url: `https://${region}` }),
});

const child = workflow("child", { input: z.object({ tag: z.string() }) }, ({ input, step }) => {
  const built = step("build").tool(build).with({ tag: input.tag });
  return { image: built.out.image };
});

describe("outputSchemaOf", () => {
  it("types a DSL workflow's outputs from its tools' and its input's zod schemas, without format or pattern", () => {
    const parent = workflow(
      "parent",
      { input: z.object({ tag: z.string(), regions: z.array(z.string()), token: secret(z.string()) }) },
      ({ input, step }) => {
        const built = step("build").tool(build).with({ tag: input.tag });
        const deployed = step("deploy")
          .forEach(input.regions)
          .tool(deployRegion)
          .with((region) => ({ region }));
        const sub = step("sub").workflow(child).with({ tag: input.tag });
        return {
          image: built.out.image,
          owner: built.out.owner,
          size: built.out.size,
          at: built.out.target.at,
          host: built.out.registry.host,
          registry: built.out.registry,
          urls: deployed.out,
          tag: input.tag,
          token: input.token,
          fromChild: sub.out.image,
          text: `built ${built.out.image}`,
          fixed: 3,
        };
      },
    );
    expect(outputSchemaOf(parent.template, parent)).toEqual({
      type: "object",
      additionalProperties: false,
      properties: {
        image: { type: "string" },
        // zod's email check and a JSON Schema validator's "email" format need not agree: not claimed
        owner: { type: "string" },
        size: { type: ["number", "string"] },
        // a field of a union of objects: which branch is not known
        at: {},
        host: { type: "string" },
        registry: {
          type: "object",
          properties: { host: { type: "string" }, port: { type: "integer", minimum: -9007199254740991, maximum: 9007199254740991 } },
          required: ["host", "port"],
          additionalProperties: false,
        },
        urls: {
          type: "array",
          items: { type: "object", properties: { url: { type: "string" } }, required: ["url"], additionalProperties: false },
        },
        tag: { type: "string" },
        // masked in the outputs
        token: {},
        fromChild: { type: "string" },
        text: { type: "string" },
        fixed: { const: 3 },
      },
    });
  });

  it("knows a template's keys, text and constants, and nothing of its tools' results", () => {
    const template = new WorkflowTemplate({
      name: "t",
      steps: [{ id: "a", toolName: "x", parameters: {} }],
      outputs: { value: "{{a.value}}", text: "a is {{a.value}}", list: ["{{a.value}}", 1], fixed: { on: true } },
    });
    expect(outputSchemaOf(template)).toEqual({
      type: "object",
      additionalProperties: false,
      properties: {
        value: {},
        text: { type: "string" },
        list: { type: "array", minItems: 2, maxItems: 2 },
        fixed: { const: { on: true } },
      },
    });
  });

  it("claims nothing for a workflow without outputs", () => {
    const template = new WorkflowTemplate({ name: "t", steps: [{ id: "a", toolName: "x", parameters: {} }] });
    expect(outputSchemaOf(template)).toBeUndefined();
  });
});
